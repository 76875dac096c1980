#include "exec/sort_merge_join.h"

#include <gtest/gtest.h>

#include "exec/hash_join.h"
#include "exec/sort.h"
#include "tests/exec/test_util.h"

namespace sluice {
namespace {

using exec_test::Canonical;
using exec_test::ColumnRef;
using exec_test::MakeBatches;
using exec_test::MakeSchema;
using exec_test::Row;
using exec_test::RunOperator;
using exec_test::Source;

const std::vector<LogicalType> kTypes = exec_test::kJoinTypes;
const Value kNull = Value::Null(TypeId::kInteger);
std::vector<Row> LeftRows() { return exec_test::JoinLeftRows(); }
std::vector<Row> RightRows() { return exec_test::JoinRightRows(); }
ExprPtr Residual() { return exec_test::JoinResidualLess(); }

// Splits rows into `n` partitions by key (NULL keys in partition 0), as a hash exchange.
std::vector<std::vector<Batch>> Partition(const std::vector<Row>& rows, int n,
                                          size_t batch = 700) {
  std::vector<std::vector<Row>> parts(n);
  for (const auto& r : rows) parts[r[0].is_null() ? 0 : r[0].GetInt() % n].push_back(r);
  std::vector<std::vector<Batch>> out;
  for (const auto& p : parts) out.push_back(MakeBatches(kTypes, p, batch));
  return out;
}

Schema OutSchema(JoinType type) {
  std::vector<LogicalType> out = kTypes;
  if (type != JoinType::kSemi && type != JoinType::kAnti) out.insert(out.end(), kTypes.begin(), kTypes.end());
  return MakeSchema(out);
}

PhysicalOperatorPtr Sorted(std::vector<std::vector<Batch>> parts) {
  return std::make_unique<Sort>(Source(kTypes, std::move(parts)),
                                std::vector<SortKey>{SortKey{0, true, false}}, std::nullopt);
}

std::unique_ptr<SortMergeJoin> MakeMergeJoin(std::vector<std::vector<Batch>> left,
                                             std::vector<std::vector<Batch>> right, JoinType type,
                                             bool residual) {
  return std::make_unique<SortMergeJoin>(Sorted(std::move(left)), Sorted(std::move(right)), type,
                                         std::vector<int>{0}, std::vector<int>{0},
                                         residual ? Residual() : nullptr, OutSchema(type));
}

std::unique_ptr<HashJoin> MakeHashJoin(std::vector<std::vector<Batch>> left,
                                       std::vector<std::vector<Batch>> right, JoinType type,
                                       bool residual) {
  return std::make_unique<HashJoin>(Source(kTypes, std::move(left)), Source(kTypes, std::move(right)),
                                    type, std::vector<int>{0}, std::vector<int>{0},
                                    residual ? Residual() : nullptr,
                                    JoinDistribution::kPartitioned, OutSchema(type));
}

class SortMergeJoinTypeTest : public ::testing::TestWithParam<std::tuple<JoinType, bool>> {};

TEST_P(SortMergeJoinTypeTest, SameAnswerAsHashJoin) {
  const auto [type, residual] = GetParam();
  const auto left = LeftRows();
  const auto right = RightRows();
  auto hash = MakeHashJoin(Partition(left, 3), Partition(right, 3), type, residual);
  const auto expected = Canonical(RunOperator(*hash, 2).rows);
  ASSERT_FALSE(expected.empty());
  // Small batches so runs and the right buffer cross batch boundaries.
  for (size_t batch : {7u, 700u}) {
    auto merge = MakeMergeJoin(Partition(left, 3, batch), Partition(right, 3, batch), type,
                               residual);
    auto result = RunOperator(*merge, 2);
    EXPECT_EQ(Canonical(result.rows), expected) << "batch " << batch;
    for (size_t b : result.batch_sizes) EXPECT_LE(b, kBatchSize);
  }
}

INSTANTIATE_TEST_SUITE_P(
    AllTypes, SortMergeJoinTypeTest,
    ::testing::Combine(::testing::Values(JoinType::kInner, JoinType::kLeft, JoinType::kRight,
                                         JoinType::kFull, JoinType::kSemi, JoinType::kAnti),
                       ::testing::Bool()),
    [](const auto& info) {
      return ToString(std::get<0>(info.param)) + (std::get<1>(info.param) ? "_residual" : "");
    });

TEST(SortMergeJoinTest, CrossProductOfLongRunsIsSplitIntoBatches) {
  // 3000 x 5 rows share key 1: 15000 pairs, resumed across output batches.
  std::vector<Row> right(3000, Row{Value::Integer(1), Value::Integer(2)});
  right.push_back({Value::Integer(0), Value::Integer(0)});
  std::vector<Row> left(5, Row{Value::Integer(1), Value::Integer(0)});
  left.push_back({Value::Integer(9), Value::Integer(0)});
  for (JoinType type : {JoinType::kInner, JoinType::kLeft, JoinType::kRight, JoinType::kFull}) {
    auto join = MakeMergeJoin({MakeBatches(kTypes, left, 2)}, {MakeBatches(kTypes, right, 100)},
                              type, false);
    auto result = RunOperator(*join, 1);
    const size_t extra = (type == JoinType::kLeft || type == JoinType::kFull ? 1 : 0) +
                         (type == JoinType::kRight || type == JoinType::kFull ? 1 : 0);
    EXPECT_EQ(result.rows.size(), 15000u + extra) << ToString(type);
    for (size_t b : result.batch_sizes) EXPECT_LE(b, kBatchSize);
  }
}

TEST(SortMergeJoinTest, NullKeysNeverMatch) {
  std::vector<Row> left = {{kNull, Value::Integer(1)}, {Value::Integer(1), Value::Integer(2)}};
  std::vector<Row> right = {{kNull, Value::Integer(3)}, {Value::Integer(1), Value::Integer(4)}};
  auto inner = MakeMergeJoin({MakeBatches(kTypes, left)}, {MakeBatches(kTypes, right)},
                             JoinType::kInner, false);
  EXPECT_EQ(RunOperator(*inner, 1).rows.size(), 1u);
  auto full = MakeMergeJoin({MakeBatches(kTypes, left)}, {MakeBatches(kTypes, right)},
                            JoinType::kFull, false);
  EXPECT_EQ(RunOperator(*full, 1).rows.size(), 3u);
  auto anti = MakeMergeJoin({MakeBatches(kTypes, left)}, {MakeBatches(kTypes, right)},
                            JoinType::kAnti, false);
  EXPECT_EQ(RunOperator(*anti, 1).rows.size(), 1u);
}

TEST(SortMergeJoinTest, EmptySides) {
  const auto left = LeftRows();
  for (JoinType type : {JoinType::kInner, JoinType::kLeft, JoinType::kAnti, JoinType::kFull}) {
    auto join = MakeMergeJoin({MakeBatches(kTypes, left)}, {{}}, type, false);
    EXPECT_EQ(RunOperator(*join, 1).rows.size(), type == JoinType::kInner ? 0u : left.size());
    auto flipped = MakeMergeJoin({{}}, {MakeBatches(kTypes, left)}, type, false);
    EXPECT_EQ(RunOperator(*flipped, 1).rows.size(), type == JoinType::kFull ? left.size() : 0u);
  }
}

TEST(SortMergeJoinTest, VarcharAndMultiColumnKeys) {
  const std::vector<LogicalType> types = {TypeId::kVarchar, TypeId::kInteger};
  std::vector<Row> left, right;
  for (int i = 0; i < 300; i++) {
    const std::string s = (i % 2 ? "a rather long join key " : "k") + std::to_string(i % 10);
    left.push_back({Value::Varchar(s), Value::Integer(i % 3)});
    if (i < 90) right.push_back({Value::Varchar(s), Value::Integer(i % 3)});
  }
  const std::vector<SortKey> keys = {SortKey{0, true, false}, SortKey{1, true, false}};
  const Schema out = MakeSchema({TypeId::kVarchar, TypeId::kInteger, TypeId::kVarchar, TypeId::kInteger});
  auto join = std::make_unique<SortMergeJoin>(
      std::make_unique<Sort>(Source(types, {MakeBatches(types, left, 16)}), keys, std::nullopt),
      std::make_unique<Sort>(Source(types, {MakeBatches(types, right, 16)}), keys, std::nullopt),
      JoinType::kInner, std::vector<int>{0, 1}, std::vector<int>{0, 1}, nullptr, out);
  auto result = RunOperator(*join, 1);
  size_t expected = 0;
  for (const auto& l : left) {
    for (const auto& r : right) expected += (l[0] == r[0] && l[1] == r[1]) ? 1 : 0;
  }
  EXPECT_EQ(result.rows.size(), expected);
  for (const auto& r : result.rows) {
    EXPECT_EQ(r[0].GetString(), r[2].GetString());
    EXPECT_EQ(r[1].GetInt(), r[3].GetInt());
  }
}

TEST(SortMergeJoinTest, Explain) {
  auto join = MakeMergeJoin({{}}, {{}}, JoinType::kLeft, true);
  EXPECT_EQ(join->name(), "SortMergeJoin");
  // Keys are named by the columns of each side (c0 here), not by position.
  EXPECT_NE(join->details().find("LEFT [c0] = [c0] residual"), std::string::npos) << join->details();
  EXPECT_TRUE(join->is_wide());
}

}  // namespace
}  // namespace sluice
