// CREATE TABLE AS and INSERT stream their rows into the table's files (WriteSink) instead of
// gathering them in memory first, and a failing write commits nothing.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include "catalog_test_util.h"
#include "common/error.h"

namespace sluice {
namespace {

using testing::Query;
using testing::TempDir;

// The process's peak resident set so far, in bytes (each test runs in its own process).
int64_t PeakRss() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<int64_t>(usage.ru_maxrss) * 1024;
}

TEST(StreamingWriteTest, CreateTableAsDoesNotHoldItsRows) {
  TempDir dir;
  Session s(Settings{}, dir.path() + "/db");
  RunSqlScript(s, "CREATE TABLE warm AS SELECT range AS a FROM range(100000)");
  const int64_t before = PeakRss();
  // 6M rows of three BIGINT columns: 144 MB of values if they were gathered first.
  RunSqlScript(s,
               "CREATE TABLE t AS SELECT range AS a, range * 2 AS b, range % 7 AS c "
               "FROM range(6000000)");
  const int64_t grew = PeakRss() - before;
  EXPECT_EQ(Query(s, "SELECT count(*), sum(a), sum(c) FROM t"),
            std::vector<std::string>{"6000000|17999997000000|17999997"});
  EXPECT_LT(grew, int64_t{100} << 20) << "peak RSS grew by " << grew << " bytes";
}

TEST(StreamingWriteTest, InsertStreamsAndCountsRows) {
  TempDir dir;
  Session s(Settings{}, dir.path() + "/db");
  RunSqlScript(s, "CREATE TABLE t (a BIGINT, b BIGINT)");
  const int64_t before = PeakRss();
  auto results = RunSqlScript(s, "INSERT INTO t SELECT range, range + 1 FROM range(6000000)");
  const int64_t grew = PeakRss() - before;
  EXPECT_EQ(results.back().message, "6000000");
  EXPECT_EQ(Query(s, "SELECT count(*), max(b) FROM t"), std::vector<std::string>{"6000000|6000000"});
  EXPECT_LT(grew, int64_t{100} << 20) << "peak RSS grew by " << grew << " bytes";
}

TEST(StreamingWriteTest, FailedCreateTableAsLeavesTheOldTable) {
  TempDir dir;
  Session s(Settings{}, dir.path() + "/db");
  RunSqlScript(s, "CREATE TABLE t AS SELECT range AS a FROM range(10)");
  // Fails in a late row, after earlier tasks have written files.
  EXPECT_THROW(RunSqlScript(s,
                            "CREATE OR REPLACE TABLE t AS SELECT CAST(CASE WHEN range = 2999999 "
                            "THEN 'x' ELSE CAST(range AS VARCHAR) END AS BIGINT) AS a "
                            "FROM range(3000000)"),
               UserError);
  EXPECT_EQ(Query(s, "SELECT count(*), sum(a) FROM t"), std::vector<std::string>{"10|45"});
  EXPECT_EQ(testing::DataFiles(dir.path() + "/db/main/t"), 1u);
  EXPECT_THROW(RunSqlScript(s,
                            "CREATE TABLE fresh AS SELECT CAST(CASE WHEN range = 2999999 "
                            "THEN 'x' ELSE CAST(range AS VARCHAR) END AS BIGINT) AS a "
                            "FROM range(3000000)"),
               UserError);
  EXPECT_FALSE(s.HasTable("fresh"));
  RunSqlScript(s, "CREATE TABLE fresh AS SELECT 1 AS a");  // the name is free again
  EXPECT_EQ(Query(s, "SELECT a FROM fresh"), std::vector<std::string>{"1"});
}

}  // namespace
}  // namespace sluice
