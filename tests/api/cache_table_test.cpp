// CACHE TABLE / UNCACHE TABLE: cached names read materialized rows instead of their plan.
#include <gtest/gtest.h>

#include "api/dataframe.h"
#include "api/session.h"
#include "api/sql_runner.h"

namespace sluice {
namespace {

class CacheTableTest : public ::testing::Test {
 protected:
  CacheTableTest() : session_(TestSettings()) {
    Run("CREATE TABLE t AS SELECT range AS id, range % 10 AS k FROM range(1000);"
        "CREATE VIEW v AS SELECT k, count(*) AS c FROM t GROUP BY k");
  }
  static Settings TestSettings() {
    Settings s;
    s.set_threads(2);
    s.set_shuffle_partitions(4);
    s.set_progress_bar(false);
    return s;
  }
  std::vector<StatementResult> Run(const std::string& sql) { return RunSqlScript(session_, sql); }
  std::string Text(const std::string& sql) {
    std::string out;
    const StatementResult result = Run(sql).back();
    for (const auto& b : result.batches) {
      for (size_t i = 0; i < b.num_rows(); i++) {
        for (const auto& v : b.GetRow(i)) out += v.ToString() + " ";
        out += "\n";
      }
    }
    return out;
  }
  Session session_;
};

TEST_F(CacheTableTest, CachedViewIsNotRecomputed) {
  const std::string before = Text("SELECT sum(c), count(*) FROM v");
  Run("CACHE TABLE v");
  EXPECT_TRUE(session_.IsCached("v"));
  const std::string plan = Text("EXPLAIN SELECT sum(c) FROM v");
  EXPECT_NE(plan.find("InMemoryScan"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("HashAggregate [WIDE] mode=final groups"), std::string::npos) << plan;
  EXPECT_EQ(Text("SELECT sum(c), count(*) FROM v"), before);
  // The cached view keeps the rows it had when cached.
  Run("INSERT INTO t SELECT range, 99 FROM range(5)");
  EXPECT_EQ(Text("SELECT sum(c), count(*) FROM v"), before);
  Run("UNCACHE TABLE v");
  EXPECT_FALSE(session_.IsCached("v"));
  EXPECT_EQ(Text("SELECT sum(c), count(*) FROM v"), "1005 11 \n");
}

TEST_F(CacheTableTest, CachedTableSeesItsOwnWrites) {
  Run("CACHE TABLE t");
  EXPECT_EQ(Text("SELECT count(*), sum(id) FROM t"), "1000 499500 \n");
  Run("INSERT INTO t VALUES (5000, 0)");
  EXPECT_EQ(Text("SELECT count(*), sum(id) FROM t"), "1001 504500 \n");
  EXPECT_TRUE(session_.IsCached("t"));
  Run("DROP TABLE t");
  EXPECT_FALSE(session_.IsCached("t"));
  EXPECT_FALSE(session_.HasTable("t"));
}

TEST_F(CacheTableTest, CacheTableAsSelectNamesAQueryResult) {
  Run("CACHE TABLE big AS SELECT k, sum(id) AS s FROM t GROUP BY k");
  EXPECT_TRUE(session_.HasTable("big"));
  EXPECT_EQ(Text("SELECT count(*), sum(s) FROM big"), "10 499500 \n");
  EXPECT_EQ(Text("SELECT s FROM big WHERE k = 3"), "49800 \n");
  EXPECT_THROW(Run("CACHE TABLE t AS SELECT 1"), UserError);
  Run("UNCACHE TABLE big");
  EXPECT_FALSE(session_.HasTable("big"));
  EXPECT_THROW(Run("SELECT * FROM big"), UserError);
  EXPECT_THROW(Run("UNCACHE TABLE big"), UserError);
  Run("UNCACHE TABLE IF EXISTS big");
  EXPECT_THROW(Run("CACHE TABLE nope"), UserError);
}

// Planning and EXPLAIN never fill a cache; the first query that reads it does, as a job
// before its own, and later queries read the rows from memory.
TEST_F(CacheTableTest, ExplainDoesNotFillACache) {
  DataFrame cached = SqlQuery(session_, "SELECT k, count(*) AS c FROM t GROUP BY k").Cache();
  const CacheStore& store = *cached.plan()->cache;
  const std::string plan = session_.Explain(*cached.plan());
  EXPECT_FALSE(store.filled) << "EXPLAIN filled the cache";
  EXPECT_NE(plan.find("fills a cache first"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("InMemoryScan"), std::string::npos) << plan;

  EXPECT_EQ(cached.Count(), 10);
  EXPECT_TRUE(store.filled);
  const std::string after = session_.Explain(*cached.plan());
  EXPECT_NE(after.find("InMemoryScan"), std::string::npos) << after;

  // A write to a cached table empties its cache; EXPLAIN leaves it empty.
  Run("CACHE TABLE t");
  Run("INSERT INTO t SELECT range, 77 FROM range(3)");
  EXPECT_EQ(Text("EXPLAIN SELECT count(*) FROM t").find("InMemoryScan"), std::string::npos);
  EXPECT_EQ(Text("SELECT count(*) FROM t"), "1003 \n");
  EXPECT_NE(Text("EXPLAIN SELECT count(*) FROM t").find("InMemoryScan"), std::string::npos);
}

}  // namespace
}  // namespace sluice
