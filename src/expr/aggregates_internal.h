#pragma once

#include "types/physical_dispatch.h"

// Private helpers shared by the aggregate function implementations (aggregates*.cpp).

#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "expr/aggregate_function.h"
#include "expr/binned_sum.h"
#include "types/interval.h"
#include "types/string_view.h"

namespace sluice {

// An aggregate whose state slot holds a std::unique_ptr<Object> (a set, the values kept, a
// list being built): the slot's layout, construction and destruction, with `result_` the
// result type and the one state type.
template <typename Object>
class HeapStateAggregate : public AggregateFunction {
 public:
  using State = std::unique_ptr<Object>;

  explicit HeapStateAggregate(LogicalType result) : result_(result) {}
  LogicalType result_type() const override { return result_; }
  std::vector<LogicalType> state_types() const override { return {result_}; }
  size_t state_size() const override { return sizeof(State); }
  bool needs_destroy() const override { return true; }
  void Initialize(uint8_t* state) const override { new (state) State(); }
  void Destroy(uint8_t* state) const override { reinterpret_cast<State*>(state)->~State(); }

 protected:
  LogicalType result_;
};

// Registers every aggregate into FunctionRegistry::Global(); called by the registry.
void RegisterAggregateFunctions();

// Creates the aggregate `name` (lower case) for argument types, or nullptr when the name or
// the types do not fit. The registry resolvers call this; tests use it directly.
std::shared_ptr<const AggregateFunction> MakeAggregateFunction(
    const std::string& name, const std::vector<LogicalType>& arg_types, bool distinct);

// Per-file factories behind MakeAggregateFunction (nullptr when the types do not fit).
std::shared_ptr<const AggregateFunction> MakeMinMax(const LogicalType& type, bool is_max);
std::shared_ptr<const AggregateFunction> MakeAnyValue(const LogicalType& type);
std::shared_ptr<const AggregateFunction> MakeBoolAggregate(bool is_and);
// kind: "var_samp", "var_pop", "stddev_samp", "stddev_pop".
std::shared_ptr<const AggregateFunction> MakeVariance(const LogicalType& type,
                                                      const std::string& kind);
// kind: "count", "sum", "avg".
std::shared_ptr<const AggregateFunction> MakeDistinct(const LogicalType& type,
                                                      const std::string& kind);
// sum(DOUBLE) (average false) or avg(DOUBLE) (average true), independent of the row order.
std::shared_ptr<const AggregateFunction> MakeDoubleSum(bool average);
// median, quantile_cont, quantile_disc, mode, string_agg (aggregates_holistic.cpp); nullptr
// when `name` is not one of them or the types do not fit.
std::shared_ptr<const AggregateFunction> MakeHolistic(const std::string& name,
                                                      const std::vector<LogicalType>& arg_types);
// arg_min/arg_max (min_by/max_by) and sum/avg of BOOLEAN (aggregates_holistic.cpp).
std::shared_ptr<const AggregateFunction> MakeArgMinMax(const std::vector<LogicalType>& arg_types,
                                                       bool is_max);
std::shared_ptr<const AggregateFunction> MakeBooleanSum(bool average);
// list(x) / array_agg(x), and min / max / any_value of LIST and STRUCT values (nullptr for
// another name) (aggregates_list.cpp).
std::shared_ptr<const AggregateFunction> MakeListAggregate(const LogicalType& type);
std::shared_ptr<const AggregateFunction> MakeNestedValueAggregate(const std::string& name,
                                                                  const LogicalType& type);

// Calls fn(i, value) for every non-NULL row i < n of `col` (flat or constant).
template <typename T, typename F>
inline void ForEachValid(const Column& col, size_t n, F&& fn) {
  const T* data = col.data<T>();
  if (col.is_constant()) {
    if (!col.IsValid(0)) return;
    const T v = data[0];
    for (size_t i = 0; i < n; i++) fn(i, v);
  } else if (col.validity() == nullptr) {
    for (size_t i = 0; i < n; i++) fn(i, data[i]);
  } else {
    for (size_t i = 0; i < n; i++) {
      if (col.IsValid(i)) fn(i, data[i]);
    }
  }
}

// Calls fn.template operator()<T>() with T the physical type of `type`.
template <typename F>
inline void DispatchPhysicalType(const LogicalType& type, F&& fn) {
  if (type.id() != TypeId::kNull) VisitPhysicalType(type, fn);
}

// Converts a numeric physical value to double; `scale_divisor` is 10^scale for DECIMAL, 1
// otherwise.
template <typename T>
inline double NumericToDouble(T v, double scale_divisor) {
  return static_cast<double>(v) / scale_divisor;
}

inline double ScaleDivisor(const LogicalType& type) {
  return type.id() == TypeId::kDecimal ? std::pow(10.0, type.scale()) : 1.0;
}

// Writes NULL at `row` of `out`, zeroing the value so the bytes stay deterministic.
template <typename T>
inline void WriteNull(Column* out, size_t row) {
  out->data<T>()[row] = T{};
  out->SetNull(row);
}

// Row i of a flat or constant column.
template <typename T>
inline T ValueAt(const Column& col, size_t i) {
  return col.data<T>()[col.is_constant() ? 0 : i];
}
inline bool ValidAt(const Column& col, size_t i) { return col.IsValid(col.is_constant() ? 0 : i); }

// A BinnedSum<K> between the partial and the final aggregate: K + 2 BIGINT columns, the
// header (top bin in the low 32 bits, flags in the high ones), the count, then the bins.
template <int K>
inline constexpr size_t kBinnedSumColumns = K + 2;

template <int K>
inline void AppendBinnedSumTypes(std::vector<LogicalType>* types) {
  types->insert(types->end(), kBinnedSumColumns<K>, TypeId::kBigInt);
}

// Writes `s` at row out[c]->size() + i of the columns out[first], out[first + 1], ...
template <int K>
inline void WriteBinnedSum(const BinnedSum<K>& s, const std::vector<Column*>& out, size_t first,
                           size_t i) {
  auto put = [&](size_t c, int64_t v) {
    out[first + c]->data<int64_t>()[out[first + c]->size() + i] = v;
  };
  put(0, static_cast<int64_t>((uint64_t{s.flags()} << 32) | static_cast<uint32_t>(s.top())));
  put(1, s.count());
  for (int j = 0; j < K; j++) put(2 + j, s.bins()[j]);
}

// Reads row i of the columns partial[first], ...; nullopt when the row is NULL.
template <int K>
inline std::optional<BinnedSum<K>> ReadBinnedSum(const std::vector<ColumnPtr>& partial,
                                                 size_t first, size_t i) {
  if (!ValidAt(*partial[first], i)) return std::nullopt;
  const auto header = static_cast<uint64_t>(ValueAt<int64_t>(*partial[first], i));
  std::array<int64_t, K> bins;
  for (int j = 0; j < K; j++) bins[j] = ValueAt<int64_t>(*partial[first + 2 + j], i);
  return BinnedSum<K>::FromParts(static_cast<int32_t>(static_cast<uint32_t>(header)),
                                 static_cast<uint32_t>(header >> 32),
                                 ValueAt<int64_t>(*partial[first + 1], i), bins);
}

// SQL order of physical values: NaN sorts above every other double (as in PostgreSQL and
// DuckDB), intervals by their normalized length.
template <typename T>
inline bool ValueLess(const T& a, const T& b) {
  if constexpr (std::is_same_v<T, double>) {
    if (std::isnan(a)) return false;
    if (std::isnan(b)) return true;
    return a < b;
  } else if constexpr (std::is_same_v<T, Interval>) {
    return a.NormalizedMicros() < b.NormalizedMicros();
  } else {
    return a < b;
  }
}

template <typename State>
inline State& StateAt(uint8_t* const* states, size_t i) {
  return *reinterpret_cast<State*>(states[i]);
}
template <typename State>
inline const State& StateAt(const uint8_t* const* states, size_t i) {
  return *reinterpret_cast<const State*>(states[i]);
}

}  // namespace sluice
