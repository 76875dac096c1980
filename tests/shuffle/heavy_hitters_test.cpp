// The heavy-hitters summary that hot-key salting reads (shuffle/heavy_hitters.h), and its
// path from a map task's rows through MapOutputWriter into LocalShuffle's ExchangeStats.
#include "shuffle/heavy_hitters.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "shuffle/local_shuffle.h"
#include "shuffle/map_output_writer.h"
#include "tests/shuffle/test_util.h"
#include "vector/column_hash.h"

namespace sluice {
namespace {

using shuffle_test::MakeBatch;
using shuffle_test::MakeSchema;
using shuffle_test::Row;

// n hashes where `hot` takes every `period`-th place and the others are all different.
std::vector<uint64_t> Stream(int n, uint64_t hot, int period) {
  std::vector<uint64_t> out;
  for (int i = 0; i < n; i++) out.push_back(i % period == 0 ? hot : 1000 + static_cast<uint64_t>(i));
  return out;
}

TEST(HeavyHittersTest, KeepsAKeyOverTheGuaranteedShare) {
  HeavyHitters h(4);
  // 25% of 1000 rows: above 1 / (capacity + 1) = 20%, so it must survive.
  const auto hashes = Stream(1000, 7, 4);
  h.Add(hashes.data(), hashes.size());
  EXPECT_EQ(h.total(), 1000);
  const auto top = h.Top();
  ASSERT_FALSE(top.empty());
  EXPECT_EQ(top[0].hash, 7u);
  // A lower bound, short of the truth by at most total / (capacity + 1).
  EXPECT_LE(top[0].count, 250);
  EXPECT_GE(top[0].count, 250 - 1000 / 5);
}

TEST(HeavyHittersTest, CountsExactlyWhileThereIsRoom) {
  HeavyHitters h(4);
  const std::vector<uint64_t> hashes = {5, 5, 9, 5, 9, 3};
  h.Add(hashes.data(), hashes.size());
  EXPECT_EQ(h.Top(), (std::vector<HeavyHitters::Entry>{{5, 3}, {9, 2}, {3, 1}}));
}

TEST(HeavyHittersTest, MergeAddsCountsAndKeepsTheCapacity) {
  HeavyHitters a(2);
  HeavyHitters b(2);
  const std::vector<uint64_t> x = {1, 1, 1, 2};
  const std::vector<uint64_t> y = {1, 3, 3, 2};
  a.Add(x.data(), x.size());
  b.Add(y.data(), y.size());
  a.Merge(b);
  EXPECT_EQ(a.total(), 8);
  // Counts 1:4, 2:2, 3:2; the third largest (2) is subtracted: only key 1 keeps 2.
  EXPECT_EQ(a.Top(), (std::vector<HeavyHitters::Entry>{{1, 2}}));
}

TEST(HeavyHittersTest, MergedSummaryFindsAKeyHotOverall) {
  // The hot key is 30% of every task's rows; merged over 8 tasks it stays on top.
  HeavyHitters merged;
  for (int t = 0; t < 8; t++) {
    HeavyHitters task;
    const auto hashes = Stream(10000, 42, 3);
    task.Add(hashes.data(), hashes.size());
    merged.Merge(task);
  }
  ASSERT_FALSE(merged.Top().empty());
  EXPECT_EQ(merged.Top()[0].hash, 42u);
  EXPECT_GT(merged.Top()[0].count, 80000 * 3 / 10 - 80000 / 17);
}

// Past kExactRows rows, rows are sampled: a hot key's estimate stays near its true count,
// including for keys that recur with a period (the gaps are pseudo-random, so no period
// aliases with them), and the summary does not depend on how the stream was cut into Adds.
TEST(HeavyHittersTest, SampledCountsEstimateHotKeysWhateverTheirPeriod) {
  const int n = 400000;
  for (int period : {4, 5, 8, 10, 12}) {  // 25% .. 8%: hot keys (skew_hot_key_fraction >= 7%)
    for (int offset : {0, 1}) {
      std::vector<uint64_t> hashes;
      for (int i = 0; i < n; i++) {
        hashes.push_back(i % period == offset ? 42 : 1000 + static_cast<uint64_t>(i));
      }
      HeavyHitters whole;
      whole.Add(hashes.data(), hashes.size());
      HeavyHitters pieces;
      for (size_t at = 0; at < hashes.size(); at += 2048) {
        pieces.Add(hashes.data() + at, std::min<size_t>(2048, hashes.size() - at));
      }
      EXPECT_EQ(whole.Top(), pieces.Top()) << "period " << period;
      EXPECT_EQ(whole.total(), n);
      ASSERT_FALSE(whole.Top().empty()) << "period " << period;
      EXPECT_EQ(whole.Top()[0].hash, 42u) << "period " << period;
      const double truth = static_cast<double>(n) / period;
      // Misra-Gries subtracts at most n / (capacity + 1); sampling adds a few percent.
      EXPECT_GT(static_cast<double>(whole.Top()[0].count), truth - n / 17.0 - 0.05 * truth)
          << "period " << period << " offset " << offset;
      EXPECT_LT(static_cast<double>(whole.Top()[0].count), truth * 1.05)
          << "period " << period << " offset " << offset;
    }
  }
}

class KeySummaryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("sluice_heavy_hitters_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

// Map tasks that track their keys report them in ExchangeStats, keyed by the hash the
// exchange partitions by; an aborted attempt's summary is dropped with its rows.
TEST_F(KeySummaryTest, ExchangeStatsReportTheHeaviestKeys) {
  MemoryManager memory(int64_t{1} << 30);
  TempDirectory temp(dir_.string());
  const std::vector<LogicalType> types = {TypeId::kBigInt};
  ShuffleSpec spec;
  spec.types = types;
  spec.map_tasks = 2;
  spec.partitions = 4;
  LocalShuffle shuffle(&memory, &temp, spec);
  std::vector<Row> rows;
  for (int i = 0; i < 1000; i++) rows.push_back({Value::BigInt(i % 2 == 0 ? 77 : i)});
  const Batch batch = MakeBatch(types, rows);
  for (int task = 0; task < 2; task++) {
    auto failed = shuffle.OpenWriter(task);
    MapOutputWriter first(MakeSchema(types),
                          MakePartitioner(Partitioning::Hash({0}, spec.partitions)), failed.get(),
                          /*track_keys=*/true);
    first.Write(batch);
    first.Finish();
    failed->Abort();
    auto writer = shuffle.OpenWriter(task);
    MapOutputWriter router(MakeSchema(types),
                           MakePartitioner(Partitioning::Hash({0}, spec.partitions)), writer.get(),
                           /*track_keys=*/true);
    router.Write(batch);
    router.Finish();
    writer->Commit();
  }
  const ExchangeStats stats = shuffle.Stats();
  ASSERT_FALSE(stats.heavy_keys.empty());
  uint64_t hash = 0;
  HashColumn(*batch.column(0), 1, &hash, false);
  EXPECT_EQ(stats.heavy_keys[0].hash, hash);
  EXPECT_GE(stats.heavy_keys[0].count, 1000 - 2000 / (HeavyHitters::kDefaultCapacity + 1));
  EXPECT_LE(stats.heavy_keys[0].count, 1000);
  // The hot key's rows are all in its partition.
  EXPECT_GE(stats.rows[static_cast<size_t>(HashPartitionOf(hash, spec.partitions))], 1000);
}

TEST_F(KeySummaryTest, UntrackedExchangesReportNoKeys) {
  MemoryManager memory(int64_t{1} << 30);
  TempDirectory temp(dir_.string());
  const std::vector<LogicalType> types = {TypeId::kBigInt};
  ShuffleSpec spec;
  spec.types = types;
  spec.partitions = 4;
  LocalShuffle shuffle(&memory, &temp, spec);
  auto writer = shuffle.OpenWriter(0);
  MapOutputWriter router(MakeSchema(types), MakePartitioner(Partitioning::Hash({0}, 4)),
                         writer.get());
  router.Write(MakeBatch(types, {{Value::BigInt(1)}, {Value::BigInt(1)}}));
  router.Finish();
  writer->Commit();
  EXPECT_TRUE(shuffle.Stats().heavy_keys.empty());
}

}  // namespace
}  // namespace sluice
