#include <gtest/gtest.h>

#include "sql/parser.h"
#include "test_util.h"

namespace sluice::sql {
namespace {

using testing::RoundTrips;
using testing::StatementText;

const SelectNode& Select(const StatementPtr& statement) {
  return statement->As<SelectStatement>().query->As<SelectNode>();
}

TEST(QueryParserTest, SelectListAliasesAndSourceText) {
  StatementPtr statement = ParseStatement("SELECT a AS x, b y, Sum(C) + 1, * FROM t");
  const SelectNode& select = Select(statement);
  ASSERT_EQ(select.select_list.size(), 4u);
  EXPECT_EQ(select.select_list[0].alias, "x");
  EXPECT_EQ(select.select_list[1].alias, "y");
  EXPECT_EQ(select.select_list[2].alias, "");
  EXPECT_EQ(select.select_list[2].source_text, "Sum(C) + 1");
  EXPECT_EQ(select.select_list[2].expr->ToString(), "(sum(c) + 1)");
  EXPECT_EQ(select.select_list[3].expr->kind, ExprKind::kStar);
  EXPECT_EQ(select.select_list[2].column, 21);
}

TEST(QueryParserTest, Clauses) {
  EXPECT_EQ(StatementText("select distinct a from t where a > 1 group by a having count(*) > 2 "
                          "order by a desc nulls first limit 10 offset 5"),
            "SELECT DISTINCT a FROM t WHERE (a > 1) GROUP BY a HAVING (count_star() > 2) "
            "ORDER BY a DESC NULLS FIRST LIMIT 10 OFFSET 5");
  EXPECT_EQ(StatementText("SELECT 1"), "SELECT 1");
  EXPECT_EQ(StatementText("select a from t offset 3"), "SELECT a FROM t OFFSET 3");
  EXPECT_EQ(StatementText("select distinct on (a) a, b from t"),
            "SELECT DISTINCT ON (a) a, b FROM t");
  EXPECT_EQ(StatementText("select a, rank() over w from t window w as (partition by b order by c) "
                          "qualify rank() over w = 1"),
            "SELECT a, rank() OVER w FROM t WINDOW w AS (PARTITION BY b ORDER BY c ASC) "
            "QUALIFY (rank() OVER w = 1)");
}

TEST(QueryParserTest, GroupByVariants) {
  EXPECT_EQ(StatementText("select a from t group by all"), "SELECT a FROM t GROUP BY ALL");
  EXPECT_EQ(StatementText("select a from t group by 1, 2"), "SELECT a FROM t GROUP BY 1, 2");
  EXPECT_EQ(StatementText("select a from t group by rollup(a, b)"),
            "SELECT a FROM t GROUP BY ROLLUP (a, b)");
  EXPECT_EQ(StatementText("select a from t group by cube (a, b)"),
            "SELECT a FROM t GROUP BY CUBE (a, b)");
  EXPECT_EQ(StatementText("select a from t group by grouping sets ((a, b), (a), ())"),
            "SELECT a FROM t GROUP BY GROUPING SETS ((a, b), (a), ())");
  StatementPtr statement = ParseStatement("select a from t group by grouping sets ((a, b), c)");
  const GroupByClause& group_by = Select(statement).group_by;
  ASSERT_EQ(group_by.elements.size(), 1u);
  EXPECT_EQ(group_by.elements[0].kind, GroupingKind::kGroupingSets);
  EXPECT_EQ(group_by.elements[0].sets.size(), 2u);
  EXPECT_EQ(group_by.elements[0].sets[1].size(), 1u);
}

TEST(QueryParserTest, Joins) {
  EXPECT_EQ(StatementText("select * from a join b on a.x = b.x"),
            "SELECT * FROM a INNER JOIN b ON (a.x = b.x)");
  EXPECT_EQ(StatementText("select * from a left outer join b using (x, y)"),
            "SELECT * FROM a LEFT JOIN b USING (x, y)");
  EXPECT_EQ(StatementText("select * from a right join b on true full join c on false"),
            "SELECT * FROM a RIGHT JOIN b ON TRUE FULL JOIN c ON FALSE");
  EXPECT_EQ(StatementText("select * from a cross join b"), "SELECT * FROM a CROSS JOIN b");
  EXPECT_EQ(StatementText("select * from a natural join b"),
            "SELECT * FROM a NATURAL INNER JOIN b");
  EXPECT_EQ(StatementText("select * from a semi join b on a.x = b.x"),
            "SELECT * FROM a SEMI JOIN b ON (a.x = b.x)");
  EXPECT_EQ(StatementText("select * from a left anti join b on a.x = b.x"),
            "SELECT * FROM a ANTI JOIN b ON (a.x = b.x)");
  EXPECT_EQ(StatementText("select * from a, b, c"), "SELECT * FROM a, b, c");
  EXPECT_EQ(StatementText("select * from a, b join c on b.x = c.x"),
            "SELECT * FROM a, b INNER JOIN c ON (b.x = c.x)");
  EXPECT_EQ(StatementText("select * from a join (b join c on b.x = c.x) on a.y = b.y"),
            "SELECT * FROM a INNER JOIN (b INNER JOIN c ON (b.x = c.x)) ON (a.y = b.y)");
  StatementPtr statement = ParseStatement("select * from a, b join c on b.x = c.x");
  const TableRef& from = *Select(statement).from;
  EXPECT_TRUE(from.comma);
  EXPECT_EQ(from.right->kind, TableRefKind::kJoin);  // comma binds loosest
  EXPECT_THROW(ParseStatement("select * from a join b"), ParseError);
}

TEST(QueryParserTest, TableReferences) {
  EXPECT_EQ(StatementText("select * from s.t as x (a, b)"), "SELECT * FROM s.t AS x(a, b)");
  EXPECT_EQ(StatementText("select * from (select 1) sub"), "SELECT * FROM (SELECT 1) AS sub");
  EXPECT_EQ(StatementText("select * from read_csv('x.csv', header=true, delim := '|')"),
            "SELECT * FROM read_csv('x.csv', header := TRUE, delim := '|')");
  EXPECT_EQ(StatementText("select * from range(10) r"), "SELECT * FROM range(10) AS r");
  EXPECT_EQ(StatementText("select * from 'data/*.csv'"), "SELECT * FROM 'data/*.csv'");
  EXPECT_EQ(StatementText("select * from ((select 1) s join t on true)"),
            "SELECT * FROM (SELECT 1) AS s INNER JOIN t ON TRUE");
  EXPECT_EQ(StatementText("select * from ((select 1) union (select 2)) u"),
            "SELECT * FROM ((SELECT 1) UNION (SELECT 2)) AS u");
  StatementPtr statement = ParseStatement("select * from read_csv('f', header = true)");
  const TableRef& from = *Select(statement).from;
  ASSERT_EQ(from.kind, TableRefKind::kTableFunction);
  EXPECT_EQ(from.arg_names, (std::vector<std::string>{"", "header"}));
}

TEST(QueryParserTest, SetOperationPrecedence) {
  EXPECT_EQ(StatementText("select 1 union select 2 intersect select 3"),
            "(SELECT 1) UNION ((SELECT 2) INTERSECT (SELECT 3))");
  EXPECT_EQ(StatementText("select 1 union all select 2 except select 3"),
            "((SELECT 1) UNION ALL (SELECT 2)) EXCEPT (SELECT 3)");
  EXPECT_EQ(StatementText("(select 1 union select 2) intersect all select 3"),
            "((SELECT 1) UNION (SELECT 2)) INTERSECT ALL (SELECT 3)");
  EXPECT_EQ(StatementText("select 1 union distinct select 2 order by 1 limit 1"),
            "(SELECT 1) UNION (SELECT 2) ORDER BY 1 ASC LIMIT 1");
  EXPECT_EQ(StatementText("(select 1 limit 1) limit 2"),
            "SELECT * FROM (SELECT 1 LIMIT 1) LIMIT 2");
  StatementPtr statement = ParseStatement("select 1 except select 2");
  const QueryNode& query = *statement->As<SelectStatement>().query;
  ASSERT_EQ(query.kind, QueryKind::kSetOperation);
  EXPECT_EQ(query.As<SetOperationNode>().op, SetOpType::kExcept);
}

TEST(QueryParserTest, ValuesAndCtes) {
  EXPECT_EQ(StatementText("values (1, 'a'), (2, 'b')"), "VALUES (1, 'a'), (2, 'b')");
  EXPECT_EQ(StatementText("select * from (values (1), (2)) v(x)"),
            "SELECT * FROM (VALUES (1), (2)) AS v(x)");
  EXPECT_EQ(StatementText("with a as (select 1), b (x) as (select 2) select * from a, b"),
            "WITH a AS (SELECT 1), b(x) AS (SELECT 2) SELECT * FROM a, b");
  EXPECT_EQ(StatementText("with recursive r as (select 1 union all select n + 1 from r) "
                          "select * from r"),
            "WITH RECURSIVE r AS ((SELECT 1) UNION ALL (SELECT (n + 1) FROM r)) SELECT * FROM r");
  StatementPtr statement = ParseStatement("with x as (select 1) select * from x");
  EXPECT_EQ(statement->As<SelectStatement>().query->ctes.size(), 1u);
}

TEST(QueryParserTest, Hints) {
  StatementPtr statement =
      ParseStatement("SELECT /*+ BROADCAST(t) SKEW(t, k) */ * FROM a JOIN t ON a.k = t.k");
  const SelectNode& select = Select(statement);
  ASSERT_EQ(select.hints.size(), 2u);
  EXPECT_EQ(select.hints[0].name, "BROADCAST");
  EXPECT_EQ(select.hints[0].args, (std::vector<std::string>{"t"}));
  EXPECT_EQ(select.hints[1].name, "SKEW");
  EXPECT_EQ(select.hints[1].args, (std::vector<std::string>{"t", "k"}));
  EXPECT_EQ(statement->ToString(),
            "SELECT /*+ BROADCAST(t) SKEW(t, k) */ * FROM a INNER JOIN t ON (a.k = t.k)");
  // A hint anywhere else is an ordinary comment, and a malformed hint is ignored.
  EXPECT_TRUE(Select(ParseStatement("SELECT a /*+ BROADCAST(t) */ FROM t")).hints.empty());
  EXPECT_TRUE(Select(ParseStatement("SELECT /*+ BROADCAST(( */ a FROM t")).hints.empty());
  EXPECT_EQ(Select(ParseStatement("SELECT /*+ NO_CACHE */ a FROM t")).hints.size(), 1u);
}

TEST(QueryParserTest, RoundTrips) {
  const char* queries[] = {
      "select a, b as \"B\", count(distinct c) from t where a between 1 and 2 group by 1, 2",
      "select * exclude (a) from t qualify row_number() over (partition by a order by b) = 1",
      "select case when a is null then 'x' else a end from t order by 1 desc nulls last",
      "select t.*, s.a from t left join s using (k) where not exists (select 1 from u)",
      "select cast(a as decimal(10, 2)), a::int, date '2020-01-01' + interval 1 day from t",
      "select sum(x) filter (where y) over (rows between 1 preceding and 1 following) from t",
      "select \"weird\"\"name\", 'str''ing', -1, +2, 1e5 from \"T\"",
      "select a from t where a in (select b from u where u.c = t.c) and a not like 'x%'",
      "select * from a natural join b cross join c",
      "with x as (select 1 as a) select a from x union all select 2 order by a limit 3",
      "select extract(month from d), substring(s from 2 for 3), position('a' in s) from t",
      ("select f(x) over w from t window w as (order by y range between unbounded preceding "
       "and current row)"),
      "select * from read_parquet('p/*.parquet', hive_partitioning = true) as p",
      "select a from t group by grouping sets ((a), ()), rollup (b), cube (c, d)",
      "select left(s, 1), \"right\"(s, 2) from t",
      "select 1 intersect select 2 except (select 3 union select 4)",
      "select a from t where a is distinct from b or a is not null",
      "select [1, 2][1], a || b || 'c' from t",
      "pivot cities on year in (2000, 2010), country using sum(p) as s, max(p) group by c",
      "pivot (select 1 as a) on a order by all limit 2",
      "select * from t pivot (sum(x) as s for k in (1 as one, 2) g in ('a') group by y) p",
      "unpivot t on a, (b, c) as bc, columns('x.*') into name n value v1, v2",
      "select * from t unpivot include nulls ((v1, v2) for n in ((a, b) as ab, (c, d)))",
      "select columns('a.*') as 'b_\\1', min(columns(* exclude (b))), f(*columns(t.*)) from t",
      "select columns(c -> c like 'a%') from t where columns(['a', 'b']) > 1",
  };
  for (const char* sql : queries) EXPECT_TRUE(RoundTrips(sql)) << sql;
}

}  // namespace
}  // namespace sluice::sql
