// sum and avg of DOUBLE. A plain double accumulator gives results whose last digits depend on
// the order of the additions, which depends on the thread count and on how the rows were
// partitioned; the state here is a BinnedSum, whose value depends only on the values.

#include "expr/aggregates_internal.h"

namespace sluice {

namespace {

using Sum = DoubleSum;

// sum(DOUBLE) -> DOUBLE (NULL without values) or avg(DOUBLE) -> DOUBLE (the rounded sum
// divided by the count). The state is a Sum; its count doubles as the "seen a value" flag.
class DoubleSumAggregate : public AggregateFunction {
 public:
  explicit DoubleSumAggregate(bool average) : average_(average) {}
  LogicalType result_type() const override { return TypeId::kDouble; }
  std::vector<LogicalType> state_types() const override {
    std::vector<LogicalType> types;
    AppendBinnedSumTypes<Sum::kBins>(&types);
    return types;
  }
  size_t state_size() const override { return sizeof(Sum); }
  size_t state_align() const override { return alignof(Sum); }
  void Initialize(uint8_t* state) const override { new (state) Sum(); }

  void Update(uint8_t* const* states, const std::vector<ColumnPtr>& args, size_t n) const override {
    if (n > 0 && AllSame(states, n)) {
      // One group (a global aggregate, or a run of rows of one group): add into a local sum
      // that the compiler can keep out of the aliased state, then merge it once.
      Sum local;
      ForEachValid<double>(*args[0], n, [&](size_t, double v) { local.Add(v); });
      StateAt<Sum>(states, 0).Merge(local);
      return;
    }
    ForEachValid<double>(*args[0], n, [&](size_t i, double v) { StateAt<Sum>(states, i).Add(v); });
  }
  void Merge(uint8_t* const* states, const std::vector<ColumnPtr>& partial,
             size_t n) const override {
    for (size_t i = 0; i < n; i++) {
      if (auto other = ReadBinnedSum<Sum::kBins>(partial, 0, i))
        StateAt<Sum>(states, i).Merge(*other);
    }
  }
  void Serialize(const uint8_t* const* states, size_t n,
                 const std::vector<Column*>& out) const override {
    for (size_t i = 0; i < n; i++) WriteBinnedSum(StateAt<Sum>(states, i), out, 0, i);
  }
  void Finalize(const uint8_t* const* states, size_t n, Column* out,
                size_t first_row) const override {
    double* data = out->data<double>();
    for (size_t i = 0; i < n; i++) {
      const Sum& s = StateAt<Sum>(states, i);
      if (s.count() == 0) {
        WriteNull<double>(out, first_row + i);
        continue;
      }
      const double sum = s.Round();
      data[first_row + i] = average_ ? sum / static_cast<double>(s.count()) : sum;
    }
  }

 private:
  static bool AllSame(uint8_t* const* states, size_t n) {
    for (size_t i = 1; i < n; i++) {
      if (states[i] != states[0]) return false;
    }
    return true;
  }

  bool average_;
};

}  // namespace

std::shared_ptr<const AggregateFunction> MakeDoubleSum(bool average) {
  return std::make_shared<DoubleSumAggregate>(average);
}

}  // namespace sluice
