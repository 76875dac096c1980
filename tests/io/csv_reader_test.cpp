#include <gtest/gtest.h>

#include "csv_test_util.h"
#include "io/csv_reader.h"

namespace sluice {
namespace {

using testing::ReadCsv;
using testing::Rows;
using testing::TempDir;

// The message of the UserError that reading all of `path` throws, or "" when none.
std::string ReadError(const std::string& path, const CsvOptions& options = {}) {
  try {
    ReadCsv(path, options);
  } catch (const UserError& e) {
    return e.message();
  }
  return "";
}

TEST(CsvReaderTest, QuotesEscapesAndEmbeddedNewlines) {
  TempDir dir;
  const auto path = dir.Write(
      "t.csv", "id,text\n1,\"a,b\"\n2,\"say \"\"hi\"\"\"\n3,\"two\nlines\"\n4,plain\n");
  auto source = CsvSource::Open(path, {});
  EXPECT_EQ(source->num_splits(), 1);
  EXPECT_EQ(testing::ReadRows(*source),
            (Rows{{"1", "a,b"}, {"2", "say \"hi\""}, {"3", "two\nlines"}, {"4", "plain"}}));
}

TEST(CsvReaderTest, BackslashEscape) {
  TempDir dir;
  const auto path = dir.Write("t.csv", "a,b\n\"x\\\"y\",1\n\"p\\\\q\",2\n");
  CsvOptions options;
  options.escape = '\\';
  EXPECT_EQ(ReadCsv(path, options), (Rows{{"x\"y", "1"}, {"p\\q", "2"}}));
}

TEST(CsvReaderTest, CrLfLineEndingsAndMissingFinalNewline) {
  TempDir dir;
  const auto path = dir.Write("t.csv", "a,b\r\n1,x\r\n2,\"y\"\r\n3,z");
  EXPECT_EQ(ReadCsv(path), (Rows{{"1", "x"}, {"2", "y"}, {"3", "z"}}));
}

TEST(CsvReaderTest, NullStrings) {
  TempDir dir;
  const auto path = dir.Write("t.csv", "a,b\n1,NULL\nNULL,\"\"\n,x\n");
  // Default: only the empty unquoted field is NULL; "" is an empty string.
  auto source = CsvSource::Open(path, {});
  EXPECT_EQ(source->schema().field(0).type.id(), TypeId::kVarchar);
  EXPECT_EQ(testing::ReadRows(*source),
            (Rows{{"1", "NULL"}, {"NULL", ""}, {"NULL", "x"}}));
  CsvOptions options;
  options.null_strings = {"NULL", ""};
  source = CsvSource::Open(path, options);
  EXPECT_EQ(source->schema().field(0).type.id(), TypeId::kBigInt);
  const Rows rows = testing::ReadRows(*source);
  EXPECT_EQ(rows, (Rows{{"1", "NULL"}, {"NULL", ""}, {"NULL", "x"}}));
  auto stream = source->Open(0, {1});
  Batch batch;
  ASSERT_TRUE(stream->Next(&batch));
  EXPECT_TRUE(batch.column(0)->IsNull(0));
  EXPECT_FALSE(batch.column(0)->IsNull(1));
}

TEST(CsvReaderTest, Projection) {
  TempDir dir;
  const auto path = dir.Write("t.csv", "a,b,c\n1,x,2.5\n2,y,oops\n");
  CsvOptions options;
  options.column_types = {{"c", TypeId::kDouble}};
  auto source = CsvSource::Open(path, options);
  // Column c is not converted, so its bad value goes unnoticed.
  EXPECT_EQ(testing::ReadRows(*source, {1, 0}), (Rows{{"x", "1"}, {"y", "2"}}));
  auto stream = source->Open(0, {});
  Batch batch;
  ASSERT_TRUE(stream->Next(&batch));
  EXPECT_EQ(batch.num_columns(), 0u);
  EXPECT_EQ(batch.num_rows(), 2u);
}

TEST(CsvReaderTest, SingleColumnKeepsEmptyLinesAsNulls) {
  TempDir dir;
  const auto path = dir.Write("t.csv", "v\n1\n\n3\n");
  EXPECT_EQ(ReadCsv(path), (Rows{{"1"}, {"NULL"}, {"3"}}));
}

TEST(CsvReaderTest, ManyRowsMakeFullBatches) {
  TempDir dir;
  std::string text = "n,s\n";
  for (int i = 0; i < 5000; i++) text += std::to_string(i) + ",str" + std::to_string(i) + "\n";
  auto source = CsvSource::Open(dir.Write("t.csv", text), {});
  auto stream = source->Open(0, {0, 1});
  Batch batch;
  std::vector<size_t> sizes;
  int64_t expected = 0;
  while (stream->Next(&batch)) {
    sizes.push_back(batch.num_rows());
    for (size_t r = 0; r < batch.num_rows(); r++) {
      ASSERT_EQ(batch.column(0)->data<int64_t>()[r], expected++);
    }
  }
  EXPECT_EQ(sizes, (std::vector<size_t>{2048, 2048, 904}));
}

TEST(CsvReaderTest, MultipleFilesMustAgree) {
  TempDir dir;
  dir.Write("d/1.csv", "a,b\n1,x\n");
  dir.Write("d/2.csv", "a,b\n2.5,y\n");
  dir.Write("d/3.csv", "");
  auto source = CsvSource::Open(dir.path() + "/d/*.csv", {});
  EXPECT_EQ(source->schema().field(0).type.id(), TypeId::kDouble);
  EXPECT_EQ(testing::ReadRows(*source), (Rows{{"1.0", "x"}, {"2.5", "y"}}));
  EXPECT_NE(source->Describe().find("3 files"), std::string::npos);

  dir.Write("e/1.csv", "a,b\n1,x\n");
  dir.Write("e/2.csv", "a,c\n2,y\n");
  try {
    CsvSource::Open(dir.path() + "/e", {});
    FAIL();
  } catch (const InvalidInputError& e) {
    EXPECT_NE(std::string(e.what()).find("e/2.csv"), std::string::npos) << e.what();
  }
  dir.Write("f/1.csv", "1,x\n");
  dir.Write("f/2.csv", "2,y,z\n");
  EXPECT_THROW(CsvSource::Open(dir.path() + "/f", {}), InvalidInputError);
}

TEST(CsvReaderTest, ConversionErrorNamesFileLineColumnAndValue) {
  TempDir dir;
  std::string text = "id,name,price\n";
  for (int i = 0; i < 15; i++) text += std::to_string(i) + ",n,1.5\n";
  text += "15,n,abc\n";
  const auto path = dir.Write("data.csv", text);
  CsvOptions options;
  options.column_types = {{"price", TypeId::kDouble}};
  EXPECT_EQ(ReadError(path, options),
            "Error reading CSV '" + path +
                "' line 17, column 3 (\"price\"): could not convert \"abc\" to DOUBLE");
}

TEST(CsvReaderTest, StructuralErrors) {
  TempDir dir;
  const auto few = dir.Write("few.csv", "a,b,c\n1,2,3\n4,5\n");
  EXPECT_EQ(ReadError(few), "Error reading CSV '" + few +
                                "' line 3, column 3 (\"c\"): expected 3 columns but found 2");
  const auto many = dir.Write("many.csv", "a,b\n1,2\n4,5,6\n");
  EXPECT_EQ(ReadError(many),
            "Error reading CSV '" + many + "' line 3, column 3: expected 2 columns but found 3");
  const auto open = dir.Write("open.csv", "a,b\n1,2\n3,\"abc\n");
  EXPECT_EQ(ReadError(open), "Error reading CSV '" + open +
                                 "' line 3, column 2 (\"b\"): unterminated quoted value");
  const auto after = dir.Write("after.csv", "a,b\n1,2\n3,\"x\"y\n");
  EXPECT_EQ(ReadError(after), "Error reading CSV '" + after +
                                  "' line 3, column 2 (\"b\"): unexpected text after a closing "
                                  "quote");
}

TEST(CsvReaderTest, FirstErrorInFileOrderIsReported) {
  TempDir dir;
  const auto path = dir.Write("t.csv", "a,b\n1,2\n1,x\ny,2\n");
  CsvOptions options;
  options.column_types = {{"a", TypeId::kBigInt}, {"b", TypeId::kBigInt}};
  EXPECT_EQ(ReadError(path, options),
            "Error reading CSV '" + path +
                "' line 3, column 2 (\"b\"): could not convert \"x\" to BIGINT");
}

TEST(CsvReaderTest, LineTooLong) {
  TempDir dir;
  const auto path = dir.Write("t.csv", "a\n" + std::string(5000, 'x') + "\n");
  CsvOptions options;
  options.max_line_size = 1000;
  EXPECT_EQ(ReadError(path, options),
            "Error reading CSV '" + path +
                "' line 2: row longer than max_line_size (1000 bytes); read_csv(..., "
                "max_line_size = N) reads longer rows");
}

TEST(CsvReaderTest, IgnoreErrorsCountsAndWritesRejects) {
  TempDir dir;
  const auto path =
      dir.Write("t.csv", "id,price\n1,1.5\n2,abc\n3\n4,2.5\n5,\"x,y\",z\n6,3.5\n7,\"open\n");
  CsvOptions options;
  options.column_types = {{"price", TypeId::kDouble}};
  options.ignore_errors = true;
  options.rejects_path = dir.path() + "/rejects.csv";
  auto source = CsvSource::Open(path, options);
  EXPECT_EQ(testing::ReadRows(*source), (Rows{{"1", "1.5"}, {"4", "2.5"}, {"6", "3.5"}}));
  EXPECT_EQ(source->rejected_rows(), 4);
  const std::string expected =
      "file,line,column,error,raw_line\n" + path +
      ",3,2,\"could not convert \"\"abc\"\" to DOUBLE\",\"2,abc\"\n" + path +
      ",4,2,expected 2 columns but found 1,3\n" + path +
      ",6,3,expected 2 columns but found 3,\"5,\"\"x,y\"\",z\"\n" + path +
      ",8,2,unterminated quoted value,\"7,\"\"open\"\n";
  EXPECT_EQ(testing::ReadFile(options.rejects_path), expected);
}

TEST(CsvReaderTest, IgnoreErrorsWithNullsInKeptRows) {
  TempDir dir;
  std::string text = "a,b\n";
  for (int i = 0; i < 3000; i++) {
    if (i % 7 == 0) {
      text += "bad,1\n";
    } else if (i % 5 == 0) {
      text += std::to_string(i) + ",\n";
    } else {
      text += std::to_string(i) + "," + std::to_string(i * 2) + "\n";
    }
  }
  CsvOptions options;
  options.column_types = {{"a", TypeId::kBigInt}, {"b", TypeId::kBigInt}};
  options.ignore_errors = true;
  auto source = CsvSource::Open(dir.Write("t.csv", text), options);
  const Rows rows = testing::ReadRows(*source);
  size_t k = 0;
  for (int i = 0; i < 3000; i++) {
    if (i % 7 == 0) continue;
    ASSERT_LT(k, rows.size());
    EXPECT_EQ(rows[k][0], std::to_string(i));
    EXPECT_EQ(rows[k][1], i % 5 == 0 ? "NULL" : std::to_string(i * 2)) << i;
    k++;
  }
  EXPECT_EQ(k, rows.size());
  EXPECT_EQ(source->rejected_rows(), 429);
}

TEST(CsvReaderTest, NarrowTypesCheckRange) {
  TempDir dir;
  const auto path = dir.Write("t.csv", "a\n100\n300\n");
  CsvOptions options;
  options.schema = testing::MakeSchema({{"a", TypeId::kTinyInt}});
  EXPECT_EQ(ReadError(path, options),
            "Error reading CSV '" + path +
                "' line 3, column 1 (\"a\"): could not convert \"300\" to TINYINT");
}

}  // namespace
}  // namespace sluice
