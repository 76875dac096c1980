#include <gtest/gtest.h>

#include "expr_test_util.h"

namespace sluice::testing {
namespace {

TEST(Arithmetic, IntegerResultTypes) {
  ExprPtr e = Bind(Call("+", {Lit(Value::SmallInt(1)), I(2)}));
  EXPECT_EQ(e->type, LogicalType(TypeId::kInteger));
  EXPECT_EQ(Show(Call("+", {I(2), I(3)})), "5");
  EXPECT_EQ(Show(Call("-", {I(2), I(3)})), "-1");
  EXPECT_EQ(Show(Call("*", {BI(4), I(3)})), "12");
  EXPECT_EQ(Show(Call("%", {I(7), I(-3)})), "1");
  EXPECT_EQ(Show(Call("//", {I(7), I(2)})), "3");
  EXPECT_EQ(Show(Call("negate", {I(5)})), "-5");
}

TEST(Arithmetic, DivisionIsDoubleAndZeroGivesNull) {
  ExprPtr e = Bind(Call("/", {I(7), I(2)}));
  EXPECT_EQ(e->type, LogicalType(TypeId::kDouble));
  EXPECT_EQ(Show(Call("/", {I(7), I(2)})), "3.5");
  EXPECT_EQ(Show(Call("/", {I(7), I(0)})), "NULL");
  EXPECT_EQ(Show(Call("%", {I(7), I(0)})), "NULL");
  EXPECT_EQ(Show(Call("//", {I(7), I(0)})), "NULL");
  EXPECT_EQ(Show(Call("/", {D(1), D(0)})), "NULL");
  EXPECT_EQ(Show(Call("%", {I(INT32_MIN + 1), I(-1)})), "0");
}

TEST(Arithmetic, OverflowMessages) {
  EXPECT_EQ(ErrorOf([] {
              EvalConst(Call("+", {I(2147483647), I(1)}));
            }),
            "Overflow in addition of INTEGER (2147483647 + 1)!");
  EXPECT_EQ(ErrorOf([] {
              EvalConst(Call("-", {BI(INT64_MIN), BI(1)}));
            }),
            "Overflow in subtraction of BIGINT (-9223372036854775808 - 1)!");
  EXPECT_EQ(ErrorOf([] {
              EvalConst(Call("*", {Lit(Value::TinyInt(100)), Lit(Value::TinyInt(2))}));
            }),
            "Overflow in multiplication of TINYINT (100 * 2)!");
  EXPECT_EQ(ErrorOf([] { EvalConst(Call("negate", {I(INT32_MIN)})); }),
            "Overflow in negation of INTEGER (--2147483648)!");
  EXPECT_EQ(ErrorOf([] {
              EvalConst(Call("//", {I(INT32_MIN), I(-1)}));
            }),
            "Overflow in division of INTEGER (-2147483648 // -1)!");
  // DuckDB reports MIN % -1 as an overflow too (it is undefined behaviour in C++).
  EXPECT_EQ(ErrorOf([] { EvalConst(Call("%", {I(INT32_MIN), I(-1)})); }),
            "Overflow in division of INTEGER (-2147483648 % -1)!");
}

TEST(Arithmetic, OverflowOnNullRowsIsIgnored) {
  // The NULL row holds garbage that would overflow; it must not raise.
  auto col = Column::Make(TypeId::kInteger, 2);
  col->data<int32_t>()[0] = 1;
  col->data<int32_t>()[1] = INT32_MAX;
  col->SetNull(1);
  col->set_size(2);
  Table t;
  t.schema.Add(Field{"x", TypeId::kInteger, true, ""});
  t.batch = Batch({col}, 2);
  auto r = EvalRows(Call("+", {Col("x"), I(1)}), t);
  EXPECT_EQ(r[0], Value::Integer(2));
  EXPECT_TRUE(r[1].is_null());
}

TEST(Arithmetic, FlatConstantAndLargeBatches) {
  const size_t n = 2049;
  std::vector<Value> a, b;
  for (size_t i = 0; i < n; i++) {
    a.push_back(i % 7 == 0 ? Value::Null(TypeId::kBigInt) : Value::BigInt(static_cast<int64_t>(i)));
    b.push_back(Value::BigInt(2));
  }
  Table t = MakeTable({{"a", TypeId::kBigInt}, {"b", TypeId::kBigInt}}, {a, b});
  auto flat = EvalRows(Call("*", {Col("a"), Col("b")}), t);
  auto left_const = EvalRows(Call("*", {BI(2), Col("a")}), t);
  auto right_const = EvalRows(Call("*", {Col("a"), BI(2)}), t);
  for (size_t i = 0; i < n; i++) {
    if (i % 7 == 0) {
      EXPECT_TRUE(flat[i].is_null());
      EXPECT_TRUE(left_const[i].is_null());
      EXPECT_TRUE(right_const[i].is_null());
    } else {
      EXPECT_EQ(flat[i].GetInt(), static_cast<int64_t>(2 * i));
      EXPECT_EQ(left_const[i], flat[i]);
      EXPECT_EQ(right_const[i], flat[i]);
    }
  }
  // NULL constant operand: all rows NULL.
  auto nulls = EvalRows(Call("+", {Col("a"), Null()}), t);
  EXPECT_TRUE(nulls[5].is_null());
}

TEST(Arithmetic, EmptyAndSingleRowBatches) {
  Table empty = MakeTable({{"a", TypeId::kInteger}}, {{}});
  EXPECT_TRUE(EvalRows(Call("+", {Col("a"), I(1)}), empty).empty());
  Table one = MakeTable({{"a", TypeId::kInteger}}, {{Value::Integer(41)}});
  EXPECT_EQ(EvalRows(Call("+", {Col("a"), I(1)}), one)[0], Value::Integer(42));
}

TEST(Arithmetic, DoubleMath) {
  EXPECT_EQ(Show(Call("+", {D(0.1), D(0.2)})), "0.30000000000000004");
  EXPECT_EQ(Show(Call("+", {I(1), D(0.5)})), "1.5");
  EXPECT_EQ(Show(Call("%", {D(5.5), D(2)})), "1.5");
}

TEST(Arithmetic, DecimalScales) {
  ExprPtr sum = Bind(Call("+", {Dec("1.5", 2, 1), Dec("2.25", 3, 2)}));
  EXPECT_EQ(sum->type, LogicalType::Decimal(4, 2));
  EXPECT_EQ(Show(Call("+", {Dec("1.5", 2, 1), Dec("2.25", 3, 2)})), "3.75");
  EXPECT_EQ(Show(Call("-", {Dec("1.5", 2, 1), Dec("2.25", 3, 2)})), "-0.75");
  ExprPtr prod = Bind(Call("*", {Dec("1.5", 2, 1), Dec("2.25", 3, 2)}));
  EXPECT_EQ(prod->type, LogicalType::Decimal(5, 3));
  EXPECT_EQ(Show(Call("*", {Dec("1.5", 2, 1), Dec("2.25", 3, 2)})), "3.375");
  EXPECT_EQ(Show(Call("+", {Dec("1.5", 2, 1), I(2)})), "3.5");
  EXPECT_EQ(Show(Call("/", {Dec("1.5", 2, 1), I(2)})), "0.75");
  EXPECT_EQ(Show(Call("%", {Dec("7.5", 2, 1), Dec("2", 1, 0)})), "1.5");
  EXPECT_EQ(Show(Call("negate", {Dec("7.5", 2, 1)})), "-7.5");
}

TEST(Arithmetic, WideDecimals) {
  ExprPtr prod = Bind(Call("*", {Dec("123456789.12", 15, 2), Dec("1000000.001", 15, 3)}));
  EXPECT_EQ(prod->type, LogicalType::Decimal(30, 5));
  EXPECT_EQ(Show(Call("*", {Dec("123456789.12", 15, 2), Dec("1000000.001", 15, 3)})),
            "123456789243456.78912");
  EXPECT_EQ(Show(Call("+", {Dec("99999999999999999.9", 18, 1), Dec("0.1", 18, 1)})),
            "100000000000000000.0");
  const std::string big(38, '9');
  EXPECT_EQ(ErrorOf([&] {
              EvalConst(Call("+", {Dec(big, 38, 0), Dec("1", 38, 0)}));
            }),
            "Overflow in addition of DECIMAL(38,0) (" + big + " + 1)!");
}

TEST(Arithmetic, NoOverloadIsBindError) {
  std::string msg = ErrorOf([] { Bind(Call("+", {B(true), S("x")})); });
  EXPECT_NE(msg.find("No function matches the given name and argument types '+(BOOLEAN, VARCHAR)'"),
            std::string::npos)
      << msg;
  msg = ErrorOf([] { Bind(Call("lenght", {S("x")})); });
  EXPECT_NE(msg.find("did you mean \"length\""), std::string::npos) << msg;
}

}  // namespace
}  // namespace sluice::testing
