#include "mpi/shuffle_server.h"

#include <fmt/format.h>
#include <mpi.h>

#include <chrono>
#include <string>

#include "mpi/mpi_cluster.h"
#include "mpi/mpi_shuffle.h"

namespace sluice {

namespace {

constexpr int kRequestFields = 5;

}  // namespace

ShuffleServer::ShuffleServer(MpiCluster* cluster) : cluster_(cluster) {
  thread_ = std::thread([this] { Serve(); });
}

ShuffleServer::~ShuffleServer() {
  int64_t stop[kRequestFields] = {-1, 0, 0, 0, 0};
  MPI_Send(stop, kRequestFields, MPI_INT64_T, cluster_->rank(), kRequestTag,
           cluster_->fetch_comm());
  thread_.join();
}

int64_t ShuffleServer::NextShuffleId() {
  std::lock_guard lock(mutex_);
  return next_id_++;
}

void ShuffleServer::Register(int64_t id, MpiShuffle* shuffle) {
  std::lock_guard lock(mutex_);
  shuffles_[id] = shuffle;
}

void ShuffleServer::Unregister(int64_t id) {
  std::lock_guard lock(mutex_);
  shuffles_.erase(id);
}

void ShuffleServer::Serve() {
  auto pause = std::chrono::microseconds(0);
  for (;;) {
    int found = 0;
    MPI_Message message;
    MPI_Status status;
    MPI_Improbe(MPI_ANY_SOURCE, kRequestTag, cluster_->fetch_comm(), &found, &message, &status);
    if (found == 0) {
      // Idle: poll less and less often, up to every millisecond.
      if (pause.count() > 0) std::this_thread::sleep_for(pause);
      pause = std::min(std::chrono::microseconds(1000),
                       pause.count() == 0 ? std::chrono::microseconds(5) : pause * 2);
      continue;
    }
    pause = std::chrono::microseconds(0);
    int64_t fields[kRequestFields];
    MPI_Mrecv(fields, kRequestFields, MPI_INT64_T, &message, MPI_STATUS_IGNORE);
    const Request request{fields[0], fields[1], fields[2], fields[3], fields[4]};
    if (request.shuffle < 0) return;
    Answer(request, status.MPI_SOURCE);
  }
}

void ShuffleServer::Answer(const Request& request, int source) {
  const std::string what = fmt::format("rank {} reading partition {} of exchange #{}", source,
                                       request.partition, request.shuffle);
  std::string rows;
  {
    std::lock_guard lock(mutex_);
    const auto it = shuffles_.find(request.shuffle);
    if (it == shuffles_.end()) {
      const uint64_t unknown = kUnknownShuffle;
      MPI_Send(&unknown, 1, MPI_UINT64_T, source, static_cast<int>(request.reply_tag),
               cluster_->reply_comm());
      return;
    }
    rows =
        it->second->Serve(static_cast<int>(request.partition), request.row_begin, request.row_end);
  }
  cluster_->SendBytes(cluster_->reply_comm(), source, static_cast<int>(request.reply_tag), rows,
                      what);
}

}  // namespace sluice
