// LIST, STRUCT and MAP columns written by Sluice's Parquet writer (3-level lists, optional
// groups, MAP key_value groups, repetition and definition levels) and read back as the same
// values: NULLs and empty lists at every level, lists of structs, lists of lists, maps of
// lists, small pages and row groups.
#include <gtest/gtest.h>

#include "csv_test_util.h"
#include "io/parquet_reader.h"
#include "io/parquet_writer.h"
#include "parquet_test_util.h"

namespace sluice {
namespace {

using testing::ReadAllRows;
using testing::TempDir;

const LogicalType kInt = TypeId::kInteger;
const LogicalType kText = TypeId::kVarchar;
const LogicalType kIntList = LogicalType::List(kInt);
const LogicalType kPair = LogicalType::Struct({{"k", kText}, {"v", kIntList}});
const LogicalType kMapType = LogicalType::Map(kText, kIntList);

Schema NestedSchema() {
  return Schema({Field{"id", TypeId::kBigInt, true, ""}, Field{"li", kIntList, true, ""},
                 Field{"st", kPair, true, ""}, Field{"lst", LogicalType::List(kPair), true, ""},
                 Field{"ll", LogicalType::List(kIntList), true, ""},
                 Field{"mp", kMapType, true, ""}});
}

Value Ints(std::vector<std::optional<int>> xs) {
  std::vector<Value> v;
  for (auto x : xs) v.push_back(x ? Value::Integer(*x) : Value::Null(kInt));
  return Value::List(kIntList, std::move(v));
}

// Row i, with NULLs and empty lists at different levels per column.
std::vector<Value> Row(int64_t i) {
  const int n = static_cast<int>(i);
  const Value li = i % 5 == 0   ? Value::Null(kIntList)
                   : i % 5 == 1 ? Ints({})
                   : i % 5 == 2 ? Ints({std::nullopt})
                                : Ints({n, std::nullopt, n * 2});
  const Value pair = i % 4 == 0 ? Value::Null(kPair)
                                : Value::Struct(kPair, {i % 3 == 0 ? Value::Null(kText)
                                                                   : Value::Varchar("key " + std::to_string(n)),
                                                        li});
  const Value lst = i % 6 == 0 ? Value::Null(LogicalType::List(kPair))
                               : Value::List(LogicalType::List(kPair),
                                             {pair, Value::Null(kPair),
                                              Value::Struct(kPair, {Value::Varchar("x"), Ints({n})})});
  const Value ll = i % 7 == 0 ? Value::List(LogicalType::List(kIntList), {})
                              : Value::List(LogicalType::List(kIntList),
                                            {Ints({1, 2}), Value::Null(kIntList), Ints({}), li});
  const Value mp = i % 8 == 0   ? Value::Null(kMapType)
                   : i % 8 == 1 ? Value::Map(kMapType, {}, {})
                                : Value::Map(kMapType, {Value::Varchar("k" + std::to_string(n)),
                                                        Value::Varchar("z")},
                                             {li, Value::Null(kIntList)});
  return {Value::BigInt(i), li, pair, lst, ll, mp};
}

std::string WriteRows(const TempDir& dir, const std::string& name, int64_t rows,
                      const ParquetWriteOptions& options) {
  const std::string path = dir.path() + "/" + name;
  const Schema schema = NestedSchema();
  ParquetWriter writer(path, schema, options);
  for (int64_t base = 0; base < rows; base += 1000) {
    const size_t n = static_cast<size_t>(std::min<int64_t>(1000, rows - base));
    std::vector<ColumnPtr> columns;
    for (size_t c = 0; c < schema.size(); c++) {
      auto col = Column::Make(schema.field(c).type, n);
      for (size_t r = 0; r < n; r++) col->SetValue(r, Row(base + static_cast<int64_t>(r))[c]);
      col->set_size(n);
      columns.push_back(col);
    }
    writer.Write(Batch(std::move(columns), n));
  }
  writer.Close();
  return path;
}

void ExpectRows(const std::string& path, int64_t count) {
  auto source = ParquetSource::Open(path);
  EXPECT_EQ(source->schema(), NestedSchema()) << source->schema().ToString();
  const auto rows = ReadAllRows(*source);
  ASSERT_EQ(static_cast<int64_t>(rows.size()), count);
  for (int64_t i = 0; i < count; i++) {
    const std::vector<Value> want = Row(i);
    for (size_t c = 0; c < want.size(); c++) {
      ASSERT_EQ(rows[i][c], want[c]) << "row " << i << " column " << c << ": "
                                     << rows[i][c].ToString() << " vs " << want[c].ToString();
    }
  }
}

TEST(ParquetNestedRoundTripTest, ListsStructsAndMapsWithNullsAtEveryLevel) {
  TempDir dir;
  for (const char* codec : {"uncompressed", "zstd"}) {
    ParquetWriteOptions options;
    options.codec = ParseParquetCodec(codec);
    ExpectRows(WriteRows(dir, std::string(codec) + ".parquet", 3000, options), 3000);
  }
}

TEST(ParquetNestedRoundTripTest, SmallPagesRowGroupsAndNoDictionary) {
  TempDir dir;
  ParquetWriteOptions options;
  options.page_bytes = 500;  // pages end inside long runs of levels: only at row starts
  options.row_group_rows = 700;
  options.dictionary = false;
  ExpectRows(WriteRows(dir, "small.parquet", 2500, options), 2500);
}

TEST(ParquetNestedRoundTripTest, SchemaUsesThreeLevelListsAndKeyValueMaps) {
  TempDir dir;
  const ParquetSource::File file = ReadParquetFooter(WriteRows(dir, "s.parquet", 10, {}));
  ASSERT_EQ(file.columns.size(), 6u);
  EXPECT_EQ(file.leaves[1].name, "li.list.element");
  EXPECT_EQ(file.leaves[1].max_def, 3);
  EXPECT_EQ(file.leaves[1].max_rep, 1);
  EXPECT_EQ(file.leaves.size(), 1u + 1u + 2u + 2u + 1u + 2u);
  // A map's key is required: its definition level counts only the map and its entries.
  EXPECT_EQ(file.leaves[7].name, "mp.key_value.key");
  EXPECT_EQ(file.leaves[7].max_def, 2);
  EXPECT_EQ(file.leaves[7].max_rep, 1);
  EXPECT_EQ(file.leaves[8].name, "mp.key_value.value.list.element");
  EXPECT_EQ(file.leaves[8].max_def, 5);
}

}  // namespace
}  // namespace sluice
