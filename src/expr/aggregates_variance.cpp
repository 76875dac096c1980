// var_samp, var_pop, stddev_samp, stddev_pop (and the aliases variance, stddev).
//
// Results must not depend on the order of the rows (thread count, partitioning), which rules
// out Welford's update and Chan's merge of (count, mean, m2): both round differently in each
// order. The state is instead the exact sums of x and of x*x (BinnedSum: x*x is formed from
// the integer mantissa, so it is exact too), and Finalize computes n*Σx² - (Σx)² exactly in
// integers before the one division. This has no cancellation (the difference is exact), so it
// is at least as accurate as Welford, and it merges by adding. Results are DOUBLE; DECIMAL and
// integer inputs are converted to DOUBLE first.

#include <algorithm>
#include <bit>
#include <cmath>
#include <optional>

#include "expr/aggregates_internal.h"

namespace sluice {

namespace {

// A non-negative integer as little-endian 64-bit words, for the exact Finalize arithmetic.
using Words = std::vector<uint64_t>;

Words Multiply(const Words& a, const Words& b) {
  Words out(a.size() + b.size(), 0);
  for (size_t i = 0; i < a.size(); i++) {
    unsigned __int128 carry = 0;
    for (size_t j = 0; j < b.size(); j++) {
      const unsigned __int128 t = static_cast<unsigned __int128>(a[i]) * b[j] + out[i + j] + carry;
      out[i + j] = static_cast<uint64_t>(t);
      carry = t >> 64;
    }
    out[i + b.size()] = static_cast<uint64_t>(carry);
  }
  return out;
}

Words ShiftLeft(const Words& a, int64_t bits) {
  const auto words = static_cast<size_t>(bits / 64);
  const int rest = static_cast<int>(bits % 64);
  Words out(a.size() + words + 1, 0);
  for (size_t i = 0; i < a.size(); i++) {
    out[i + words] |= a[i] << rest;
    if (rest != 0) out[i + words + 1] |= a[i] >> (64 - rest);
  }
  return out;
}

// a - b when a >= b, otherwise nullopt.
std::optional<Words> Subtract(Words a, Words b) {
  const size_t size = std::max(a.size(), b.size());
  a.resize(size, 0);
  b.resize(size, 0);
  uint64_t borrow = 0;
  for (size_t i = 0; i < size; i++) {
    const uint64_t ai = a[i];
    a[i] = ai - b[i] - borrow;
    borrow = (ai < b[i] || ai - b[i] < borrow) ? 1 : 0;
  }
  if (borrow != 0) return std::nullopt;
  return a;
}

bool IsZero(const Words& a) {
  return std::all_of(a.begin(), a.end(), [](uint64_t w) { return w == 0; });
}

// Index of the highest set bit. REQUIRES: !IsZero(a).
int64_t HighestBit(const Words& a) {
  size_t used = a.size();
  while (a[used - 1] == 0) used--;
  return static_cast<int64_t>(used - 1) * 64 + 63 - std::countl_zero(a[used - 1]);
}

// *a /= divisor, returning the remainder. REQUIRES: divisor > 0.
uint64_t DivideInPlace(Words* a, uint64_t divisor) {
  unsigned __int128 remainder = 0;
  for (size_t i = a->size(); i-- > 0;) {
    const unsigned __int128 t = (remainder << 64) | (*a)[i];
    (*a)[i] = static_cast<uint64_t>(t / divisor);
    remainder = t % divisor;
  }
  return static_cast<uint64_t>(remainder);
}

Words ToWords(const ScaledInteger& v) { return Words(v.magnitude.begin(), v.magnitude.end()); }

constexpr int kBins = DoubleSum::kBins;
// The intermediate columns: Σx's, then Σx²'s from this one on.
constexpr size_t kSquaresColumn = kBinnedSumColumns<kBins>;

struct VarianceState {
  DoubleSum sum;      // Σx, and the count
  DoubleSum squares;  // Σx², kSquareBias
};

enum class VarianceKind { kVarSamp, kVarPop, kStddevSamp, kStddevPop };

// (n*Σx² - (Σx)²) / (n * denominator) computed exactly and rounded once; its square root
// when `root`.
double Variance(const VarianceState& s, int64_t denominator, bool root) {
  if (s.sum.flags() != 0 || s.squares.flags() != 0) return std::nan("");
  const int64_t n = s.sum.count();
  const ScaledInteger sum = s.sum.ExactValue(DoubleSum::kValueBias);
  const ScaledInteger squares = s.squares.ExactValue(DoubleSum::kSquareBias);
  Words n_squares = Multiply(ToWords(squares), Words{static_cast<uint64_t>(n)});
  Words sum_squared = Multiply(ToWords(sum), ToWords(sum));
  int64_t n_squares_exp = squares.exponent;
  int64_t sum_squared_exp = 2 * sum.exponent;
  const int64_t exponent = std::min(n_squares_exp, sum_squared_exp);
  n_squares = ShiftLeft(n_squares, n_squares_exp - exponent);
  sum_squared = ShiftLeft(sum_squared, sum_squared_exp - exponent);
  // Negative only through truncated bits of values far below the largest: then it is ~0.
  std::optional<Words> difference = Subtract(std::move(n_squares), sum_squared);
  if (!difference || IsZero(*difference)) return 0.0;
  // The quotient with 56+ bits, and a sticky bit for a nonzero remainder: one correct rounding.
  constexpr int kExtraBits = 128 + 56;
  Words quotient = ShiftLeft(*difference, kExtraBits);
  const uint64_t remainder_n = DivideInPlace(&quotient, static_cast<uint64_t>(n));
  const uint64_t remainder_d = DivideInPlace(&quotient, static_cast<uint64_t>(denominator));
  const bool inexact = remainder_n != 0 || remainder_d != 0;
  quotient = ShiftLeft(quotient, 1);
  quotient[0] |= inexact ? 1 : 0;
  const int64_t scale = exponent - kExtraBits - 1;
  if (!root) return RoundToDouble(quotient.data(), quotient.size(), false, scale);
  // The square root of the rounded variance, taken on a mantissa in [1, 4) so that a
  // standard deviation in range never overflows through its variance.
  int64_t high = HighestBit(quotient);
  if ((scale + high) % 2 != 0) high -= 1;
  const double unit = RoundToDouble(quotient.data(), quotient.size(), false, -high);
  const int64_t half = std::clamp<int64_t>((scale + high) / 2, -100000, 100000);
  return std::ldexp(std::sqrt(unit), static_cast<int>(half));
}

template <typename In>
class VarianceAggregate : public AggregateFunction {
 public:
  VarianceAggregate(VarianceKind kind, double scale_divisor)
      : kind_(kind), scale_divisor_(scale_divisor) {}
  LogicalType result_type() const override { return TypeId::kDouble; }
  std::vector<LogicalType> state_types() const override {
    std::vector<LogicalType> types;
    AppendBinnedSumTypes<kBins>(&types);
    AppendBinnedSumTypes<kBins>(&types);
    return types;
  }
  size_t state_size() const override { return sizeof(VarianceState); }
  size_t state_align() const override { return alignof(VarianceState); }
  void Initialize(uint8_t* state) const override { new (state) VarianceState(); }
  void Update(uint8_t* const* states, const std::vector<ColumnPtr>& args, size_t n) const override {
    ForEachValid<In>(*args[0], n, [&](size_t i, In v) {
      auto& s = StateAt<VarianceState>(states, i);
      const double x = NumericToDouble(v, scale_divisor_);
      s.sum.Add(x);
      s.squares.AddSquare(x);
    });
  }
  void Merge(uint8_t* const* states, const std::vector<ColumnPtr>& partial,
             size_t n) const override {
    for (size_t i = 0; i < n; i++) {
      auto sum = ReadBinnedSum<kBins>(partial, 0, i);
      auto squares = ReadBinnedSum<kBins>(partial, kSquaresColumn, i);
      if (!sum || !squares) continue;
      auto& s = StateAt<VarianceState>(states, i);
      s.sum.Merge(*sum);
      s.squares.Merge(*squares);
    }
  }
  void Serialize(const uint8_t* const* states, size_t n,
                 const std::vector<Column*>& out) const override {
    for (size_t i = 0; i < n; i++) {
      const auto& s = StateAt<VarianceState>(states, i);
      WriteBinnedSum(s.sum, out, 0, i);
      WriteBinnedSum(s.squares, out, kSquaresColumn, i);
    }
  }
  void Finalize(const uint8_t* const* states, size_t n, Column* out,
                size_t first_row) const override {
    const bool sample = kind_ == VarianceKind::kVarSamp || kind_ == VarianceKind::kStddevSamp;
    const bool root = kind_ == VarianceKind::kStddevSamp || kind_ == VarianceKind::kStddevPop;
    double* data = out->data<double>();
    for (size_t i = 0; i < n; i++) {
      const auto& s = StateAt<VarianceState>(states, i);
      const int64_t denominator = sample ? s.sum.count() - 1 : s.sum.count();
      if (denominator <= 0) {
        WriteNull<double>(out, first_row + i);
        continue;
      }
      data[first_row + i] = Variance(s, denominator, root);
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
