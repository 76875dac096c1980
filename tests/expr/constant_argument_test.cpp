// Every registered scalar function, called with constant arguments beside one column argument,
// must give per row what it gives for the same values as constants (a kernel that saw only
// its constant arguments once returned row 0's result for every row: NULLIF(79, c)).
#include <gtest/gtest.h>

#include <set>

#include "expr_test_util.h"

namespace sluice::testing {
namespace {

// Four sample values per type; row 0 is also the value used for constant arguments, so a
// function comparing its arguments (nullif, =, greatest) sees equal and unequal rows.
struct Samples {
  LogicalType type;
  std::vector<Value> values;
};

std::vector<Samples> AllSamples() {
  auto cast = [](const char* text, LogicalType t) { return Value::Varchar(text).CastTo(t); };
  return {
      {TypeId::kInteger, {Value::Integer(2), Value::Integer(1), Value::Integer(5), Value()}},
      {TypeId::kBigInt, {Value::BigInt(3), Value::BigInt(-1), Value::BigInt(7), Value()}},
      {TypeId::kDouble, {Value::Double(2.5), Value::Double(1), Value::Double(-0.5), Value()}},
      {TypeId::kVarchar,
       {Value::Varchar("ab"), Value::Varchar("Hello"), Value::Varchar("%b"), Value()}},
      {TypeId::kBoolean, {Value::Boolean(true), Value::Boolean(false), Value::Boolean(true),
                          Value()}},
      {TypeId::kDate,
       {cast("2024-02-29", TypeId::kDate), cast("2000-01-01", TypeId::kDate),
        cast("1999-12-31", TypeId::kDate), Value()}},
      {TypeId::kTimestamp,
       {cast("2024-02-29 10:30:00", TypeId::kTimestamp),
        cast("2000-01-01 00:00:00", TypeId::kTimestamp),
        cast("1999-12-31 23:59:59", TypeId::kTimestamp), Value()}},
      {TypeId::kInterval,
       {cast("1 day", TypeId::kInterval), cast("2 hours", TypeId::kInterval),
        cast("3 months", TypeId::kInterval), Value()}},
      {LogicalType::Decimal(10, 2),
       {cast("1.50", LogicalType::Decimal(10, 2)), cast("2.00", LogicalType::Decimal(10, 2)),
        cast("-3.25", LogicalType::Decimal(10, 2)), Value()}},
  };
}

const std::set<std::string>& Volatile() {
  static const std::set<std::string> names = {"random", "uuid", "gen_random_uuid", "nextval",
                                              "setseed"};
  return names;
}

// The call `name(args)` where argument `column_at` is column c (of `samples[column_at]`) and
// the others are row 0 of their samples. Returns a failure message, "" when the rows agree
// or the call does not bind for these types.
std::string CheckCall(const std::string& name, const std::vector<const Samples*>& samples,
                      size_t column_at) {
  const Samples& col = *samples[column_at];
  Table t = MakeTable({{"c", col.type}}, {col.values});
  auto args_with = [&](ExprPtr column_arg) {
    std::vector<ExprPtr> args;
    for (size_t i = 0; i < samples.size(); i++) {
      args.push_back(i == column_at ? column_arg : Lit(samples[i]->values[0]));
    }
    return args;
  };
  ExprPtr bound;
  try {
    bound = Bind(Call(name, args_with(Col("c"))), t.schema);
  } catch (const UserError&) {
    return "";
  }
  ColumnPtr result;
  try {
    result = Evaluate(*bound, t.batch);
  } catch (const UserError&) {
    return "";  // some row fails; the row-by-row check below has nothing to compare
  }
  std::string failures;
  for (size_t r = 0; r < t.batch.num_rows(); r++) {
    std::string expected;
    try {
      Value v = col.values[r];
      ExprPtr lit = Lit(v.is_null() ? Value::Null(col.type) : v);
      expected = EvaluateConstant(*Bind(Call(name, args_with(lit)))).ToString();
    } catch (const UserError&) {
      continue;
    }
    const std::string got = result->GetValue(r).ToString();
    if (got != expected) {
      failures += bound->ToString() + " row " + std::to_string(r) + ": got " + got +
                  ", row by row " + expected + "\n";
    }
  }
  return failures;
}

TEST(ConstantArguments, EveryScalarFunctionAgreesWithRowByRow) {
  RegisterBuiltinFunctions();
  const std::vector<Samples> all = AllSamples();
  std::string failures;
  size_t checked_names = 0;
  for (const std::string& name : FunctionRegistry::Global().ScalarNames()) {
    if (Volatile().count(name)) continue;
    checked_names++;
    for (const auto& a : all) {
      for (const auto& b : all) {
        failures += CheckCall(name, {&a, &b}, 1);
        failures += CheckCall(name, {&a, &b}, 0);
      }
    }
    // Three arguments over the commonest types, the column in each place.
    const std::vector<const Samples*> three = {&all[0], &all[2], &all[3], &all[6]};
    for (const Samples* a : three) {
      for (const Samples* b : three) {
        for (const Samples* c : three) {
          for (size_t at = 0; at < 3; at++) failures += CheckCall(name, {a, b, c}, at);
        }
      }
    }
  }
  EXPECT_GT(checked_names, 50u);
  EXPECT_EQ(failures, "");
}

TEST(ConstantArguments, NullIfConstantFirst) {
  Table t = MakeTable({{"c", TypeId::kInteger}},
                      {{Value::Integer(79), Value::Integer(1), Value::Integer(5)}});
  auto rows = EvalRows(Call("nullif", {I(79), Col("c")}), t);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_TRUE(rows[0].is_null());
  EXPECT_EQ(rows[1].ToString(), "79");
  EXPECT_EQ(rows[2].ToString(), "79");
}

}  // namespace
}  // namespace sluice::testing
