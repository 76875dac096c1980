#include "api/sql_runner.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>

#include "api/dataframe.h"
#include "api/session.h"
#include "common/error.h"

namespace sluice {
namespace {

Settings TestSettings() {
  Settings s;
  s.set_threads(2);
  s.set_shuffle_partitions(4);
  s.set_progress_bar(false);
  return s;
}

std::vector<std::string> RowsOf(const StatementResult& r) {
  std::vector<std::string> out;
  for (const auto& b : r.batches) {
    for (size_t i = 0; i < b.num_rows(); i++) {
      std::string line;
      auto row = b.GetRow(i);
      for (size_t c = 0; c < row.size(); c++) line += (c ? "|" : "") + row[c].ToString();
      out.push_back(line);
    }
  }
  return out;
}

using Rows = std::vector<std::string>;

class SqlRunnerTest : public ::testing::Test {
 protected:
  SqlRunnerTest() : session_(TestSettings()) {
    Run("CREATE TABLE t AS SELECT range AS id, range % 3 AS k, range * 10 AS v FROM range(9);"
        "CREATE TABLE a AS SELECT * FROM (VALUES (1, 'x'), (2, 'y'), (3, 'z')) v(id, name);"
        "CREATE TABLE b AS SELECT * FROM (VALUES (2, 20), (3, 30), (4, 40)) v(id, score);");
  }
  std::vector<StatementResult> Run(const std::string& sql) { return RunSqlScript(session_, sql); }
  Rows Query(const std::string& sql) { return RowsOf(Run(sql).back()); }
  // The message of the UserError that `sql` throws.
  std::string ErrorOf(const std::string& sql) {
    try {
      Run(sql);
    } catch (const UserError& e) {
      return e.what();
    }
    return "<no error>";
  }

  Session session_;
};

TEST_F(SqlRunnerTest, SelectWithoutFromAndColumnNames) {
  auto r = Run("SELECT 1 + 2 AS x, 'a' || 'b', 7");
  EXPECT_EQ(RowsOf(r[0]), (Rows{"3|ab|7"}));
  ASSERT_EQ(r[0].schema.size(), 3u);
  EXPECT_EQ(r[0].schema.field(0).name, "x");
  EXPECT_EQ(r[0].schema.field(1).name, "'a' || 'b'");
  auto named = Run("SELECT id, t.k, v + 1 FROM t LIMIT 1");
  EXPECT_EQ(named[0].schema.field(0).name, "id");
  EXPECT_EQ(named[0].schema.field(1).name, "k");
  EXPECT_EQ(named[0].schema.field(2).name, "v + 1");
}

TEST_F(SqlRunnerTest, RangeWhereOrderLimitOffset) {
  EXPECT_EQ(Query("SELECT range * 2 AS d FROM range(10) WHERE range % 3 = 0 "
                  "ORDER BY d DESC LIMIT 2 OFFSET 1"),
            (Rows{"12", "6"}));
  EXPECT_EQ(Query("SELECT sum(generate_series) FROM generate_series(1, 5)"), (Rows{"15"}));
  EXPECT_EQ(Query("SELECT count(*) FROM range(2, 20, 3)"), (Rows{"6"}));
}

TEST_F(SqlRunnerTest, GroupByHavingAndNestedAggregates) {
  EXPECT_EQ(Query("SELECT k, sum(v) + count(*) AS s FROM t GROUP BY k HAVING sum(v) > 100 ORDER BY k"),
            (Rows{"1|123", "2|153"}));
  EXPECT_EQ(Query("SELECT k % 2 AS parity, count(*) FROM t GROUP BY parity ORDER BY 1"),
            (Rows{"0|6", "1|3"}));
  EXPECT_EQ(Query("SELECT k % 2, count(*) FROM t GROUP BY 1 ORDER BY 2 DESC"),
            (Rows{"0|6", "1|3"}));
  EXPECT_EQ(Query("SELECT k, max(v) FROM t GROUP BY ALL ORDER BY k"),
            (Rows{"0|60", "1|70", "2|80"}));
  EXPECT_EQ(Query("SELECT count(*), min(id), max(v) FROM t"), (Rows{"9|0|80"}));
  EXPECT_EQ(Query("SELECT k FROM t GROUP BY k ORDER BY sum(v) DESC"), (Rows{"2", "1", "0"}));
  EXPECT_EQ(Query("SELECT count(DISTINCT k) FROM t"), (Rows{"3"}));
}

TEST_F(SqlRunnerTest, DistinctAndOrderByNotSelected) {
  EXPECT_EQ(Query("SELECT DISTINCT k FROM t ORDER BY k DESC"), (Rows{"2", "1", "0"}));
  EXPECT_EQ(Query("SELECT name FROM a ORDER BY id DESC"), (Rows{"z", "y", "x"}));
}

TEST_F(SqlRunnerTest, Joins) {
  EXPECT_EQ(Query("SELECT a.id, name, score FROM a JOIN b ON a.id = b.id ORDER BY a.id"),
            (Rows{"2|y|20", "3|z|30"}));
  EXPECT_EQ(Query("SELECT a.id, score FROM a LEFT JOIN b ON a.id = b.id ORDER BY a.id"),
            (Rows{"1|NULL", "2|20", "3|30"}));
  EXPECT_EQ(Query("SELECT b.id, name FROM a RIGHT JOIN b ON a.id = b.id ORDER BY b.id"),
            (Rows{"2|y", "3|z", "4|NULL"}));
  EXPECT_EQ(Query("SELECT id, name, score FROM a FULL JOIN b USING (id) ORDER BY id"),
            (Rows{"1|x|NULL", "2|y|20", "3|z|30", "4|NULL|40"}));
  EXPECT_EQ(Query("SELECT * FROM a SEMI JOIN b ON a.id = b.id ORDER BY id"), (Rows{"2|y", "3|z"}));
  EXPECT_EQ(Query("SELECT * FROM a ANTI JOIN b ON a.id = b.id"), (Rows{"1|x"}));
  EXPECT_EQ(Query("SELECT count(*) FROM a CROSS JOIN b"), (Rows{"9"}));
  EXPECT_EQ(Query("SELECT * FROM a JOIN b USING (id) ORDER BY id"), (Rows{"2|y|20", "3|z|30"}));
  EXPECT_EQ(Query("SELECT * FROM a NATURAL JOIN b ORDER BY id"), (Rows{"2|y|20", "3|z|30"}));
  EXPECT_EQ(Query("SELECT x.id, y.score FROM a AS x, b y WHERE x.id = y.id AND y.score > 20"),
            (Rows{"3|30"}));
}

// Finds the first node of `kind` in a plan.
const LogicalPlan* FindNode(const LogicalPlan& plan, LogicalKind kind) {
  if (plan.kind == kind) return &plan;
  for (const auto& c : plan.children) {
    if (const LogicalPlan* found = FindNode(*c, kind)) return found;
  }
  return nullptr;
}

void ForEachJoin(const LogicalPlan& plan, const std::function<void(const LogicalPlan&)>& f) {
  if (plan.kind == LogicalKind::kJoin) f(plan);
  for (const auto& c : plan.children) ForEachJoin(*c, f);
}

TEST_F(SqlRunnerTest, CommaJoinsBecomeEquiJoins) {
  DataFrame df = SqlQuery(session_, "SELECT name, score FROM a, b WHERE a.id = b.id AND score > 20");
  const LogicalPlan* join = FindNode(*df.plan(), LogicalKind::kJoin);
  ASSERT_NE(join, nullptr);
  EXPECT_EQ(join->join_kind, JoinKind::kInner);
  EXPECT_NE(join->predicate, nullptr);
  EXPECT_EQ(RowsOf(Run("SELECT name, score FROM a, b WHERE a.id = b.id AND score > 20")[0]),
            (Rows{"z|30"}));
}

TEST_F(SqlRunnerTest, TpchShapedMultiJoinAggregate) {
  Run("CREATE TABLE customer AS SELECT range AS c_custkey, range % 3 AS c_nationkey "
      "FROM range(1, 31);"
      "CREATE TABLE orders AS SELECT range AS o_orderkey, range % 30 + 1 AS o_custkey "
      "FROM range(1, 101);"
      "CREATE TABLE lineitem AS SELECT range % 100 + 1 AS l_orderkey, range % 10 + 1 AS l_quantity "
      "FROM range(0, 300);"
      "CREATE TABLE nation AS SELECT * FROM (VALUES (0, 'ALGERIA'), (1, 'BRAZIL'), (2, 'CANADA')) "
      "n(n_nationkey, n_name);");
  const std::string q =
      "SELECT n_name, count(*) AS lines, sum(l_quantity) AS qty\n"
      "FROM customer, orders, lineitem, nation\n"
      "WHERE c_custkey = o_custkey AND l_orderkey = o_orderkey\n"
      "  AND c_nationkey = n_nationkey AND l_quantity > 5\n"
      "GROUP BY n_name ORDER BY n_name";
  EXPECT_EQ(Query(q), (Rows{"ALGERIA|48|384", "BRAZIL|51|405", "CANADA|51|411"}));
  int joins = 0;
  ForEachJoin(*SqlQuery(session_, q).plan(), [&](const LogicalPlan& j) {
    joins++;
    EXPECT_EQ(j.join_kind, JoinKind::kInner);
    EXPECT_NE(j.predicate, nullptr);
  });
  EXPECT_EQ(joins, 3);
  // The same query with explicit JOIN ... ON.
  EXPECT_EQ(Query("SELECT n_name, count(*), sum(l_quantity) FROM lineitem "
                  "JOIN orders ON l_orderkey = o_orderkey JOIN customer ON c_custkey = o_custkey "
                  "JOIN nation ON c_nationkey = n_nationkey WHERE l_quantity > 5 "
                  "GROUP BY 1 ORDER BY 1"),
            (Rows{"ALGERIA|48|384", "BRAZIL|51|405", "CANADA|51|411"}));
}

TEST_F(SqlRunnerTest, Subqueries) {
  EXPECT_EQ(Query("SELECT id FROM t WHERE v > (SELECT avg(v) FROM t) ORDER BY id"),
            (Rows{"5", "6", "7", "8"}));
  EXPECT_EQ(Query("SELECT id FROM a WHERE id IN (SELECT id FROM b) ORDER BY id"), (Rows{"2", "3"}));
  EXPECT_EQ(Query("SELECT id FROM a WHERE id NOT IN (SELECT id FROM b)"), (Rows{"1"}));
  EXPECT_EQ(Query("SELECT count(*) FROM a WHERE EXISTS (SELECT 1 FROM b WHERE score > 35)"),
            (Rows{"3"}));
  EXPECT_EQ(Query("SELECT count(*) FROM a WHERE NOT EXISTS (SELECT 1 FROM b WHERE score > 35)"),
            (Rows{"0"}));
  EXPECT_EQ(Query("SELECT id, id IN (SELECT id FROM b) FROM a ORDER BY id"),
            (Rows{"1|false", "2|true", "3|true"}));
  EXPECT_EQ(Query("SELECT s.total FROM (SELECT sum(v) AS total FROM t) s"), (Rows{"360"}));
  EXPECT_EQ(Query("SELECT m FROM (SELECT max(id) FROM a) AS s(m)"), (Rows{"3"}));
  // Correlated subqueries in WHERE are decorrelated into joins.
  EXPECT_EQ(Query("SELECT id FROM a WHERE EXISTS (SELECT 1 FROM b WHERE b.id = a.id) ORDER BY id"),
            (Rows{"2", "3"}));
  // In the select list: run per distinct outer value and joined back.
  EXPECT_EQ(Query("SELECT id, (SELECT count(*) FROM b WHERE b.id = a.id) FROM a ORDER BY id"),
            (Rows{"1|0", "2|1", "3|1"}));
}

TEST_F(SqlRunnerTest, CtesAndSetOperations) {
  EXPECT_EQ(Query("WITH big AS (SELECT * FROM t WHERE v >= 50) SELECT count(*), min(id) FROM big"),
            (Rows{"4|5"}));
  EXPECT_EQ(Query("WITH c(n) AS (SELECT 1) SELECT n + 1 FROM c"), (Rows{"2"}));
  EXPECT_EQ(Query("SELECT k FROM t UNION SELECT 5 ORDER BY 1"), (Rows{"0", "1", "2", "5"}));
  EXPECT_EQ(Query("SELECT count(*) FROM (SELECT id FROM a UNION ALL SELECT id FROM b)"),
            (Rows{"6"}));
  EXPECT_EQ(Query("SELECT id FROM a INTERSECT SELECT id FROM b ORDER BY 1"), (Rows{"2", "3"}));
  EXPECT_EQ(Query("SELECT id FROM a EXCEPT SELECT id FROM b"), (Rows{"1"}));
}

TEST_F(SqlRunnerTest, ValuesLists) {
  auto r = Run("VALUES (1, 'a'), (2, NULL)");
  EXPECT_EQ(RowsOf(r[0]), (Rows{"1|a", "2|NULL"}));
  EXPECT_EQ(r[0].schema.field(0).name, "col0");
  EXPECT_EQ(r[0].schema.field(1).name, "col1");
}

TEST_F(SqlRunnerTest, Expressions) {
  EXPECT_EQ(Query("SELECT name FROM a WHERE name LIKE 'y%' OR name = 'z' ORDER BY name"),
            (Rows{"y", "z"}));
  EXPECT_EQ(Query("SELECT count(*) FROM t WHERE id BETWEEN 2 AND 4"), (Rows{"3"}));
  EXPECT_EQ(Query("SELECT count(*) FROM t WHERE id NOT BETWEEN 2 AND 4"), (Rows{"6"}));
  EXPECT_EQ(Query("SELECT NULL IS DISTINCT FROM 1, NULL IS NOT DISTINCT FROM NULL, "
                  "1 IS DISTINCT FROM 1"),
            (Rows{"true|true|false"}));
  EXPECT_EQ(Query("SELECT CASE WHEN id < 2 THEN 'lo' ELSE 'hi' END, CASE k WHEN 0 THEN 'zero' END "
                  "FROM t WHERE id IN (1, 3) ORDER BY id"),
            (Rows{"lo|NULL", "hi|zero"}));
  EXPECT_EQ(Query("SELECT CAST(id AS VARCHAR) || '!', id::DOUBLE FROM a WHERE id = 2"),
            (Rows{"2!|2.0"}));
  EXPECT_EQ(Query("SELECT DATE '2024-03-01' > CAST('2024-02-28' AS DATE)"), (Rows{"true"}));
  EXPECT_EQ(Query("SELECT coalesce(NULL, 5), -id FROM a WHERE id = 1"), (Rows{"5|-1"}));
}

TEST_F(SqlRunnerTest, BindErrorsCarryCaretAndSuggestion) {
  std::string e = ErrorOf("SELECT * FROM tt");
  EXPECT_NE(e.find("Binder Error: Table with name tt does not exist! Did you mean \"t\"?"),
            std::string::npos) << e;
  EXPECT_NE(e.find("at line 1, column 15\nSELECT * FROM tt\n              ^"), std::string::npos) << e;
  e = ErrorOf("SELECT 1;\nSELECT nope FROM t");
  EXPECT_NE(e.find("Referenced column \"nope\" not found"), std::string::npos) << e;
  EXPECT_NE(e.find("at line 2, column 8\nSELECT nope FROM t\n       ^"), std::string::npos) << e;
  e = ErrorOf("SELECT summ(v) FROM t");
  EXPECT_NE(e.find("Scalar Function with name summ does not exist! Did you mean \"sum\"?"),
            std::string::npos) << e;
  EXPECT_NE(e.find("column 8"), std::string::npos) << e;
  e = ErrorOf("SELECT id, sum(v) FROM t");
  EXPECT_NE(e.find("column \"id\" must appear in the GROUP BY clause"), std::string::npos) << e;
  EXPECT_NE(e.find("column 8\n"), std::string::npos) << e;
  e = ErrorOf("SELECT a.id FROM a JOIN b ON id = b.id");
  EXPECT_NE(e.find("Ambiguous reference to column name \"id\""), std::string::npos) << e;
  e = ErrorOf("SELECT * FROM t WHERE sum(v) > 1");
  EXPECT_NE(e.find("WHERE clause cannot contain aggregates"), std::string::npos) << e;
  e = ErrorOf("DELETE FROM nope");
  EXPECT_NE(e.find("Table with name nope does not exist!"), std::string::npos) << e;
  EXPECT_NE(e.find("column 13"), std::string::npos) << e;
}

TEST_F(SqlRunnerTest, DdlAndDml) {
  Run("CREATE TABLE p (id INTEGER, name VARCHAR, score DOUBLE);"
      "INSERT INTO p VALUES (1, 'one', 1.5), (2, 'two', NULL);"
      "INSERT INTO p (name, id) SELECT name, id + 10 FROM a WHERE id = 3;");
  EXPECT_EQ(Query("SELECT id, name, score FROM p ORDER BY id"),
            (Rows{"1|one|1.5", "2|two|NULL", "13|z|NULL"}));
  auto d = Run("DESCRIBE p")[0];
  EXPECT_EQ(d.schema.field(0).name, "column_name");
  EXPECT_EQ(d.schema.field(1).name, "column_type");
  auto rows = RowsOf(d);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].substr(0, rows[0].find("|YES")), "id|INTEGER");
  EXPECT_EQ(rows[1].substr(0, rows[1].find("|YES")), "name|VARCHAR");
  Run("CREATE VIEW pv AS SELECT id * 2 AS twice FROM p; CREATE OR REPLACE TABLE q AS SELECT 1 AS one");
  EXPECT_EQ(Query("SELECT sum(twice) FROM pv"), (Rows{"32"}));
  EXPECT_EQ(Query("SHOW TABLES"), (Rows{"a", "b", "p", "pv", "q", "t"}));
  Run("DROP VIEW pv; DROP TABLE IF EXISTS nothing; DROP TABLE q");
  EXPECT_EQ(Query("SHOW TABLES"), (Rows{"a", "b", "p", "t"}));
  EXPECT_NE(ErrorOf("DROP TABLE q").find("Table with name q does not exist!"), std::string::npos);
  EXPECT_NE(ErrorOf("CREATE TABLE p AS SELECT 1").find("already exists"), std::string::npos);
}

TEST_F(SqlRunnerTest, SetExplainAndCopy) {
  Run("SET memory_limit = '500MB'; SET threads = 1");
  EXPECT_EQ(session_.settings().threads(), 1);
  auto e = Run("EXPLAIN SELECT k, count(*) FROM t GROUP BY k")[0];
  ASSERT_EQ(e.schema.size(), 1u);
  EXPECT_EQ(e.schema.field(0).name, "explain_value");
  EXPECT_EQ(RowsOf(e).size(), 1u);
  auto ea = Run("EXPLAIN ANALYZE SELECT count(*) FROM t")[0];
  EXPECT_EQ(RowsOf(ea).size(), 1u);

  const std::string path =
      (std::filesystem::temp_directory_path() / "sluice_sql_runner_copy.csv").string();
  auto c = Run("COPY (SELECT id, name FROM a ORDER BY id) TO '" + path +
               "' (FORMAT csv, HEADER, DELIMITER '|')");
  EXPECT_EQ(c[0].message, "3");
  EXPECT_EQ(Query("SELECT name FROM read_csv('" + path + "', header = true, delim = '|') "
                  "WHERE id = 2"),
            (Rows{"y"}));
  Run("COPY b TO '" + path + "'");
  EXPECT_EQ(Query("SELECT sum(score) FROM '" + path + "'"), (Rows{"90"}));
  std::filesystem::remove(path);
}

TEST_F(SqlRunnerTest, StarsNullOrderingAndIntervals) {
  EXPECT_EQ(Query("SELECT b.*, a.name FROM a JOIN b ON a.id = b.id ORDER BY 1"),
            (Rows{"2|20|y", "3|30|z"}));
  EXPECT_EQ(Query("SELECT * EXCLUDE (name) FROM a ORDER BY id LIMIT 1"), (Rows{"1"}));
  EXPECT_EQ(Query("SELECT score FROM a LEFT JOIN b USING (id) ORDER BY score NULLS FIRST"),
            (Rows{"NULL", "20", "30"}));
  EXPECT_EQ(Query("SELECT score FROM a LEFT JOIN b USING (id) ORDER BY score DESC"),
            (Rows{"30", "20", "NULL"}));
  EXPECT_EQ(Query("SELECT (SELECT max(score) FROM b) - id FROM a ORDER BY id"),
            (Rows{"39", "38", "37"}));
  EXPECT_EQ(Query("WITH c AS (SELECT id FROM a) SELECT count(*) FROM c x, c y WHERE x.id < y.id"),
            (Rows{"3"}));
  EXPECT_EQ(Query("SELECT DATE '2024-01-31' + INTERVAL 1 DAY > DATE '2024-01-31'"), (Rows{"true"}));
}

}  // namespace
}  // namespace sluice
