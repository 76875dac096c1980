#include <gtest/gtest.h>

#include <filesystem>

#include "csv_test_util.h"
#include "io/csv_reader.h"
#include "io/csv_writer.h"
#include "types/date_time.h"

namespace sluice {
namespace {

using testing::ReadFile;
using testing::Rows;
using testing::TempDir;

Batch MakeBatch() {
  const Schema schema = testing::MakeSchema({{"i", TypeId::kBigInt},
                       {"d", TypeId::kDouble},
                       {"s", TypeId::kVarchar},
                       {"b", TypeId::kBoolean},
                       {"day", TypeId::kDate},
                       {"ts", TypeId::kTimestamp},
                       {"m", LogicalType::Decimal(10, 2)}});
  const std::vector<std::vector<Value>> rows = {
      {Value::BigInt(1), Value::Double(0.1), Value::Varchar("plain"), Value::Boolean(true),
       Value::Date(*ParseDate("2024-03-01")),
       Value::Timestamp(*ParseTimestamp("2024-03-01 12:30:00.25")), Value::Decimal(12345, 10, 2)},
      {Value::BigInt(-7), Value::Double(1e300), Value::Varchar("a,b \"q\"\nnext line"),
       Value::Boolean(false), Value::Date(0), Value::Timestamp(0), Value::Decimal(-5, 10, 2)},
      {Value::Null(TypeId::kBigInt), Value::Null(TypeId::kDouble), Value::Varchar(""),
       Value::Null(TypeId::kBoolean), Value::Null(TypeId::kDate),
       Value::Null(TypeId::kTimestamp), Value::Null(LogicalType::Decimal(10, 2))},
      {Value::BigInt(3), Value::Double(2.5), Value::Null(TypeId::kVarchar),
       Value::Boolean(true), Value::Date(-1), Value::Timestamp(1), Value::Decimal(0, 10, 2)},
  };
  std::vector<ColumnPtr> columns;
  for (size_t c = 0; c < schema.size(); c++) {
    auto column = Column::Make(schema.field(c).type, rows.size());
    for (size_t r = 0; r < rows.size(); r++) column->SetValue(r, rows[r][c]);
    column->set_size(rows.size());
    columns.push_back(column);
  }
  return Batch(columns, rows.size());
}

Schema SchemaOf(const Batch& batch, const std::vector<std::string>& names) {
  Schema schema;
  for (size_t c = 0; c < batch.num_columns(); c++) {
    schema.Add({names[c], batch.column(c)->type()});
  }
  return schema;
}

const std::vector<std::string> kNames = {"i", "d", "s", "b", "day", "ts", "m"};

TEST(CsvWriterTest, FormatsAndQuotes) {
  TempDir dir;
  const std::string path = dir.path() + "/out.csv";
  const Batch batch = MakeBatch();
  CsvWriter writer(path, SchemaOf(batch, kNames));
  writer.Write(batch);
  EXPECT_FALSE(std::filesystem::exists(path));
  writer.Close();
  EXPECT_EQ(ReadFile(path),
            "i,d,s,b,day,ts,m\n"
            "1,0.1,plain,true,2024-03-01,2024-03-01 12:30:00.25,123.45\n"
            "-7,1e+300,\"a,b \"\"q\"\"\nnext line\",false,1970-01-01,1970-01-01 00:00:00,-0.05\n"
            ",,\"\",,,,\n"
            "3,2.5,,true,1969-12-31,1970-01-01 00:00:00.000001,0.00\n");
}

TEST(CsvWriterTest, RoundTrip) {
  TempDir dir;
  const std::string path = dir.path() + "/out.csv";
  const Batch batch = MakeBatch();
  const Schema schema = SchemaOf(batch, kNames);
  CsvWriter writer(path, schema);
  for (int i = 0; i < 1000; i++) writer.Write(batch);  // several flushes
  writer.Close();
  CsvOptions options;
  options.schema = schema;
  auto source = CsvSource::Open(path, options);
  const Rows rows = testing::ReadRows(*source);
  ASSERT_EQ(rows.size(), 4000u);
  for (size_t r = 0; r < rows.size(); r++) {
    for (size_t c = 0; c < kNames.size(); c++) {
      ASSERT_EQ(rows[r][c], batch.column(c)->GetValue(r % 4).ToString()) << r << "," << c;
    }
  }
  // Inference reads the same types back.
  auto inferred = CsvSource::Open(path, {});
  for (size_t c = 0; c < kNames.size() - 1; c++) {
    EXPECT_EQ(inferred->schema().field(c).type, schema.field(c).type) << c;
  }
}

TEST(CsvWriterTest, NullStringOption) {
  TempDir dir;
  const std::string path = dir.path() + "/out.csv";
  auto column = Column::Make(TypeId::kVarchar, 3);
  column->SetValue(0, Value::Varchar("NULL"));
  column->SetValue(1, Value::Null(TypeId::kVarchar));
  column->SetValue(2, Value::Varchar(""));
  column->set_size(3);
  CsvWriteOptions options;
  options.null_string = "NULL";
  options.header = false;
  CsvWriter writer(path, testing::MakeSchema({{"s", TypeId::kVarchar}}), options);
  writer.Write(Batch({column}, 3));
  writer.Close();
  EXPECT_EQ(ReadFile(path), "\"NULL\"\nNULL\n\"\"\n");
  CsvOptions read;
  read.null_strings = {"NULL"};
  read.header = false;
  EXPECT_EQ(testing::ReadCsv(path, read), (Rows{{"NULL"}, {"NULL"}, {""}}));
  auto source = CsvSource::Open(path, read);
  auto stream = source->Open(0, {0});
  Batch batch;
  ASSERT_TRUE(stream->Next(&batch));
  EXPECT_TRUE(batch.column(0)->IsValid(0));
  EXPECT_TRUE(batch.column(0)->IsNull(1));
}

TEST(CsvWriterTest, UnfinishedWriterLeavesOldFileIntact) {
  TempDir dir;
  const std::string path = dir.Write("out.csv", "old contents\n");
  {
    const Batch batch = MakeBatch();
    CsvWriter writer(path, SchemaOf(batch, kNames));
    writer.Write(batch);
    // Destroyed without Close: the error path.
  }
  EXPECT_EQ(ReadFile(path), "old contents\n");
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    (void)entry;
    files++;
  }
  EXPECT_EQ(files, 1);  // no temporary left behind
}

TEST(CsvWriterTest, FailsCleanlyInMissingDirectory) {
  TempDir dir;
  EXPECT_THROW(CsvWriter(dir.path() + "/no/such/dir/x.csv", testing::MakeSchema({{"a", TypeId::kBigInt}})),
               IOError);
}

}  // namespace
}  // namespace sluice
