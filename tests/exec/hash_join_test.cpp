#include "exec/hash_join.h"

#include <gtest/gtest.h>

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
std::vector<Row> ProbeRows() { return exec_test::JoinLeftRows(); }
std::vector<Row> BuildRows() { return exec_test::JoinRightRows(); }
ExprPtr Residual() { return exec_test::JoinResidualLess(); }

// Nested-loop reference with SQL semantics.
std::vector<Row> Reference(const std::vector<Row>& probe, const std::vector<Row>& build,
                           JoinType type, bool residual) {
  std::vector<Row> out;
  std::vector<bool> build_matched(build.size(), false);
  const Row null_build = {kNull, kNull};
  for (const auto& p : probe) {
    bool matched = false;
    for (size_t j = 0; j < build.size(); j++) {
      const auto& b = build[j];
      if (p[0].is_null() || b[0].is_null() || p[0].GetInt() != b[0].GetInt()) continue;
      if (residual && !(p[1].GetInt() < b[1].GetInt())) continue;
      matched = true;
      build_matched[j] = true;
      if (type != JoinType::kSemi && type != JoinType::kAnti) {
        out.push_back({p[0], p[1], b[0], b[1]});
      }
    }
    if ((type == JoinType::kSemi && matched) || (type == JoinType::kAnti && !matched)) {
      out.push_back(p);
    }
    if (!matched && (type == JoinType::kLeft || type == JoinType::kFull)) {
      out.push_back({p[0], p[1], kNull, kNull});
    }
  }
  if (type == JoinType::kRight || type == JoinType::kFull) {
    for (size_t j = 0; j < build.size(); j++) {
      if (!build_matched[j]) out.push_back({kNull, kNull, build[j][0], build[j][1]});
    }
  }
  return out;
}

// Splits rows into `n` partitions by key (NULL keys in partition 0), as a hash exchange.
std::vector<std::vector<Batch>> Partition(const std::vector<Row>& rows, int n) {
  std::vector<std::vector<Row>> parts(n);
  for (const auto& r : rows) parts[r[0].is_null() ? 0 : r[0].GetInt() % n].push_back(r);
  std::vector<std::vector<Batch>> out;
  for (const auto& p : parts) out.push_back(MakeBatches(kTypes, p, 700));
  return out;
}

std::unique_ptr<HashJoin> MakeJoin(std::vector<std::vector<Batch>> probe,
                                   std::vector<std::vector<Batch>> build, JoinType type,
                                   bool residual, JoinDistribution distribution) {
  std::vector<LogicalType> out_types = kTypes;
  if (type != JoinType::kSemi && type != JoinType::kAnti) {
    out_types.insert(out_types.end(), kTypes.begin(), kTypes.end());
  }
  return std::make_unique<HashJoin>(Source(kTypes, std::move(probe)),
                                    Source(kTypes, std::move(build)), type, std::vector<int>{0},
                                    std::vector<int>{0}, residual ? Residual() : nullptr,
                                    distribution, MakeSchema(out_types));
}

class JoinTypeTest : public ::testing::TestWithParam<std::tuple<JoinType, bool>> {};

TEST_P(JoinTypeTest, PartitionedMatchesReference) {
  const auto [type, residual] = GetParam();
  const auto probe = ProbeRows();
  const auto build = BuildRows();
  const auto expected = Canonical(Reference(probe, build, type, residual));
  auto join = MakeJoin(Partition(probe, 3), Partition(build, 3), type, residual,
                       JoinDistribution::kPartitioned);
  auto one = RunOperator(*join, 1);
  EXPECT_EQ(Canonical(one.rows), expected);
  auto again = MakeJoin(Partition(probe, 3), Partition(build, 3), type, residual,
                        JoinDistribution::kPartitioned);
  EXPECT_TRUE(RunOperator(*again, 4).rows == one.rows);  // same order for any thread count
  for (size_t b : one.batch_sizes) EXPECT_LE(b, kBatchSize);
}

TEST_P(JoinTypeTest, BroadcastMatchesPartitioned) {
  const auto [type, residual] = GetParam();
  if (type == JoinType::kRight || type == JoinType::kFull) GTEST_SKIP();
  const auto probe = ProbeRows();
  const auto build = BuildRows();
  auto broadcast = MakeJoin(Partition(probe, 3), {MakeBatches(kTypes, build, 300)}, type,
                            residual, JoinDistribution::kBroadcast);
  auto partitioned = MakeJoin(Partition(probe, 3), Partition(build, 3), type, residual,
                              JoinDistribution::kPartitioned);
  EXPECT_EQ(Canonical(RunOperator(*broadcast, 4).rows),
            Canonical(RunOperator(*partitioned, 2).rows));
}

INSTANTIATE_TEST_SUITE_P(
    AllTypes, JoinTypeTest,
    ::testing::Combine(::testing::Values(JoinType::kInner, JoinType::kLeft, JoinType::kRight,
                                         JoinType::kFull, JoinType::kSemi, JoinType::kAnti),
                       ::testing::Bool()),
    [](const auto& info) {
      return ToString(std::get<0>(info.param)) + (std::get<1>(info.param) ? "_residual" : "");
    });

TEST(HashJoinTest, BigFanOutIsSplitIntoBatches) {
  std::vector<Row> build(3000, Row{Value::Integer(1), Value::Integer(2)});
  std::vector<Row> probe(5, Row{Value::Integer(1), Value::Integer(0)});
  probe.push_back({Value::Integer(9), Value::Integer(0)});
  auto join = MakeJoin({MakeBatches(kTypes, probe)}, {MakeBatches(kTypes, build)},
                       JoinType::kLeft, false, JoinDistribution::kPartitioned);
  auto result = RunOperator(*join, 1);
  EXPECT_EQ(result.rows.size(), 15001u);
  for (size_t b : result.batch_sizes) EXPECT_LE(b, kBatchSize);
}

TEST(HashJoinTest, EmptyBuildSide) {
  const auto probe = ProbeRows();
  for (JoinType type : {JoinType::kInner, JoinType::kLeft, JoinType::kAnti}) {
    auto join = MakeJoin({MakeBatches(kTypes, probe)}, {{}}, type, false,
                         JoinDistribution::kBroadcast);
    EXPECT_EQ(RunOperator(*join, 2).rows.size(), type == JoinType::kInner ? 0u : probe.size());
  }
}

TEST(HashJoinTest, VarcharAndMultiColumnKeys) {
  const std::vector<LogicalType> types = {TypeId::kVarchar, TypeId::kInteger};
  std::vector<Row> probe, build;
  for (int i = 0; i < 100; i++) {
    const std::string s = (i % 2 ? "a rather long join key " : "k") + std::to_string(i % 10);
    probe.push_back({Value::Varchar(s), Value::Integer(i % 3)});
    if (i < 30) build.push_back({Value::Varchar(s), Value::Integer(i % 3)});
  }
  auto join = std::make_unique<HashJoin>(
      Source(types, {MakeBatches(types, probe)}), Source(types, {MakeBatches(types, build)}),
      JoinType::kInner, std::vector<int>{0, 1}, std::vector<int>{0, 1}, nullptr,
      JoinDistribution::kBroadcast,
      MakeSchema({TypeId::kVarchar, TypeId::kInteger, TypeId::kVarchar, TypeId::kInteger}));
  auto result = RunOperator(*join, 1);
  size_t expected = 0;
  for (const auto& p : probe) {
    for (const auto& b : build) expected += (p[0] == b[0] && p[1] == b[1]) ? 1 : 0;
  }
  EXPECT_EQ(result.rows.size(), expected);
  for (const auto& r : result.rows) EXPECT_EQ(r[0].GetString(), r[2].GetString());
}

TEST(HashJoinTest, Explain) {
  auto join = MakeJoin({{}}, {{}}, JoinType::kSemi, true, JoinDistribution::kBroadcast);
  EXPECT_EQ(join->name(), "HashJoin");
  EXPECT_NE(join->details().find("SEMI"), std::string::npos);
  EXPECT_NE(join->details().find("broadcast"), std::string::npos);
}

}  // namespace
}  // namespace sluice
