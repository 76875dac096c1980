#include "shuffle/cluster.h"

#include <algorithm>
#include <atomic>

namespace sluice {

namespace {

std::atomic<Cluster*> process_cluster{nullptr};

}  // namespace

Cluster::TaskRange Cluster::TaskBlock(int rank, int size, int tasks) {
  const int base = tasks / size;
  const int extra = tasks % size;
  const int first = rank * base + std::min(rank, extra);
  return {first, first + base + (rank < extra ? 1 : 0)};
}

Cluster* ProcessCluster() { return process_cluster.load(); }

void SetProcessCluster(Cluster* cluster) { process_cluster.store(cluster); }

}  // namespace sluice
