#include <gtest/gtest.h>

#include <filesystem>

#include "api/dataframe.h"
#include "api/session.h"
#include "api/sql_runner.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;

// Filters above a Parquet scan reach the source: row groups and partition files the
// predicates exclude are skipped, and EXPLAIN ANALYZE says so.
TEST(ParquetPruning, RowGroupsAndPartitionsSkipped) {
  const fs::path dir = fs::temp_directory_path() / "sluice_pruning_test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  Session session;
  const std::string file = (dir / "x.parquet").string();
  RunSqlScript(session, "COPY (SELECT range AS x FROM range(100000)) TO '" + file +
                            "' (FORMAT parquet, ROW_GROUP_SIZE 10000)");
  DataFrame df = SqlQuery(session, "SELECT count(*) FROM read_parquet('" + file +
                                       "') WHERE x >= 95000");
  QueryProfile profile;
  std::vector<Batch> out = session.Execute(*df.plan(), &profile);
  ASSERT_EQ(out.at(0).GetRow(0)[0].GetInt(), 5000);
  EXPECT_NE(profile.explain.find("10 row groups, 9 pruned by statistics"), std::string::npos)
      << profile.explain;

  const std::string parts = (dir / "parts").string();
  RunSqlScript(session, "COPY (SELECT range AS x, range % 4 AS k FROM range(1000)) TO '" + parts +
                            "' (FORMAT parquet, PARTITION_BY (k), MAX_FILES_PER_PARTITION 1)");
  df = SqlQuery(session, "SELECT sum(x) FROM read_parquet('" + parts + "') WHERE k = 1");
  out = session.Execute(*df.plan(), &profile);
  ASSERT_EQ(out.at(0).GetRow(0)[0].GetInt(), 124750);
  EXPECT_NE(profile.explain.find("4 files, 3 pruned by partition filters"), std::string::npos)
      << profile.explain;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace sluice
