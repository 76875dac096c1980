#include "exec/sort.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "tests/exec/test_util.h"

namespace sluice {
namespace {

using exec_test::MakeBatches;
using exec_test::Row;
using exec_test::RunOperator;
using exec_test::Source;

// (a INTEGER, s VARCHAR, d DOUBLE, w DECIMAL(30,2), id BIGINT); id is the input position.
const std::vector<LogicalType> kTypes = {TypeId::kInteger, TypeId::kVarchar, TypeId::kDouble,
                                         LogicalType::Decimal(30, 2), TypeId::kBigInt};

std::vector<Row> MakeRows(int n) {
  std::vector<Row> rows;
  const std::string long_prefix = "shared long prefix ";
  for (int i = 0; i < n; i++) {
    const int h = (i * 7919 + 13) % 1000;
    rows.push_back({h % 10 == 0 ? Value::Null(TypeId::kInteger) : Value::Integer(h % 37 - 18),
                    h % 9 == 0 ? Value::Null(TypeId::kVarchar)
                               : Value::Varchar((h % 2 ? long_prefix : "") + std::to_string(h % 23)),
                    Value::Double(h % 5 == 0 ? -0.0 : (h % 7) * 0.5 - 1),
                    Value::Decimal(static_cast<int128_t>(h % 50 - 25) * 1000000000000LL, 30, 2),
                    Value::BigInt(i)});
  }
  return rows;
}

// SQL order of two values of one key.
int CompareValue(const Value& a, const Value& b, const SortKey& key) {
  if (a.is_null() || b.is_null()) {
    if (a.is_null() && b.is_null()) return 0;
    return a.is_null() == key.nulls_first ? -1 : 1;
  }
  int c = 0;
  switch (a.type().id()) {
    case TypeId::kVarchar: c = a.GetString().compare(b.GetString()); break;
    case TypeId::kDouble: c = a.GetDouble() < b.GetDouble() ? -1 : (b.GetDouble() < a.GetDouble()); break;
    case TypeId::kDecimal: c = a.GetDecimal() < b.GetDecimal() ? -1 : (b.GetDecimal() < a.GetDecimal()); break;
    default: c = a.GetInt() < b.GetInt() ? -1 : (b.GetInt() < a.GetInt());
  }
  c = c < 0 ? -1 : (c > 0 ? 1 : 0);
  return key.ascending ? c : -c;
}

std::vector<Row> Reference(std::vector<Row> rows, const std::vector<SortKey>& keys,
                           std::optional<int64_t> limit = std::nullopt) {
  std::stable_sort(rows.begin(), rows.end(), [&](const Row& x, const Row& y) {
    for (const auto& k : keys) {
      const int c = CompareValue(x[k.column], y[k.column], k);
      if (c != 0) return c < 0;
    }
    return false;
  });
  if (limit.has_value() && rows.size() > static_cast<size_t>(*limit)) rows.resize(*limit);
  return rows;
}

std::vector<int64_t> Ids(const std::vector<Row>& rows) {
  std::vector<int64_t> ids;
  for (const auto& r : rows) ids.push_back(r[4].GetInt());
  return ids;
}

std::unique_ptr<Sort> MakeSort(const std::vector<Row>& rows, std::vector<SortKey> keys,
                               std::optional<int64_t> limit = std::nullopt) {
  return std::make_unique<Sort>(Source(kTypes, {MakeBatches(kTypes, rows, 1500)}),
                                std::move(keys), limit);
}

TEST(SortTest, MultiKeyEveryDirectionAndNullPlacement) {
  const auto rows = MakeRows(5000);
  for (bool asc0 : {true, false}) {
    for (bool nf0 : {true, false}) {
      for (bool asc1 : {true, false}) {
        for (bool nf1 : {true, false}) {
          std::vector<SortKey> keys = {{0, asc0, nf0}, {1, asc1, nf1}};
          auto sort = MakeSort(rows, keys);
          auto result = RunOperator(*sort, 2);
          ASSERT_EQ(Ids(result.rows), Ids(Reference(rows, keys)))
              << asc0 << nf0 << asc1 << nf1;
          for (size_t b : result.batch_sizes) EXPECT_LE(b, kBatchSize);
        }
      }
    }
  }
}

TEST(SortTest, VarcharFirstKeyAndDoublesAndWideDecimals) {
  const auto rows = MakeRows(3000);
  for (const auto& keys : std::vector<std::vector<SortKey>>{
           {{1, true, false}, {2, false, false}},
           {{2, true, false}},
           {{3, false, true}, {0, true, false}},
           {{1, false, true}}}) {
    auto sort = MakeSort(rows, keys);
    EXPECT_EQ(Ids(RunOperator(*sort, 1).rows), Ids(Reference(rows, keys)));
  }
}

TEST(SortTest, StableForTies) {
  const auto rows = MakeRows(2049);
  auto sort = MakeSort(rows, {{2, true, false}});
  auto ids = Ids(RunOperator(*sort, 1).rows);
  EXPECT_EQ(ids, Ids(Reference(rows, {{2, true, false}})));
  EXPECT_EQ(ids.size(), 2049u);
}

TEST(SortTest, ParallelMergeMatchesSingleThread) {
  const auto rows = MakeRows(100000);
  std::vector<SortKey> keys = {{0, false, false}, {1, true, true}};
  auto one = MakeSort(rows, keys);
  auto four = MakeSort(rows, keys);
  auto r1 = RunOperator(*one, 1);
  auto r4 = RunOperator(*four, 4);
  EXPECT_EQ(Ids(r1.rows), Ids(r4.rows));
  EXPECT_EQ(Ids(r1.rows), Ids(Reference(rows, keys)));
}

TEST(SortTest, TopN) {
  const auto rows = MakeRows(50000);
  std::vector<SortKey> keys = {{1, true, false}, {0, false, true}};
  for (int64_t limit : {0, 1, 10, 2049, 40000, 60000}) {
    auto sort = MakeSort(rows, keys, limit);
    EXPECT_EQ(sort->name(), "TopN");
    auto result = RunOperator(*sort, 2);
    EXPECT_EQ(Ids(result.rows), Ids(Reference(rows, keys, limit))) << limit;
  }
}

TEST(SortTest, EachPartitionSortedSeparatelyAndEmptyInput) {
  const auto rows = MakeRows(1000);
  auto sort = std::make_unique<Sort>(
      Source(kTypes, {MakeBatches(kTypes, {rows.begin(), rows.begin() + 500}), {},
                      MakeBatches(kTypes, {rows.begin() + 500, rows.end()})}),
      std::vector<SortKey>{{4, false, false}}, std::nullopt);
  EXPECT_EQ(sort->name(), "Sort");
  auto ids = Ids(RunOperator(*sort, 2).rows);
  ASSERT_EQ(ids.size(), 1000u);
  EXPECT_EQ(ids[0], 499);
  EXPECT_EQ(ids[500], 999);
}

}  // namespace
}  // namespace sluice
