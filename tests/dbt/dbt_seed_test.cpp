// Seeds read as dbt reads them (agate): the CSV parser, type inference and the seed_quirks
// sample project (CRLF, quoted commas / quotes / newlines, NULL texts, column_types,
// quote_columns, delimiter).
#include "api/dataframe.h"
#include "dbt/project.h"
#include "dbt/seed_csv.h"
#include "dbt_test_util.h"

namespace sluice::dbt {
namespace {

TEST(SeedCsvTest, ParsesQuotesNewlinesAndCrlfLikePythonCsv) {
  const SeedCsv csv = ParseSeedCsv(
      "\xEF\xBB\xBF"
      "a,b,c\r\n1,\"x, \"\"y\"\"\",\"two\r\nlines\"\r\n2,,\"\"\r\n3\r\n\r\n4,a\"b,\"q\"z\n",
      "s.csv");
  ASSERT_EQ(csv.names, (std::vector<std::string>{"a", "b", "c"}));
  ASSERT_EQ(csv.rows.size(), 5u);
  EXPECT_EQ(csv.rows[0], (std::vector<std::string>{"1", "x, \"y\"", "two\nlines"}));
  EXPECT_EQ(csv.rows[1], (std::vector<std::string>{"2", "", ""}));
  EXPECT_EQ(csv.rows[2], (std::vector<std::string>{"3", "", ""}));  // short row: padded
  EXPECT_EQ(csv.rows[3], (std::vector<std::string>{"", "", ""}));   // blank line: all NULL
  EXPECT_EQ(csv.rows[4], (std::vector<std::string>{"4", "a\"b", "qz"}));
  EXPECT_EQ(csv.lines, (std::vector<int64_t>{2, 4, 5, 6, 7}));
}

TEST(SeedCsvTest, BadFilesNameTheLine) {
  try {
    ParseSeedCsv("a,b\n1,2\n3,\"open\n4,5\n", "seeds/bad.csv");
    FAIL() << "expected an error";
  } catch (const DbtError& e) {
    EXPECT_NE(std::string(e.what()).find("seeds/bad.csv:3: a quoted field is not closed"),
              std::string::npos)
        << e.what();
  }
  try {
    ParseSeedCsv("a,b\n1,2\n3,4,5\n", "seeds/bad.csv");
    FAIL() << "expected an error";
  } catch (const DbtError& e) {
    EXPECT_NE(std::string(e.what()).find("seeds/bad.csv:3: the row has 3 fields"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW(ParseSeedCsv("a,a\n1,2\n", "d.csv"), DbtError);
  EXPECT_THROW(ParseSeedCsv("a,,c\n1,2,3\n", "e.csv"), DbtError);
  EXPECT_THROW(ParseSeedCsv("", "f.csv"), DbtError);
}

TEST(SeedCsvTest, InfersTypesLikeAgate) {
  const SeedCsv csv = ParseSeedCsv(
      "int,num,money,date,ts,iso,bool,yesno,nulls,text,zip\n"
      "1,1.5,\"$1,200\",2024-01-05,2024-01-05 10:30:00,2024-01-05T10:30:00.25,true,yes,,a,01234\n"
      "-2,2,50%,2024-1-6,2024-01-06 01:02:03,2024-01-06T11:00Z,FALSE,no,null,NULL,02134\n"
      "null,,,,,,,,,,\n",
      "t.csv");
  const auto types = InferSeedTypes(csv, {"zip"});
  std::vector<std::string> sql;
  for (const auto& t : types) sql.push_back(t.sql_type);
  EXPECT_EQ(
      sql, (std::vector<std::string>{"INTEGER", "DOUBLE", "INTEGER", "DATE", "TIMESTAMP",
                                     "TIMESTAMP", "BOOLEAN", "VARCHAR", "INTEGER", "VARCHAR",
                                     "VARCHAR"}));
  EXPECT_EQ(NormalizeSeedValue(types[2].type, "$1,200"), "1200");
  EXPECT_EQ(NormalizeSeedValue(types[2].type, "50%"), "50");
  EXPECT_EQ(NormalizeSeedValue(types[3].type, "2024-1-6"), "2024-01-06");
  EXPECT_EQ(NormalizeSeedValue(types[5].type, "2024-01-06T11:00Z"), "2024-01-06 11:00:00");
  EXPECT_EQ(NormalizeSeedValue(types[6].type, "FALSE"), "false");
  EXPECT_EQ(NormalizeSeedValue(types[9].type, "NULL"), std::nullopt);
  EXPECT_EQ(NormalizeSeedValue(types[9].type, ""), std::nullopt);
  EXPECT_EQ(NormalizeSeedValue(types[10].type, "01234"), "01234");
  // One fractional digit anywhere makes a Number column DOUBLE ("1.0" too); 1e3 is integral.
  EXPECT_EQ(InferSeedTypes(ParseSeedCsv("x\n1\n1.0\n", "u.csv"), {})[0].sql_type, "DOUBLE");
  EXPECT_EQ(InferSeedTypes(ParseSeedCsv("x\n1\n1e3\n", "u.csv"), {})[0].sql_type, "INTEGER");
  // Whole numbers are INTEGER as in dbt-duckdb, BIGINT past 32 bits, DOUBLE past 64.
  EXPECT_EQ(InferSeedTypes(ParseSeedCsv("x\n2147483647\n-2147483648\n", "u.csv"), {})[0].sql_type,
            "INTEGER");
  EXPECT_EQ(InferSeedTypes(ParseSeedCsv("x\n1\n2147483648\n", "u.csv"), {})[0].sql_type, "BIGINT");
  EXPECT_EQ(InferSeedTypes(ParseSeedCsv("x\n-2147483649\n", "u.csv"), {})[0].sql_type, "BIGINT");
  EXPECT_EQ(InferSeedTypes(ParseSeedCsv("x\n9223372036854775808\n", "u.csv"), {})[0].sql_type,
            "DOUBLE");
  // Invalid dates are text; a space before a fraction of a second is not a datetime in dbt.
  EXPECT_EQ(InferSeedTypes(ParseSeedCsv("x\n2023-02-29\n", "u.csv"), {})[0].sql_type, "VARCHAR");
  // Zero-padded numbers are identifiers (zip codes): text without column_types, as read_csv
  // infers; '0', '0.5' and '-01' stay numbers.
  EXPECT_EQ(InferSeedTypes(ParseSeedCsv("zip\n01001\n02139\n", "u.csv"), {})[0].sql_type,
            "VARCHAR");
  EXPECT_EQ(InferSeedTypes(ParseSeedCsv("x\n00.5\n1\n", "u.csv"), {})[0].sql_type, "VARCHAR");
  EXPECT_EQ(InferSeedTypes(ParseSeedCsv("x\n0\n-01\n", "u.csv"), {})[0].sql_type, "INTEGER");
  EXPECT_EQ(InferSeedTypes(ParseSeedCsv("x\n0.5\n3\n", "u.csv"), {})[0].sql_type, "DOUBLE");
  EXPECT_EQ(InferSeedTypes(ParseSeedCsv("x\n2023-02-28 10:00:00.5\n", "u.csv"), {})[0].sql_type,
            "VARCHAR");
}

class SeedQuirksTest : public ::testing::Test {
 protected:
  DbtReport Run(DbtCommand command, const std::string& project = SLUICE_SEED_QUIRKS_DIR) {
    DbtOptions options;
    options.project_dir = project;
    options.target_path = dir_.Sub("target");
    return RunDbt(session_, command, options);
  }
  std::string Types(const std::string& table) {
    std::string out;
    const DataFrame df = session_.Table(table);
    for (const auto& field : df.schema().fields()) {
      out += (out.empty() ? "" : ", ") + field.name + " " + field.type.ToString();
    }
    return out;
  }

  TempDir dir_;
  Session session_;
};

TEST_F(SeedQuirksTest, LoadsSeedsAsDbtDoes) {
  const DbtReport report = Run(DbtCommand::kBuild);
  for (const auto& r : report.results) {
    EXPECT_TRUE(r.status == "success" || r.status == "pass") << r.unique_id << ": " << r.message;
  }
  EXPECT_EQ(Types("quirky"),
            "id INTEGER, name VARCHAR, note VARCHAR, amount INTEGER, ratio DOUBLE, active BOOLEAN, "
            "signup_date DATE, updated_at TIMESTAMP, zip VARCHAR, blank_col INTEGER");
  EXPECT_EQ(QueryCsv(session_,
                     "select id, name, note, amount, ratio, active, signup_date, updated_at, zip, "
                     "blank_col, name is null as name_null from quirky order by id"),
            "id,name,note,amount,ratio,active,signup_date,updated_at,zip,blank_col,name_null\n"
            "1,\"Smith, John\",\"said \"\"hi\"\"\",100,1.5,true,2024-01-05,2024-01-05 10:30:00,"
            "01234,,false\n"
            "2,\"Multi\nline\",,1200,2.0,false,2024-01-06,2024-01-06 11:00:00,02134,,false\n"
            "3,  padded  ,,-7,0.25,true,,,10001,,false\n"
            "4,,,,,,2024-02-29,2024-02-29 23:59:59.5,99999,,true\n");
  // quote_columns keeps header names as written; column_types applies from properties files.
  EXPECT_EQ(QueryCsv(session_,
                     "select \"Customer ID\", \"First Name\", vip from quoted_columns "
                     "order by 1"),
            "Customer ID,First Name,vip\n1,Ann,yes\n2,Bob,no\n");
  // delimiter from dbt_project.yml, a UTF-8 BOM skipped.
  EXPECT_EQ(QueryCsv(session_, "select * from semicolons order by code"),
            "code,label,price\nA,\"alpha, first\",3.0\nB,beta,4.25\n");
  EXPECT_EQ(Types("semicolons"), "code VARCHAR, label VARCHAR, price DOUBLE");
}

TEST_F(SeedQuirksTest, BadSeedsFailWithTheFileAndLine) {
  TempDir project;
  project.Write("dbt_project.yml",
                "name: p\nconfig-version: 2\nseeds:\n  p:\n    typed:\n      +column_types:\n"
                "        n: bigint\n    names:\n      +quote_columns: false\n    plain:\n"
                "      +quote_columns: false\n    odd:\n      +quote_columns: sometimes\n");
  project.Write("seeds/plain.csv", "Id,Name\n1,x\n");
  project.Write("seeds/odd.csv", "a\n1\n");
  project.Write("seeds/typed.csv", "n,s\n1,a\n2,b\nthree,c\n");
  project.Write("seeds/names.csv", "Good,Not ok\n1,2\n");
  const DbtReport report = Run(DbtCommand::kSeed, project.path());
  const NodeResult* typed = report.Find("seed.p.typed");
  ASSERT_NE(typed, nullptr);
  EXPECT_EQ(typed->status, "error");
  EXPECT_NE(typed->message.find("seeds/typed.csv:4: column 'n': 'three' is not a bigint"),
            std::string::npos)
      << typed->message;
  const NodeResult* names = report.Find("seed.p.names");
  ASSERT_NE(names, nullptr);
  EXPECT_EQ(names->status, "error");
  EXPECT_NE(names->message.find("seeds/names.csv: column 'Not ok' is not a plain identifier"),
            std::string::npos)
      << names->message;
  ASSERT_NE(report.Find("seed.p.plain"), nullptr);
  EXPECT_EQ(report.Find("seed.p.plain")->status, "success");
  // Unquoted names fold to lower case, as they would in SQL (quote_columns: true keeps case).
  EXPECT_EQ(QueryCsv(session_, "select * from plain"), "id,name\n1,x\n");
  ASSERT_NE(report.Find("seed.p.odd"), nullptr);
  EXPECT_NE(report.Find("seed.p.odd")->message.find("quote_columns must be true or false"),
            std::string::npos);
  EXPECT_FALSE(session_.HasTable("typed"));
  EXPECT_FALSE(session_.HasTable("typed__dbt_seed_text"));  // the temporary text view
}

}  // namespace
}  // namespace sluice::dbt
