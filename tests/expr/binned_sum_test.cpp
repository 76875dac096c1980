#include "expr/binned_sum.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cfloat>
#include <cmath>
#include <random>
#include <vector>

namespace sluice {
namespace {

using Sum = DoubleSum;

double SumOf(const std::vector<double>& values) {
  Sum s;
  for (double v : values) s.Add(v);
  return s.Round();
}

double NaiveSum(const std::vector<double>& values) {
  double sum = 0;
  for (double v : values) sum += v;
  return sum;
}

// Splits `values` into `parts` random partial sums and merges them in a random order, as the
// partial and final aggregates over an exchange do.
Sum SplitAndMerge(const std::vector<double>& values, size_t parts, std::mt19937_64& rng) {
  std::vector<Sum> partial(parts);
  std::uniform_int_distribution<size_t> pick(0, parts - 1);
  for (double v : values) partial[pick(rng)].Add(v);
  std::shuffle(partial.begin(), partial.end(), rng);
  Sum total;
  for (const Sum& p : partial) total.Merge(p);
  return total;
}

uint64_t Bits(double d) { return std::bit_cast<uint64_t>(d); }

// Magnitudes 2^-max_exponent .. 2^max_exponent, both signs, with cancellations.
std::vector<double> MixedValues(std::mt19937_64& rng, size_t n, int max_exponent) {
  std::uniform_real_distribution<double> unit(1.0, 2.0);
  std::uniform_int_distribution<int> exponent(-max_exponent, max_exponent);
  std::vector<double> values;
  for (size_t i = 0; i < n; i++) {
    const double v = std::ldexp(unit(rng), exponent(rng));
    values.push_back(i % 3 == 0 ? -v : v);
  }
  values.push_back(1e16);
  values.push_back(-1e16);
  for (int i = 0; i < 10; i++) values.push_back(0.1);
  return values;
}

TEST(BinnedSumTest, PermutationsAndSplitsGiveIdenticalBits) {
  std::mt19937_64 rng(42);
  struct Case {
    size_t n;
    int max_exponent;
  };
  for (const Case c : {Case{3, 60}, Case{100, 60}, Case{5000, 60}, Case{5000, 1020}}) {
    std::vector<double> values = MixedValues(rng, c.n, c.max_exponent);
    const double reference = SumOf(values);
    bool naive_differed = false;
    for (int trial = 0; trial < 20; trial++) {
      std::shuffle(values.begin(), values.end(), rng);
      EXPECT_EQ(Bits(SumOf(values)), Bits(reference)) << "n=" << c.n << " trial " << trial;
      const Sum merged = SplitAndMerge(values, 1 + trial % 16, rng);
      EXPECT_EQ(Bits(merged.Round()), Bits(reference)) << "n=" << c.n << " trial " << trial;
      EXPECT_EQ(merged.count(), static_cast<int64_t>(values.size()));
      naive_differed |= Bits(NaiveSum(values)) != Bits(reference);
    }
    // The data is chosen so that plain summation depends on the order.
    if (c.n >= 100 && c.max_exponent == 60) EXPECT_TRUE(naive_differed) << "n=" << c.n;
  }
}

TEST(BinnedSumTest, CorrectlyRoundedAgainstExactLongDouble) {
  // 1000 values in [1, 2) and their negations have 52 fraction bits and sums below 2^11, so
  // a long double (64-bit mantissa) adds them exactly; one rounding to double is correct.
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> unit(1.0, 2.0);
  for (int trial = 0; trial < 50; trial++) {
    std::vector<double> values;
    long double exact = 0;
    for (int i = 0; i < 1000; i++) {
      const double v = (i % 5 == 0 ? -1 : 1) * unit(rng);
      values.push_back(v);
      exact += v;
    }
    EXPECT_EQ(Bits(SumOf(values)), Bits(static_cast<double>(exact))) << "trial " << trial;
  }
}

TEST(BinnedSumTest, KnownExactResults) {
  EXPECT_EQ(SumOf({1e16, 1.0, -1e16}), 1.0);  // naive: 0
  EXPECT_EQ(SumOf({1e16, -1e16, 1.0}), 1.0);
  EXPECT_EQ(SumOf(std::vector<double>(10, 0.1)), 1.0);  // naive: 0.9999999999999999
  // 0.1 keeps all its bits next to 1e16 (the window is 130 bits wide).
  EXPECT_EQ(SumOf({1e16, 0.1, -1e16}), 0.1);
  EXPECT_EQ(SumOf({1e16, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, -1e16}), 1.0);
  EXPECT_EQ(SumOf({0.1, 0.2}), 0.1 + 0.2);  // a tie, to even as in hardware
  // 1 + 2^-53 is halfway between 1 and 1 + 2^-52: ties to even gives 1; anything more, up.
  EXPECT_EQ(SumOf({1.0, std::ldexp(1.0, -53)}), 1.0);
  EXPECT_EQ(SumOf({1.0, std::ldexp(1.0, -53), std::ldexp(1.0, -80)}), 1.0 + DBL_EPSILON);
  EXPECT_EQ(SumOf({1.0 + DBL_EPSILON, std::ldexp(1.0, -53)}), 1.0 + 2 * DBL_EPSILON);
  EXPECT_EQ(SumOf({-2.5, 1.25}), -1.25);
  EXPECT_EQ(SumOf({}), 0.0);
  EXPECT_EQ(SumOf({0.0, -0.0}), 0.0);
  // Subnormals add exactly.
  const double tiny = std::numeric_limits<double>::denorm_min();
  EXPECT_EQ(SumOf({tiny, tiny, tiny}), 3 * tiny);
  EXPECT_EQ(SumOf({DBL_MIN, -tiny}), DBL_MIN - tiny);
  // No intermediate overflow: only the final result can be out of range.
  EXPECT_EQ(SumOf({DBL_MAX, DBL_MAX, -DBL_MAX}), DBL_MAX);
  EXPECT_EQ(SumOf({DBL_MAX, DBL_MAX}), HUGE_VAL);
  EXPECT_EQ(SumOf({-DBL_MAX, -DBL_MAX}), -HUGE_VAL);
}

TEST(BinnedSumTest, ValuesFarBelowTheLargestAreTruncatedTheSameWayInAnyOrder) {
  // The bins kept for 1e300 (about 2^997) reach down to about 2^867: 1.0 and 3.0 are below.
  std::vector<double> values = {1e300, 1.0, -1e300, 3.0, 1e-300};
  const double reference = SumOf(values);
  std::mt19937_64 rng(3);
  for (int trial = 0; trial < 20; trial++) {
    std::shuffle(values.begin(), values.end(), rng);
    EXPECT_EQ(Bits(SumOf(values)), Bits(reference));
  }
  EXPECT_EQ(reference, 0.0);
}

TEST(BinnedSumTest, NonFiniteValues) {
  EXPECT_EQ(SumOf({1.0, HUGE_VAL}), HUGE_VAL);
  EXPECT_EQ(SumOf({1.0, -HUGE_VAL}), -HUGE_VAL);
  EXPECT_TRUE(std::isnan(SumOf({HUGE_VAL, -HUGE_VAL})));
  EXPECT_TRUE(std::isnan(SumOf({1.0, std::nan("")})));
  Sum a, b;
  a.Add(HUGE_VAL);
  b.Add(-HUGE_VAL);
  a.Merge(b);
  EXPECT_TRUE(std::isnan(a.Round()));
}

TEST(BinnedSumTest, SquaresAreExact) {
  DoubleSum squares;
  const double big = 1e200;  // its square is far beyond the double range
  squares.AddSquare(3.0);
  squares.AddSquare(-0.5);
  const ScaledInteger v = squares.ExactValue(DoubleSum::kSquareBias);
  EXPECT_FALSE(v.negative);
  EXPECT_EQ(RoundToDouble(v.magnitude.data(), v.magnitude.size(), false, v.exponent), 9.25);
  squares.AddSquare(big);
  EXPECT_EQ(squares.flags(), 0u);
  const ScaledInteger w = squares.ExactValue(DoubleSum::kSquareBias);
  // 1e400 as a double saturates; scaled down by 2^-1000 it is 1e400 * 2^-1000.
  EXPECT_DOUBLE_EQ(RoundToDouble(w.magnitude.data(), w.magnitude.size(), false, w.exponent - 1000),
                   1e200 * std::ldexp(1e200, -1000));
}

TEST(BinnedSumTest, ExactValueOfANegativeSum) {
  Sum s;
  s.Add(-3.0);
  s.Add(0.75);
  const ScaledInteger v = s.ExactValue(Sum::kValueBias);
  EXPECT_TRUE(v.negative);
  EXPECT_EQ(RoundToDouble(v.magnitude.data(), v.magnitude.size(), v.negative, v.exponent), -2.25);
}

TEST(BinnedSumTest, RoundToDoubleTiesAndSticky) {
  // 2^53 + 1 ties to even (2^53); 2^53 + 3 rounds up to 2^53 + 4; 2^54 + 2 + 1 (sticky) up.
  const uint64_t tie[] = {(uint64_t{1} << 53) + 1};
  EXPECT_EQ(RoundToDouble(tie, 1, false, 0), std::ldexp(1.0, 53));
  const uint64_t up[] = {(uint64_t{1} << 53) + 3};
  EXPECT_EQ(RoundToDouble(up, 1, false, 0), std::ldexp(1.0, 53) + 4);
  const uint64_t sticky[] = {(uint64_t{1} << 54) + 3};
  EXPECT_EQ(RoundToDouble(sticky, 1, true, 0), -(std::ldexp(1.0, 54) + 4));
  const uint64_t wide[] = {1, 0, uint64_t{1} << 10};  // 2^138 + 1
  EXPECT_EQ(RoundToDouble(wide, 3, false, -138), 1.0);
}

}  // namespace
}  // namespace sluice
