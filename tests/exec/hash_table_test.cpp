#include "exec/hash_table.h"

#include <gtest/gtest.h>

#include <string>

#include "common/error.h"
#include "tests/exec/test_util.h"

namespace sluice {
namespace {

using exec_test::MakeBatch;
using exec_test::Row;

// Looks up every row of `batch` (all columns are keys) and returns the group ids.
std::vector<uint32_t> Insert(KeyHashTable& table, const Batch& batch) {
  const size_t n = batch.num_rows();
  std::vector<uint64_t> hashes(n);
  std::vector<uint32_t> groups(n);
  HashKeyColumns(batch.columns(), nullptr, n, hashes.data());
  table.FindOrInsert(batch.columns(), nullptr, n, hashes.data(), groups.data());
  return groups;
}

std::vector<uint32_t> Find(const KeyHashTable& table, const Batch& batch) {
  const size_t n = batch.num_rows();
  std::vector<uint64_t> hashes(n);
  std::vector<uint32_t> groups(n);
  KeyHashTable::Scratch scratch;
  HashKeyColumns(batch.columns(), nullptr, n, hashes.data());
  table.Find(batch.columns(), nullptr, n, hashes.data(), groups.data(), &scratch);
  return groups;
}

TEST(HashTableTest, GroupsInInsertionOrderWithNulls) {
  KeyHashTable table({TypeId::kInteger}, nullptr);
  const Value null = Value::Null(TypeId::kInteger);
  auto batch = MakeBatch({TypeId::kInteger}, {{Value::Integer(5)}, {null}, {Value::Integer(7)},
                                               {Value::Integer(5)}, {null}});
  EXPECT_EQ(Insert(table, batch), (std::vector<uint32_t>{0, 1, 2, 0, 1}));
  EXPECT_EQ(table.num_groups(), 3u);
  auto keys = table.GetKeys(0, 0, 3);
  EXPECT_EQ(keys->GetValue(0).GetInt(), 5);
  EXPECT_TRUE(keys->IsNull(1));
  EXPECT_EQ(keys->GetValue(2).GetInt(), 7);
}

TEST(HashTableTest, ManyGroupsGrowByDoubling) {
  KeyHashTable table({TypeId::kBigInt}, nullptr);
  const int kGroups = 200000;
  for (int round = 0; round < 2; round++) {
    for (int start = 0; start < kGroups; start += 2048) {
      auto col = Column::Make(TypeId::kBigInt, 2048);
      const int n = std::min(2048, kGroups - start);
      for (int i = 0; i < n; i++) col->data<int64_t>()[i] = int64_t{start + i} * 1000003;
      col->set_size(n);
      Batch batch({col}, n);
      auto groups = Insert(table, batch);
      for (int i = 0; i < n; i++) ASSERT_EQ(groups[i], static_cast<uint32_t>(start + i));
    }
  }
  EXPECT_EQ(table.num_groups(), static_cast<size_t>(kGroups));
}

TEST(HashTableTest, CollidingLowBitsStillSpread) {
  // Keys whose hashes share low bits (as in one partition of a hash exchange).
  KeyHashTable table({TypeId::kBigInt}, nullptr);
  auto col = Column::Make(TypeId::kBigInt, 2048);
  for (int i = 0; i < 2048; i++) col->data<int64_t>()[i] = i * 4096;
  col->set_size(2048);
  Batch batch({col}, 2048);
  auto groups = Insert(table, batch);
  EXPECT_EQ(groups[2047], 2047u);
  EXPECT_EQ(Insert(table, batch), groups);
}

TEST(HashTableTest, MultiColumnVarcharKeys) {
  const std::vector<LogicalType> types = {TypeId::kVarchar, TypeId::kInteger};
  KeyHashTable table(types, nullptr);
  const std::string long_a(40, 'a');
  const std::string long_b = std::string(39, 'a') + "b";  // same length and prefix as long_a
  std::vector<Row> rows = {
      {Value::Varchar(long_a), Value::Integer(1)}, {Value::Varchar(long_b), Value::Integer(1)},
      {Value::Varchar("short"), Value::Integer(1)}, {Value::Varchar("short"), Value::Integer(2)},
      {Value::Varchar(long_a), Value::Integer(1)},  {Value::Null(TypeId::kVarchar), Value::Integer(1)},
      {Value::Varchar(""), Value::Integer(1)},      {Value::Null(TypeId::kVarchar), Value::Integer(1)},
  };
  std::vector<uint32_t> groups;
  {
    auto batch = MakeBatch(types, rows);
    groups = Insert(table, batch);
  }  // the input batch is gone: keys must live in the table
  EXPECT_EQ(groups, (std::vector<uint32_t>{0, 1, 2, 3, 0, 4, 5, 4}));
  auto keys = table.GetKeys(0, 0, table.num_groups());
  EXPECT_EQ(keys->GetValue(0).GetString(), long_a);
  EXPECT_EQ(keys->GetValue(1).GetString(), long_b);
  EXPECT_TRUE(keys->IsNull(4));
  EXPECT_EQ(Find(table, MakeBatch(types, {{Value::Varchar(long_b), Value::Integer(1)},
                                          {Value::Varchar(long_b), Value::Integer(2)}})),
            (std::vector<uint32_t>{1, KeyHashTable::kNoGroup}));
}

TEST(HashTableTest, DoubleKeysNormalizeZeroAndNaN) {
  KeyHashTable table({TypeId::kDouble}, nullptr);
  const double nan = std::nan("");
  auto batch = MakeBatch({TypeId::kDouble}, {{Value::Double(0.0)}, {Value::Double(-0.0)},
                                              {Value::Double(nan)}, {Value::Double(-nan)}});
  EXPECT_EQ(Insert(table, batch), (std::vector<uint32_t>{0, 0, 1, 1}));
}

TEST(HashTableTest, ConstantKeyColumnsAndSelection) {
  KeyHashTable table({TypeId::kInteger}, nullptr);
  std::vector<ColumnPtr> keys = {Column::MakeConstant(TypeId::kInteger, Value::Integer(9), 10)};
  std::vector<uint32_t> sel = {1, 3, 5};
  std::vector<uint64_t> hashes(3);
  std::vector<uint32_t> groups(3);
  HashKeyColumns(keys, sel.data(), 3, hashes.data());
  table.FindOrInsert(keys, sel.data(), 3, hashes.data(), groups.data());
  EXPECT_EQ(groups, (std::vector<uint32_t>{0, 0, 0}));
  EXPECT_EQ(table.GetKeys(0, 0, 1)->GetValue(0).GetInt(), 9);
}

TEST(HashTableTest, RefusedReservationThrowsOutOfMemory) {
  MemoryManager memory(1 << 20);
  KeyHashTable table({TypeId::kBigInt}, &memory);
  auto col = Column::Make(TypeId::kBigInt, 2048);
  col->set_size(2048);
  EXPECT_THROW(
      {
        for (int64_t round = 0; round < 1000; round++) {
          for (int i = 0; i < 2048; i++) col->data<int64_t>()[i] = round * 2048 + i;
          Insert(table, Batch({col}, 2048));
        }
      },
      OutOfMemoryError);
}

}  // namespace
}  // namespace sluice
