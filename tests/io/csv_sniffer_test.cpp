#include <gtest/gtest.h>

#include "csv_test_util.h"
#include "io/csv_reader.h"

namespace sluice {
namespace {

using testing::ReadCsv;
using testing::Rows;
using testing::TempDir;

std::vector<TypeId> TypesOf(const CsvSource& source) {
  std::vector<TypeId> out;
  for (const auto& f : source.schema().fields()) out.push_back(f.type.id());
  return out;
}

TEST(CsvSnifferTest, InfersEachType) {
  TempDir dir;
  const auto path = dir.Write(
      "t.csv",
      "b,i,d,dt,ts,s\n"
      "true,1,1.5,2024-01-02,2024-01-02 03:04:05,x\n"
      "false,-20,2,2024-12-31,2024-01-02,y\n"
      "TRUE,300,1e3,1999-01-01,2024-01-02T10:00:00.5,3\n");
  auto source = CsvSource::Open(path, {});
  EXPECT_TRUE(source->header());
  EXPECT_EQ(source->schema().Names(),
            (std::vector<std::string>{"b", "i", "d", "dt", "ts", "s"}));
  EXPECT_EQ(TypesOf(*source),
            (std::vector<TypeId>{TypeId::kBoolean, TypeId::kBigInt, TypeId::kDouble,
                                 TypeId::kDate, TypeId::kTimestamp, TypeId::kVarchar}));
  const Rows rows = testing::ReadRows(*source);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"true", "1", "1.5", "2024-01-02",
                                               "2024-01-02 03:04:05", "x"}));
  EXPECT_EQ(rows[2][4], "2024-01-02 10:00:00.5");
  EXPECT_EQ(rows[2][2], "1000.0");
}

TEST(CsvSnifferTest, NullsAreIgnoredForInferenceAndAllNullIsVarchar) {
  TempDir dir;
  const auto path = dir.Write("t.csv", "a,b,c\n1,,x\n,,y\n3,,\n");
  auto source = CsvSource::Open(path, {});
  EXPECT_EQ(TypesOf(*source),
            (std::vector<TypeId>{TypeId::kBigInt, TypeId::kVarchar, TypeId::kVarchar}));
  EXPECT_EQ(testing::ReadRows(*source),
            (Rows{{"1", "NULL", "x"}, {"NULL", "NULL", "y"}, {"3", "NULL", "NULL"}}));
}

TEST(CsvSnifferTest, NoHeaderWhenFirstRowIsData) {
  TempDir dir;
  const auto path = dir.Write("t.csv", "1,a\n2,b\n");
  auto source = CsvSource::Open(path, {});
  EXPECT_FALSE(source->header());
  EXPECT_EQ(source->schema().Names(), (std::vector<std::string>{"column0", "column1"}));
  EXPECT_EQ(testing::ReadRows(*source), (Rows{{"1", "a"}, {"2", "b"}}));
}

TEST(CsvSnifferTest, HeaderOverAllStringColumns) {
  TempDir dir;
  EXPECT_TRUE(CsvSource::Open(dir.Write("a.csv", "name,city\nann,paris\n"), {})->header());
  // Duplicate names in the first row of all-string data: data, not a header.
  EXPECT_FALSE(CsvSource::Open(dir.Write("b.csv", "x,x\nann,paris\n"), {})->header());
}

TEST(CsvSnifferTest, ExplicitHeaderSettings) {
  TempDir dir;
  const auto path = dir.Write("t.csv", "a,b\nc,d\n");
  CsvOptions options;
  options.header = false;
  EXPECT_EQ(ReadCsv(path, options), (Rows{{"a", "b"}, {"c", "d"}}));
  options.header = true;
  EXPECT_EQ(ReadCsv(path, options), (Rows{{"c", "d"}}));
}

TEST(CsvSnifferTest, DeduplicatesAndFillsHeaderNames) {
  TempDir dir;
  const auto path = dir.Write("t.csv", "a,,A,a\n1,2,3,4\n");
  auto source = CsvSource::Open(path, {});
  EXPECT_EQ(source->schema().Names(),
            (std::vector<std::string>{"a", "column1", "A_1", "a_2"}));
}

TEST(CsvSnifferTest, GeneratedNamesArePadded) {
  TempDir dir;
  const auto path = dir.Write("t.csv", "1,2,3,4,5,6,7,8,9,10,11\n");
  auto source = CsvSource::Open(path, {});
  EXPECT_EQ(source->schema().field(0).name, "column00");
  EXPECT_EQ(source->schema().field(10).name, "column10");
}

TEST(CsvSnifferTest, DetectsDelimiters) {
  TempDir dir;
  for (const char d : {',', '|', ';', '\t'}) {
    std::string text = "a,b,c\n1,x y,2.5\n3,z,4\n";
    for (char& c : text) {
      if (c == ',') c = d;
    }
    auto source = CsvSource::Open(dir.Write("t.csv", text), {});
    EXPECT_EQ(source->dialect().delimiter, d);
    EXPECT_EQ(testing::ReadRows(*source), (Rows{{"1", "x y", "2.5"}, {"3", "z", "4.0"}}));
  }
}

TEST(CsvSnifferTest, CommasInsideQuotesDoNotFoolDelimiterDetection) {
  TempDir dir;
  const auto path = dir.Write("t.csv", "a;b\n\"x,y\";1\n\"p,q,r\";2\n");
  auto source = CsvSource::Open(path, {});
  EXPECT_EQ(source->dialect().delimiter, ';');
  EXPECT_EQ(testing::ReadRows(*source), (Rows{{"x,y", "1"}, {"p,q,r", "2"}}));
}

TEST(CsvSnifferTest, SchemaOverrides) {
  TempDir dir;
  const auto path = dir.Write("t.csv", "id,price,day\n1,2.50,2024-01-01\n2,3,2024-01-02\n");
  CsvOptions options;
  options.column_types = {{"PRICE", LogicalType::Decimal(10, 2)}, {"id", TypeId::kVarchar}};
  auto source = CsvSource::Open(path, options);
  EXPECT_EQ(source->schema().field(0).type.id(), TypeId::kVarchar);
  EXPECT_EQ(source->schema().field(1).type, LogicalType::Decimal(10, 2));
  EXPECT_EQ(testing::ReadRows(*source)[1], (std::vector<std::string>{"2", "3.00", "2024-01-02"}));

  options.column_types = {{"prise", TypeId::kDouble}};
  try {
    CsvSource::Open(path, options);
    FAIL();
  } catch (const InvalidInputError& e) {
    EXPECT_NE(std::string(e.what()).find("did you mean \"price\""), std::string::npos)
        << e.what();
  }

  CsvOptions full;
  full.schema = testing::MakeSchema({{"k", TypeId::kInteger}, {"v", TypeId::kDouble}, {"d", TypeId::kDate}});
  source = CsvSource::Open(path, full);
  EXPECT_EQ(source->schema().Names(), (std::vector<std::string>{"k", "v", "d"}));
  EXPECT_EQ(source->schema().field(0).type.id(), TypeId::kInteger);
  EXPECT_EQ(testing::ReadRows(*source)[0], (std::vector<std::string>{"1", "2.5", "2024-01-01"}));

  full.schema = testing::MakeSchema({{"k", TypeId::kInteger}});
  EXPECT_THROW(CsvSource::Open(path, full), InvalidInputError);

  CsvOptions names;
  names.column_names = {"x", "y", "z"};
  EXPECT_EQ(CsvSource::Open(path, names)->schema().Names(),
            (std::vector<std::string>{"x", "y", "z"}));
}

TEST(CsvSnifferTest, DateFormats) {
  TempDir dir;
  const auto path = dir.Write("t.csv", "d,t\n01/02/2024,2024-03-04 05:06 PM\n");
  CsvOptions options;
  options.date_format = "%d/%m/%Y";
  options.timestamp_format = "%Y-%m-%d %I:%M %p";
  auto source = CsvSource::Open(path, options);
  EXPECT_EQ(source->schema().field(0).type.id(), TypeId::kDate);
  EXPECT_EQ(source->schema().field(1).type.id(), TypeId::kTimestamp);
  EXPECT_EQ(testing::ReadRows(*source)[0],
            (std::vector<std::string>{"2024-02-01", "2024-03-04 17:06:00"}));
}

TEST(CsvSnifferTest, SkipAndComments) {
  TempDir dir;
  const auto path = dir.Write("t.csv", "garbage line\nmore, garbage\na,b\n# note\n1,2\n\n3,4\n");
  CsvOptions options;
  options.skip = 2;
  options.comment = '#';
  auto source = CsvSource::Open(path, options);
  EXPECT_EQ(source->schema().Names(), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(testing::ReadRows(*source), (Rows{{"1", "2"}, {"3", "4"}}));
}

TEST(CsvSnifferTest, ByteOrderMarkIsSkipped) {
  TempDir dir;
  auto source = CsvSource::Open(dir.Write("t.csv", "\xEF\xBB\xBFid,v\n1,x\n"), {});
  EXPECT_EQ(source->schema().Names(), (std::vector<std::string>{"id", "v"}));
  EXPECT_EQ(testing::ReadRows(*source), (Rows{{"1", "x"}}));
  CsvOptions options;
  options.header = false;
  source = CsvSource::Open(dir.Write("u.csv", "\xEF\xBB\xBF" "1,x\n"), options);
  EXPECT_EQ(testing::ReadRows(*source), (Rows{{"1", "x"}}));
}

TEST(CsvSnifferTest, EmptyAndHeaderOnlyFiles) {
  TempDir dir;
  EXPECT_THROW(CsvSource::Open(dir.Write("e.csv", ""), {}), InvalidInputError);
  auto source = CsvSource::Open(dir.Write("h.csv", "a,b\n"), {});
  EXPECT_EQ(source->schema().Names(), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(testing::ReadRows(*source).empty());
}

}  // namespace
}  // namespace sluice
