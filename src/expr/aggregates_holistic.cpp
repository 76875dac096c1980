// Aggregates over all of a group's values: median, quantile_cont, quantile_disc, mode,
// string_agg (listagg, group_concat); and arg_min/arg_max (min_by/max_by), sum/avg of
// BOOLEAN.
//
// The holistic ones keep each group's values and are not decomposable: the planner runs them
// in one phase after repartitioning by the group keys, so Serialize and Merge are never
// called. Quantiles do not depend on the order rows arrive in; mode breaks ties by the first
// value seen and string_agg concatenates in input order, as DuckDB does (a group's input
// order is fixed by the shuffle's merge order, whatever the thread count).

#include <algorithm>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "common/error.h"
#include "expr/aggregates_internal.h"
#include "types/value.h"

namespace sluice {

namespace {

enum class HolisticKind { kQuantileCont, kQuantileDisc, kMode, kStringAgg };

// What a state stores for a physical type: strings are copied out of their batch.
template <typename T>
using Stored = std::conditional_t<std::is_same_v<T, StringView>, std::string, T>;

template <typename T>
Stored<T> Store(const T& v) {
  if constexpr (std::is_same_v<T, StringView>) {
    return v.str();
  } else {
    return v;
  }
}

template <typename S>
bool StoredLess(const S& a, const S& b) {
  return ValueLess(a, b);
}

// The constant second argument of quantile_*(x, q) or string_agg(x, sep), read at the first
// Update (the binder passes it as a constant column).
double FractionArgument(const std::vector<ColumnPtr>& args, const std::string& name) {
  if (args.size() < 2) return 0.5;
  const Value q = args[1]->GetValue(0);
  if (q.is_null()) throw InvalidInputError(fmt::format("{}: the quantile must not be NULL", name));
  const double f = q.type().id() == TypeId::kDecimal ? static_cast<double>(q.GetDecimal()) / std::pow(10.0, q.type().scale())
                   : q.type().id() == TypeId::kDouble ? q.GetDouble()
                                                      : static_cast<double>(q.GetInt());
  if (!(f >= 0 && f <= 1)) throw InvalidInputError(fmt::format("{}: the quantile must be between 0 and 1, not {}", name, f));
  return f;
}

template <typename T>
struct HolisticState {
  std::vector<Stored<T>> values;
  double fraction = 0.5;
  std::string separator = ",";
  bool configured = false;
};

template <typename T>
class HolisticAggregate : public HeapStateAggregate<HolisticState<T>> {
  using State = std::unique_ptr<HolisticState<T>>;
  using HeapStateAggregate<HolisticState<T>>::result_;

 public:
  HolisticAggregate(HolisticKind kind, std::string name, LogicalType input, LogicalType result)
      : HeapStateAggregate<HolisticState<T>>(result),
        kind_(kind),
        name_(std::move(name)),
        input_(input) {}
  bool decomposable() const override { return false; }

  void Update(uint8_t* const* states, const std::vector<ColumnPtr>& args, size_t n) const override {
    double fraction = 0.5;
    std::string separator = ",";
    if (kind_ == HolisticKind::kStringAgg && args.size() >= 2) {
      const Value sep = args[1]->GetValue(0);
      separator = sep.is_null() ? "" : sep.ToString();
    } else if (kind_ == HolisticKind::kQuantileCont || kind_ == HolisticKind::kQuantileDisc) {
      fraction = FractionArgument(args, name_);
    }
    ForEachValid<T>(*args[0], n, [&](size_t i, const T& v) {
      State& s = StateAt<State>(states, i);
      if (!s) {
        s = std::make_unique<HolisticState<T>>();
        s->fraction = fraction;
        s->separator = separator;
      }
      s->values.push_back(Store(v));
    });
  }
  void Merge(uint8_t* const*, const std::vector<ColumnPtr>&, size_t) const override {
    SLUICE_CHECK(false, "holistic aggregates are not decomposable; Merge must not be called");
  }
  void Serialize(const uint8_t* const*, size_t, const std::vector<Column*>&) const override {
    SLUICE_CHECK(false, "holistic aggregates are not decomposable; Serialize must not be called");
  }

  void Finalize(const uint8_t* const* states, size_t n, Column* out, size_t first_row) const override {
    for (size_t i = 0; i < n; i++) {
      const State& s = StateAt<State>(states, i);
      const size_t row = first_row + i;
      if (!s || s->values.empty()) {
        out->SetValue(row, Value::Null(result_));
        continue;
      }
      std::vector<Stored<T>>& v = s->values;
      switch (kind_) {
        case HolisticKind::kStringAgg: {
          std::string joined;
          for (size_t k = 0; k < v.size(); k++) {
            if (k > 0) joined += s->separator;
            if constexpr (std::is_same_v<Stored<T>, std::string>) joined += v[k];
          }
          out->SetValue(row, Value::Varchar(std::move(joined)));
          break;
        }
        case HolisticKind::kMode: {
          // The most frequent value; among equally frequent ones the first seen (DuckDB's
          // answer, and the group's input order is fixed, whatever the thread count).
          std::vector<uint32_t> order(v.size());
          for (uint32_t k = 0; k < order.size(); k++) order[k] = k;
          std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return StoredLess(v[a], v[b]); });
          size_t best_first = 0, best_count = 0;
          for (size_t k = 0; k < order.size();) {
            size_t e = k;
            while (e < order.size() && !StoredLess(v[order[k]], v[order[e]])) e++;
            const size_t first = order[k];  // stable: the run's earliest row
            if (e - k > best_count || (e - k == best_count && first < best_first)) {
              best_count = e - k;
              best_first = first;
            }
            k = e;
          }
          Write(out, row, v[best_first]);
          break;
        }
        case HolisticKind::kQuantileDisc: {
          // DuckDB's rule: the value at index ceil(n * q) - 1 of the sorted values (the
          // smallest value with at least a fraction q of the values at or below it).
          const double rank = std::ceil(static_cast<double>(v.size()) * s->fraction);
          const size_t k = rank < 1 ? 0 : std::min(v.size(), static_cast<size_t>(rank)) - 1;
          std::nth_element(v.begin(), v.begin() + k, v.end(), StoredLess<Stored<T>>);
          Write(out, row, v[k]);
          break;
        }
        case HolisticKind::kQuantileCont: {
          const double pos = static_cast<double>(v.size() - 1) * s->fraction;
          const size_t lo = static_cast<size_t>(std::floor(pos));
          const size_t hi = static_cast<size_t>(std::ceil(pos));
          std::nth_element(v.begin(), v.begin() + lo, v.end(), StoredLess<Stored<T>>);
          const Stored<T> low = v[lo];
          Stored<T> high = low;
          if (hi != lo) high = *std::min_element(v.begin() + lo + 1, v.end(), StoredLess<Stored<T>>);
          WriteInterpolated(out, row, low, high, pos - static_cast<double>(lo));
          break;
        }
      }
    }
  }

 private:
  void Write(Column* out, size_t row, const Stored<T>& v) const {
    if constexpr (std::is_same_v<Stored<T>, std::string>) {
      out->data<StringView>()[row] = out->AddString(v);
    } else {
      out->data<T>()[row] = v;
    }
  }

  // low + (high - low) * d, as DuckDB interpolates: in DOUBLE for numbers, on the unscaled
  // integer (rounded) for decimals and timestamps, which keep their type.
  void WriteInterpolated(Column* out, size_t row, const Stored<T>& low, const Stored<T>& high, double d) const {
    if constexpr (std::is_arithmetic_v<Stored<T>> || std::is_same_v<Stored<T>, int128_t>) {
      if (result_.id() == TypeId::kDouble) {
        const double scale = ScaleDivisor(input_);
        const double a = static_cast<double>(low) / scale;
        const double b = static_cast<double>(high) / scale;
        out->data<double>()[row] = a + (b - a) * d;
      } else {
        const long double a = static_cast<long double>(low);
        const long double b = static_cast<long double>(high);
        out->data<T>()[row] = static_cast<T>(std::llround(a + (b - a) * d));
      }
    } else {
      Write(out, row, low);
    }
  }

  HolisticKind kind_;
  std::string name_;
  LogicalType input_;
};

template <typename T>
std::shared_ptr<const AggregateFunction> MakeHolisticFor(HolisticKind kind, const std::string& name,
                                                         const LogicalType& input, const LogicalType& result) {
  return std::make_shared<HolisticAggregate<T>>(kind, name, input, result);
}

// arg_min(arg, val) / arg_max: the `arg` of the row with the smallest (largest) `val`;
// rows whose arg or val is NULL are skipped (as in DuckDB); ties keep the first row seen in the group's order. The state holds
// both as Values: one compare per row, decomposable through the pair of columns.
class ArgMinMaxAggregate : public AggregateFunction {
  struct State {
    Value arg;
    Value val;
    bool has = false;
  };

 public:
  ArgMinMaxAggregate(LogicalType arg, LogicalType val, bool is_max) : arg_(arg), val_(val), is_max_(is_max) {}
  LogicalType result_type() const override { return arg_; }
  std::vector<LogicalType> state_types() const override { return {arg_, val_}; }
  size_t state_size() const override { return sizeof(State); }
  size_t state_align() const override { return alignof(State); }
  bool needs_destroy() const override { return true; }
  void Initialize(uint8_t* state) const override { new (state) State(); }
  void Destroy(uint8_t* state) const override { reinterpret_cast<State*>(state)->~State(); }
  void Update(uint8_t* const* states, const std::vector<ColumnPtr>& args, size_t n) const override {
    for (size_t i = 0; i < n; i++) Fold(StateAt<State>(states, i), *args[0], *args[1], i);
  }
  void Merge(uint8_t* const* states, const std::vector<ColumnPtr>& partial, size_t n) const override {
    Update(states, partial, n);
  }
  void Serialize(const uint8_t* const* states, size_t n, const std::vector<Column*>& out) const override {
    const size_t base = out[0]->size();
    for (size_t i = 0; i < n; i++) {
      const State& s = StateAt<State>(states, i);
      out[0]->SetValue(base + i, s.has ? s.arg : Value::Null(arg_));
      out[1]->SetValue(base + i, s.has ? s.val : Value::Null(val_));
    }
  }
  void Finalize(const uint8_t* const* states, size_t n, Column* out, size_t first_row) const override {
    for (size_t i = 0; i < n; i++) {
      const State& s = StateAt<State>(states, i);
      out->SetValue(first_row + i, s.has ? s.arg : Value::Null(arg_));
    }
  }

 private:
  void Fold(State& s, const Column& arg, const Column& val, size_t i) const {
    const size_t vi = val.is_constant() ? 0 : i;
    const size_t ai = arg.is_constant() ? 0 : i;
    if (val.IsNull(vi) || arg.IsNull(ai)) return;
    Value v = val.GetValue(vi);
    if (s.has && !(is_max_ ? Greater(v, s.val) : Greater(s.val, v))) return;
    s.val = std::move(v);
    s.arg = arg.GetValue(ai);
    s.has = true;
  }
  static bool Greater(const Value& a, const Value& b) {
    switch (a.type().id()) {
      case TypeId::kDouble: return ValueLess(b.GetDouble(), a.GetDouble());
      case TypeId::kDecimal: return a.GetDecimal() > b.GetDecimal();
      case TypeId::kVarchar: return a.GetString() > b.GetString();
      case TypeId::kInterval: return ValueLess(b.GetInterval(), a.GetInterval());
      default: return a.GetInt() > b.GetInt();
    }
  }

  LogicalType arg_;
  LogicalType val_;
  bool is_max_;
};

// sum(BOOLEAN) counts the TRUE values (BIGINT); avg(BOOLEAN) is their fraction (DOUBLE).
class BooleanSumAggregate : public AggregateFunction {
  struct State {
    int64_t trues;
    int64_t count;
  };

 public:
  explicit BooleanSumAggregate(bool average) : average_(average) {}
  LogicalType result_type() const override { return average_ ? TypeId::kDouble : TypeId::kBigInt; }
  std::vector<LogicalType> state_types() const override { return {TypeId::kBigInt, TypeId::kBigInt}; }
  size_t state_size() const override { return sizeof(State); }
  void Initialize(uint8_t* state) const override { new (state) State{0, 0}; }
  void Update(uint8_t* const* states, const std::vector<ColumnPtr>& args, size_t n) const override {
    ForEachValid<uint8_t>(*args[0], n, [&](size_t i, uint8_t v) {
      State& s = StateAt<State>(states, i);
      s.trues += v != 0;
      s.count++;
    });
  }
  void Merge(uint8_t* const* states, const std::vector<ColumnPtr>& partial, size_t n) const override {
    for (size_t i = 0; i < n; i++) {
      State& s = StateAt<State>(states, i);
      s.trues += ValueAt<int64_t>(*partial[0], i);
      s.count += ValueAt<int64_t>(*partial[1], i);
    }
  }
  void Serialize(const uint8_t* const* states, size_t n, const std::vector<Column*>& out) const override {
    const size_t base = out[0]->size();
    for (size_t i = 0; i < n; i++) {
      out[0]->data<int64_t>()[base + i] = StateAt<State>(states, i).trues;
      out[1]->data<int64_t>()[base + i] = StateAt<State>(states, i).count;
    }
  }
  void Finalize(const uint8_t* const* states, size_t n, Column* out, size_t first_row) const override {
    for (size_t i = 0; i < n; i++) {
      const State& s = StateAt<State>(states, i);
      const size_t row = first_row + i;
      if (s.count == 0) {
        out->SetNull(row);
      } else if (average_) {
        out->data<double>()[row] = static_cast<double>(s.trues) / static_cast<double>(s.count);
      } else {
        out->data<int64_t>()[row] = s.trues;
      }
    }
  }

 private:
  bool average_;
};

bool Orderable(const LogicalType& t) { return t.id() != TypeId::kNull; }

}  // namespace

std::shared_ptr<const AggregateFunction> MakeHolistic(const std::string& name, const std::vector<LogicalType>& arg_types) {
  if (arg_types.empty() || arg_types.size() > 2) return nullptr;
  const LogicalType& t = arg_types[0];
  HolisticKind kind;
  LogicalType result = t;
  if (name == "median" || name == "quantile_cont" || name == "quantile") {
    if (name == "median" && arg_types.size() != 1) return nullptr;
    kind = name == "quantile" ? HolisticKind::kQuantileDisc : HolisticKind::kQuantileCont;
    if (kind == HolisticKind::kQuantileCont) {
      if (!t.IsNumeric() && t.id() != TypeId::kTimestamp) return nullptr;
      if (t.IsInteger() || t.id() == TypeId::kDouble) result = TypeId::kDouble;
    }
  } else if (name == "quantile_disc") {
    kind = HolisticKind::kQuantileDisc;
  } else if (name == "mode") {
    if (arg_types.size() != 1) return nullptr;
    kind = HolisticKind::kMode;
  } else if (name == "string_agg" || name == "listagg" || name == "group_concat") {
    if (t.id() != TypeId::kVarchar) return nullptr;
    if (arg_types.size() == 2 && arg_types[1].id() != TypeId::kVarchar) return nullptr;
    kind = HolisticKind::kStringAgg;
  } else {
    return nullptr;
  }
  if (kind != HolisticKind::kStringAgg && arg_types.size() == 2 && !arg_types[1].IsNumeric()) return nullptr;
  if (!Orderable(t)) return nullptr;
  std::shared_ptr<const AggregateFunction> out;
  DispatchPhysicalType(t, [&]<typename T>() { out = MakeHolisticFor<T>(kind, name, t, result); });
  return out;
}

std::shared_ptr<const AggregateFunction> MakeArgMinMax(const std::vector<LogicalType>& arg_types, bool is_max) {
  if (arg_types.size() != 2 || !Orderable(arg_types[1])) return nullptr;
  return std::make_shared<ArgMinMaxAggregate>(arg_types[0], arg_types[1], is_max);
}

std::shared_ptr<const AggregateFunction> MakeBooleanSum(bool average) {
  return std::make_shared<BooleanSumAggregate>(average);
}

}  // namespace sluice
