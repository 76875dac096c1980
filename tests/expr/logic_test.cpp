#include <gtest/gtest.h>

#include "expr_test_util.h"

namespace sluice::testing {
namespace {

Value T() { return Value::Boolean(true); }
Value F() { return Value::Boolean(false); }
Value N() { return Value::Null(TypeId::kBoolean); }

// All nine (a, b) combinations of TRUE, FALSE, NULL, as flat columns.
Table TruthTable() {
  std::vector<Value> a, b;
  for (const Value& x : {T(), F(), N()}) {
    for (const Value& y : {T(), F(), N()}) {
      a.push_back(x);
      b.push_back(y);
    }
  }
  return MakeTable({{"a", TypeId::kBoolean}, {"b", TypeId::kBoolean}}, {a, b});
}

std::string Render(const std::vector<Value>& values) {
  std::string out;
  for (const auto& v : values) out += v.is_null() ? "N" : (v.GetBool() ? "T" : "F");
  return out;
}

TEST(Logic, ThreeValuedAnd) {
  EXPECT_EQ(Render(EvalRows(And({Col("a"), Col("b")}), TruthTable())), "TFNFFFNFN");
}

TEST(Logic, ThreeValuedOr) {
  EXPECT_EQ(Render(EvalRows(Or({Col("a"), Col("b")}), TruthTable())), "TTTTFNTNN");
}

TEST(Logic, NotAndIsNull) {
  Table t = TruthTable();
  EXPECT_EQ(Render(EvalRows(Not(Col("a")), t)), "FFFTTTNNN");
  EXPECT_EQ(Render(EvalRows(IsNull(Col("b")), t)), "FFTFFTFFT");
  EXPECT_EQ(Render(EvalRows(IsNotNull(Col("b")), t)), "TTFTTFTTF");
}

TEST(Logic, ConstantOperands) {
  Table t = TruthTable();
  EXPECT_EQ(Render(EvalRows(And({Col("a"), B(false)}), t)), "FFFFFFFFF");
  EXPECT_EQ(Render(EvalRows(And({Col("a"), Null()}), t)), "NNNFFFNNN");
  EXPECT_EQ(Render(EvalRows(Or({Col("a"), B(true)}), t)), "TTTTTTTTT");
  EXPECT_EQ(Render(EvalRows(Or({Col("a"), Null()}), t)), "TTTNNNNNN");
}

TEST(Logic, RequiresBoolean) {
  EXPECT_NE(ErrorOf([] {
              Bind(And({I(1), B(true)}));
            }).find("requires a BOOLEAN"),
            std::string::npos);
}

TEST(Comparison, AllTypes) {
  EXPECT_EQ(Show(Call("<", {I(1), I(2)})), "true");
  EXPECT_EQ(Show(Call(">=", {D(1.5), I(2)})), "false");
  EXPECT_EQ(Show(Call("=", {Dec("1.50", 3, 2), Dec("1.5", 2, 1)})), "true");
  EXPECT_EQ(Show(Call("<>", {S("abc"), S("abd")})), "true");
  EXPECT_EQ(Show(Call("<", {S("abcdefghijklmnop"), S("abcdefghijklmnoq")})), "true");
  EXPECT_EQ(Show(Call("<", {S("ab"), S("abc")})), "true");
  EXPECT_EQ(Show(Call(">", {DateLit("2024-01-02"), S("2024-01-01")})), "true");
  EXPECT_EQ(Show(Call("=", {DateLit("2024-01-02"), TsLit("2024-01-02 00:00:00")})), "true");
  EXPECT_EQ(Show(Call("=", {IntervalLit("1 month"), IntervalLit("30 days")})), "true");
  EXPECT_EQ(Show(Call("=", {I(1), Null()})), "NULL");
  EXPECT_EQ(Show(Call("<=", {B(false), B(true)})), "true");
  EXPECT_EQ(Show(Call(">", {D(std::nan("")), D(1e300)})), "true");
  EXPECT_EQ(Show(Call("is distinct from", {I(1), Null()})), "true");
  EXPECT_EQ(Show(Call("is not distinct from", {Null(), Null()})), "true");
}

TEST(Comparison, StringVersusNumberColumnNeedsCast) {
  Table t = MakeTable({{"s", TypeId::kVarchar}}, {{Value::Varchar("1")}});
  EXPECT_NE(ErrorOf([&] {
              EvalRows(Call("=", {Col("s"), I(1)}), t);
            }).find("No function matches"),
            std::string::npos);
}

TEST(Comparison, StringLiteralBecomesDate) {
  Table t = MakeTable({{"d", TypeId::kDate}},
                      {{Value::Date(8766), Value::Date(8765), Value::Null(TypeId::kDate)}});
  ExprPtr e = Bind(Call(">=", {Col("d"), S("1994-01-01")}), t.schema);
  EXPECT_EQ(e->args[1]->kind, ExprKind::kLiteral);
  EXPECT_EQ(e->args[1]->type, LogicalType(TypeId::kDate));
  EXPECT_EQ(Render(EvalRows(Call(">=", {Col("d"), S("1994-01-01")}), t)), "TFN");
  EXPECT_EQ(ErrorOf([&] {
              Bind(Call(">=", {Col("d"), S("nope")}), t.schema);
            }),
            "Could not convert string 'nope' to DATE");
}

TEST(InList, LiteralsAndNulls) {
  Table t = MakeTable({{"x", TypeId::kInteger}},
                      {{Value::Integer(1), Value::Integer(5), Value::Null(TypeId::kInteger)}});
  EXPECT_EQ(Render(EvalRows(In(Col("x"), {I(1), I(2)}), t)), "TFN");
  EXPECT_EQ(Render(EvalRows(In(Col("x"), {I(1), Null()}), t)), "TNN");
  EXPECT_EQ(Render(EvalRows(In(Col("x"), {I(1), I(2)}, true), t)), "FTN");
  EXPECT_EQ(Render(EvalRows(In(Col("x"), {I(1), Null()}, true), t)), "FNN");
  // Non-literal list items go through equality.
  EXPECT_EQ(Render(EvalRows(In(Col("x"), {Call("+", {I(4), I(1)})}), t)), "FTN");
}

TEST(InList, LongListsOfStringsAndDates) {
  std::vector<ExprPtr> items;
  for (int i = 0; i < 100; i++) items.push_back(S("value" + std::to_string(i) + "-long-enough"));
  Table t = MakeTable({{"s", TypeId::kVarchar}},
                      {{Value::Varchar("value42-long-enough"), Value::Varchar("value420")}});
  EXPECT_EQ(Render(EvalRows(In(Col("s"), items), t)), "TF");
  Table d = MakeTable({{"d", TypeId::kDate}}, {{Value::Date(0), Value::Date(1)}});
  EXPECT_EQ(Render(EvalRows(In(Col("d"), {S("1970-01-02"), S("1971-01-01")}), d)), "FT");
}

TEST(Case, PicksFirstMatchingBranchAndIsLazy) {
  Table t = MakeTable(
      {{"x", TypeId::kInteger}},
      {{Value::Integer(0), Value::Integer(5), Value::Integer(-3), Value::Null(TypeId::kInteger)}});
  // The THEN branch would fail on x = 0 if it were evaluated there.
  ExprPtr e =
      Case({Call("=", {Col("x"), I(0)}), I(-1), Call(">", {Col("x"), I(0)}),
            CastTo(Call("//", {I(100), Col("x")}), TypeId::kBigInt), Lit(Value::BigInt(7))});
  auto r = EvalRows(e, t);
  EXPECT_EQ(r[0], Value::BigInt(-1));
  EXPECT_EQ(r[1], Value::BigInt(20));
  EXPECT_EQ(r[2], Value::BigInt(7));
  EXPECT_EQ(r[3], Value::BigInt(7));
  auto no_else = EvalRows(Case({Call(">", {Col("x"), I(0)}), S("pos")}), t);
  EXPECT_TRUE(no_else[0].is_null());
  EXPECT_EQ(no_else[1], Value::Varchar("pos"));
  auto lazy_overflow =
      EvalRows(Case({Call("=", {Col("x"), I(0)}), Call("*", {Col("x"), I(1000000000)}), I(0)}), t);
  EXPECT_EQ(lazy_overflow[1], Value::Integer(0));
}

TEST(Coalesce, FirstNonNull) {
  Table t = MakeTable({{"a", TypeId::kVarchar}, {"b", TypeId::kVarchar}},
                      {{Value::Varchar("a-long-string-value"), Value::Null(TypeId::kVarchar),
                        Value::Null(TypeId::kVarchar)},
                       {Value::Varchar("x"), Value::Varchar("b-long-string-value"),
                        Value::Null(TypeId::kVarchar)}});
  auto r = EvalRows(Coalesce({Col("a"), Col("b"), S("z")}), t);
  EXPECT_EQ(r[0], Value::Varchar("a-long-string-value"));
  EXPECT_EQ(r[1], Value::Varchar("b-long-string-value"));
  EXPECT_EQ(r[2], Value::Varchar("z"));
  EXPECT_EQ(Show(Coalesce({Null(), I(3), Lit(Value::BigInt(4))})), "3");
  EXPECT_EQ(Bind(Coalesce({Null(), I(3), Lit(Value::BigInt(4))}))->type,
            LogicalType(TypeId::kBigInt));
}

TEST(Filter, SelectsTrueRowsOnly) {
  std::vector<Value> x;
  for (int i = 0; i < 3000; i++) {
    x.push_back(i % 10 == 0 ? Value::Null(TypeId::kInteger) : Value::Integer(i));
  }
  Table t = MakeTable({{"x", TypeId::kInteger}}, {x});
  std::vector<uint32_t> sel(3000);
  ExprPtr p = Bind(Call(">", {Col("x"), I(2990)}), t.schema);
  size_t n = EvaluateFilter(*p, t.batch, sel.data());
  EXPECT_EQ(n, 9u);  // 2991..2999
  EXPECT_EQ(sel[0], 2991u);
  ExprPtr conj = Bind(And({Call(">", {Col("x"), I(100)}), Call("<", {Col("x"), I(120)}),
                           Call("=", {Call("%", {Col("x"), I(2)}), I(1)})}),
                      t.schema);
  n = EvaluateFilter(*conj, t.batch, sel.data());
  std::vector<uint32_t> got(sel.begin(), sel.begin() + n);
  EXPECT_EQ(got, (std::vector<uint32_t>{101, 103, 105, 107, 109, 111, 113, 115, 117, 119}));
  EXPECT_EQ(EvaluateFilter(*Bind(B(false)), t.batch, sel.data()), 0u);
  EXPECT_EQ(EvaluateFilter(*Bind(Null()), t.batch, sel.data()), 0u);
}

}  // namespace
}  // namespace sluice::testing
