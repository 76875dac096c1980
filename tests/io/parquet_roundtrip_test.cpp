// Parquet writer -> reader round trips: every type with NULLs, codecs, dictionary on and
// off, row groups, projection, and row-group pruning by statistics.
#include <gtest/gtest.h>

#include <cmath>

#include "csv_test_util.h"
#include "io/parquet_reader.h"
#include "io/parquet_writer.h"
#include "parquet_test_util.h"
#include "types/interval.h"

namespace sluice {
namespace {

using testing::ReadAllRows;
using testing::TempDir;

Schema AllTypesSchema() {
  std::vector<Field> fields;
  auto add = [&](const char* name, LogicalType type) { fields.push_back(Field{name, type, true, ""}); };
  add("b", TypeId::kBoolean);
  add("i8", TypeId::kTinyInt);
  add("i16", TypeId::kSmallInt);
  add("i32", TypeId::kInteger);
  add("i64", TypeId::kBigInt);
  add("f64", TypeId::kDouble);
  add("d9", LogicalType::Decimal(9, 2));
  add("d18", LogicalType::Decimal(18, 4));
  add("d38", LogicalType::Decimal(38, 10));
  add("s", TypeId::kVarchar);
  add("dt", TypeId::kDate);
  add("ts", TypeId::kTimestamp);
  add("iv", TypeId::kInterval);
  return Schema(fields);
}

// Row `i` of the all-types table: NULL in a different pattern per column.
std::vector<Value> AllTypesRow(int64_t i) {
  auto maybe = [&](int k, Value v) { return i % k == 0 ? Value::Null(v.type()) : v; };
  Interval iv;
  iv.months = static_cast<int32_t>(i % 13);
  iv.days = static_cast<int32_t>(i % 31);
  iv.micros = (i % 1000) * 1000;  // whole milliseconds: what Parquet INTERVAL stores
  return {maybe(2, Value::Boolean(i % 3 == 0)),
          maybe(3, Value::TinyInt(static_cast<int8_t>(i % 120 - 60))),
          maybe(4, Value::SmallInt(static_cast<int16_t>(i % 30000 - 15000))),
          maybe(5, Value::Integer(static_cast<int32_t>(i * 7 - 100000))),
          maybe(6, Value::BigInt(i * 1000000007LL - (int64_t{1} << 40))),
          maybe(7, Value::Double(static_cast<double>(i) / 8.0 - 3.25)),
          maybe(8, Value::Decimal(i * 101 - 5000, 9, 2)),
          maybe(9, Value::Decimal(i * 123456789LL - 77, 18, 4)),
          maybe(10, Value::Decimal(static_cast<int128_t>(i - 50) * 1000000000000000000LL * 1000, 38, 10)),
          maybe(11, Value::Varchar(i % 4 == 1 ? "short" + std::to_string(i % 17)
                                              : "a longer string that is not inline " + std::to_string(i))),
          maybe(12, Value::Date(static_cast<int32_t>(i * 3 - 20000))),
          maybe(13, Value::Timestamp(i * 3600000123LL - 86400000000LL * 365)),
          maybe(14, Value::IntervalValue(iv))};
}

std::vector<Batch> MakeBatches(const Schema& schema, int64_t rows, int64_t start = 0) {
  std::vector<Batch> batches;
  for (int64_t base = 0; base < rows; base += kBatchSize) {
    const size_t n = static_cast<size_t>(std::min<int64_t>(kBatchSize, rows - base));
    std::vector<ColumnPtr> columns;
    for (size_t c = 0; c < schema.size(); c++) {
      auto col = Column::Make(schema.field(c).type, n);
      for (size_t r = 0; r < n; r++) col->SetValue(r, AllTypesRow(start + base + r)[c]);
      col->set_size(n);
      columns.push_back(col);
    }
    batches.emplace_back(std::move(columns), n);
  }
  return batches;
}

std::string WriteFile(const TempDir& dir, const std::string& name, int64_t rows,
                      const ParquetWriteOptions& options) {
  const std::string path = dir.path() + "/" + name;
  const Schema schema = AllTypesSchema();
  ParquetWriter writer(path, schema, options);
  for (const Batch& b : MakeBatches(schema, rows)) writer.Write(b);
  writer.Close();
  EXPECT_EQ(writer.rows_written(), rows);
  return path;
}

void ExpectAllTypesRows(const std::vector<std::vector<Value>>& rows, int64_t count) {
  ASSERT_EQ(static_cast<int64_t>(rows.size()), count);
  for (int64_t i = 0; i < count; i++) {
    const std::vector<Value> want = AllTypesRow(i);
    for (size_t c = 0; c < want.size(); c++) {
      ASSERT_EQ(rows[i][c], want[c]) << "row " << i << " column " << c << ": "
                                     << rows[i][c].ToString() << " vs " << want[c].ToString();
    }
  }
}

TEST(ParquetRoundTripTest, EveryTypeWithNullsEveryCodec) {
  TempDir dir;
  for (const char* codec : {"uncompressed", "snappy", "zstd", "gzip", "lz4"}) {
    ParquetWriteOptions options;
    options.codec = ParseParquetCodec(codec);
    const std::string path = WriteFile(dir, std::string(codec) + ".parquet", 5000, options);
    auto source = ParquetSource::Open(path);
    EXPECT_EQ(source->schema(), AllTypesSchema()) << source->schema().ToString();
    EXPECT_EQ(source->EstimatedRows(), 5000);
    ExpectAllTypesRows(ReadAllRows(*source), 5000);
  }
}

TEST(ParquetRoundTripTest, FieldIdsAreWrittenAndRead) {
  TempDir dir;
  ParquetWriteOptions options;
  for (size_t i = 0; i < AllTypesSchema().size(); i++) options.field_ids.push_back(static_cast<int32_t>(100 + i));
  const std::string with_ids = WriteFile(dir, "ids.parquet", 10, options);
  const ParquetSource::File file = ReadParquetFooter(with_ids);
  ASSERT_EQ(file.columns.size(), AllTypesSchema().size());
  for (size_t i = 0; i < file.columns.size(); i++) EXPECT_EQ(file.columns[i].field_id, 100 + static_cast<int>(i));
  ExpectAllTypesRows(ReadAllRows(*ParquetSource::Open(with_ids)), 10);
  const ParquetSource::File plain = ReadParquetFooter(WriteFile(dir, "plain.parquet", 10, {}));
  EXPECT_FALSE(plain.columns[0].field_id.has_value());
}

TEST(ParquetRoundTripTest, DictionaryOnAndOffAndSmallPages) {
  TempDir dir;
  for (const bool dictionary : {true, false}) {
    ParquetWriteOptions options;
    options.dictionary = dictionary;
    options.page_bytes = 1000;  // many pages per chunk
    const std::string path = WriteFile(dir, dictionary ? "d.parquet" : "p.parquet", 7000, options);
    ExpectAllTypesRows(ReadAllRows(*ParquetSource::Open(path)), 7000);
  }
  // A dictionary that outgrows its limit falls back to PLAIN.
  ParquetWriteOptions options;
  options.dictionary_max_bytes = 100;
  ExpectAllTypesRows(ReadAllRows(*ParquetSource::Open(WriteFile(dir, "f.parquet", 3000, options))),
                     3000);
}

// A dictionary is kept only where it pays (it and its indices at most half the PLAIN bytes):
// near-unique keys and strings are written PLAIN, repeating values with a dictionary, and
// 8-byte values compare by their bits (0.0 and -0.0 are two entries; NaN is one).
TEST(ParquetRoundTripTest, DictionaryOnlyWhereItPays) {
  TempDir dir;
  const Schema schema({Field{"key", TypeId::kBigInt, true, ""}, Field{"code", TypeId::kBigInt, true, ""},
                       Field{"x", TypeId::kDouble, true, ""}, Field{"name", TypeId::kVarchar, true, ""},
                       Field{"city", TypeId::kVarchar, true, ""}});
  const int64_t rows = 20000;
  const double xs[] = {0.0, -0.0, std::nan(""), 1.5};
  std::vector<std::vector<Value>> want;
  const std::string path = dir.path() + "/pays.parquet";
  {
    for (int64_t i = 0; i < rows; i++) {
      want.push_back({Value::BigInt(i * 7919 % rows), Value::BigInt(i % 37),
                      Value::Double(xs[i % 4]), Value::Varchar("customer#" + std::to_string(i)),
                      Value::Varchar(i % 3 == 0 ? "Lisbon" : "Oslo")});
    }
    ParquetWriter writer(path, schema, {});
    for (size_t base = 0; base < want.size(); base += kBatchSize) {
      const size_t n = std::min(kBatchSize, want.size() - base);
      std::vector<ColumnPtr> columns;
      for (size_t c = 0; c < schema.size(); c++) {
        auto col = Column::Make(schema.field(c).type, n);
        for (size_t r = 0; r < n; r++) col->SetValue(r, want[base + r][c]);
        col->set_size(n);
        columns.push_back(col);
      }
      writer.Write(Batch(std::move(columns), n));
    }
    writer.Close();
  }
  const ParquetSource::File file = ReadParquetFooter(path);
  ASSERT_EQ(file.metadata.row_groups.size(), 1u);
  const auto& chunks = file.metadata.row_groups[0].columns;
  auto has_dictionary = [&](int c) { return chunks[c].meta_data->dictionary_page_offset.has_value(); };
  EXPECT_FALSE(has_dictionary(0));  // unique keys
  EXPECT_TRUE(has_dictionary(1));
  EXPECT_TRUE(has_dictionary(2));
  EXPECT_FALSE(has_dictionary(3));  // unique strings
  EXPECT_TRUE(has_dictionary(4));
  const std::vector<std::vector<Value>> got = ReadAllRows(*ParquetSource::Open(path));
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); i++) {
    for (size_t c = 0; c < want[i].size(); c++) {
      if (c == 2) {  // doubles by their bits: -0.0 stays negative, NaN stays NaN
        const double g = got[i][c].GetDouble(), w = want[i][c].GetDouble();
        ASSERT_EQ(std::signbit(g), std::signbit(w)) << "row " << i;
        ASSERT_EQ(std::isnan(g), std::isnan(w)) << "row " << i;
        if (!std::isnan(w)) ASSERT_EQ(g, w) << "row " << i;
        continue;
      }
      ASSERT_EQ(got[i][c], want[i][c]) << "row " << i << " column " << c;
    }
  }
}

TEST(ParquetRoundTripTest, RowGroupsAreSplits) {
  TempDir dir;
  ParquetWriteOptions options;
  options.row_group_rows = 1000;
  const std::string path = WriteFile(dir, "g.parquet", 4500, options);
  auto source = ParquetSource::Open(path);
  EXPECT_EQ(source->num_splits(), 5);
  EXPECT_EQ(source->row_groups_total(), 5);
  ExpectAllTypesRows(ReadAllRows(*source), 4500);
  EXPECT_NE(source->Describe().find("5 row groups"), std::string::npos) << source->Describe();
}

TEST(ParquetRoundTripTest, ProjectionReadsOnlyRequestedColumnsInOrder) {
  TempDir dir;
  const std::string path = WriteFile(dir, "p.parquet", 3000, {});
  auto source = ParquetSource::Open(path);
  const auto rows = ReadAllRows(*source, {9, 0, 4});
  ASSERT_EQ(rows.size(), 3000u);
  for (int64_t i = 0; i < 3000; i++) {
    const auto want = AllTypesRow(i);
    ASSERT_EQ(rows[i].size(), 3u);
    EXPECT_EQ(rows[i][0], want[9]);
    EXPECT_EQ(rows[i][1], want[0]);
    EXPECT_EQ(rows[i][2], want[4]);
  }
  // No columns at all (count(*)): batches still carry the row count.
  int64_t count = 0;
  for (int s = 0; s < source->num_splits(); s++) {
    auto stream = source->Open(s, {});
    Batch b;
    while (stream->Next(&b)) count += static_cast<int64_t>(b.num_rows());
  }
  EXPECT_EQ(count, 3000);
}

TEST(ParquetRoundTripTest, EmptyFileAndGlob) {
  TempDir dir;
  WriteFile(dir, "a.parquet", 0, {});
  WriteFile(dir, "b.parquet", 10, {});
  auto source = ParquetSource::Open(dir.path() + "/*.parquet");
  EXPECT_EQ(source->num_splits(), 1);
  ExpectAllTypesRows(ReadAllRows(*source), 10);
  EXPECT_NE(source->Describe().find("2 files"), std::string::npos);
}

TEST(ParquetRoundTripTest, RowGroupPruningByStatistics) {
  TempDir dir;
  ParquetWriteOptions options;
  options.row_group_rows = 1000;
  const std::string path = WriteFile(dir, "s.parquet", 10000, options);
  using Op = ParquetPredicate::Op;
  auto splits = [&](std::vector<ParquetPredicate> predicates) {
    ParquetReadOptions read;
    read.predicates = std::move(predicates);
    auto source = ParquetSource::Open(path, read);
    EXPECT_EQ(source->row_groups_pruned() + source->num_splits(), 10);
    return source->num_splits();
  };
  // i32 = i * 7 - 100000 rises with the row: row group g holds [7000g - 100000, ...].
  EXPECT_EQ(splits({{"i32", Op::kEq, Value::Integer(7 * 2500 - 100000)}}), 1);
  EXPECT_EQ(splits({{"I32", Op::kLt, Value::BigInt(7 * 2000 - 100000)}}), 2);
  EXPECT_EQ(splits({{"i32", Op::kGe, Value::Integer(7 * 8000 - 100000)}}), 2);
  EXPECT_EQ(splits({{"i32", Op::kGt, Value::Integer(1 << 30)}}), 0);
  EXPECT_EQ(splits({{"dt", Op::kLe, Value::Date(-20000 + 3 * 999)}}), 1);
  EXPECT_EQ(splits({{"s", Op::kEq, Value::Varchar("zzz")}}), 0);
  EXPECT_EQ(splits({{"i64", Op::kIsNull, Value()}}), 10);
  EXPECT_EQ(splits({{"i32", Op::kGt, Value::Double(1.5)}}), 10);  // inexact: no pruning
  EXPECT_EQ(splits({{"nope", Op::kEq, Value::Integer(1)}}), 10);
  ParquetReadOptions read;
  read.predicates = {{"i32", Op::kEq, Value::Integer(-100000 + 7 * 4321)}};
  auto source = ParquetSource::Open(path, read);
  EXPECT_NE(source->Describe().find("9 pruned by statistics"), std::string::npos)
      << source->Describe();
  const ParquetColumnStats stats = source->SplitStats(0, 3);
  ASSERT_TRUE(stats.min && stats.max);
  EXPECT_EQ(*stats.min, Value::Integer(-100000 + 7 * 4001));  // row 4000 is NULL
  EXPECT_EQ(*stats.max, Value::Integer(-100000 + 7 * 4999));
  EXPECT_EQ(stats.null_count, 200);
}

TEST(ParquetRoundTripTest, UnfinishedWriterLeavesNoFile) {
  TempDir dir;
  const std::string path = dir.path() + "/x.parquet";
  {
    ParquetWriter writer(path, AllTypesSchema());
    for (const Batch& b : MakeBatches(AllTypesSchema(), 10)) writer.Write(b);
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

}  // namespace
}  // namespace sluice
