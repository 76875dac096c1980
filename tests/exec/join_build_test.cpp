// JoinBuildTable: the groups a probe finds must not depend on whether the build used the
// perfect-hash index (dense integer keys) or the hash table (sparse or wide keys).
#include "exec/join_build.h"

#include <gtest/gtest.h>

#include <map>

#include "tests/exec/test_util.h"

namespace sluice {
namespace {

using exec_test::MakeBatches;
using exec_test::MakeSchema;
using exec_test::Row;

const std::vector<LogicalType> kTypes = {TypeId::kBigInt, TypeId::kInteger};

std::unique_ptr<JoinBuildTable> Build(const std::vector<Row>& rows) {
  auto table = std::make_unique<JoinBuildTable>(MakeSchema(kTypes), std::vector<int>{0}, nullptr);
  VectorStream input(MakeBatches(kTypes, rows, 1000));
  table->Build(&input);
  return table;
}

// The payloads (column 1) of the build rows each probe key meets, in the table's order.
std::vector<std::vector<int64_t>> Matches(const JoinBuildTable& table, const ColumnPtr& keys,
                                          size_t n) {
  std::vector<uint32_t> groups(n);
  JoinBuildTable::ProbeScratch scratch;
  table.Probe({keys}, n, groups.data(), &scratch);
  const auto& payload = *table.columns()[1];
  std::vector<std::vector<int64_t>> out(n);
  for (size_t i = 0; i < n; i++) {
    if (groups[i] == KeyHashTable::kNoGroup) continue;
    for (uint32_t r = table.offsets()[groups[i]]; r < table.offsets()[groups[i] + 1]; r++) {
      out[i].push_back(payload.GetValue(table.rows()[r]).GetInt());
    }
  }
  return out;
}

// Build rows: key = f(i) (NULL every 11th row), payload i.
std::vector<Row> Rows(size_t n, int64_t (*key)(size_t)) {
  std::vector<Row> rows;
  for (size_t i = 0; i < n; i++) {
    rows.push_back({i % 11 == 5 ? Value::Null(TypeId::kBigInt) : Value::BigInt(key(i)),
                    Value::Integer(static_cast<int32_t>(i))});
  }
  return rows;
}

void ExpectMatchesReference(const std::vector<Row>& rows, const std::vector<int64_t>& probes) {
  std::map<int64_t, std::vector<int64_t>> reference;
  for (const auto& r : rows) {
    if (!r[0].is_null()) reference[r[0].GetInt()].push_back(r[1].GetInt());
  }
  auto table = Build(rows);
  auto keys = Column::Make(TypeId::kBigInt, probes.size());
  for (size_t i = 0; i < probes.size(); i++) keys->SetValue(i, Value::BigInt(probes[i]));
  keys->set_size(probes.size());
  const auto got = Matches(*table, keys, probes.size());
  for (size_t i = 0; i < probes.size(); i++) {
    auto it = reference.find(probes[i]);
    EXPECT_EQ(got[i], it == reference.end() ? std::vector<int64_t>{} : it->second)
        << "probe key " << probes[i];
  }
}

TEST(JoinBuildTableTest, DenseKeysWithDuplicatesAndNulls) {
  // 40000 rows over keys 1000..10999, several rows per key: the perfect-hash path.
  const auto rows = Rows(40000, [](size_t i) { return static_cast<int64_t>(1000 + (i * 7) % 10000); });
  ExpectMatchesReference(rows, {999, 1000, 1001, 5000, 10999, 11000, -3, 7777});
  EXPECT_FALSE(Build(rows)->unique_keys());
}

TEST(JoinBuildTableTest, SparseKeysUseTheHashTable) {
  // Keys spread over 2^40: too sparse for an index, many more rows than the sample that
  // sizes the hash table, with duplicates.
  const auto rows = Rows(100000, [](size_t i) { return static_cast<int64_t>((i % 30000) << 20); });
  ExpectMatchesReference(rows, {0, 1 << 20, int64_t{29999} << 20, int64_t{30000} << 20, 5});
  EXPECT_FALSE(Build(rows)->has_key_filter());
}

TEST(JoinBuildTableTest, SparseKeysInANarrowRangeAreFilteredByABitmap) {
  // 2000 rows over 700 keys spread across -50000..159999 (a filtered dimension's keys): too
  // sparse for the index, narrow enough for the key bitmap in front of the hash table.
  const auto rows = Rows(2000, [](size_t i) { return static_cast<int64_t>((i % 700) * 300) - 50000; });
  ASSERT_TRUE(Build(rows)->has_key_filter());
  ExpectMatchesReference(rows, {-50000, -49999, -49700, -50001, 0, 63, 64, 65, 159700, 159701,
                                160000, int64_t{1} << 40, -(int64_t{1} << 40), 100});
  // NULL probe keys never match, beside keys that do.
  auto table = Build(rows);
  auto keys = Column::Make(TypeId::kBigInt, 3);
  keys->SetValue(0, Value::BigInt(-50000));
  keys->SetValue(1, Value::Null(TypeId::kBigInt));
  keys->SetValue(2, Value::BigInt(-49700));
  keys->set_size(3);
  const auto got = Matches(*table, keys, 3);
  EXPECT_FALSE(got[0].empty());
  EXPECT_TRUE(got[1].empty());
  EXPECT_FALSE(got[2].empty());
}

TEST(JoinBuildTableTest, UniqueDenseKeysProbeRowsDirectly) {
  std::vector<Row> rows;
  for (int i = 0; i < 5000; i++) rows.push_back({Value::BigInt(4999 - i), Value::Integer(i)});
  auto table = Build(rows);
  ASSERT_TRUE(table->unique_keys());
  ASSERT_TRUE(table->CanProbeRows());
  auto keys = Column::Make(TypeId::kBigInt, 4);
  keys->SetValue(0, Value::BigInt(0));
  keys->SetValue(1, Value::BigInt(4999));
  keys->SetValue(2, Value::BigInt(5000));
  keys->SetValue(3, Value::Null(TypeId::kBigInt));
  keys->set_size(4);
  std::vector<uint32_t> out(4);
  table->ProbeRows({keys}, 4, out.data());
  EXPECT_EQ(table->columns()[1]->GetValue(out[0]).GetInt(), 4999);
  EXPECT_EQ(table->columns()[1]->GetValue(out[1]).GetInt(), 0);
  EXPECT_EQ(out[2], KeyHashTable::kNoGroup);
  EXPECT_EQ(out[3], KeyHashTable::kNoGroup);
}

TEST(JoinBuildTableTest, DenseUniqueKeysOrderTheRowsByKey) {
  // Keys 100..3099, each once, in a scrambled order: the rows are reordered so that key k is
  // row k - 100, and both the row probe and the group probe still find each key's payload.
  std::vector<Row> rows;
  for (int i = 0; i < 3000; i++) {
    rows.push_back({Value::BigInt(100 + (i * 7) % 3000), Value::Integer(i)});
  }
  auto table = Build(rows);
  ASSERT_TRUE(table->CanProbeRows());
  for (int r = 0; r < 3000; r++) {
    ASSERT_EQ(table->columns()[0]->GetValue(r).GetInt(), 100 + r);
  }
  ExpectMatchesReference(rows, {99, 100, 101, 1500, 3099, 3100});
  auto keys = Column::Make(TypeId::kBigInt, 3);
  keys->SetValue(0, Value::BigInt(107));
  keys->SetValue(1, Value::BigInt(3100));
  keys->SetValue(2, Value::Null(TypeId::kBigInt));
  keys->set_size(3);
  std::vector<uint32_t> out(3);
  table->ProbeRows({keys}, 3, out.data());
  EXPECT_EQ(table->columns()[1]->GetValue(out[0]).GetInt(), 1);  // key 107 was input row 1
  EXPECT_EQ(out[1], KeyHashTable::kNoGroup);
  EXPECT_EQ(out[2], KeyHashTable::kNoGroup);
  // One key missing from the range: rows keep their input order.
  rows.erase(rows.begin() + 5);
  auto gapped = Build(rows);
  EXPECT_EQ(gapped->columns()[1]->GetValue(0).GetInt(), 0);
  EXPECT_EQ(gapped->columns()[1]->GetValue(5).GetInt(), 6);
  ExpectMatchesReference(rows, {100, 135, 3099});
}

TEST(JoinBuildTableTest, ConstantProbeKeyOnAnIndexedBuild) {
  const auto rows = Rows(3000, [](size_t i) { return static_cast<int64_t>(i % 100); });
  auto table = Build(rows);
  const auto hit = Matches(*table, Column::MakeConstant(TypeId::kBigInt, Value::BigInt(42), 3), 3);
  const auto miss = Matches(*table, Column::MakeConstant(TypeId::kBigInt, Value::BigInt(420), 3), 3);
  ASSERT_EQ(hit.size(), 3u);
  EXPECT_EQ(hit[0].size(), 30u - 3u);  // rows 42, 142, ...; every 11th row's key is NULL
  EXPECT_EQ(hit[2], hit[0]);
  EXPECT_TRUE(miss[1].empty());
}

}  // namespace
}  // namespace sluice
