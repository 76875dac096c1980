#include "exec/hash_aggregate.h"

#include <gtest/gtest.h>

#include <map>

#include "expr/aggregate_function.h"
#include "tests/exec/test_util.h"

namespace sluice {
namespace {

using exec_test::AggregateCall;
using exec_test::Canonical;
using exec_test::ColumnRef;
using exec_test::MakeBatches;
using exec_test::MakeSchema;
using exec_test::Row;
using exec_test::RunOperator;
using exec_test::Source;

const std::vector<LogicalType> kInputTypes = {TypeId::kInteger, TypeId::kVarchar,
                                              TypeId::kBigInt};

// Rows (k INTEGER, s VARCHAR, v BIGINT) with `keys` distinct k, some NULL k and v.
std::vector<Row> MakeRows(int n, int keys) {
  std::vector<Row> rows;
  for (int i = 0; i < n; i++) {
    const int k = (i * 7919) % keys;
    rows.push_back({k == 3 ? Value::Null(TypeId::kInteger) : Value::Integer(k),
                    Value::Varchar("key number " + std::to_string(k % 50) + " padded out"),
                    i % 11 == 0 ? Value::Null(TypeId::kBigInt) : Value::BigInt(i)});
  }
  return rows;
}

std::vector<ExprPtr> Groups() { return {ColumnRef(0, TypeId::kInteger)}; }
std::vector<ExprPtr> Aggregates() {
  return {AggregateCall("count_star", {}), AggregateCall("sum", {ColumnRef(2, TypeId::kBigInt)}),
          AggregateCall("min", {ColumnRef(1, TypeId::kVarchar)}),
          AggregateCall("avg", {ColumnRef(2, TypeId::kBigInt)})};
}

Schema OutputSchema(const std::vector<ExprPtr>& groups, const std::vector<ExprPtr>& aggs,
                    AggregateMode mode) {
  std::vector<LogicalType> types;
  for (const auto& g : groups) types.push_back(g->type);
  for (const auto& a : aggs) {
    if (mode == AggregateMode::kPartial) {
      for (const auto& t : a->aggregate->state_types()) types.push_back(t);
    } else {
      types.push_back(a->aggregate->result_type());
    }
  }
  return MakeSchema(types);
}

std::unique_ptr<HashAggregate> MakeAggregate(PhysicalOperatorPtr child, AggregateMode mode,
                                             std::vector<ExprPtr> groups = Groups(),
                                             std::vector<ExprPtr> aggs = Aggregates()) {
  Schema schema = OutputSchema(groups, aggs, mode);
  return std::make_unique<HashAggregate>(std::move(child), std::move(groups), std::move(aggs),
                                         mode, std::move(schema));
}

TEST(HashAggregateTest, SingleModeMatchesReference) {
  const auto rows = MakeRows(2049, 40);
  auto op = MakeAggregate(Source(kInputTypes, {MakeBatches(kInputTypes, rows, 700)}),
                          AggregateMode::kSingle);
  auto result = RunOperator(*op, 1);
  std::map<std::string, std::pair<int64_t, int64_t>> expected;  // key -> (count, sum)
  for (const auto& r : rows) {
    auto& e = expected[r[0].ToString()];
    e.first++;
    if (!r[2].is_null()) e.second += r[2].GetInt();
  }
  ASSERT_EQ(result.rows.size(), expected.size());
  for (const auto& r : result.rows) {
    const auto& e = expected.at(r[0].ToString());
    EXPECT_EQ(r[1].GetInt(), e.first);
    EXPECT_EQ(r[2].GetInt(), e.second);
  }
  EXPECT_EQ(result.rows[0][0].GetInt(), 0);  // groups in first-seen order
}

TEST(HashAggregateTest, PartialThenFinalEqualsSingle) {
  const auto rows = MakeRows(10000, 300);
  std::vector<std::vector<Batch>> parts = {MakeBatches(kInputTypes, {rows.begin(), rows.begin() + 4000}),
                                           MakeBatches(kInputTypes, {rows.begin() + 4000, rows.end()}),
                                           {}};
  auto partial = MakeAggregate(Source(kInputTypes, parts), AggregateMode::kPartial);
  const Schema partial_schema = partial->schema();
  auto partial_result = RunOperator(*partial, 2);
  std::vector<LogicalType> partial_types;
  for (const auto& f : partial_schema.fields()) partial_types.push_back(f.type);
  auto final_op = MakeAggregate(Source(partial_types, {MakeBatches(partial_types, partial_result.rows)}),
                                AggregateMode::kFinal);
  auto final_result = RunOperator(*final_op, 2);
  auto single = MakeAggregate(Source(kInputTypes, {MakeBatches(kInputTypes, rows)}),
                              AggregateMode::kSingle);
  EXPECT_EQ(Canonical(final_result.rows), Canonical(RunOperator(*single, 1).rows));
  EXPECT_FALSE(partial->is_wide());
  EXPECT_TRUE(final_op->is_wide());
}

TEST(HashAggregateTest, NoGroupsGivesOneRowEvenForEmptyInput) {
  auto op = MakeAggregate(Source(kInputTypes, {{}}), AggregateMode::kSingle, {}, Aggregates());
  auto result = RunOperator(*op, 1);
  ASSERT_EQ(result.rows.size(), 1u);
  EXPECT_EQ(result.rows[0][0].GetInt(), 0);
  EXPECT_TRUE(result.rows[0][1].is_null());
  EXPECT_TRUE(result.rows[0][2].is_null());

  const auto rows = MakeRows(1, 5);
  auto one = MakeAggregate(Source(kInputTypes, {MakeBatches(kInputTypes, rows)}),
                           AggregateMode::kSingle, {}, Aggregates());
  auto one_result = RunOperator(*one, 1);
  ASSERT_EQ(one_result.rows.size(), 1u);
  EXPECT_EQ(one_result.rows[0][0].GetInt(), 1);
}

TEST(HashAggregateTest, NoGroupsPartialFinal) {
  const auto rows = MakeRows(3000, 5);
  auto partial = MakeAggregate(
      Source(kInputTypes, {MakeBatches(kInputTypes, rows), {}}), AggregateMode::kPartial, {},
      Aggregates());
  std::vector<LogicalType> types;
  for (const auto& f : partial->schema().fields()) types.push_back(f.type);
  auto partial_rows = RunOperator(*partial, 2).rows;
  ASSERT_EQ(partial_rows.size(), 2u);  // one per partition, the empty one included
  auto final_op = MakeAggregate(Source(types, {MakeBatches(types, partial_rows)}),
                                AggregateMode::kFinal, {}, Aggregates());
  auto result = RunOperator(*final_op, 1);
  ASSERT_EQ(result.rows.size(), 1u);
  EXPECT_EQ(result.rows[0][0].GetInt(), 3000);
}

TEST(HashAggregateTest, HundredThousandVarcharGroupsSameForAnyThreadCount) {
  std::vector<LogicalType> types = {TypeId::kVarchar, TypeId::kInteger};
  std::vector<std::vector<Batch>> parts(4);
  for (int p = 0; p < 4; p++) {
    std::vector<Row> rows;
    for (int i = 0; i < 60000; i++) {
      const int k = (i * 13 + p * 7) % 100000;
      rows.push_back({Value::Varchar((k % 2 ? "long group key #" : "g") + std::to_string(k)),
                      Value::Integer(i % 100)});
    }
    parts[p] = MakeBatches(types, rows, 2048);
  }
  auto make = [&] {
    return MakeAggregate(Source(types, parts), AggregateMode::kSingle,
                         {ColumnRef(0, TypeId::kVarchar)},
                         {AggregateCall("sum", {ColumnRef(1, TypeId::kInteger)}),
                          AggregateCall("count", {ColumnRef(1, TypeId::kInteger)}, true)});
  };
  auto op1 = make();
  auto op4 = make();
  auto r1 = RunOperator(*op1, 1);
  auto r4 = RunOperator(*op4, 4);
  EXPECT_EQ(r1.rows.size(), r4.rows.size());
  EXPECT_TRUE(r1.rows == r4.rows);
  for (size_t b : r4.batch_sizes) EXPECT_LE(b, kBatchSize);
  EXPECT_GT(r1.rows.size(), 4 * 50000u);  // each partition has its own groups
}

TEST(HashAggregateTest, DetailsNameTheMode) {
  auto op = MakeAggregate(Source(kInputTypes, {{}}), AggregateMode::kPartial);
  EXPECT_EQ(op->name(), "HashAggregate");
  EXPECT_NE(op->details().find("partial"), std::string::npos);
}

}  // namespace
}  // namespace sluice
