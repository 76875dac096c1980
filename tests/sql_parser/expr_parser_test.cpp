#include <gtest/gtest.h>

#include "sql/parser.h"
#include "test_util.h"

namespace sluice::sql {
namespace {

using testing::ExprText;

TEST(ExprParserTest, ArithmeticPrecedence) {
  EXPECT_EQ(ExprText("1 + 2 * 3"), "(1 + (2 * 3))");
  EXPECT_EQ(ExprText("(1 + 2) * 3"), "((1 + 2) * 3)");
  EXPECT_EQ(ExprText("1 - 2 - 3"), "((1 - 2) - 3)");
  EXPECT_EQ(ExprText("a / b % c"), "((a / b) % c)");
  EXPECT_EQ(ExprText("-a * b"), "((- a) * b)");
  EXPECT_EQ(ExprText("- - a"), "(- (- a))");
  EXPECT_EQ(ExprText("+a"), "(+ a)");
  EXPECT_EQ(ExprText("a || b + c"), "(a || (b + c))");
  EXPECT_EQ(ExprText("a || b || c"), "((a || b) || c)");
}

TEST(ExprParserTest, BooleanPrecedence) {
  EXPECT_EQ(ExprText("a OR b AND c"), "(a OR (b AND c))");
  EXPECT_EQ(ExprText("NOT a AND b"), "((NOT a) AND b)");
  EXPECT_EQ(ExprText("NOT a = b"), "(NOT (a = b))");
  EXPECT_EQ(ExprText("a = 1 OR NOT b < 2 AND c"), "((a = 1) OR ((NOT (b < 2)) AND c))");
  EXPECT_EQ(ExprText("a + 1 > b * 2"), "((a + 1) > (b * 2))");
  EXPECT_EQ(ExprText("a = b IS NULL"), "((a = b) IS NULL)");
  EXPECT_EQ(ExprText("NOT NOT a"), "(NOT (NOT a))");
}

TEST(ExprParserTest, Comparisons) {
  EXPECT_EQ(ExprText("a <> b"), "(a <> b)");
  EXPECT_EQ(ExprText("a != b"), "(a <> b)");
  EXPECT_EQ(ExprText("a <= b"), "(a <= b)");
  EXPECT_EQ(ExprText("a >= b"), "(a >= b)");
  EXPECT_EQ(ExprText("a IS NOT NULL"), "(a IS NOT NULL)");
  EXPECT_EQ(ExprText("a IS DISTINCT FROM b"), "(a IS DISTINCT FROM b)");
  EXPECT_EQ(ExprText("a IS NOT DISTINCT FROM b + 1"), "(a IS NOT DISTINCT FROM (b + 1))");
  EXPECT_EQ(ExprText("a IS TRUE"), "(a IS NOT DISTINCT FROM TRUE)");
}

TEST(ExprParserTest, BetweenInLike) {
  EXPECT_EQ(ExprText("a BETWEEN 1 AND 2 AND b"), "((a BETWEEN 1 AND 2) AND b)");
  EXPECT_EQ(ExprText("a NOT BETWEEN b + 1 AND c"), "(a NOT BETWEEN (b + 1) AND c)");
  EXPECT_EQ(ExprText("a IN (1, 2, 3)"), "(a IN (1, 2, 3))");
  EXPECT_EQ(ExprText("a NOT IN ('x')"), "(a NOT IN ('x'))");
  EXPECT_EQ(ExprText("a IN (SELECT b FROM t)"), "(a IN (SELECT b FROM t))");
  EXPECT_EQ(ExprText("a LIKE 'x%'"), "(a LIKE 'x%')");
  EXPECT_EQ(ExprText("a NOT ILIKE 'x%' ESCAPE '\\'"), "(a NOT ILIKE 'x%' ESCAPE '\\')");
  EXPECT_EQ(ExprText("a || 'b' LIKE c"), "((a || 'b') LIKE c)");
  ExprPtr in = ParseExpression("x NOT IN (1, 2)");
  ASSERT_EQ(in->kind, ExprKind::kIn);
  EXPECT_TRUE(in->As<InExpr>().negated);
  EXPECT_EQ(in->As<InExpr>().list.size(), 2u);
}

TEST(ExprParserTest, Literals) {
  EXPECT_EQ(ExprText("'it''s'"), "'it''s'");
  EXPECT_EQ(ExprText("TRUE"), "TRUE");
  EXPECT_EQ(ExprText("false"), "FALSE");
  EXPECT_EQ(ExprText("null"), "NULL");
  EXPECT_EQ(ExprText("1.50"), "1.50");
  EXPECT_EQ(ExprText("DATE '1998-12-01'"), "CAST('1998-12-01' AS DATE)");
  EXPECT_EQ(ExprText("timestamp '2020-01-01 10:00:00'"),
            "CAST('2020-01-01 10:00:00' AS TIMESTAMP)");
  EXPECT_EQ(ExprText("INTERVAL '3' DAY"), "INTERVAL '3' DAY");
  EXPECT_EQ(ExprText("INTERVAL '1 day'"), "INTERVAL '1 day'");
  EXPECT_EQ(ExprText("interval 3 months"), "INTERVAL 3 MONTH");
  EXPECT_EQ(ExprText("date '1998-12-01' - interval '90' day (3)"),
            "(CAST('1998-12-01' AS DATE) - INTERVAL '90' DAY)");
  ExprPtr number = ParseExpression("123");
  ASSERT_EQ(number->kind, ExprKind::kConstant);
  EXPECT_EQ(number->As<ConstantExpr>().type, ConstantType::kInteger);
  EXPECT_EQ(ParseExpression("1e3")->As<ConstantExpr>().type, ConstantType::kDecimal);
}

TEST(ExprParserTest, Casts) {
  EXPECT_EQ(ExprText("CAST(a AS INT)"), "CAST(a AS INTEGER)");
  EXPECT_EQ(ExprText("TRY_CAST(a AS varchar(10))"), "TRY_CAST(a AS VARCHAR)");
  EXPECT_EQ(ExprText("a::bigint"), "CAST(a AS BIGINT)");
  EXPECT_EQ(ExprText("a::decimal(15, 2)"), "CAST(a AS DECIMAL(15, 2))");
  EXPECT_EQ(ExprText("-a::double precision"), "(- CAST(a AS DOUBLE))");
  EXPECT_EQ(ExprText("a::text::int"), "CAST(CAST(a AS VARCHAR) AS INTEGER)");
  EXPECT_EQ(ExprText("CAST(x AS numeric(10,3))"), "CAST(x AS DECIMAL(10, 3))");
  EXPECT_EQ(ExprText("CAST(x AS float)"), "CAST(x AS REAL)");
  EXPECT_EQ(ExprText("CAST(x AS int[])"), "CAST(x AS INTEGER[])");
  EXPECT_EQ(ExprText("CAST(x AS string)"), "CAST(x AS VARCHAR)");
  EXPECT_EQ(ExprText("CAST(x AS boolean)"), "CAST(x AS BOOLEAN)");
  EXPECT_EQ(ExprText("CAST(x AS tinyint)"), "CAST(x AS TINYINT)");
  EXPECT_EQ(ExprText("CAST(x AS smallint)"), "CAST(x AS SMALLINT)");
  EXPECT_EQ(ExprText("CAST(x AS char(3))"), "CAST(x AS VARCHAR)");
}

TEST(ExprParserTest, Case) {
  EXPECT_EQ(ExprText("CASE WHEN a THEN 1 WHEN b THEN 2 ELSE 3 END"),
            "CASE WHEN a THEN 1 WHEN b THEN 2 ELSE 3 END");
  EXPECT_EQ(ExprText("case x when 1 then 'a' end"), "CASE x WHEN 1 THEN 'a' END");
  ExprPtr expr = ParseExpression("CASE x WHEN 1 THEN 2 END");
  const auto& node = expr->As<CaseExpr>();
  EXPECT_NE(node.operand, nullptr);
  EXPECT_EQ(node.else_result, nullptr);
}

TEST(ExprParserTest, FunctionCalls) {
  EXPECT_EQ(ExprText("count(*)"), "count_star()");
  EXPECT_EQ(ExprText("COUNT(DISTINCT x)"), "count(DISTINCT x)");
  EXPECT_EQ(ExprText("sum(x) FILTER (WHERE x > 0)"), "sum(x) FILTER (WHERE (x > 0))");
  EXPECT_EQ(ExprText("now()"), "now()");
  EXPECT_EQ(ExprText("main.f(1, 2)"), "main.f(1, 2)");
  EXPECT_EQ(ExprText("string_agg(x, ',' ORDER BY y DESC)"), "string_agg(x, ',' ORDER BY y DESC)");
  EXPECT_EQ(ExprText("left(s, 2)"), "left(s, 2)");
  EXPECT_EQ(ExprText("EXTRACT(year FROM d)"), "date_part('year', d)");
  EXPECT_EQ(ExprText("substring(s FROM 1 FOR 2)"), "substring(s, 1, 2)");
  EXPECT_EQ(ExprText("substring(s, 1, 2)"), "substring(s, 1, 2)");
  EXPECT_EQ(ExprText("substring(s FROM 3)"), "substring(s, 3)");
  EXPECT_EQ(ExprText("POSITION('b' IN s)"), "strpos(s, 'b')");
  EXPECT_EQ(ExprText("EXISTS (SELECT 1)"), "EXISTS (SELECT 1)");
  EXPECT_EQ(ExprText("(SELECT max(x) FROM t) + 1"), "((SELECT max(x) FROM t) + 1)");
  EXPECT_EQ(ExprText("a[1]"), "array_extract(a, 1)");
  EXPECT_EQ(ExprText("[1, 2]"), "list_value(1, 2)");
}

TEST(ExprParserTest, WindowCalls) {
  EXPECT_EQ(ExprText("row_number() OVER (PARTITION BY a ORDER BY b DESC NULLS LAST)"),
            "row_number() OVER (PARTITION BY a ORDER BY b DESC NULLS LAST)");
  EXPECT_EQ(ExprText("sum(x) OVER (ORDER BY t ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"),
            "sum(x) OVER (ORDER BY t ASC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)");
  EXPECT_EQ(ExprText("avg(x) OVER (ORDER BY t RANGE BETWEEN 3 PRECEDING AND 2 FOLLOWING)"),
            "avg(x) OVER (ORDER BY t ASC RANGE BETWEEN 3 PRECEDING AND 2 FOLLOWING)");
  EXPECT_EQ(ExprText("sum(x) OVER (ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)"),
            "sum(x) OVER (ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)");
  EXPECT_EQ(ExprText("sum(x) OVER (ROWS 2 PRECEDING)"),
            "sum(x) OVER (ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)");
  EXPECT_EQ(ExprText("rank() OVER w"), "rank() OVER w");
  EXPECT_EQ(ExprText("rank() OVER (w ORDER BY a)"), "rank() OVER (w ORDER BY a ASC)");
  EXPECT_EQ(ExprText("count(*) OVER ()"), "count_star() OVER ()");
  ExprPtr expr = ParseExpression("lag(x) OVER w");
  const auto& call = expr->As<FunctionExpr>();
  ASSERT_NE(call.over, nullptr);
  EXPECT_TRUE(call.over->is_bare_reference);
  EXPECT_EQ(call.over->base_name, "w");
}

TEST(ExprParserTest, NamesAndStars) {
  EXPECT_EQ(ExprText("a.b.c"), "a.b.c");
  EXPECT_EQ(ExprText("\"Mixed Case\".x"), "\"Mixed Case\".x");
  EXPECT_EQ(ExprText("\"select\""), "\"select\"");
  EXPECT_EQ(ExprText("t.*"), "t.*");
  EXPECT_EQ(ExprText("* EXCLUDE (a, b)"), "* EXCLUDE (a, b)");
  EXPECT_EQ(ExprText("date"), "date");
  ExprPtr expr = ParseExpression("S.\"T\".c");
  const auto& column = expr->As<ColumnRefExpr>();
  EXPECT_EQ(column.parts, (std::vector<std::string>{"s", "T", "c"}));
}

TEST(ExprParserTest, PositionsAreRecorded) {
  ExprPtr expr = ParseExpression("a +\n  b * c");
  EXPECT_EQ(expr->line, 1);
  EXPECT_EQ(expr->column, 3);  // the operator
  const auto& product = expr->As<BinaryExpr>().right->As<BinaryExpr>();
  EXPECT_EQ(product.line, 2);
  EXPECT_EQ(product.left->line, 2);
  EXPECT_EQ(product.left->column, 3);
  EXPECT_EQ(product.right->column, 7);
}

TEST(ExprParserTest, Errors) {
  EXPECT_THROW(ParseExpression("1 +"), ParseError);
  EXPECT_THROW(ParseExpression("(1"), ParseError);
  EXPECT_THROW(ParseExpression("CASE END"), ParseError);
  EXPECT_THROW(ParseExpression("a IS 3"), ParseError);
  EXPECT_THROW(ParseExpression("CAST(a AS)"), ParseError);
  EXPECT_THROW(ParseExpression("a BETWEEN 1"), ParseError);
  EXPECT_THROW(ParseExpression("f(a"), ParseError);
  EXPECT_THROW(ParseExpression("select"), ParseError);
  EXPECT_THROW(ParseExpression("a b"), ParseError);
}

}  // namespace
}  // namespace sluice::sql
