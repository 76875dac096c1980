#include "exec/window.h"

#include <gtest/gtest.h>

#include <map>

#include "exec/window_segment_tree.h"
#include "expr/aggregate_function.h"
#include "tests/exec/test_util.h"

namespace sluice {
namespace {

using exec_test::MakeBatches;
using exec_test::Row;
using exec_test::RunOperator;
using exec_test::Source;

// (g INTEGER, o INTEGER, x BIGINT) with many ties and NULLs.
const std::vector<LogicalType> kTypes = {TypeId::kInteger, TypeId::kInteger, TypeId::kBigInt};

std::vector<Row> MakeRows(int n) {
  std::vector<Row> rows;
  for (int i = 0; i < n; i++) {
    const int h = (i * 7919 + 17) % 1009;
    rows.push_back({Value::Integer(h % 13),
                    h % 11 == 0 ? Value::Null(TypeId::kInteger) : Value::Integer(h % 29),
                    h % 7 == 0 ? Value::Null(TypeId::kBigInt) : Value::BigInt(h % 100 - 50)});
  }
  return rows;
}

WindowFunction Ranking(WindowFunctionKind kind) {
  WindowFunction fn;
  fn.kind = kind;
  fn.type = TypeId::kBigInt;
  return fn;
}

// Order within a window partition: o ascending, NULLs last.
bool OrderLess(const Row& a, const Row& b) {
  if (a[1].is_null() != b[1].is_null()) return b[1].is_null();
  return !a[1].is_null() && a[1].GetInt() < b[1].GetInt();
}

TEST(WindowOperatorTest, RankingMatchesReference) {
  const std::vector<Row> rows = MakeRows(5000);
  auto source = Source(kTypes, {MakeBatches(kTypes, rows, 777)});
  Schema schema = source->schema();
  for (const char* name : {"rn", "rank", "dense"}) schema.Add(Field{name, TypeId::kBigInt, true, ""});
  WindowOperator op(std::move(source), {0}, {SortKey{1, true, false}},
                    {Ranking(WindowFunctionKind::kRowNumber), Ranking(WindowFunctionKind::kRank),
                     Ranking(WindowFunctionKind::kDenseRank)},
                    schema);
  const auto result = RunOperator(op, 2);
  ASSERT_EQ(result.rows.size(), rows.size());

  // Reference: per partition, count rows (and distinct keys) ordered before each row.
  std::map<int64_t, std::vector<Row>> partitions;
  for (const auto& r : rows) partitions[r[0].GetInt()].push_back(r);
  int64_t previous_g = -1;
  int64_t row_number = 0;
  for (const auto& out : result.rows) {
    const int64_t g = out[0].GetInt();
    EXPECT_GE(g, previous_g) << "window partitions come out in key order";
    row_number = g == previous_g ? row_number + 1 : 1;
    previous_g = g;
    const auto& part = partitions[g];
    int64_t less = 0;
    std::vector<Row> distinct_less;
    for (const auto& r : part) {
      if (!OrderLess(r, out)) continue;
      less++;
      bool seen = false;
      for (const auto& d : distinct_less) seen |= !OrderLess(d, r) && !OrderLess(r, d);
      if (!seen) distinct_less.push_back(r);
    }
    EXPECT_EQ(out[3].GetInt(), row_number);
    EXPECT_EQ(out[4].GetInt(), less + 1);
    EXPECT_EQ(out[5].GetInt(), static_cast<int64_t>(distinct_less.size()) + 1);
  }
}

TEST(WindowOperatorTest, EmptyInputGivesNoRows) {
  auto source = Source(kTypes, {{}});
  Schema schema = source->schema();
  schema.Add(Field{"rn", TypeId::kBigInt, true, ""});
  WindowOperator op(std::move(source), {0}, {}, {Ranking(WindowFunctionKind::kRowNumber)}, schema);
  EXPECT_TRUE(RunOperator(op, 1).rows.empty());
}

// The segment tree against a direct loop, for random frames and several aggregates.
TEST(WindowSegmentTreeTest, MatchesDirectAggregation) {
  const std::vector<Row> rows = MakeRows(3000);
  const Batch batch = exec_test::MakeBatch(kTypes, rows);
  const ColumnPtr x = batch.column(2);
  std::vector<uint32_t> begin, end;
  for (size_t i = 0; i < rows.size(); i++) {
    const uint32_t a = static_cast<uint32_t>((i * 31 + 7) % rows.size());
    const uint32_t len = static_cast<uint32_t>((i * 17) % 300);
    begin.push_back(i % 5 == 0 ? 0 : a);
    end.push_back(std::min<uint32_t>(static_cast<uint32_t>(rows.size()), begin.back() + len));
  }
  for (const char* name : {"sum", "min", "max", "count", "count_star"}) {
    SCOPED_TRACE(name);
    const bool star = std::string(name) == "count_star";
    auto fn = MakeAggregateFunction(name, star ? std::vector<LogicalType>{}
                                               : std::vector<LogicalType>{TypeId::kBigInt},
                                    false);
    ASSERT_NE(fn, nullptr);
    WindowSegmentTree tree(*fn, star ? std::vector<ColumnPtr>{} : std::vector<ColumnPtr>{x},
                           rows.size(), nullptr);
    const ColumnPtr out = tree.Evaluate(begin.data(), end.data(), rows.size());
    for (size_t i = 0; i < rows.size(); i++) {
      int64_t sum = 0, count = 0, all = 0, lo = INT64_MAX, hi = INT64_MIN;
      for (uint32_t j = begin[i]; j < end[i]; j++) {
        all++;
        if (rows[j][2].is_null()) continue;
        const int64_t v = rows[j][2].GetInt();
        sum += v;
        count++;
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
      const Value got = out->GetValue(i);
      const std::string n = name;
      if (n == "count_star") {
        EXPECT_EQ(got.GetInt(), all);
      } else if (n == "count") {
        EXPECT_EQ(got.GetInt(), count);
      } else if (count == 0) {
        EXPECT_TRUE(got.is_null()) << i;
      } else if (n == "sum") {
        EXPECT_EQ(got.CastTo(TypeId::kBigInt).GetInt(), sum) << i;
      } else {
        EXPECT_EQ(got.GetInt(), n == "min" ? lo : hi) << i;
      }
    }
  }
}

}  // namespace
}  // namespace sluice
