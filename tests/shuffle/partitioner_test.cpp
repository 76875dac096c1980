#include "shuffle/partitioner.h"

#include <gtest/gtest.h>

#include "shuffle/map_output_writer.h"
#include "tests/shuffle/test_util.h"
#include "vector/column_hash.h"

namespace sluice {
namespace {

using shuffle_test::MakeBatch;
using shuffle_test::MakeSchema;
using shuffle_test::RecordingWriter;
using shuffle_test::RowsOf;
using shuffle_test::Sequence;

std::vector<std::vector<uint32_t>> Assign(Partitioner& partitioner, const Batch& batch) {
  std::vector<std::vector<uint32_t>> selections(partitioner.num_partitions());
  partitioner.Assign(batch, &selections);
  return selections;
}

TEST(PartitionerTest, HashSendsEqualKeysToOnePartitionAsBucketsDo) {
  const Batch batch = MakeBatch({TypeId::kBigInt}, Sequence(0, 500));
  auto hash = MakePartitioner(Partitioning::Hash({0}, 7));
  ASSERT_EQ(hash->num_partitions(), 7);
  const auto selections = Assign(*hash, batch);
  std::vector<std::vector<uint32_t>> expected(7);
  std::vector<uint64_t> hashes;
  SelectHashPartitions(batch, {0}, &hashes, &expected);
  EXPECT_EQ(selections, expected);
  size_t total = 0;
  for (const auto& s : selections) {
    total += s.size();
    EXPECT_TRUE(std::is_sorted(s.begin(), s.end()));  // row order kept
  }
  EXPECT_EQ(total, 500u);
  // The same keys again go where they went before.
  EXPECT_EQ(Assign(*hash, batch), expected);
}

TEST(PartitionerTest, RoundRobinContinuesAcrossBatches) {
  auto rr = MakePartitioner(Partitioning::RoundRobin(3));
  const Batch batch = MakeBatch({TypeId::kBigInt}, Sequence(0, 4));
  const auto first = Assign(*rr, batch);
  EXPECT_EQ(first, (std::vector<std::vector<uint32_t>>{{0, 3}, {1}, {2}}));
  const auto second = Assign(*rr, batch);
  EXPECT_EQ(second, (std::vector<std::vector<uint32_t>>{{2}, {0, 3}, {1}}));
}

TEST(PartitionerTest, SingleAndBroadcastWriteOnePartition) {
  const Batch batch = MakeBatch({TypeId::kBigInt}, Sequence(0, 3));
  for (const auto& target : {Partitioning::Single(), Partitioning::Broadcast(4)}) {
    auto p = MakePartitioner(target);
    EXPECT_EQ(p->num_partitions(), 1);
    EXPECT_EQ(WrittenPartitions(target), 1);
    EXPECT_EQ(Assign(*p, batch), (std::vector<std::vector<uint32_t>>{{0, 1, 2}}));
  }
  EXPECT_EQ(WrittenPartitions(Partitioning::Hash({0}, 5)), 5);
}

// A map task drives a fake ShuffleWriter: every row reaches the partition its partitioner
// chose, in row order, in full-size batches but for the last one of each partition.
TEST(MapOutputWriterTest, GathersRowsPerPartitionIntoFullBatches) {
  RecordingWriter writer;
  const Schema schema = MakeSchema({TypeId::kBigInt});
  MapOutputWriter router(schema, MakePartitioner(Partitioning::RoundRobin(2)), &writer);
  const int total = 3 * static_cast<int>(kBatchSize) + 10;
  for (int start = 0; start < total; start += 100) {
    router.Write(MakeBatch({TypeId::kBigInt}, Sequence(start, std::min(100, total - start))));
  }
  router.Finish();
  EXPECT_FALSE(writer.committed);  // committing is the scheduler's call
  std::vector<std::vector<std::string>> got(2);
  std::vector<int> partial(2, 0);
  for (const auto& w : writer.writes) {
    ASSERT_TRUE(w.partition == 0 || w.partition == 1);
    if (w.batch.num_rows() < kBatchSize) partial[w.partition]++;
    for (auto& r : RowsOf(w.batch)) got[w.partition].push_back(std::move(r));
  }
  EXPECT_EQ(partial, (std::vector<int>{1, 1}));
  ASSERT_EQ(got[0].size() + got[1].size(), static_cast<size_t>(total));
  for (int p = 0; p < 2; p++) {
    for (size_t i = 0; i < got[p].size(); i++) {
      ASSERT_EQ(got[p][i], std::to_string(2 * i + p) + "|") << "partition " << p;
    }
  }
}

TEST(MapOutputWriterTest, SinglePartitionPassesLargeBatchesThrough) {
  RecordingWriter writer;
  MapOutputWriter router(MakeSchema({TypeId::kBigInt}), MakePartitioner(Partitioning::Single()),
                         &writer);
  const Batch large = MakeBatch({TypeId::kBigInt}, Sequence(0, kBatchSize));
  router.Write(MakeBatch({TypeId::kBigInt}, Sequence(-3, 3)));
  router.Write(large);
  router.Finish();
  ASSERT_EQ(writer.writes.size(), 2u);
  EXPECT_EQ(writer.writes[0].batch.num_rows(), 3u);  // the small rows first, order kept
  EXPECT_EQ(writer.writes[1].batch.column(0).get(), large.column(0).get());  // not copied
}

}  // namespace
}  // namespace sluice
