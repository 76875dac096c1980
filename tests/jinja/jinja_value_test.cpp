// Dynamic values: Python printing, equality, dict order, argument binding.
#include "jinja/jinja_value.h"

#include <gtest/gtest.h>

#include <cmath>

#include "jinja/jinja_error.h"
#include "jinja/jinja_operators.h"

namespace sluice::jinja {
namespace {

TEST(JinjaValueTest, FloatsPrintLikePythonRepr) {
  EXPECT_EQ(FormatFloat(1.0), "1.0");
  EXPECT_EQ(FormatFloat(0.1), "0.1");
  EXPECT_EQ(FormatFloat(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(FormatFloat(1e16), "1e+16");
  EXPECT_EQ(FormatFloat(1e15), "1000000000000000.0");
  EXPECT_EQ(FormatFloat(1.5e-5), "1.5e-05");
  EXPECT_EQ(FormatFloat(0.0001), "0.0001");
  EXPECT_EQ(FormatFloat(-2.5), "-2.5");
  EXPECT_EQ(FormatFloat(-0.0), "-0.0");
  EXPECT_EQ(FormatFloat(123456789.125), "123456789.125");
  EXPECT_EQ(FormatFloat(1.7976931348623157e308), "1.7976931348623157e+308");
  EXPECT_EQ(FormatFloat(INFINITY), "inf");
  EXPECT_EQ(FormatFloat(NAN), "nan");
}

TEST(JinjaValueTest, StrAndRepr) {
  EXPECT_EQ(Value().Str(), "");
  EXPECT_EQ(Value::None().Str(), "None");
  EXPECT_EQ(Value(true).Str(), "True");
  EXPECT_EQ(Value("x").Str(), "x");
  EXPECT_EQ(Value("x").Repr(), "'x'");
  EXPECT_EQ(Value("it's").Repr(), "\"it's\"");
  EXPECT_EQ(Value("a'b\"c\n").Repr(), "'a\\'b\"c\\n'");
  EXPECT_EQ(Value::MakeList({Value(1), Value("a"), Value::None()}).Str(), "[1, 'a', None]");
  EXPECT_EQ(Value::MakeTuple({Value(1)}).Str(), "(1,)");
  Dict d;
  d.Set(Value("b"), Value(1));
  d.Set(Value("a"), Value::MakeList());
  EXPECT_EQ(Value::MakeDict(std::move(d)).Str(), "{'b': 1, 'a': []}");
}

TEST(JinjaValueTest, Truthiness) {
  EXPECT_FALSE(Value().Truthy());
  EXPECT_FALSE(Value::None().Truthy());
  EXPECT_FALSE(Value(0).Truthy());
  EXPECT_FALSE(Value(0.0).Truthy());
  EXPECT_FALSE(Value("").Truthy());
  EXPECT_FALSE(Value::MakeList().Truthy());
  EXPECT_FALSE(Value::MakeDict().Truthy());
  EXPECT_TRUE(Value("0").Truthy());
  EXPECT_TRUE(Value::MakeList({Value()}).Truthy());
}

TEST(JinjaValueTest, EqualityAndOrdering) {
  EXPECT_TRUE(Equals(Value(1), Value(1.0)));
  EXPECT_TRUE(Equals(Value(true), Value(1)));
  EXPECT_FALSE(Equals(Value("1"), Value(1)));
  EXPECT_TRUE(Equals(Value::MakeList({Value(1)}), Value::MakeList({Value(1.0)})));
  EXPECT_FALSE(Equals(Value::MakeList({Value(1)}), Value::MakeTuple({Value(1)})));
  EXPECT_LT(Compare(Value("a"), Value("b")), 0);
  EXPECT_GT(Compare(Value(2.5), Value(2)), 0);
  EXPECT_THROW(Compare(Value("a"), Value(1)), JinjaError);
}

TEST(JinjaValueTest, DictKeepsInsertionOrderAndNumericKeysUnify) {
  Dict d;
  d.Set(Value("z"), Value(1));
  d.Set(Value("a"), Value(2));
  d.Set(Value(1), Value("int"));
  d.Set(Value(1.0), Value("float replaces int"));
  d.Set(Value("z"), Value(3));
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d.entries()[0].first.Str(), "z");
  EXPECT_EQ(d.entries()[0].second.Str(), "3");
  EXPECT_EQ(d.Find(Value(true))->Str(), "float replaces int");
  EXPECT_TRUE(d.Erase(Value("z")));
  EXPECT_FALSE(d.Erase(Value("z")));
  EXPECT_EQ(d.FindKey("a")->Str(), "2");
  EXPECT_THROW(d.Set(Value::MakeList(), Value()), JinjaError);
}

TEST(JinjaValueTest, BindArgumentsLikePython) {
  CallArgs args{{Value(1)}, {{"b", Value(2)}}};
  auto bound = BindArguments("f", args, {"a", "b", "c"});
  EXPECT_EQ(bound[0]->Str(), "1");
  EXPECT_EQ(bound[1]->Str(), "2");
  EXPECT_FALSE(bound[2].has_value());
  EXPECT_THROW(BindArguments("f", CallArgs{{Value(1), Value(2)}, {}}, {"a"}), JinjaError);
  EXPECT_THROW(BindArguments("f", CallArgs{{}, {{"zz", Value(1)}}}, {"a"}), JinjaError);
  EXPECT_THROW(BindArguments("f", CallArgs{{Value(1)}, {{"a", Value(1)}}}, {"a"}), JinjaError);
}

TEST(JinjaValueTest, StringFormatting) {
  EXPECT_EQ(PercentFormat("%s=%d (%.1f%%)", Value::MakeTuple({Value("n"), Value(3), Value(12.25)})),
            "n=3 (12.2%)");
  CallArgs args{{Value("a"), Value(2)}, {{"k", Value("v")}}};
  EXPECT_EQ(BraceFormat("{} {} {k} {{}} {0}", args), "a 2 v {} a");
  EXPECT_EQ(BraceFormat("{:>4}|{:<3}|{:^5}|{:05.1f}",
                        CallArgs{{Value("x"), Value("y"), Value("z"), Value(2.25)}, {}}),
            "   x|y  |  z  |002.2");
}

TEST(JinjaValueTest, ArithmeticFollowsPython) {
  EXPECT_EQ(EvaluateBinary(BinaryOp::kFloorDiv, Value(-7), Value(2)).Str(), "-4");
  EXPECT_EQ(EvaluateBinary(BinaryOp::kMod, Value(-7), Value(3)).Str(), "2");
  EXPECT_EQ(EvaluateBinary(BinaryOp::kDiv, Value(7), Value(2)).Str(), "3.5");
  EXPECT_EQ(EvaluateBinary(BinaryOp::kPow, Value(2), Value(62)).Str(), "4611686018427387904");
  EXPECT_THROW(EvaluateBinary(BinaryOp::kPow, Value(2), Value(64)), JinjaError);
  EXPECT_THROW(EvaluateBinary(BinaryOp::kAdd, Value(1), Value("a")), JinjaError);
  EXPECT_THROW(EvaluateBinary(BinaryOp::kMod, Value(1), Value(0)), JinjaError);
}

}  // namespace
}  // namespace sluice::jinja
