#include <gtest/gtest.h>

#include "expr_test_util.h"
#include "types/cast_ops.h"
#include "types/date_time.h"

namespace sluice::testing {
namespace {

std::string CastText(const ExprPtr& e, LogicalType t) { return Show(CastTo(e, t)); }

TEST(ValueCast, StringToNumbers) {
  EXPECT_EQ(Value::Varchar(" 42 ").CastTo(TypeId::kInteger), Value::Integer(42));
  EXPECT_EQ(Value::Varchar("-7").CastTo(TypeId::kTinyInt), Value::TinyInt(-7));
  EXPECT_EQ(Value::Varchar("1.5").CastTo(TypeId::kInteger), Value::Integer(2));
  EXPECT_EQ(Value::Varchar("2.5e1").CastTo(TypeId::kDouble), Value::Double(25));
  EXPECT_EQ(Value::Varchar("12.345").CastTo(LogicalType::Decimal(5, 2)),
            Value::Decimal(1235, 5, 2));
  EXPECT_EQ(Value::Varchar("yes").CastTo(TypeId::kBoolean), Value::Boolean(true));
}

TEST(ValueCast, Errors) {
  EXPECT_EQ(ErrorOf([] { Value::Varchar("abc").CastTo(TypeId::kInteger); }),
            "Could not convert string 'abc' to INTEGER");
  EXPECT_EQ(ErrorOf([] { Value::BigInt(3000000000).CastTo(TypeId::kInteger); }),
            "Type BIGINT with value 3000000000 can't be cast because the value is out of range "
            "for the destination type INTEGER");
  EXPECT_EQ(ErrorOf([] { Value::Varchar("300").CastTo(TypeId::kTinyInt); }),
            "Could not convert string '300' to TINYINT");
  EXPECT_EQ(ErrorOf([] { Value::Decimal(12345, 5, 2).CastTo(LogicalType::Decimal(3, 2)); }),
            "Type DECIMAL(5,2) with value 123.45 can't be cast because the value is out of "
            "range for the destination type DECIMAL(3,2)");
  EXPECT_EQ(ErrorOf([] { Value::Varchar("2024-13-01").CastTo(TypeId::kDate); }),
            "Could not convert string '2024-13-01' to DATE");
}

TEST(ValueCast, NumericRules) {
  EXPECT_EQ(Value::Double(2.5).CastTo(TypeId::kInteger), Value::Integer(2));  // ties to even
  EXPECT_EQ(Value::Double(3.5).CastTo(TypeId::kInteger), Value::Integer(4));
  EXPECT_EQ(Value::Double(-1.6).CastTo(TypeId::kBigInt), Value::BigInt(-2));
  EXPECT_EQ(Value::Decimal(250, 5, 2).CastTo(TypeId::kInteger), Value::Integer(3));
  EXPECT_EQ(Value::Decimal(-250, 5, 2).CastTo(TypeId::kInteger), Value::Integer(-3));
  EXPECT_EQ(Value::Double(1.005).CastTo(LogicalType::Decimal(10, 1)), Value::Decimal(10, 10, 1));
  EXPECT_EQ(Value::Decimal(12345, 5, 2).CastTo(LogicalType::Decimal(6, 1)),
            Value::Decimal(1235, 6, 1));
  EXPECT_EQ(Value::Integer(5).CastTo(LogicalType::Decimal(30, 10)).ToString(), "5.0000000000");
  EXPECT_EQ(Value::Boolean(true).CastTo(TypeId::kInteger), Value::Integer(1));
  EXPECT_EQ(Value::Integer(0).CastTo(TypeId::kBoolean), Value::Boolean(false));
  EXPECT_EQ(Value::Date(1).CastTo(TypeId::kTimestamp), Value::Timestamp(kMicrosPerDay));
  EXPECT_EQ(Value::Timestamp(-1).CastTo(TypeId::kDate), Value::Date(-1));
  EXPECT_TRUE(Value::Null(TypeId::kInteger).CastTo(TypeId::kVarchar).is_null());
}

TEST(ValueCast, ToVarchar) {
  EXPECT_EQ(Value::Double(0.1).CastTo(TypeId::kVarchar).GetString(), "0.1");
  EXPECT_EQ(Value::Boolean(false).CastTo(TypeId::kVarchar).GetString(), "false");
  EXPECT_EQ(Value::Decimal(-5, 4, 2).CastTo(TypeId::kVarchar).GetString(), "-0.05");
  EXPECT_EQ(Value::Date(19782).CastTo(TypeId::kVarchar).GetString(), "2024-02-29");
}

TEST(CastKernel, MatchesValueCast) {
  EXPECT_EQ(CastText(S("123"), TypeId::kSmallInt), "123");
  EXPECT_EQ(CastText(D(1e20), TypeId::kVarchar), "1e+20");
  EXPECT_EQ(CastText(I(-12), TypeId::kVarchar), "-12");
  EXPECT_EQ(CastText(Dec("1.25", 3, 2), TypeId::kDouble), "1.25");
  EXPECT_EQ(CastText(Dec("1.25", 3, 2), LogicalType::Decimal(20, 1)), "1.3");
  EXPECT_EQ(CastText(D(2.675), LogicalType::Decimal(4, 2)), "2.68");
  EXPECT_EQ(CastText(S(" 2024-03-01 "), TypeId::kDate), "2024-03-01");
  EXPECT_EQ(CastText(S("3 days"), TypeId::kInterval), "3 days");
  EXPECT_EQ(CastText(CastTo(S("2024-03-01"), TypeId::kDate), TypeId::kTimestamp),
            "2024-03-01 00:00:00");
}

TEST(CastKernel, ErrorsAndTryCast) {
  Table t =
      MakeTable({{"s", TypeId::kVarchar}, {"b", TypeId::kBigInt}},
                {{Value::Varchar("1"), Value::Varchar("abc"), Value::Null(TypeId::kVarchar)},
                 {Value::BigInt(1), Value::BigInt(3000000000), Value::Null(TypeId::kBigInt)}});
  EXPECT_EQ(ErrorOf([&] { EvalRows(CastTo(Col("s"), TypeId::kInteger), t); }),
            "Could not convert string 'abc' to INTEGER");
  EXPECT_EQ(ErrorOf([&] { EvalRows(CastTo(Col("b"), TypeId::kInteger), t); }),
            "Type BIGINT with value 3000000000 can't be cast because the value is out of range "
            "for the destination type INTEGER");
  auto r = EvalRows(CastTo(Col("s"), TypeId::kInteger, true), t);
  EXPECT_EQ(r[0], Value::Integer(1));
  EXPECT_TRUE(r[1].is_null());
  EXPECT_TRUE(r[2].is_null());
  r = EvalRows(CastTo(Col("b"), TypeId::kInteger, true), t);
  EXPECT_EQ(r[0], Value::Integer(1));
  EXPECT_TRUE(r[1].is_null());
}

TEST(CastKernel, UnsupportedCastIsBindError) {
  EXPECT_EQ(ErrorOf([] { Bind(CastTo(DateLit("2024-01-01"), TypeId::kInteger)); }),
            "Unimplemented type for cast (DATE -> INTEGER)");
}

TEST(CastOps, ParseHelpers) {
  int64_t v;
  EXPECT_TRUE(TryParseInt64("+15", &v));
  EXPECT_EQ(v, 15);
  EXPECT_FALSE(TryParseInt64("99999999999999999999", &v));
  EXPECT_FALSE(TryParseInt64("", &v));
  double d;
  EXPECT_TRUE(TryParseDouble("inf", &d));
  EXPECT_TRUE(std::isinf(d));
  EXPECT_FALSE(TryParseDouble("1.5x", &d));
}

}  // namespace
}  // namespace sluice::testing
