#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>

namespace sluice {

// An integer times a power of two, sign and magnitude: the exact value a BinnedSum holds.
struct ScaledInteger {
  bool negative = false;
  std::array<uint64_t, 4> magnitude{};  // little-endian 64-bit words
  int64_t exponent = 0;                 // value = ±magnitude * 2^exponent
};

// The double nearest to ±words * 2^exponent (ties to even; beyond the double range, ±inf;
// results in the subnormal range may be rounded twice). `words` has `n` little-endian words.
double RoundToDouble(const uint64_t* words, size_t n, bool negative, int64_t exponent);

// A sum of doubles whose value does not depend on the order of the additions, nor on how the
// values were split into partial sums that were then merged: sum/avg/variance of DOUBLE give
// the same bits for any thread count and partitioning. It is binned summation (after Demmel
// and Nguyen's reproducible summation) with integer bins:
//
// A value is cut at fixed bit positions, multiples of kBinBits counted from 2^-1074 (from
// 2^-2148 for squares), into slices, and each slice is added exactly to the int64 of its bin.
// Only the K bins up to the highest bin seen are kept; the slices below them are dropped. The
// slices of a value depend on the value alone, so the kept bins hold the same sums whatever
// the order: the state is a function of the multiset of values. The bits
// down to kBinBits * (K - 1) below the largest magnitude's leading bit are kept, so values
// down to 2^(53 - kBinBits * (K - 1)) times the largest (2^-77, about 1e-23, for K = 6) add
// exactly; much smaller values are rounded down at the window. Round() rounds the kept sum
// correctly, so for usual data the result is the correctly rounded exact sum.
//
// Order independence is exact for up to kRenormalizeEvery values in one sum (2^34); past
// each multiple, carries are moved between bins and the last bits may depend on the order.
// NaN and infinities are tracked as flags with IEEE semantics (inf + -inf = NaN).
//
// A trivially copyable value: it lives in aggregate states. Not thread-safe.
template <int K>
class BinnedSum {
 public:
  static constexpr int kBins = K;
  static constexpr int kBinBits = 26;
  static constexpr int64_t kRenormalizeEvery = int64_t{1} << 34;
  // Bit positions: bit p of a sum of values is worth 2^(p - kValueBias), of a sum of squares
  // 2^(p - kSquareBias).
  static constexpr int kValueBias = 1074;
  static constexpr int kSquareBias = 2148;
  enum Flag : uint32_t { kNaN = 1, kPositiveInfinity = 2, kNegativeInfinity = 4 };

  void Clear() { *this = BinnedSum(); }

  // Adds x (counts it, also when it is zero or not finite).
  void Add(double x) {
    CountOne();
    const uint64_t bits = std::bit_cast<uint64_t>(x);
    const auto biased = static_cast<uint32_t>((bits >> 52) & 0x7ff);
    if (biased == 0x7ff) [[unlikely]] {
      return AddNonFinite(x);
    }
    const auto mantissa =
        static_cast<int64_t>((bits & kMantissaMask) | (biased != 0 ? kHiddenBit : 0));
    const int64_t negate = -static_cast<int64_t>(bits >> 63);  // 0 or -1: (m ^ n) - n = ±m
    Deposit((mantissa ^ negate) - negate, biased == 0 ? 0 : biased - 1);
  }

  // Adds x * x exactly (x is split into its integer mantissa and exponent, so nothing
  // overflows): use with kSquareBias.
  void AddSquare(double x) {
    CountOne();
    const uint64_t bits = std::bit_cast<uint64_t>(x);
    const auto biased = static_cast<uint32_t>((bits >> 52) & 0x7ff);
    if (biased == 0x7ff) [[unlikely]] {
      return AddNonFinite(std::isnan(x) ? x : HUGE_VAL);
    }
    const uint64_t mantissa = (bits & kMantissaMask) | (biased != 0 ? kHiddenBit : 0);
    const uint32_t position = 2 * (biased == 0 ? 0 : biased - 1);
    const unsigned __int128 square = static_cast<unsigned __int128>(mantissa) * mantissa;
    Deposit(static_cast<int64_t>(static_cast<uint64_t>(square) & kLow53), position);
    Deposit(static_cast<int64_t>(square >> 53), position + 53);
  }

  // Adds everything `other` holds.
  void Merge(const BinnedSum& other) {
    flags_ |= other.flags_;
    if (other.top_ > top_) Raise(other.top_);
    const int shift = top_ - other.top_;  // other's bin j is this one's bin j - shift
    for (int j = shift; j < K; j++) bins_[j - shift] += other.bins_[j];
    const int64_t before = count_;
    count_ += other.count_;
    if (before / kRenormalizeEvery != count_ / kRenormalizeEvery) Renormalize();
  }

  // Number of values added (merged states included).
  int64_t count() const { return count_; }
  uint32_t flags() const { return flags_; }
  // The correctly rounded sum (a sum of values, kValueBias).
  double Round() const;
  // The exact value held, with `bias` kValueBias or kSquareBias. REQUIRES: flags() == 0.
  ScaledInteger ExactValue(int bias) const;

  // The raw state, for serialization between the partial and the final aggregate.
  int32_t top() const { return top_; }
  const std::array<int64_t, K>& bins() const { return bins_; }
  static BinnedSum FromParts(int32_t top, uint32_t flags, int64_t count,
                             const std::array<int64_t, K>& bins) {
    BinnedSum s;
    s.top_ = top;
    s.flags_ = flags;
    s.count_ = count;
    s.bins_ = bins;
    return s;
  }

 private:
  static constexpr uint64_t kHiddenBit = uint64_t{1} << 52;
  static constexpr uint64_t kMantissaMask = kHiddenBit - 1;
  static constexpr uint64_t kLow53 = (kHiddenBit << 1) - 1;
  static constexpr int64_t kSliceMask = (int64_t{1} << kBinBits) - 1;

  void CountOne() {
    if (++count_ % kRenormalizeEvery == 0) Renormalize();
  }
  void AddNonFinite(double x) {
    flags_ |= std::isnan(x) ? kNaN : (x > 0 ? kPositiveInfinity : kNegativeInfinity);
  }

  // Adds value * 2^position (|value| < 2^53). The slices are the digits of
  // value * 2^offset in base 2^kBinBits, the top one signed (floor division): three digits,
  // a function of the value alone, the top one in bin first_bin + 2, which counts as the
  // value's top bin (for normal doubles it holds the leading bit).
  [[gnu::always_inline]] void Deposit(int64_t value, uint32_t position) {
    const uint32_t first_bin = position / kBinBits;
    const uint32_t offset = position - first_bin * kBinBits;
    const int top_bin = static_cast<int>(first_bin) + 2;
    if (top_bin > top_) [[unlikely]] {
      Raise(top_bin);
    }
    const auto s0 = static_cast<int64_t>((static_cast<uint64_t>(value) << offset) & kSliceMask);
    const int64_t s1 = (value >> (kBinBits - offset)) & kSliceMask;
    const int64_t s2 = value >> (2 * kBinBits - offset);
    const int j = top_bin - top_ + K - 3;  // index of first_bin; j + 2 <= K - 1
    if (j < 0) [[unlikely]] {
      return DepositBelow(j, {s0, s1, s2});
    }
    bins_[j] += s0;
    bins_[j + 1] += s1;
    bins_[j + 2] += s2;
  }

  // Deposit's rare case: the low slices fall below the window and are dropped.
  void DepositBelow(int j, std::array<int64_t, 3> slices) {
    for (int k = 0; k < 3; k++) {
      if (j + k >= 0) bins_[j + k] += slices[k];
    }
  }

  // Makes `top_bin` the highest bin, dropping the bins that fall below the window.
  void Raise(int top_bin) {
    const int shift = top_bin - top_;
    for (int j = 0; j < K; j++) bins_[j] = j + shift < K ? bins_[j + shift] : 0;
    top_ = top_bin;
  }

  // Moves carries up so that no bin can overflow (keeps the value; see the class comment).
  void Renormalize();

  int32_t top_ = -1;  // index of the highest bin; -1 with nothing deposited
  uint32_t flags_ = 0;
  int64_t count_ = 0;
  std::array<int64_t, K> bins_{};  // bins_[j] is bin top_ - K + 1 + j
};

extern template class BinnedSum<6>;

// The sum used by the DOUBLE aggregates: 64 bytes, exact over 130 bits of magnitudes.
using DoubleSum = BinnedSum<6>;

}  // namespace sluice
