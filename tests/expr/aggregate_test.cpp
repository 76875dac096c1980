#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <random>
#include <cstdlib>
#include <memory>

#include "common/error.h"
#include "expr/aggregates_internal.h"
#include "expr/function_registry.h"

namespace sluice {
namespace {

// States for `groups` groups of one aggregate, destroyed at the end.
class States {
 public:
  States(const AggregateFunction& fn, size_t groups) : fn_(fn), groups_(groups) {
    stride_ = (fn.state_size() + 15) / 16 * 16;
    memory_.reset(static_cast<uint8_t*>(std::aligned_alloc(16, stride_ * groups)));
    for (size_t g = 0; g < groups; g++) fn.Initialize(Get(g));
  }
  ~States() {
    if (!fn_.needs_destroy()) return;
    for (size_t g = 0; g < groups_; g++) fn_.Destroy(Get(g));
  }
  uint8_t* Get(size_t g) { return memory_.get() + g * stride_; }
  std::vector<uint8_t*> ForRows(const std::vector<uint32_t>& groups) {
    std::vector<uint8_t*> out;
    for (uint32_t g : groups) out.push_back(Get(g));
    return out;
  }
  std::vector<uint8_t*> All() {
    std::vector<uint8_t*> out;
    for (size_t g = 0; g < groups_; g++) out.push_back(Get(g));
    return out;
  }

 private:
  struct Free {
    void operator()(uint8_t* p) const { std::free(p); }
  };
  const AggregateFunction& fn_;
  size_t groups_;
  size_t stride_;
  std::unique_ptr<uint8_t, Free> memory_;
};

ColumnPtr MakeColumn(const LogicalType& type, const std::vector<Value>& values) {
  auto col = Column::Make(type, std::max<size_t>(values.size(), 1));
  for (size_t i = 0; i < values.size(); i++) col->SetValue(i, values[i]);
  col->set_size(values.size());
  return col;
}

std::vector<Value> Finalize(const AggregateFunction& fn, States& states, size_t groups) {
  auto out = Column::Make(fn.result_type(), groups);
  out->set_size(groups);
  auto all = states.All();
  fn.Finalize(all.data(), groups, out.get(), 0);
  std::vector<Value> values;
  for (size_t g = 0; g < groups; g++) values.push_back(out->GetValue(g));
  return values;
}

// Aggregates `values` per group in one phase.
std::vector<Value> Single(const AggregateFunction& fn, const LogicalType& type,
                          const std::vector<Value>& values, const std::vector<uint32_t>& groups,
                          size_t num_groups) {
  States states(fn, num_groups);
  auto ptrs = states.ForRows(groups);
  std::vector<ColumnPtr> args;
  if (type.id() != TypeId::kNull) args.push_back(MakeColumn(type, values));
  fn.Update(ptrs.data(), args, values.size());
  return Finalize(fn, states, num_groups);
}

// Two partial phases over halves of the input, serialized, then merged into final states.
std::vector<Value> TwoPhase(const AggregateFunction& fn, const LogicalType& type,
                            const std::vector<Value>& values,
                            const std::vector<uint32_t>& groups, size_t num_groups) {
  States final_states(fn, num_groups);
  const size_t half = values.size() / 2;
  for (int part = 0; part < 2; part++) {
    const size_t begin = part == 0 ? 0 : half;
    const size_t end = part == 0 ? half : values.size();
    std::vector<Value> v(values.begin() + begin, values.begin() + end);
    std::vector<uint32_t> g(groups.begin() + begin, groups.begin() + end);
    States partial(fn, num_groups);
    auto ptrs = partial.ForRows(g);
    std::vector<ColumnPtr> args;
    if (type.id() != TypeId::kNull) args.push_back(MakeColumn(type, v));
    fn.Update(ptrs.data(), args, v.size());
    std::vector<std::shared_ptr<Column>> cols;
    std::vector<Column*> raw;
    for (const auto& t : fn.state_types()) {
      cols.push_back(Column::Make(t, num_groups));
      raw.push_back(cols.back().get());
    }
    auto all = partial.All();
    fn.Serialize(all.data(), num_groups, raw);
    std::vector<ColumnPtr> partial_cols;
    for (auto& c : cols) {
      c->set_size(num_groups);
      partial_cols.push_back(c);
    }
    auto targets = final_states.All();
    fn.Merge(targets.data(), partial_cols, num_groups);
  }
  return Finalize(fn, final_states, num_groups);
}

std::shared_ptr<const AggregateFunction> Make(const std::string& name, LogicalType type,
                                              bool distinct = false) {
  std::vector<LogicalType> types;
  if (type.id() != TypeId::kNull) types.push_back(type);
  auto fn = MakeAggregateFunction(name, types, distinct);
  EXPECT_NE(fn, nullptr) << name;
  return fn;
}

// One group over `values`, single phase; checks two-phase gives the same.
Value One(const std::string& name, LogicalType type, const std::vector<Value>& values,
          bool distinct = false) {
  auto fn = Make(name, type, distinct);
  std::vector<uint32_t> groups(values.size(), 0);
  Value single = Single(*fn, type, values, groups, 1)[0];
  if (fn->decomposable()) {
    Value two = TwoPhase(*fn, type, values, groups, 1)[0];
    EXPECT_EQ(single.ToString(), two.ToString()) << name;
  }
  return single;
}

std::vector<Value> Ints(std::initializer_list<int> xs) {
  std::vector<Value> out;
  for (int x : xs) out.push_back(Value::Integer(x));
  return out;
}

const Value kNullInt = Value::Null(TypeId::kInteger);

TEST(AggregateTest, CountStarAndCount) {
  EXPECT_EQ(One("count_star", TypeId::kNull, {Value(), Value(), Value()}).GetInt(), 3);
  EXPECT_EQ(One("count", TypeId::kInteger, {Value::Integer(1), kNullInt, Value::Integer(3)})
                .GetInt(),
            2);
  EXPECT_EQ(One("count", TypeId::kInteger, {}).GetInt(), 0);
  EXPECT_EQ(One("count_star", TypeId::kNull, {}).GetInt(), 0);
}

TEST(AggregateTest, SumIntegers) {
  Value v = One("sum", TypeId::kInteger, {Value::Integer(5), kNullInt, Value::Integer(-2)});
  EXPECT_EQ(v.type().id(), TypeId::kBigInt);
  EXPECT_EQ(v.GetInt(), 3);
  EXPECT_TRUE(One("sum", TypeId::kInteger, {}).is_null());
  EXPECT_TRUE(One("sum", TypeId::kInteger, {kNullInt, kNullInt}).is_null());
}

TEST(AggregateTest, SumOverflowErrors) {
  auto fn = Make("sum", TypeId::kBigInt);
  std::vector<Value> values = {Value::BigInt(INT64_MAX), Value::BigInt(1)};
  EXPECT_THROW(Single(*fn, TypeId::kBigInt, values, {0, 0}, 1), OutOfRangeError);
  EXPECT_THROW(TwoPhase(*fn, TypeId::kBigInt, values, {0, 0}, 1), OutOfRangeError);
}

TEST(AggregateTest, SumDecimalAndDouble) {
  const LogicalType dec = LogicalType::Decimal(10, 2);
  Value v = One("sum", dec, {Value::Decimal(150, 10, 2), Value::Decimal(275, 10, 2)});
  EXPECT_EQ(v.type(), LogicalType::Decimal(38, 2));
  EXPECT_EQ(v.ToString(), "4.25");
  const LogicalType wide = LogicalType::Decimal(30, 1);
  EXPECT_EQ(One("sum", wide, {Value::Decimal(11, 30, 1), Value::Decimal(-1, 30, 1)}).ToString(),
            "1.0");
  EXPECT_DOUBLE_EQ(One("sum", TypeId::kDouble, {Value::Double(0.5), Value::Double(1.25)})
                       .GetDouble(),
                   1.75);
}

TEST(AggregateTest, Avg) {
  EXPECT_DOUBLE_EQ(One("avg", TypeId::kInteger, Ints({1, 2, 4})).GetDouble(), 7.0 / 3);
  EXPECT_DOUBLE_EQ(One("avg", TypeId::kBigInt, {Value::BigInt(INT64_MAX), Value::BigInt(INT64_MAX)})
                       .GetDouble(),
                   static_cast<double>(INT64_MAX));
  EXPECT_DOUBLE_EQ(
      One("avg", LogicalType::Decimal(5, 1), {Value::Decimal(15, 5, 1), Value::Decimal(25, 5, 1)})
          .GetDouble(),
      2.0);
  EXPECT_TRUE(One("avg", TypeId::kDouble, {}).is_null());
}

TEST(AggregateTest, MinMaxFixedWidth) {
  auto values = Ints({3, -7, 12, 0});
  values.push_back(kNullInt);
  EXPECT_EQ(One("min", TypeId::kInteger, values).GetInt(), -7);
  EXPECT_EQ(One("max", TypeId::kInteger, values).GetInt(), 12);
  EXPECT_TRUE(One("max", TypeId::kInteger, {kNullInt}).is_null());
  EXPECT_EQ(One("max", TypeId::kDate, {Value::Date(10), Value::Date(3)}).GetInt(), 10);
  EXPECT_DOUBLE_EQ(One("min", TypeId::kDouble, {Value::Double(2.5), Value::Double(-1)})
                       .GetDouble(),
                   -1);
}

TEST(AggregateTest, MinMaxVarcharOwnsBytes) {
  std::vector<Value> values = {Value::Varchar("pear, a rather long string"),
                               Value::Varchar("apple, also longer than twelve"),
                               Value::Null(TypeId::kVarchar), Value::Varchar("zz")};
  EXPECT_EQ(One("min", TypeId::kVarchar, values).GetString(), "apple, also longer than twelve");
  EXPECT_EQ(One("max", TypeId::kVarchar, values).GetString(), "zz");
  EXPECT_TRUE(One("min", TypeId::kVarchar, {}).is_null());
}

TEST(AggregateTest, AnyValueTakesFirstNonNull) {
  EXPECT_EQ(One("any_value", TypeId::kInteger, {kNullInt, Value::Integer(8), Value::Integer(9)})
                .GetInt(),
            8);
  EXPECT_EQ(One("first", TypeId::kVarchar,
                {Value::Null(TypeId::kVarchar), Value::Varchar("first long string value!")})
                .GetString(),
            "first long string value!");
}

TEST(AggregateTest, VarianceFamily) {
  auto values = Ints({1, 2, 3, 4, 5});
  EXPECT_DOUBLE_EQ(One("var_samp", TypeId::kInteger, values).GetDouble(), 2.5);
  EXPECT_DOUBLE_EQ(One("variance", TypeId::kInteger, values).GetDouble(), 2.5);
  EXPECT_DOUBLE_EQ(One("var_pop", TypeId::kInteger, values).GetDouble(), 2.0);
  EXPECT_DOUBLE_EQ(One("stddev_samp", TypeId::kInteger, values).GetDouble(), std::sqrt(2.5));
  EXPECT_DOUBLE_EQ(One("stddev", TypeId::kInteger, values).GetDouble(), std::sqrt(2.5));
  EXPECT_DOUBLE_EQ(One("stddev_pop", TypeId::kInteger, values).GetDouble(), std::sqrt(2.0));
  EXPECT_TRUE(One("var_samp", TypeId::kInteger, Ints({7})).is_null());
  EXPECT_DOUBLE_EQ(One("var_pop", TypeId::kInteger, Ints({7})).GetDouble(), 0.0);
  EXPECT_TRUE(One("var_pop", TypeId::kInteger, {}).is_null());
  EXPECT_DOUBLE_EQ(
      One("var_pop", LogicalType::Decimal(4, 1), {Value::Decimal(10, 4, 1), Value::Decimal(30, 4, 1)})
          .GetDouble(),
      1.0);
}

// The bits of a DOUBLE result, for comparisons that must be exact.
uint64_t BitsOf(const Value& v) { return std::bit_cast<uint64_t>(v.GetDouble()); }

TEST(AggregateTest, DoubleAggregatesIgnoreRowOrderAndSplits) {
  // Values whose plain sums round differently in different orders.
  std::vector<Value> values;
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> unit(-1.0, 1.0);
  for (int i = 0; i < 300; i++) values.push_back(Value::Double(unit(rng) * std::pow(10, i % 17)));
  values.push_back(Value::Double(1e16));
  values.push_back(Value::Double(1.0));
  values.push_back(Value::Double(-1e16));
  std::vector<uint32_t> groups(values.size(), 0);
  for (const char* name : {"sum", "avg", "var_samp", "var_pop", "stddev_samp", "stddev_pop"}) {
    auto fn = Make(name, TypeId::kDouble);
    std::vector<Value> shuffled = values;
    const uint64_t reference = BitsOf(Single(*fn, TypeId::kDouble, shuffled, groups, 1)[0]);
    for (int trial = 0; trial < 10; trial++) {
      std::shuffle(shuffled.begin(), shuffled.end(), rng);
      EXPECT_EQ(BitsOf(Single(*fn, TypeId::kDouble, shuffled, groups, 1)[0]), reference) << name;
      EXPECT_EQ(BitsOf(TwoPhase(*fn, TypeId::kDouble, shuffled, groups, 1)[0]), reference) << name;
    }
  }
}

TEST(AggregateTest, VarianceIsExactBeforeItsOneRounding) {
  // A large mean and a small spread: n*Σx² - (Σx)² is formed exactly, so the results are the
  // correctly rounded ones (a naive Σx² - (Σx)²/n loses every digit here).
  std::vector<Value> values;
  for (double d : {1.0, 2.0, 3.0, 4.0}) values.push_back(Value::Double(1e9 + d));
  EXPECT_EQ(One("var_samp", TypeId::kDouble, values).GetDouble(), 5.0 / 3.0);
  EXPECT_EQ(One("var_pop", TypeId::kDouble, values).GetDouble(), 1.25);
  const std::vector<Value> thirds = {Value::Double(0), Value::Double(1), Value::Double(1)};
  EXPECT_EQ(One("var_samp", TypeId::kDouble, thirds).GetDouble(), 1.0 / 3.0);
  EXPECT_EQ(One("stddev_pop", TypeId::kDouble, thirds).GetDouble(), std::sqrt(2.0 / 9.0));
  values.clear();
  for (double d : {0.5, 1.5}) values.push_back(Value::Double(1e15 + d));
  EXPECT_EQ(One("var_samp", TypeId::kDouble, values).GetDouble(), 0.5);
  // Squares beyond the double range still give the variance when it is in range.
  values = {Value::Double(1e200), Value::Double(-1e200)};
  EXPECT_DOUBLE_EQ(One("stddev_pop", TypeId::kDouble, values).GetDouble(), 1e200);
  EXPECT_TRUE(std::isnan(
      One("var_pop", TypeId::kDouble, {Value::Double(1), Value::Double(HUGE_VAL)}).GetDouble()));
}

TEST(AggregateTest, BoolAndOr) {
  std::vector<Value> values = {Value::Boolean(true), Value::Null(TypeId::kBoolean),
                               Value::Boolean(false)};
  EXPECT_FALSE(One("bool_and", TypeId::kBoolean, values).GetBool());
  EXPECT_TRUE(One("bool_or", TypeId::kBoolean, values).GetBool());
  EXPECT_TRUE(One("bool_and", TypeId::kBoolean, {Value::Boolean(true)}).GetBool());
  EXPECT_TRUE(One("bool_or", TypeId::kBoolean, {}).is_null());
}

TEST(AggregateTest, Distinct) {
  auto values = Ints({1, 2, 2, 3, 3, 3});
  values.push_back(kNullInt);
  auto count = Make("count", TypeId::kInteger, true);
  EXPECT_FALSE(count->decomposable());
  EXPECT_EQ(One("count", TypeId::kInteger, values, true).GetInt(), 3);
  EXPECT_EQ(One("sum", TypeId::kInteger, values, true).GetInt(), 6);
  EXPECT_DOUBLE_EQ(One("avg", TypeId::kInteger, values, true).GetDouble(), 2.0);
  EXPECT_EQ(One("count", TypeId::kVarchar,
                {Value::Varchar("a long string number one"), Value::Varchar("x"),
                 Value::Varchar("a long string number one")},
                true)
                .GetInt(),
            2);
  EXPECT_EQ(One("count", TypeId::kInteger, {}, true).GetInt(), 0);
  EXPECT_TRUE(One("sum", TypeId::kInteger, {}, true).is_null());
}

TEST(AggregateTest, ManyGroupsTwoPhaseEqualsSingle) {
  std::vector<Value> values;
  std::vector<uint32_t> groups;
  for (int i = 0; i < 5000; i++) {
    values.push_back(i % 7 == 0 ? kNullInt : Value::Integer(i * 31 % 1000 - 500));
    groups.push_back(static_cast<uint32_t>(i % 13));
  }
  for (const char* name : {"count", "sum", "avg", "min", "max", "var_samp", "stddev_pop",
                           "any_value"}) {
    auto fn = Make(name, TypeId::kInteger);
    auto single = Single(*fn, TypeId::kInteger, values, groups, 13);
    auto two = TwoPhase(*fn, TypeId::kInteger, values, groups, 13);
    for (size_t g = 0; g < 13; g++) {
      if (single[g].type().id() == TypeId::kDouble) {
        EXPECT_NEAR(single[g].GetDouble(), two[g].GetDouble(), 1e-9) << name;
      } else {
        EXPECT_EQ(single[g].ToString(), two[g].ToString()) << name;
      }
    }
  }
}

TEST(AggregateTest, ConstantArgumentColumn) {
  auto fn = Make("sum", TypeId::kInteger);
  States states(*fn, 1);
  std::vector<uint32_t> groups(100, 0);
  auto ptrs = states.ForRows(groups);
  std::vector<ColumnPtr> args = {Column::MakeConstant(TypeId::kInteger, Value::Integer(2), 100)};
  fn->Update(ptrs.data(), args, 100);
  EXPECT_EQ(Finalize(*fn, states, 1)[0].GetInt(), 200);
}

TEST(AggregateTest, UnsupportedTypesResolveToNull) {
  EXPECT_EQ(MakeAggregateFunction("sum", {TypeId::kVarchar}, false), nullptr);
  EXPECT_EQ(MakeAggregateFunction("bool_and", {TypeId::kInteger}, false), nullptr);
  EXPECT_EQ(MakeAggregateFunction("nope", {TypeId::kInteger}, false), nullptr);
}

TEST(AggregateTest, RegistersIntoGlobalRegistry) {
  RegisterAggregateFunctions();
  RegisterAggregateFunctions();  // idempotent
  for (const char* name : {"count_star", "count", "sum", "avg", "min", "max", "stddev",
                           "var_pop", "bool_or", "any_value"}) {
    EXPECT_TRUE(FunctionRegistry::Global().HasAggregate(name)) << name;
  }
}

// UpdateOne (a group's rows in one call, with or without a selection) gives the same states
// as Update with a pointer per row: count, sum and avg over integers and decimals, NULLs,
// constant columns.
TEST(AggregateUpdateOne, SameStatesAsUpdate) {
  std::mt19937_64 rng(5);
  const std::vector<LogicalType> types = {TypeId::kInteger, TypeId::kBigInt,
                                          LogicalType::Decimal(15, 2), LogicalType::Decimal(30, 4)};
  for (const std::string name : {"count_star", "count", "sum", "avg"}) {
    for (const LogicalType& type : types) {
      const LogicalType arg = name == "count_star" ? LogicalType(TypeId::kNull) : type;
      auto fn = Make(name, arg);
      ASSERT_NE(fn, nullptr);
      constexpr size_t kRows = 3000, kGroups = 5;
      std::vector<Value> values;
      std::vector<uint32_t> groups;
      for (size_t i = 0; i < kRows; i++) {
        groups.push_back(static_cast<uint32_t>(rng() % kGroups));
        const int64_t v = static_cast<int64_t>(rng() % 2000001) - 1000000;
        values.push_back(rng() % 7 == 0 ? Value::Null(type) : Value::BigInt(v).CastTo(type));
      }
      const std::vector<Value> expected = Single(*fn, arg, values, groups, kGroups);
      for (const bool constant : {false, true}) {
        States states(*fn, kGroups);
        std::vector<ColumnPtr> args;
        if (arg.id() != TypeId::kNull) {
          args.push_back(constant ? Column::MakeConstant(type, values[1], kRows)
                                  : MakeColumn(type, values));
        }
        bool supported = true;
        for (uint32_t g = 0; g < kGroups; g++) {
          std::vector<uint32_t> sel;
          for (size_t i = 0; i < kRows; i++) {
            if (groups[i] == g) sel.push_back(static_cast<uint32_t>(i));
          }
          supported &= fn->UpdateOne(states.Get(g), args, sel.data(), sel.size());
        }
        ASSERT_TRUE(supported) << name << " " << type.ToString();
        std::vector<Value> want = expected;
        if (constant) {
          std::vector<Value> same(kRows, values[1]);
          want = Single(*fn, arg, same, groups, kGroups);
        }
        EXPECT_EQ(Finalize(*fn, states, kGroups), want) << name << " " << type.ToString();
      }
      // Without a selection: all rows into one state.
      States one(*fn, 1);
      std::vector<ColumnPtr> args;
      if (arg.id() != TypeId::kNull) args.push_back(MakeColumn(type, values));
      ASSERT_TRUE(fn->UpdateOne(one.Get(0), args, nullptr, kRows));
      EXPECT_EQ(Finalize(*fn, one, 1),
                Single(*fn, arg, values, std::vector<uint32_t>(kRows, 0), 1))
          << name << " " << type.ToString();
    }
  }
}

}  // namespace
}  // namespace sluice
