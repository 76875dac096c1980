// Operators under a memory limit they cannot fit in spill instead of failing, also when the
// budget is held by other consumers, and the tracked peak stays within the limit: the sort
// (a refused reservation spills its run), the external merge (passes of bounded fan-in) and
// the sort-merge join over sorts over exchanges, a global aggregate above them (Sluice issue
// 10, item 5).

#include <gtest/gtest.h>

#include <algorithm>

#include "exec/exchange.h"
#include "exec/external_merge.h"
#include "exec/hash_aggregate.h"
#include "exec/hash_join.h"
#include "exec/sort.h"
#include "exec/sort_merge_join.h"
#include "shuffle/spill_file.h"
#include "shuffle/temp_directory.h"
#include "tests/exec/spill_test_util.h"
#include "tests/exec/test_util.h"

namespace sluice {
namespace {

using exec_test::AggregateCall;
using exec_test::Canonical;
using exec_test::ColumnRef;
using exec_test::IsEmptyDir;
using exec_test::kNoLimit;
using exec_test::kTinyLimit;
using exec_test::MakeBatches;
using exec_test::MakeSchema;
using exec_test::Row;
using exec_test::RunSpilling;
using exec_test::SpillRun;
using exec_test::Source;
using exec_test::TestTempDir;

namespace fs = std::filesystem;

// (k BIGINT, tag BIGINT, s VARCHAR): row i has key (i * 7919) % keys, tag i.
const std::vector<LogicalType> kTypes = {TypeId::kBigInt, TypeId::kBigInt, TypeId::kVarchar};

std::vector<Row> MakeRows(int64_t n, int64_t keys) {
  std::vector<Row> rows;
  for (int64_t i = 0; i < n; i++) {
    const int64_t k = (i * 7919) % keys;
    rows.push_back({Value::BigInt(k), Value::BigInt(i),
                    Value::Varchar("payload long enough for the heap " + std::to_string(k))});
  }
  return rows;
}

std::vector<std::vector<Batch>> RoundRobin(const std::vector<Row>& rows, int partitions) {
  std::vector<std::vector<Row>> parts(partitions);
  for (size_t i = 0; i < rows.size(); i++) parts[i % partitions].push_back(rows[i]);
  std::vector<std::vector<Batch>> out;
  for (const auto& p : parts) out.push_back(MakeBatches(kTypes, p, 1024));
  return out;
}

// The tags (column 1) of `rows` in order: with ties in the key, this checks stability.
std::vector<int64_t> Tags(const std::vector<Row>& rows) {
  std::vector<int64_t> tags;
  for (const auto& r : rows) tags.push_back(r[1].GetInt());
  return tags;
}

// Holds most of a budget for the lifetime of a test, like other queries' operators would.
class HeldElsewhere {
 public:
  HeldElsewhere(MemoryManager* memory, int64_t leave) : memory_(memory) {
    bytes_ = memory->limit() - leave;
    EXPECT_TRUE(memory->TryReserve(bytes_));
  }
  ~HeldElsewhere() { memory_->Release(bytes_); }

 private:
  MemoryManager* memory_;
  int64_t bytes_ = 0;
};

// Regression: a sort that could not reserve even one batch after spilling what it held
// failed with "sort needs ... more" (the forced sort-merge join of issue 10 died this way).
TEST(MemoryLimitTest, SortWithTheBudgetHeldElsewhereSpillsInsteadOfFailing) {
  const fs::path dir = TestTempDir();
  const auto rows = MakeRows(60000, 5000);
  Sort want_op(Source(kTypes, {MakeBatches(kTypes, rows, 1024)}), {{0, true, false}},
               std::nullopt);
  const SpillRun want = RunSpilling(want_op, kNoLimit, dir);
  {
    MemoryManager memory(kTinyLimit);
    const HeldElsewhere held(&memory, 1000);
    ThreadPool pool(2);
    Settings settings;
    settings.set_temp_directory(dir.string());
    ExecContext ctx(settings, &memory, &pool);
    Sort op(Source(kTypes, {MakeBatches(kTypes, rows, 1024)}), {{0, true, false}}, std::nullopt);
    op.set_id(0);
    op.children()[0]->set_id(1);
    std::vector<Row> got;
    auto stream = ctx.Execute(op, 0);
    Batch b;
    while (stream->Next(&b)) {
      for (size_t r = 0; r < b.num_rows(); r++) got.push_back(b.GetRow(r));
    }
    EXPECT_GT(ctx.metrics(0).spilled_bytes.load(), 0);
    EXPECT_EQ(Tags(got), Tags(want.rows));
    EXPECT_LE(memory.peak(), kTinyLimit);
  }
  EXPECT_TRUE(IsEmptyDir(dir));
  fs::remove_all(dir);
}

// Regression: a global aggregate (one group) reserved a whole chunk of group states and
// failed with "hash aggregate states needs ... more" above a join that spilled under a
// budget held by others.
TEST(MemoryLimitTest, GlobalAggregateNeedsNoReservation) {
  const auto rows = MakeRows(10000, 100);
  MemoryManager memory(kTinyLimit);
  const HeldElsewhere held(&memory, 1000);
  ThreadPool pool(1);
  Settings settings;
  ExecContext ctx(settings, &memory, &pool);
  std::vector<ExprPtr> aggs = {AggregateCall("count_star", {}),
                               AggregateCall("sum", {ColumnRef(1, TypeId::kBigInt)})};
  Schema out = MakeSchema({aggs[0]->type, aggs[1]->type});
  HashAggregate op(Source(kTypes, {MakeBatches(kTypes, rows, 1024)}), {}, std::move(aggs),
                   AggregateMode::kSingle, out);
  op.set_id(0);
  op.children()[0]->set_id(1);
  auto stream = ctx.Execute(op, 0);
  Batch b;
  ASSERT_TRUE(stream->Next(&b));
  EXPECT_EQ(b.GetRow(0)[0].GetInt(), 10000);
  EXPECT_EQ(b.GetRow(0)[1].GetInt(), int64_t{9999} * 10000 / 2);
}

// 40 runs with room for the buffers of only a few: merged in passes, still stable.
TEST(MemoryLimitTest, ExternalMergeOfManyRunsMergesInPassesWithinTheBudget) {
  const fs::path dir = TestTempDir();
  const auto rows = MakeRows(40 * 2000, 3000);
  std::vector<Row> sorted = rows;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const Row& a, const Row& b) { return a[0].GetInt() < b[0].GetInt(); });
  for (std::optional<int64_t> limit : {std::optional<int64_t>(), std::optional<int64_t>(5000)}) {
    TempDirectory temp(dir.string());
    std::vector<std::unique_ptr<SpillFile>> runs;
    for (size_t first = 0; first < rows.size(); first += 2000) {
      std::vector<Row> run(rows.begin() + static_cast<std::ptrdiff_t>(first),
                           rows.begin() + static_cast<std::ptrdiff_t>(first + 2000));
      std::stable_sort(run.begin(), run.end(),
                       [](const Row& a, const Row& b) { return a[0].GetInt() < b[0].GetInt(); });
      runs.push_back(std::make_unique<SpillFile>(temp.NewPath("run"), kTypes));
      for (const auto& b : MakeBatches(kTypes, run, 500)) runs.back()->Write(b);
    }
    const int64_t batch_bytes = runs[0]->max_batch_bytes();
    ASSERT_GT(batch_bytes, 0);
    // Room for the buffers of four runs: more than one pass over 40 runs.
    MemoryManager memory(3 * batch_bytes * 4 + 100);
    std::atomic<int64_t> spilled{0};
    ExternalMerge merge(std::move(runs), {{0, true, false}}, kTypes, limit, &memory, &temp,
                        &spilled);
    std::vector<Row> got;
    Batch b;
    while (merge.Next(&b)) {
      for (size_t r = 0; r < b.num_rows(); r++) got.push_back(b.GetRow(r));
    }
    EXPECT_GE(merge.passes(), 2);
    EXPECT_GT(spilled.load(), 0);
    EXPECT_LE(memory.peak(), memory.limit());
    std::vector<Row> want = sorted;
    if (limit.has_value()) want.resize(static_cast<size_t>(*limit));
    EXPECT_EQ(Tags(got), Tags(want));
  }
  EXPECT_TRUE(IsEmptyDir(dir));
  fs::remove_all(dir);
}

// The forced sort-merge join of issue 10 in small: both sides hash-exchanged (retained for
// task retries, as the scheduler runs them) and sorted, at a limit far below their size.
Schema JoinSchema() {
  std::vector<LogicalType> out = kTypes;
  out.insert(out.end(), kTypes.begin(), kTypes.end());
  return MakeSchema(out);
}

PhysicalOperatorPtr Exchanged(const std::vector<Row>& rows) {
  return std::make_unique<Exchange>(Source(kTypes, RoundRobin(rows, 3)),
                                    Partitioning::Hash({0}, 8));
}

TEST(MemoryLimitTest, SortMergeJoinSpillsUnderATinyLimitWithTheHashJoinAnswer) {
  const fs::path dir = TestTempDir();
  const auto left = MakeRows(60000, 60000);    // unique keys
  const auto right = MakeRows(150000, 75000);  // two rows per key, half unmatched
  HashJoin hash(Exchanged(left), Exchanged(right), JoinType::kInner, {0}, {0}, nullptr,
                JoinDistribution::kPartitioned, JoinSchema());
  const SpillRun want = RunSpilling(hash, kNoLimit, dir);
  ASSERT_EQ(want.rows.size(), 120000u);
  auto sorted = [](const std::vector<Row>& rows) {
    return std::make_unique<Sort>(Exchanged(rows), std::vector<SortKey>{{0, true, false}},
                                  std::nullopt);
  };
  SortMergeJoin merge(sorted(left), sorted(right), JoinType::kInner, {0}, {0}, nullptr,
                      JoinSchema());
  const int64_t limit = int64_t{2} << 20;
  const SpillRun got = RunSpilling(merge, limit, dir);
  EXPECT_GT(got.spilled_bytes, 0);
  EXPECT_LE(got.peak, limit);
  EXPECT_EQ(Canonical(got.rows), Canonical(want.rows));
  EXPECT_TRUE(IsEmptyDir(dir));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace sluice
