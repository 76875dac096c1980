// The adaptive re-planning pass: given a plan whose map stages ran, it rewrites the stages
// that have not run from the exchanges' statistics.
#include "physical/adaptive_planner.h"

#include <gtest/gtest.h>

#include "exec/adaptive_shuffle_read.h"
#include "exec/filter_project.h"
#include "exec/hash_join.h"
#include "exec/scheduler.h"
#include "exec/sort.h"
#include "exec/sort_merge_join.h"
#include "tests/exec/test_util.h"

namespace sluice {
namespace {

using exec_test::Canonical;
using exec_test::ColumnRef;
using exec_test::JoinLeftRows;
using exec_test::JoinRightRows;
using exec_test::kJoinTypes;
using exec_test::MakeBatches;
using exec_test::MakeSchema;
using exec_test::Row;
using exec_test::Source;

// Runs `root` with or without the pass; returns its rows as sortable strings.
std::vector<std::string> RunPlan(PhysicalOperatorPtr& root, const Settings& settings, bool adaptive,
                                 int threads = 2) {
  Scheduler::AssignIds(*root);
  ThreadPool pool(threads);
  MemoryManager memory(int64_t{1} << 32);
  ExecContext ctx(settings, &memory, &pool);
  AdaptivePlanner planner;
  if (adaptive) ctx.set_stage_replanner(&planner);
  std::vector<Row> rows;
  for (const Batch& b : Scheduler::Collect(root, ctx)) {
    for (size_t r = 0; r < b.num_rows(); r++) rows.push_back(b.GetRow(r));
  }
  return Canonical(rows);
}

Settings BaseSettings() {
  Settings s;
  s.set_adaptive(true);
  s.set_skew_join(true);
  return s;
}

PhysicalOperatorPtr BigIntSource(int rows, int partitions) {
  std::vector<std::vector<Batch>> parts(partitions);
  for (int p = 0; p < partitions; p++) {
    std::vector<Row> part;
    for (int i = p; i < rows; i += partitions) part.push_back({Value::BigInt(i)});
    parts[p] = MakeBatches({TypeId::kBigInt}, part, 7);
  }
  return Source({TypeId::kBigInt}, std::move(parts));
}

PhysicalOperatorPtr CoalescePlan() {
  auto exchange = std::make_unique<Exchange>(BigIntSource(16, 2), Partitioning::Hash({0}, 8));
  std::vector<ExprPtr> exprs = {ColumnRef(0, TypeId::kBigInt)};
  return std::make_unique<Project>(std::move(exchange), std::move(exprs),
                                   MakeSchema({TypeId::kBigInt}));
}

// 16 BIGINT rows are 128 bytes of data: with a 64-byte target they coalesce into a few
// groups. (Counted by allocated buffers, as before issue 10, every partition looked larger
// than the target and nothing was coalesced.)
TEST(AdaptivePlannerTest, CoalescesSmallPartitionsFromTheirDataBytes) {
  Settings s = BaseSettings();
  s.set_target_partition_bytes(64);
  PhysicalOperatorPtr plain = CoalescePlan();
  const auto expected = RunPlan(plain, s, false);
  ASSERT_EQ(expected.size(), 16u);
  EXPECT_EQ(plain->child().name(), "Exchange");

  PhysicalOperatorPtr root = CoalescePlan();
  EXPECT_EQ(RunPlan(root, s, true), expected);
  ASSERT_EQ(root->child().name(), "AdaptiveShuffleRead");
  const auto& read = static_cast<const AdaptiveShuffleRead&>(root->child());
  EXPECT_EQ(read.kind(), AdaptiveShuffleRead::Kind::kCoalesced);
  ASSERT_GE(read.reads().size(), 2u);
  EXPECT_LT(read.reads().size(), 8u);
  EXPECT_EQ(root->num_partitions(), static_cast<int>(read.reads().size()));
  int next = 0;  // adjacent ranges covering every partition once
  for (const ShuffleRead& r : read.reads()) {
    EXPECT_EQ(r.first, next);
    EXPECT_TRUE(r.whole());
    next = r.end;
  }
  EXPECT_EQ(next, 8);
  EXPECT_NE(read.details().find("coalesced 8 -> "), std::string::npos);

  s.set_adaptive(false);
  PhysicalOperatorPtr off = CoalescePlan();
  EXPECT_EQ(RunPlan(off, s, true), expected);
  EXPECT_EQ(off->child().name(), "Exchange");
}

PhysicalOperatorPtr SortedInput(const std::vector<Row>& rows, int partitions) {
  std::vector<std::vector<Batch>> parts(2);
  std::vector<std::vector<Row>> split(2);
  for (size_t i = 0; i < rows.size(); i++) split[i % 2].push_back(rows[i]);
  for (int p = 0; p < 2; p++) parts[p] = MakeBatches(kJoinTypes, split[p], 100);
  auto exchange = std::make_unique<Exchange>(Source(kJoinTypes, std::move(parts)),
                                             Partitioning::Hash({0}, partitions));
  return std::make_unique<Sort>(std::move(exchange), std::vector<SortKey>{SortKey{0, true, false}},
                                std::nullopt);
}

PhysicalOperatorPtr MergeJoinPlan(JoinType type) {
  Schema out = MakeSchema({TypeId::kInteger, TypeId::kInteger, TypeId::kInteger, TypeId::kInteger});
  return std::make_unique<SortMergeJoin>(SortedInput(JoinLeftRows(), 4),
                                         SortedInput(JoinRightRows(), 4), type, std::vector<int>{0},
                                         std::vector<int>{0}, nullptr, out);
}

// The right input is 500 INTEGER pairs (about 4 KB of data), the left 3000 (about 24 KB):
// with a 10 KB threshold the join is re-planned as a broadcast hash join of the right input.
TEST(AdaptivePlannerTest, SwitchesASortMergeJoinWhoseSideProvedSmall) {
  Settings s = BaseSettings();
  s.set_broadcast_threshold(10000);
  for (JoinType type : {JoinType::kInner, JoinType::kLeft, JoinType::kSemi, JoinType::kAnti}) {
    PhysicalOperatorPtr merge = MergeJoinPlan(type);
    const auto expected = RunPlan(merge, s, false);
    EXPECT_EQ(merge->name(), "SortMergeJoin");

    PhysicalOperatorPtr root = MergeJoinPlan(type);
    EXPECT_EQ(RunPlan(root, s, true), expected) << ToString(type);
    ASSERT_EQ(root->name(), "HashJoin") << ToString(type);
    const auto& join = static_cast<const HashJoin&>(*root);
    EXPECT_EQ(join.distribution(), JoinDistribution::kBroadcast);
    EXPECT_NE(join.explain_note().find("switched to broadcast hash join"), std::string::npos);
    // No sort is left; the build reads the right exchange whole, the probe its partitions.
    EXPECT_EQ(join.child(0).name(), "Exchange");
    ASSERT_EQ(join.child(1).name(), "AdaptiveShuffleRead");
    EXPECT_EQ(join.child(1).num_partitions(), 1);
    EXPECT_EQ(join.child(0).num_partitions(), 4);
  }
  // RIGHT joins build the small left input only: here the left is large, so no switch.
  PhysicalOperatorPtr right = MergeJoinPlan(JoinType::kRight);
  const auto right_rows = RunPlan(right, s, true);
  EXPECT_EQ(right->name(), "SortMergeJoin");
  // Below the threshold for both: no switch either way when broadcast is off.
  s.set_broadcast_threshold(-1);
  PhysicalOperatorPtr off = MergeJoinPlan(JoinType::kInner);
  RunPlan(off, s, true);
  EXPECT_EQ(off->name(), "SortMergeJoin");
}

// A RIGHT join whose left input is small is broadcast as a swapped LEFT join: a Project
// puts the columns back in left, right order.
TEST(AdaptivePlannerTest, SwapsTheInputsToBuildASmallLeftSide) {
  Settings s = BaseSettings();
  s.set_broadcast_threshold(10000);
  const auto plan = [] {
    Schema out =
        MakeSchema({TypeId::kInteger, TypeId::kInteger, TypeId::kInteger, TypeId::kInteger});
    return std::make_unique<SortMergeJoin>(SortedInput(JoinRightRows(), 4),
                                           SortedInput(JoinLeftRows(), 4), JoinType::kRight,
                                           std::vector<int>{0}, std::vector<int>{0}, nullptr, out);
  };
  PhysicalOperatorPtr merge = plan();
  const auto expected = RunPlan(merge, s, false);
  PhysicalOperatorPtr root = plan();
  EXPECT_EQ(RunPlan(root, s, true), expected);
  ASSERT_EQ(root->name(), "Project");
  ASSERT_EQ(root->child().name(), "HashJoin");
  EXPECT_EQ(static_cast<const HashJoin&>(root->child()).type(), JoinType::kLeft);
}

// A map stage's partitioned join with one hot key: its partition is read in slices, each
// joined with a copy of the other side's partition; the rows are the same.
TEST(AdaptivePlannerTest, SplitsASkewedJoinPartitionInAMapStage) {
  Settings s = BaseSettings();
  s.set_skew_factor(2);
  s.set_skew_threshold(1);
  s.set_broadcast_threshold(-1);
  const auto plan = [] {
    std::vector<Row> left;
    for (int i = 0; i < 4000; i++) {
      left.push_back({Value::Integer(i % 4 == 0 ? i % 40 : 7), Value::Integer(i)});
    }
    std::vector<Row> right;
    for (int i = 0; i < 40; i++) right.push_back({Value::Integer(i), Value::Integer(-i)});
    const auto exchanged = [](const std::vector<Row>& rows) {
      return std::make_unique<Exchange>(Source(kJoinTypes, {MakeBatches(kJoinTypes, rows, 500)}),
                                        Partitioning::Hash({0}, 4));
    };
    Schema out =
        MakeSchema({TypeId::kInteger, TypeId::kInteger, TypeId::kInteger, TypeId::kInteger});
    auto join = std::make_unique<HashJoin>(exchanged(left), exchanged(right), JoinType::kInner,
                                           std::vector<int>{0}, std::vector<int>{0}, nullptr,
                                           JoinDistribution::kPartitioned, out);
    return std::make_unique<Exchange>(std::move(join), Partitioning::Single());
  };
  PhysicalOperatorPtr plain = plan();
  const auto expected = RunPlan(plain, s, false);
  ASSERT_EQ(expected.size(), 4000u);
  for (int threads : {1, 3}) {
    PhysicalOperatorPtr root = plan();
    EXPECT_EQ(RunPlan(root, s, true, threads), expected);
    const PhysicalOperator& join = root->child();
    ASSERT_EQ(join.name(), "HashJoin");
    ASSERT_EQ(join.child(0).name(), "AdaptiveShuffleRead");
    ASSERT_EQ(join.child(1).name(), "AdaptiveShuffleRead");
    const auto& left = static_cast<const AdaptiveShuffleRead&>(join.child(0));
    EXPECT_EQ(left.kind(), AdaptiveShuffleRead::Kind::kSkewSplit);
    EXPECT_GT(join.num_partitions(), 4);
    EXPECT_EQ(join.child(1).num_partitions(), join.num_partitions());
    EXPECT_NE(left.details().find("sub-partitions"), std::string::npos) << left.details();
  }
}

TEST(AdaptivePlannerTest, GroupAndSplitCountsArePureFunctionsOfTheBytes) {
  EXPECT_EQ(CoalescePartitionGroups({10, 10, 10, 10}, 25), (std::vector<int>{0, 2}));
  EXPECT_EQ(CoalescePartitionGroups({5, 50, 0, 5, 0}, 20), (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(SkewSplitCounts({10, 10, 100, 10}, 5, 1, 16), (std::vector<int>{1, 1, 10, 1}));
  EXPECT_EQ(SkewSplitCounts({10, 10, 100, 10}, 5, 1000, 16), (std::vector<int>{1, 1, 1, 1}));
}

TEST(HotKeysTest, AKeyIsHotOverTheFractionAndTheRowFloor) {
  ExchangeStats stats;
  stats.rows = {600, 300, 100};
  stats.heavy_keys = {{11, 500}, {22, 150}, {33, 90}};
  EXPECT_EQ(HotKeys(stats, 0.1, 100), (std::vector<HeavyHitters::Entry>{{11, 500}, {22, 150}}));
  EXPECT_EQ(HotKeys(stats, 0.2, 100), (std::vector<HeavyHitters::Entry>{{11, 500}}));
  EXPECT_TRUE(HotKeys(stats, 0.1, 1000).empty());
  stats.heavy_keys.clear();
  EXPECT_TRUE(HotKeys(stats, 0.1, 1).empty());
}

}  // namespace
}  // namespace sluice
