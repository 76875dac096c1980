// A Session over a warehouse directory: what one session writes, the next one reads.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "api/dataframe.h"
#include "catalog/warehouse.h"
#include "catalog_test_util.h"
#include "common/error.h"

namespace sluice {
namespace {

using testing::Query;
using testing::TempDir;

Settings TestSettings() {
  Settings s;
  s.set_threads(2);
  return s;
}

int64_t VersionOf(Session& session, const std::string& name) {
  return session.warehouse().FindTable(ParseCatalogName(name))->Current().version;
}

TEST(SessionWarehouseTest, PersistsAcrossSessions) {
  TempDir tmp;
  const std::string db = tmp.path() + "/db";
  {
    Session s(TestSettings(), db);
    RunSqlScript(s,
                 "CREATE SCHEMA staging;"
                 "CREATE TABLE staging.items AS SELECT range AS id, 'item' || range AS name "
                 "FROM range(5);"
                 "INSERT INTO staging.items VALUES (10, 'ten');"
                 "DELETE FROM staging.items WHERE id < 2;"
                 "UPDATE staging.items SET name = upper(name) WHERE id = 10;"
                 "CREATE VIEW big_items (item_id) AS SELECT id FROM staging.items WHERE id >= 3;");
  }
  Session s(TestSettings(), db);
  EXPECT_EQ(Query(s, "SELECT id, name FROM staging.items"),
            (std::vector<std::string>{"10|TEN", "2|item2", "3|item3", "4|item4"}));
  EXPECT_EQ(Query(s, "SELECT item_id FROM big_items"), (std::vector<std::string>{"10", "3", "4"}));
  EXPECT_EQ(Query(s, "SHOW TABLES"), (std::vector<std::string>{"big_items", "staging.items"}));
  // The view is bound again on use: it sees rows committed after it was created.
  RunSqlScript(s, "INSERT INTO staging.items VALUES (20, 'twenty')");
  EXPECT_EQ(Query(s, "SELECT count(*) FROM big_items"), std::vector<std::string>{"4"});
}

// Opening a warehouse removes a view's temporary file only when it is old (an interrupted
// write): a fresh one may belong to a write in flight in another process or MPI rank, whose
// rename must still find it.
TEST(SessionWarehouseTest, OpeningKeepsAnotherProcessesViewWriteInFlight) {
  TempDir tmp;
  const std::string db = tmp.path() + "/db";
  { Session s(TestSettings(), db); RunSqlScript(s, "CREATE VIEW v AS SELECT 1 AS x"); }
  const std::filesystem::path views = std::filesystem::path(db) / "main" / "_views";
  const auto fresh = views / "w.json.tmp-inflight";
  const auto stale = views / "u.json.tmp-interrupted";
  for (const auto& p : {fresh, stale}) std::ofstream(p) << "{";
  std::filesystem::last_write_time(
      stale, std::filesystem::file_time_type::clock::now() - std::chrono::hours(2));
  Session s(TestSettings(), db);
  EXPECT_EQ(Query(s, "SELECT x FROM v"), std::vector<std::string>{"1"});
  EXPECT_TRUE(std::filesystem::exists(fresh));
  EXPECT_FALSE(std::filesystem::exists(stale));
}

TEST(SessionWarehouseTest, FailingStatementKeepsTheOldSnapshot) {
  TempDir tmp;
  Session s(TestSettings(), tmp.path() + "/db");
  RunSqlScript(s, "CREATE TABLE t AS SELECT range AS k, range * 10 AS v FROM range(3)");
  const int64_t version = VersionOf(s, "t");
  EXPECT_THROW(
      RunSqlScript(s, "INSERT INTO t SELECT CAST('x' || range AS BIGINT), 1 FROM range(2)"),
      UserError);
  EXPECT_THROW(RunSqlScript(s, "UPDATE t SET v = CAST('oops' AS BIGINT) WHERE k = 1"), UserError);
  EXPECT_THROW(RunSqlScript(s,
                            "MERGE INTO t USING (SELECT 1 AS k UNION ALL SELECT 1) s "
                            "ON t.k = s.k WHEN MATCHED THEN DELETE"),
               UserError);
  EXPECT_EQ(VersionOf(s, "t"), version);
  EXPECT_EQ(Query(s, "SELECT k, v FROM t"), (std::vector<std::string>{"0|0", "1|10", "2|20"}));
}

TEST(SessionWarehouseTest, MergeDuplicateKeyNamesTheKey) {
  Session s(TestSettings());
  RunSqlScript(s, "CREATE TABLE t AS SELECT range AS k FROM range(3)");
  try {
    RunSqlScript(s,
                 "MERGE INTO t USING (SELECT 2 AS k, 'a' AS x UNION ALL SELECT 2, 'b') s "
                 "ON t.k = s.k WHEN MATCHED THEN DELETE");
    FAIL() << "expected an error";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("MERGE: duplicate key (k=2) in source"), std::string::npos)
        << e.what();
  }
}

TEST(SessionWarehouseTest, DmlReportsRowsAffected) {
  Session s(TestSettings());
  RunSqlScript(s, "CREATE TABLE t AS SELECT range AS k, 0 AS v FROM range(5)");
  auto message = [&](const std::string& sql) { return RunSqlScript(s, sql).back().message; };
  EXPECT_EQ(message("INSERT INTO t VALUES (5, 0), (6, 0)"), "2");
  EXPECT_EQ(message("DELETE FROM t WHERE k >= 5"), "2");
  EXPECT_EQ(message("UPDATE t SET v = 1 WHERE k < 3"), "3");
  EXPECT_EQ(message("MERGE INTO t USING (SELECT 1 AS k UNION ALL SELECT 9) s ON t.k = s.k "
                    "WHEN MATCHED THEN DELETE WHEN NOT MATCHED THEN INSERT VALUES (s.k, 9)"),
            "2");
  EXPECT_EQ(Query(s, "SELECT k, v FROM t"),
            (std::vector<std::string>{"0|1", "2|1", "3|0", "4|0", "9|9"}));
}

TEST(SessionWarehouseTest, InMemorySessionKeepsApiBehaviour) {
  Session s(TestSettings());
  s.CreateTable("nums", s.Range(0, 4));
  EXPECT_TRUE(s.HasTable("NUMS"));
  EXPECT_TRUE(s.IsTable("main.nums"));
  s.RegisterView("evens", SqlQuery(s, "SELECT range FROM nums WHERE range % 2 = 0"));
  EXPECT_FALSE(s.IsTable("evens"));
  EXPECT_EQ(s.TableNames(), (std::vector<std::string>{"evens", "nums"}));
  RunSqlScript(s, "INSERT INTO nums VALUES (4)");
  EXPECT_EQ(Query(s, "SELECT count(*) FROM evens"), std::vector<std::string>{"3"});
  s.Drop("evens");
  EXPECT_FALSE(s.HasTable("evens"));
  EXPECT_THROW(s.Drop("evens"), BindError);
}

}  // namespace
}  // namespace sluice
