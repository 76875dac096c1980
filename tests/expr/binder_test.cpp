#include <gtest/gtest.h>

#include "expr/aggregate_function.h"
#include "expr_test_util.h"

namespace sluice::testing {
namespace {

Schema TwoTables() {
  Schema s;
  s.Add(Field{"id", TypeId::kInteger, true, "a"});
  s.Add(Field{"id", TypeId::kBigInt, true, "b"});
  s.Add(Field{"price", LogicalType::Decimal(10, 2), true, "a"});
  s.Add(Field{"name", TypeId::kVarchar, true, "b"});
  return s;
}

TEST(Binder, ResolvesColumns) {
  ExprPtr e = Bind(Col("price"), TwoTables());
  EXPECT_EQ(e->column_index, 2);
  EXPECT_EQ(e->type, LogicalType::Decimal(10, 2));
  e = Bind(Col("id", "b"), TwoTables());
  EXPECT_EQ(e->column_index, 1);
  EXPECT_EQ(e->type, LogicalType(TypeId::kBigInt));
}

TEST(Binder, ColumnErrors) {
  EXPECT_EQ(ErrorOf([] { Bind(Col("prise"), TwoTables()); }),
            "Referenced column \"prise\" not found in FROM clause, did you mean \"price\"?");
  EXPECT_EQ(ErrorOf([] { Bind(Col("id"), TwoTables()); }),
            "Ambiguous reference to column name \"id\" (use: \"a.id\" or \"b.id\")");
  EXPECT_NE(ErrorOf([] { Bind(Star(), TwoTables()); }).find("count(*)"), std::string::npos);
}

TEST(Binder, ImplicitCasts) {
  ExprPtr e = Bind(Call("+", {Col("id", "a"), Col("id", "b")}), TwoTables());
  EXPECT_EQ(e->type, LogicalType(TypeId::kBigInt));
  EXPECT_EQ(e->args[0]->kind, ExprKind::kCast);
  e = Bind(Call("*", {Col("price"), I(2)}), TwoTables());
  EXPECT_EQ(e->type.id(), TypeId::kDecimal);
  e = Bind(Call("=", {Col("name"), Null()}), TwoTables());
  EXPECT_EQ(e->args[1]->type, LogicalType(TypeId::kVarchar));
  e = Bind(Case({B(true), I(1), Lit(Value::Double(2.5))}));
  EXPECT_EQ(e->type, LogicalType(TypeId::kDouble));
}

TEST(Binder, CommonSuperType) {
  EXPECT_EQ(CommonSuperType(TypeId::kTinyInt, TypeId::kBigInt), LogicalType(TypeId::kBigInt));
  EXPECT_EQ(CommonSuperType(TypeId::kInteger, LogicalType::Decimal(5, 2)),
            LogicalType::Decimal(12, 2));
  EXPECT_EQ(CommonSuperType(TypeId::kDate, TypeId::kTimestamp), LogicalType(TypeId::kTimestamp));
  EXPECT_EQ(CommonSuperType(TypeId::kNull, TypeId::kDate), LogicalType(TypeId::kDate));
  EXPECT_THROW(CommonSuperType(TypeId::kDate, TypeId::kInteger), BindError);
}

TEST(Binder, Aggregates) {
  ExprPtr count_star = Bind(Aggregate("count", {Star()}), TwoTables());
  EXPECT_EQ(count_star->name, "count_star");
  EXPECT_TRUE(count_star->args.empty());
  EXPECT_NE(count_star->aggregate, nullptr);
  EXPECT_EQ(count_star->ToString(), "count_star()");
  ExprPtr sum = Bind(Call("sum", {Col("price")}), TwoTables());
  EXPECT_EQ(sum->kind, ExprKind::kAggregate);
  EXPECT_NE(sum->aggregate, nullptr);
  EXPECT_EQ(sum->type, sum->aggregate->result_type());
}

TEST(ExprNames, DuckDbStyle) {
  EXPECT_EQ(Call("+", {Col("a"), I(1)})->ToString(), "(a + 1)");
  EXPECT_EQ(Aggregate("sum", {Col("x")})->ToString(), "sum(x)");
  EXPECT_EQ(Aggregate("count", {Col("x")}, true)->ToString(), "count(DISTINCT x)");
  EXPECT_EQ(CastTo(Col("x"), TypeId::kInteger)->ToString(), "CAST(x AS INTEGER)");
  EXPECT_EQ(CastTo(Col("x"), TypeId::kInteger, true)->ToString(), "TRY_CAST(x AS INTEGER)");
  EXPECT_EQ(Call("substring", {Col("s"), I(1), I(2)})->ToString(), "substring(s, 1, 2)");
  EXPECT_EQ(Call("like", {Col("s"), S("a%")})->ToString(), "(s LIKE 'a%')");
  EXPECT_EQ(And({Col("a"), Not(Col("b"))})->ToString(), "(a AND (NOT b))");
  EXPECT_EQ(In(Col("x"), {I(1), I(2)}, true)->ToString(), "(x NOT IN (1, 2))");
  EXPECT_EQ(Case({Col("c"), I(1), I(0)})->ToString(), "CASE WHEN c THEN 1 ELSE 0 END");
  EXPECT_EQ(IsNull(Col("x"))->ToString(), "(x IS NULL)");
  EXPECT_EQ(Col("x", "t")->OutputName(), "x");
  EXPECT_EQ(Alias(Call("+", {Col("a"), I(1)}), "y")->OutputName(), "y");
  EXPECT_EQ(Call("negate", {Col("a")})->ToString(), "-(a)");
}

TEST(Evaluator, ColumnRefIsNotCopied) {
  Table t = MakeTable({{"x", TypeId::kInteger}}, {{Value::Integer(1)}});
  ExprPtr e = Bind(Col("x"), t.schema);
  EXPECT_EQ(Evaluate(*e, t.batch).get(), t.batch.column(0).get());
}

TEST(Evaluator, ConstantFoldingHelper) {
  EXPECT_EQ(EvaluateConstant(*Bind(Call("+", {I(1), I(2)}))), Value::Integer(3));
}

}  // namespace
}  // namespace sluice::testing
