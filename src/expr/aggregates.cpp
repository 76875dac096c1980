// count, sum and avg, and the registration of every aggregate function.

#include <fmt/format.h>

#include "common/error.h"
#include "expr/aggregates_internal.h"
#include "expr/function_registry.h"
#include "types/decimal.h"

namespace sluice {

namespace {

// Adds the valid values among rows sel[0..n) of `col` (0..n when `sel` is null) to *sum
// (when not null) and their number to *count. An int128 sum of 64-bit values cannot
// overflow within a batch, so only the total is checked when it reaches *sum.
template <typename In, typename Acc>
void SumRows(const Column& col, const uint32_t* sel, size_t n, Acc* sum, int64_t* count) {
  constexpr bool kExact = std::is_same_v<Acc, int128_t> && sizeof(In) <= 8;
  const In* data = sum != nullptr ? col.data<In>() : nullptr;  // count(x) reads validity only
  Acc local{};
  int64_t valid = 0;
  auto add = [&](In v) {
    if constexpr (kExact) {
      local += static_cast<Acc>(v);
    } else if (__builtin_add_overflow(local, static_cast<Acc>(v), &local)) {
      throw OutOfRangeError("Overflow in SUM");
    }
  };
  if (col.is_constant()) {
    if (!col.IsValid(0)) return;
    if (sum != nullptr) {
      for (size_t i = 0; i < n; i++) add(data[0]);
    }
    valid = static_cast<int64_t>(n);
  } else if (col.validity() == nullptr) {
    if (sum != nullptr) {
      if (sel != nullptr) {
        for (size_t i = 0; i < n; i++) add(data[sel[i]]);
      } else {
        for (size_t i = 0; i < n; i++) add(data[i]);
      }
    }
    valid = static_cast<int64_t>(n);
  } else {
    for (size_t i = 0; i < n; i++) {
      const size_t row = sel != nullptr ? sel[i] : i;
      if (!col.IsValid(row)) continue;
      if (sum != nullptr) add(data[row]);
      valid++;
    }
  }
  if (sum != nullptr && __builtin_add_overflow(*sum, local, sum)) {
    throw OutOfRangeError("Overflow in SUM");
  }
  *count += valid;
}

// count(*): counts rows; its args are empty.
class CountStarAggregate : public AggregateFunction {
 public:
  LogicalType result_type() const override { return TypeId::kBigInt; }
  std::vector<LogicalType> state_types() const override { return {TypeId::kBigInt}; }
  size_t state_size() const override { return sizeof(int64_t); }
  void Initialize(uint8_t* state) const override { *reinterpret_cast<int64_t*>(state) = 0; }
  void Update(uint8_t* const* states, const std::vector<ColumnPtr>& args,
              size_t n) const override {
    for (size_t i = 0; i < n; i++) StateAt<int64_t>(states, i)++;
  }
  bool UpdateOne(uint8_t* state, const std::vector<ColumnPtr>& args, const uint32_t* sel,
                 size_t n) const override {
    int64_t valid = 0;
    if (args.empty()) {
      valid = static_cast<int64_t>(n);
    } else {
      SumRows<int64_t, int64_t>(*args[0], sel, n, nullptr, &valid);
    }
    *reinterpret_cast<int64_t*>(state) += valid;
    return true;
  }
  void Merge(uint8_t* const* states, const std::vector<ColumnPtr>& partial,
             size_t n) const override {
    ForEachValid<int64_t>(*partial[0], n,
                          [&](size_t i, int64_t v) { StateAt<int64_t>(states, i) += v; });
  }
  void Serialize(const uint8_t* const* states, size_t n,
                 const std::vector<Column*>& out) const override {
    int64_t* data = out[0]->data<int64_t>() + out[0]->size();
    for (size_t i = 0; i < n; i++) data[i] = StateAt<int64_t>(states, i);
  }
  void Finalize(const uint8_t* const* states, size_t n, Column* out,
                size_t first_row) const override {
    int64_t* data = out->data<int64_t>() + first_row;
    for (size_t i = 0; i < n; i++) data[i] = StateAt<int64_t>(states, i);
  }
  bool SerializeRows(const std::vector<ColumnPtr>& args, size_t n,
                     const std::vector<Column*>& out) const override {
    int64_t* data = out[0]->data<int64_t>() + out[0]->size();
    for (size_t i = 0; i < n; i++) data[i] = args.empty() || ValidAt(*args[0], i) ? 1 : 0;
    return true;
  }
};

// count(x): counts non-NULL rows of any type.
class CountAggregate : public CountStarAggregate {
 public:
  void Update(uint8_t* const* states, const std::vector<ColumnPtr>& args,
              size_t n) const override {
    const Column& col = *args[0];
    if (col.validity() == nullptr) {
      for (size_t i = 0; i < n; i++) StateAt<int64_t>(states, i)++;
      return;
    }
    if (col.is_constant()) {
      if (!col.IsValid(0)) return;
      for (size_t i = 0; i < n; i++) StateAt<int64_t>(states, i)++;
      return;
    }
    for (size_t i = 0; i < n; i++) StateAt<int64_t>(states, i) += col.IsValid(i) ? 1 : 0;
  }
};

// A sum with a "seen a value" flag: empty input (or all NULL) gives NULL.
template <typename Acc>
struct SumState {
  Acc sum;
  bool has_value;
};

// Adds with an overflow check: integers overflow int64 ("Overflow in SUM"), decimals the
// 38 digits of DECIMAL(38,s).
template <typename Acc>
inline void CheckedAdd(Acc& sum, Acc v) {
  if (__builtin_add_overflow(sum, v, &sum)) throw OutOfRangeError("Overflow in SUM");
}

// sum over integers (-> BIGINT) and decimals (-> DECIMAL(38,s)); doubles are in
// aggregates_double_sum.cpp. `In` is the input's physical type, `Acc` the accumulator (int64
// or int128).
template <typename In, typename Acc>
class SumAggregate : public AggregateFunction {
 public:
  explicit SumAggregate(LogicalType result) : result_(result) {}
  LogicalType result_type() const override { return result_; }
  std::vector<LogicalType> state_types() const override { return {result_}; }
  size_t state_size() const override { return sizeof(SumState<Acc>); }
  size_t state_align() const override { return alignof(SumState<Acc>); }
  void Initialize(uint8_t* state) const override {
    new (state) SumState<Acc>{Acc{}, false};
  }
  void Update(uint8_t* const* states, const std::vector<ColumnPtr>& args,
              size_t n) const override {
    ForEachValid<In>(*args[0], n, [&](size_t i, In v) {
      auto& s = StateAt<SumState<Acc>>(states, i);
      CheckedAdd<Acc>(s.sum, static_cast<Acc>(v));
      s.has_value = true;
    });
  }
  bool UpdateOne(uint8_t* state, const std::vector<ColumnPtr>& args, const uint32_t* sel,
                 size_t n) const override {
    auto& s = *reinterpret_cast<SumState<Acc>*>(state);
    int64_t valid = 0;
    SumRows<In, Acc>(*args[0], sel, n, &s.sum, &valid);
    s.has_value |= valid > 0;
    return true;
  }
  void Merge(uint8_t* const* states, const std::vector<ColumnPtr>& partial,
             size_t n) const override {
    ForEachValid<Acc>(*partial[0], n, [&](size_t i, Acc v) {
      auto& s = StateAt<SumState<Acc>>(states, i);
      CheckedAdd<Acc>(s.sum, v);
      s.has_value = true;
    });
  }
  void Serialize(const uint8_t* const* states, size_t n,
                 const std::vector<Column*>& out) const override {
    Finalize(states, n, out[0], out[0]->size());
  }
  bool SerializeRows(const std::vector<ColumnPtr>& args, size_t n,
                     const std::vector<Column*>& out) const override {
    Column& col = *out[0];
    const size_t first = col.size();
    Acc* data = col.data<Acc>() + first;
    for (size_t i = 0; i < n; i++) {
      if (ValidAt(*args[0], i)) {
        data[i] = static_cast<Acc>(ValueAt<In>(*args[0], i));
      } else {
        WriteNull<Acc>(&col, first + i);
      }
    }
    return true;
  }
  void Finalize(const uint8_t* const* states, size_t n, Column* out,
                size_t first_row) const override {
    Acc* data = out->data<Acc>();
    for (size_t i = 0; i < n; i++) {
      const auto& s = StateAt<SumState<Acc>>(states, i);
      if (!s.has_value) {
        WriteNull<Acc>(out, first_row + i);
        continue;
      }
      if constexpr (std::is_same_v<Acc, int128_t>) {
        if (s.sum > MaxDecimalValue(38) || s.sum < -MaxDecimalValue(38)) {
          throw OutOfRangeError("Overflow in SUM");
        }
      }
      data[first_row + i] = s.sum;
    }
  }

 private:
  LogicalType result_;
};

template <typename Acc>
struct AvgState {
  Acc sum;
  int64_t count;
};

// avg -> DOUBLE. Integers and decimals sum exactly in int128 (state DECIMAL(38,s), so a
// BIGINT average never overflows); doubles are in aggregates_double_sum.cpp. DECIMAL input
// also yields DOUBLE (DuckDB keeps DECIMAL there; a documented difference).
template <typename In, typename Acc>
class AvgAggregate : public AggregateFunction {
 public:
  AvgAggregate(LogicalType sum_type, double scale_divisor)
      : sum_type_(sum_type), scale_divisor_(scale_divisor) {}
  LogicalType result_type() const override { return TypeId::kDouble; }
  std::vector<LogicalType> state_types() const override { return {sum_type_, TypeId::kBigInt}; }
  size_t state_size() const override { return sizeof(AvgState<Acc>); }
  size_t state_align() const override { return alignof(AvgState<Acc>); }
  void Initialize(uint8_t* state) const override { new (state) AvgState<Acc>{Acc{}, 0}; }
  void Update(uint8_t* const* states, const std::vector<ColumnPtr>& args,
              size_t n) const override {
    ForEachValid<In>(*args[0], n, [&](size_t i, In v) {
      auto& s = StateAt<AvgState<Acc>>(states, i);
      CheckedAdd<Acc>(s.sum, static_cast<Acc>(v));
      s.count++;
    });
  }
  bool UpdateOne(uint8_t* state, const std::vector<ColumnPtr>& args, const uint32_t* sel,
                 size_t n) const override {
    auto& s = *reinterpret_cast<AvgState<Acc>*>(state);
    SumRows<In, Acc>(*args[0], sel, n, &s.sum, &s.count);
    return true;
  }
  void Merge(uint8_t* const* states, const std::vector<ColumnPtr>& partial,
             size_t n) const override {
    ForEachValid<Acc>(*partial[0], n, [&](size_t i, Acc v) {
      CheckedAdd<Acc>(StateAt<AvgState<Acc>>(states, i).sum, v);
    });
    ForEachValid<int64_t>(*partial[1], n, [&](size_t i, int64_t v) {
      StateAt<AvgState<Acc>>(states, i).count += v;
    });
  }
  void Serialize(const uint8_t* const* states, size_t n,
                 const std::vector<Column*>& out) const override {
    Acc* sums = out[0]->data<Acc>() + out[0]->size();
    int64_t* counts = out[1]->data<int64_t>() + out[1]->size();
    for (size_t i = 0; i < n; i++) {
      const auto& s = StateAt<AvgState<Acc>>(states, i);
      sums[i] = s.sum;
      counts[i] = s.count;
    }
  }
  bool SerializeRows(const std::vector<ColumnPtr>& args, size_t n,
                     const std::vector<Column*>& out) const override {
    Acc* sums = out[0]->data<Acc>() + out[0]->size();
    int64_t* counts = out[1]->data<int64_t>() + out[1]->size();
    for (size_t i = 0; i < n; i++) {
      const bool valid = ValidAt(*args[0], i);
      sums[i] = valid ? static_cast<Acc>(ValueAt<In>(*args[0], i)) : Acc{};
      counts[i] = valid ? 1 : 0;
    }
    return true;
  }
  void Finalize(const uint8_t* const* states, size_t n, Column* out,
                size_t first_row) const override {
    double* data = out->data<double>();
    for (size_t i = 0; i < n; i++) {
      const auto& s = StateAt<AvgState<Acc>>(states, i);
      if (s.count == 0) {
        WriteNull<double>(out, first_row + i);
      } else {
        data[first_row + i] =
            static_cast<double>(s.sum) / scale_divisor_ / static_cast<double>(s.count);
      }
    }
  }

 private:
  LogicalType sum_type_;
  double scale_divisor_;
};

std::shared_ptr<const AggregateFunction> MakeSum(const LogicalType& t) {
  switch (t.id()) {
    case TypeId::kTinyInt: return std::make_shared<SumAggregate<int8_t, int64_t>>(TypeId::kBigInt);
    case TypeId::kSmallInt:
      return std::make_shared<SumAggregate<int16_t, int64_t>>(TypeId::kBigInt);
    case TypeId::kInteger:
      return std::make_shared<SumAggregate<int32_t, int64_t>>(TypeId::kBigInt);
    case TypeId::kBigInt:
      return std::make_shared<SumAggregate<int64_t, int64_t>>(TypeId::kBigInt);
    case TypeId::kDouble: return MakeDoubleSum(false);
    case TypeId::kDecimal: {
      const LogicalType result = LogicalType::Decimal(38, t.scale());
      if (t.IsWideDecimal()) return std::make_shared<SumAggregate<int128_t, int128_t>>(result);
      return std::make_shared<SumAggregate<int64_t, int128_t>>(result);
    }
    default: return nullptr;
  }
}

std::shared_ptr<const AggregateFunction> MakeAvg(const LogicalType& t) {
  const LogicalType exact = LogicalType::Decimal(38, t.id() == TypeId::kDecimal ? t.scale() : 0);
  const double divisor = ScaleDivisor(t);
  switch (t.id()) {
    case TypeId::kTinyInt: return std::make_shared<AvgAggregate<int8_t, int128_t>>(exact, 1);
    case TypeId::kSmallInt: return std::make_shared<AvgAggregate<int16_t, int128_t>>(exact, 1);
    case TypeId::kInteger: return std::make_shared<AvgAggregate<int32_t, int128_t>>(exact, 1);
    case TypeId::kBigInt: return std::make_shared<AvgAggregate<int64_t, int128_t>>(exact, 1);
    case TypeId::kDouble: return MakeDoubleSum(true);
    case TypeId::kDecimal:
      if (t.IsWideDecimal()) {
        return std::make_shared<AvgAggregate<int128_t, int128_t>>(exact, divisor);
      }
      return std::make_shared<AvgAggregate<int64_t, int128_t>>(exact, divisor);
    default: return nullptr;
  }
}

bool IsVarianceName(const std::string& name) {
  return name == "var_samp" || name == "var_pop" || name == "stddev_samp" ||
         name == "stddev_pop" || name == "variance" || name == "stddev";
}

}  // namespace

std::shared_ptr<const AggregateFunction> MakeAggregateFunction(
    const std::string& name, const std::vector<LogicalType>& arg_types, bool distinct) {
  if (name == "count_star" || (name == "count" && arg_types.empty())) {
    return arg_types.empty() ? std::make_shared<CountStarAggregate>() : nullptr;
  }
  if (name == "list" || name == "array_agg") {
    return arg_types.size() == 1 && !distinct ? MakeListAggregate(arg_types[0]) : nullptr;
  }
  // LIST, STRUCT and MAP values are counted (below), counted distinct, collected, or kept
  // whole by min / max / any_value; other aggregates work on scalar physical types.
  if (distinct && name == "count" && arg_types.size() == 1 && arg_types[0].IsNested()) {
    return MakeDistinct(arg_types[0], "count");
  }
  if (arg_types.size() == 1 && arg_types[0].IsNested() && !(name == "count" && !distinct)) {
    return MakeNestedValueAggregate(name, arg_types[0]);
  }
  for (const auto& t : arg_types) {
    if (t.IsNested() && !(name == "count" && !distinct)) return nullptr;
  }
  if (!distinct) {
    if (auto holistic = MakeHolistic(name, arg_types)) return holistic;
    if (name == "arg_min" || name == "argmin" || name == "min_by") return MakeArgMinMax(arg_types, false);
    if (name == "arg_max" || name == "argmax" || name == "max_by") return MakeArgMinMax(arg_types, true);
  }
  if (name == "approx_count_distinct" && arg_types.size() == 1) {
    // Exact: the distinct count is what the estimate approaches (DuckDB's HyperLogLog gives
    // the same answers on small inputs); documented in docs/sql_semantics.md.
    return MakeDistinct(arg_types[0], "count");
  }
  if (arg_types.size() != 1) return nullptr;
  const LogicalType& t = arg_types[0];
  if (!distinct && t.id() == TypeId::kBoolean && (name == "sum" || name == "avg" || name == "mean")) {
    return MakeBooleanSum(name != "sum");
  }
  if (distinct && (name == "count" || name == "sum" || name == "avg")) {
    if (name != "count" && !t.IsNumeric()) return nullptr;
    return MakeDistinct(t, name);
  }
  // DISTINCT does not change these results.
  if (name == "min" || name == "max") return MakeMinMax(t, name == "max");
  if (name == "any_value" || name == "first" || name == "arbitrary") return MakeAnyValue(t);
  if (name == "bool_and" || name == "bool_or") {
    return t.id() == TypeId::kBoolean ? MakeBoolAggregate(name == "bool_and") : nullptr;
  }
  if (distinct) return nullptr;
  if (name == "count") return std::make_shared<CountAggregate>();
  if (name == "sum") return MakeSum(t);
  if (name == "avg" || name == "mean") return MakeAvg(t);
  if (IsVarianceName(name)) {
    if (!t.IsNumeric()) return nullptr;
    std::string kind = name == "variance" ? "var_samp" : name == "stddev" ? "stddev_samp" : name;
    return MakeVariance(t, kind);
  }
  return nullptr;
}

void RegisterAggregateFunctions() {
  struct Entry {
    const char* name;
    const char* signatures;
  };
  static const Entry kEntries[] = {
      {"count_star", "count(*)"},
      {"count", "count(ANY), count(DISTINCT ANY)"},
      {"sum", "sum(INTEGER types|DECIMAL|DOUBLE)"},
      {"avg", "avg(numeric)"},
      {"mean", "mean(numeric)"},
      {"min", "min(ANY orderable)"},
      {"max", "max(ANY orderable)"},
      {"any_value", "any_value(ANY)"},
      {"first", "first(ANY)"},
      {"arbitrary", "arbitrary(ANY)"},
      {"bool_and", "bool_and(BOOLEAN)"},
      {"bool_or", "bool_or(BOOLEAN)"},
      {"stddev", "stddev(numeric)"},
      {"stddev_samp", "stddev_samp(numeric)"},
      {"stddev_pop", "stddev_pop(numeric)"},
      {"variance", "variance(numeric)"},
      {"var_samp", "var_samp(numeric)"},
      {"var_pop", "var_pop(numeric)"},
      {"median", "median(numeric|TIMESTAMP)"},
      {"quantile_cont", "quantile_cont(numeric|TIMESTAMP, fraction)"},
      {"quantile_disc", "quantile_disc(ANY orderable, fraction)"},
      {"quantile", "quantile(ANY orderable, fraction)"},
      {"mode", "mode(ANY orderable)"},
      {"string_agg", "string_agg(VARCHAR[, separator])"},
      {"listagg", "listagg(VARCHAR[, separator])"},
      {"group_concat", "group_concat(VARCHAR[, separator])"},
      {"arg_min", "arg_min(ANY, ANY orderable)"},
      {"argmin", "argmin(ANY, ANY orderable)"},
      {"min_by", "min_by(ANY, ANY orderable)"},
      {"arg_max", "arg_max(ANY, ANY orderable)"},
      {"argmax", "argmax(ANY, ANY orderable)"},
      {"max_by", "max_by(ANY, ANY orderable)"},
      {"approx_count_distinct", "approx_count_distinct(ANY)"},
      {"list", "list(ANY)"},
      {"array_agg", "array_agg(ANY)"},
  };
  auto& registry = FunctionRegistry::Global();
  for (const Entry& e : kEntries) {
    if (registry.HasAggregate(e.name)) continue;  // idempotent
    const std::string name = e.name;
    registry.AddAggregate(
        name,
        [name](const std::vector<LogicalType>& arg_types, bool distinct) {
          return MakeAggregateFunction(name, arg_types, distinct);
        },
        e.signatures);
  }
}

}  // namespace sluice
