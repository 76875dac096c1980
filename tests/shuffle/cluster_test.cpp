// How a cluster deals out a stage's tasks (shuffle/cluster.h), and how a key summary shipped
// between ranks is rebuilt (HeavyHitters::FromEntries): the pieces of the MPI scale-out that
// need no MPI.
#include "shuffle/cluster.h"

#include <gtest/gtest.h>

#include "shuffle/heavy_hitters.h"

namespace sluice {
namespace {

TEST(ClusterTest, TaskBlocksCoverEveryTaskOnceInRankOrder) {
  for (int size : {1, 2, 3, 4, 7}) {
    for (int tasks : {0, 1, 2, 5, 16, 29}) {
      int next = 0;
      for (int rank = 0; rank < size; rank++) {
        const Cluster::TaskRange block = Cluster::TaskBlock(rank, size, tasks);
        EXPECT_EQ(block.first, next) << "rank " << rank << " of " << size << ", " << tasks;
        EXPECT_GE(block.end, block.first);
        // Blocks differ by one task at most, the larger ones first.
        EXPECT_LE(block.end - block.first, tasks / size + 1);
        EXPECT_GE(block.end - block.first, tasks / size);
        next = block.end;
      }
      EXPECT_EQ(next, tasks) << size << " ranks, " << tasks << " tasks";
    }
  }
}

TEST(ClusterTest, ASingleTaskRunsOnRankZero) {
  EXPECT_EQ(Cluster::TaskBlock(0, 4, 1).end, 1);
  for (int rank = 1; rank < 4; rank++) {
    EXPECT_EQ(Cluster::TaskBlock(rank, 4, 1).first, Cluster::TaskBlock(rank, 4, 1).end);
  }
}

TEST(ClusterTest, ARebuiltKeySummaryMergesAsTheOriginal) {
  std::vector<uint64_t> a;
  std::vector<uint64_t> b;
  for (int i = 0; i < 1000; i++) a.push_back(i % 3 == 0 ? 7 : 100 + static_cast<uint64_t>(i));
  for (int i = 0; i < 800; i++) b.push_back(i % 2 == 0 ? 9 : 5000 + static_cast<uint64_t>(i));
  HeavyHitters first(8);
  first.Add(a.data(), a.size());
  HeavyHitters second(8);
  second.Add(b.data(), b.size());

  HeavyHitters original = first;
  original.Merge(second);
  HeavyHitters rebuilt = HeavyHitters::FromEntries(8, first.Top(), first.total());
  rebuilt.Merge(HeavyHitters::FromEntries(8, second.Top(), second.total()));
  EXPECT_EQ(rebuilt.Top(), original.Top());
  EXPECT_EQ(rebuilt.total(), original.total());
  // Key 9 (400 rows) then key 7 (334 rows) lead.
  ASSERT_GE(rebuilt.Top().size(), 2u);
  EXPECT_EQ(rebuilt.Top()[0].hash, 9u);
  EXPECT_EQ(rebuilt.Top()[1].hash, 7u);
}

}  // namespace
}  // namespace sluice
