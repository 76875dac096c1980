// var_samp, var_pop, stddev_samp, stddev_pop (and the aliases variance, stddev).
//
// Welford's online update keeps (count, mean, m2) numerically stable; partial states are
// combined with Chan et al.'s parallel formula. Results are DOUBLE; DECIMAL input is scaled.

#include <cmath>

#include "expr/aggregates_internal.h"

namespace sluice {

namespace {

struct VarianceState {
  int64_t count;
  double mean;
  double m2;  // sum of squared deviations from the mean
};

enum class VarianceKind { kVarSamp, kVarPop, kStddevSamp, kStddevPop };

inline void Combine(VarianceState& s, int64_t count, double mean, double m2) {
  if (count == 0) return;
  if (s.count == 0) {
    s = VarianceState{count, mean, m2};
    return;
  }
  const double total = static_cast<double>(s.count + count);
  const double delta = mean - s.mean;
  s.m2 += m2 + delta * delta * static_cast<double>(s.count) * static_cast<double>(count) / total;
  s.mean += delta * static_cast<double>(count) / total;
  s.count += count;
}

template <typename In>
class VarianceAggregate : public AggregateFunction {
 public:
  VarianceAggregate(VarianceKind kind, double scale_divisor)
      : kind_(kind), scale_divisor_(scale_divisor) {}
  LogicalType result_type() const override { return TypeId::kDouble; }
  std::vector<LogicalType> state_types() const override {
    return {TypeId::kBigInt, TypeId::kDouble, TypeId::kDouble};
  }
  size_t state_size() const override { return sizeof(VarianceState); }
  void Initialize(uint8_t* state) const override { new (state) VarianceState{0, 0, 0}; }
  void Update(uint8_t* const* states, const std::vector<ColumnPtr>& args,
              size_t n) const override {
    ForEachValid<In>(*args[0], n, [&](size_t i, In v) {
      auto& s = StateAt<VarianceState>(states, i);
      const double x = NumericToDouble(v, scale_divisor_);
      s.count++;
      const double delta = x - s.mean;
      s.mean += delta / static_cast<double>(s.count);
      s.m2 += delta * (x - s.mean);
    });
  }
  void Merge(uint8_t* const* states, const std::vector<ColumnPtr>& partial,
             size_t n) const override {
    const Column& counts = *partial[0];
    const Column& means = *partial[1];
    const Column& m2s = *partial[2];
    for (size_t i = 0; i < n; i++) {
      const size_t r = counts.is_constant() ? 0 : i;
      if (!counts.IsValid(r)) continue;
      Combine(StateAt<VarianceState>(states, i), counts.data<int64_t>()[r],
              means.data<double>()[means.is_constant() ? 0 : i],
              m2s.data<double>()[m2s.is_constant() ? 0 : i]);
    }
  }
  void Serialize(const uint8_t* const* states, size_t n,
                 const std::vector<Column*>& out) const override {
    int64_t* counts = out[0]->data<int64_t>() + out[0]->size();
    double* means = out[1]->data<double>() + out[1]->size();
    double* m2s = out[2]->data<double>() + out[2]->size();
    for (size_t i = 0; i < n; i++) {
      const auto& s = StateAt<VarianceState>(states, i);
      counts[i] = s.count;
      means[i] = s.mean;
      m2s[i] = s.m2;
    }
  }
  void Finalize(const uint8_t* const* states, size_t n, Column* out,
                size_t first_row) const override {
    const bool sample = kind_ == VarianceKind::kVarSamp || kind_ == VarianceKind::kStddevSamp;
    const bool root = kind_ == VarianceKind::kStddevSamp || kind_ == VarianceKind::kStddevPop;
    double* data = out->data<double>();
    for (size_t i = 0; i < n; i++) {
      const auto& s = StateAt<VarianceState>(states, i);
      const int64_t denominator = sample ? s.count - 1 : s.count;
      if (denominator <= 0) {
        WriteNull<double>(out, first_row + i);
        continue;
      }
      // Rounding can leave a tiny negative m2 for constant input.
      const double var = std::max(0.0, s.m2 / static_cast<double>(denominator));
      data[first_row + i] = root ? std::sqrt(var) : var;
    }
  }

 private:
  VarianceKind kind_;
  double scale_divisor_;
};

}  // namespace

std::shared_ptr<const AggregateFunction> MakeVariance(const LogicalType& type,
                                                      const std::string& kind) {
  VarianceKind k = VarianceKind::kVarSamp;
  if (kind == "var_pop") k = VarianceKind::kVarPop;
  if (kind == "stddev_samp") k = VarianceKind::kStddevSamp;
  if (kind == "stddev_pop") k = VarianceKind::kStddevPop;
  const double divisor = ScaleDivisor(type);
  std::shared_ptr<const AggregateFunction> result;
  DispatchPhysicalType(type, [&]<typename T>() {
    if constexpr (std::is_arithmetic_v<T> || std::is_same_v<T, int128_t>) {
      result = std::make_shared<VarianceAggregate<T>>(k, divisor);
    }
  });
  return result;
}

}  // namespace sluice
