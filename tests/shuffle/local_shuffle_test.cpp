#include "shuffle/local_shuffle.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "shuffle/map_output_writer.h"
#include "tests/shuffle/test_util.h"

namespace sluice {
namespace {

using shuffle_test::Drain;
using shuffle_test::MakeBatch;
using shuffle_test::MakeSchema;
using shuffle_test::Row;
using shuffle_test::Sequence;

namespace fs = std::filesystem;

const std::vector<LogicalType> kTypes = {TypeId::kBigInt, TypeId::kVarchar};

std::vector<Row> Rows(int64_t first, int n) {
  std::vector<Row> rows;
  for (int i = 0; i < n; i++) {
    rows.push_back({Value::BigInt(first + i),
                    Value::Varchar("a string long enough for the heap " + std::to_string(i))});
  }
  return rows;
}

// A fresh directory for one test's spill files, removed at the end.
class LocalShuffleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("sluice_shuffle_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  ShuffleSpec Spec(int map_tasks, int partitions) {
    ShuffleSpec spec;
    spec.types = kTypes;
    spec.map_tasks = map_tasks;
    spec.partitions = partitions;
    return spec;
  }
  fs::path dir_;
};

// Map tasks write concurrently through the transport's writers; each partition reads back
// in map-task order whatever the order the tasks finished in, also when most of it spilled.
TEST_F(LocalShuffleTest, RoundTripWithSpillKeepsMapTaskOrder) {
  for (const int64_t limit : {int64_t{1} << 34, int64_t{256} << 10}) {
    MemoryManager memory(limit);
    TempDirectory temp(dir_.string());
    std::atomic<int64_t> spilled_metric{0};
    LocalShuffleTransport transport(&memory, &temp);
    ShuffleSpec spec = Spec(3, 2);
    spec.spilled_metric = &spilled_metric;
    auto shuffle = transport.Create(spec);
    std::vector<std::thread> tasks;
    for (int t = 2; t >= 0; t--) {
      tasks.emplace_back([&, t] {
        auto writer = shuffle->OpenWriter(t);
        MapOutputWriter router(MakeSchema(kTypes), MakePartitioner(Partitioning::RoundRobin(2)),
                               writer.get());
        for (int b = 0; b < 10; b++)
          router.Write(MakeBatch(kTypes, Rows(t * 100000 + b * 1000, 1000)));
        router.Finish();
        writer->Commit();
      });
    }
    for (auto& t : tasks) t.join();
    if (limit < (int64_t{1} << 20)) {
      EXPECT_GT(shuffle->spilled_bytes(), 0);
      EXPECT_EQ(spilled_metric.load(), shuffle->spilled_bytes());
    } else {
      EXPECT_EQ(shuffle->spilled_bytes(), 0);
    }
    const ExchangeStats stats = shuffle->Stats();
    EXPECT_EQ(stats.rows, (std::vector<int64_t>{15000, 15000}));
    for (int p = 0; p < 2; p++) {
      auto rows = Drain(*shuffle->Open(ShuffleRead::Partition(p)));
      ASSERT_EQ(rows.size(), 15000u);
      // Task 0's rows first, then task 1's, then task 2's; each in write order.
      EXPECT_EQ(rows.front().substr(0, rows.front().find('|')), std::to_string(p));
      EXPECT_EQ(rows.back().substr(0, rows.back().find('|')),
                std::to_string(200000 + 9999 - 1 + p));
    }
    EXPECT_EQ(memory.used(), 0) << "limit " << limit;
  }
}

TEST_F(LocalShuffleTest, StatsCountDataBytes) {
  MemoryManager memory(int64_t{1} << 30);
  TempDirectory temp(dir_.string());
  ShuffleSpec spec = Spec(1, 1);
  spec.types = {TypeId::kBigInt};
  LocalShuffle shuffle(&memory, &temp, spec);
  auto writer = shuffle.OpenWriter(0);
  writer->Write(0, MakeBatch({TypeId::kBigInt}, Sequence(0, 16), kBatchSize));
  writer->Commit();
  EXPECT_EQ(shuffle.Stats().bytes, (std::vector<int64_t>{16 * 8}));
  EXPECT_EQ(shuffle.Stats().rows, (std::vector<int64_t>{16}));
}

// A failed attempt's output is discarded: the retry's rows are read once.
TEST_F(LocalShuffleTest, AbortDiscardsTheAttempt) {
  MemoryManager memory(int64_t{1} << 30);
  TempDirectory temp(dir_.string());
  LocalShuffle shuffle(&memory, &temp, Spec(1, 1));
  auto failed = shuffle.OpenWriter(0);
  failed->Write(0, MakeBatch(kTypes, Rows(0, 10)));
  failed->Abort();
  EXPECT_EQ(memory.used(), 0);
  auto retry = shuffle.OpenWriter(0);
  retry->Write(0, MakeBatch(kTypes, Rows(0, 10)));
  retry->Commit();
  EXPECT_EQ(shuffle.Stats().rows[0], 10);
  EXPECT_EQ(Drain(*shuffle.Open(ShuffleRead::Partition(0))).size(), 10u);
}

// Coalesced ranges and skew slices: the reads the adaptive pass hands to reduce tasks.
TEST_F(LocalShuffleTest, ReadsRangesAndRowSlices) {
  TempDirectory temp(dir_.string());
  LocalShuffle shuffle(nullptr, &temp, Spec(2, 3));
  shuffle.set_retained(true);  // every read below reads the same data
  for (int t = 0; t < 2; t++) {
    auto writer = shuffle.OpenWriter(t);
    for (int p = 0; p < 3; p++) writer->Write(p, MakeBatch(kTypes, Rows(t * 1000 + p * 100, 5)));
    writer->Commit();
  }
  const auto all0 = Drain(*shuffle.Open(ShuffleRead::Partition(0)));
  const auto all1 = Drain(*shuffle.Open(ShuffleRead::Partition(1)));
  ASSERT_EQ(all0.size(), 10u);
  auto range = Drain(*shuffle.Open(ShuffleRead::Range(0, 2)));
  std::vector<std::string> expected = all0;
  expected.insert(expected.end(), all1.begin(), all1.end());
  EXPECT_EQ(range, expected);
  EXPECT_TRUE(Drain(*shuffle.Open(ShuffleRead::Range(3, 3))).empty());
  // Slices [0,3) [3,7) [7,10) of partition 0 cover it once, in order, across map tasks.
  std::vector<std::string> pieces;
  for (auto [b, e] : {std::pair{0, 3}, {3, 7}, {7, 10}}) {
    for (auto& r : Drain(*shuffle.Open(ShuffleRead::Slice(0, b, e)))) pieces.push_back(r);
  }
  EXPECT_EQ(pieces, all0);
  EXPECT_EQ(Drain(*shuffle.Open(ShuffleRead::Slice(0, 6, -1))),
            std::vector<std::string>(all0.begin() + 6, all0.end()));
}

// A map task with nothing of its own in memory, while the budget is held elsewhere, writes
// its batch straight to disk instead of failing (regression: under concurrent map tasks this
// raised OutOfMemoryError "exchange buffer needs ... more").
TEST_F(LocalShuffleTest, TaskWithNothingToSpillWritesToDisk) {
  MemoryManager memory(int64_t{1} << 20);
  TempDirectory temp(dir_.string());
  LocalShuffle shuffle(&memory, &temp, Spec(2, 1));
  std::vector<Row> rows = Rows(0, 2048);
  const int64_t held_elsewhere = memory.limit() - 1000;
  ASSERT_TRUE(memory.TryReserve(held_elsewhere));
  auto writer1 = shuffle.OpenWriter(1);
  writer1->Write(0, MakeBatch(kTypes, rows));
  EXPECT_GT(shuffle.spilled_bytes(), 0);
  memory.Release(held_elsewhere);
  shuffle.OpenWriter(0)->Commit();
  writer1->Commit();
  const auto got = Drain(*shuffle.Open(ShuffleRead::Partition(0)));
  ASSERT_EQ(got.size(), rows.size());
  EXPECT_EQ(got.back(), rows.back()[0].ToString() + "|" + rows.back()[1].ToString() + "|");
  EXPECT_EQ(memory.used(), 0);
}

}  // namespace
}  // namespace sluice
