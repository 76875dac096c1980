#include "expr/binned_sum.h"

#include <algorithm>
#include <limits>

namespace sluice {

namespace {

// Bits [pos, pos + 64) of the little-endian words, zeros past the end. REQUIRES: pos >= 0.
uint64_t BitsAt(const uint64_t* words, size_t n, int64_t pos) {
  const auto w = static_cast<size_t>(pos / 64);
  const int b = static_cast<int>(pos % 64);
  uint64_t bits = w < n ? words[w] >> b : 0;
  if (b != 0 && w + 1 < n) bits |= words[w + 1] << (64 - b);
  return bits;
}

// True when any of the bits [0, pos) is set.
bool AnyBitBelow(const uint64_t* words, size_t n, int64_t pos) {
  if (pos <= 0) return false;
  const auto w = static_cast<size_t>(pos / 64);
  const int b = static_cast<int>(pos % 64);
  for (size_t i = 0; i < w && i < n; i++) {
    if (words[i] != 0) return true;
  }
  return b != 0 && w < n && (words[w] & ((uint64_t{1} << b) - 1)) != 0;
}

}  // namespace

double RoundToDouble(const uint64_t* words, size_t n, bool negative, int64_t exponent) {
  size_t used = n;
  while (used > 0 && words[used - 1] == 0) used--;
  if (used == 0) return 0.0;
  const int64_t high = static_cast<int64_t>(used - 1) * 64 + 63 - std::countl_zero(words[used - 1]);
  uint64_t mantissa = words[0];
  int64_t shift = 0;
  if (high > 52) {
    shift = high - 52;
    mantissa = BitsAt(words, n, shift) & ((uint64_t{1} << 53) - 1);
    const bool round = (BitsAt(words, n, shift - 1) & 1) != 0;
    if (round && (AnyBitBelow(words, n, shift - 1) || (mantissa & 1) != 0)) mantissa++;
  }
  // The mantissa is exact in a double (at most 2^53); ldexp rounds once more only when the
  // result is subnormal, and saturates to inf or 0 beyond the range.
  const int64_t e = std::clamp<int64_t>(shift + exponent, -100000, 100000);
  const double value = std::ldexp(static_cast<double>(mantissa), static_cast<int>(e));
  return negative ? -value : value;
}

template <int K>
double BinnedSum<K>::Round() const {
  if ((flags_ & kNaN) != 0 || (flags_ & (kPositiveInfinity | kNegativeInfinity)) ==
                                  (kPositiveInfinity | kNegativeInfinity)) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  if ((flags_ & kPositiveInfinity) != 0) return HUGE_VAL;
  if ((flags_ & kNegativeInfinity) != 0) return -HUGE_VAL;
  const ScaledInteger v = ExactValue(kValueBias);
  return RoundToDouble(v.magnitude.data(), v.magnitude.size(), v.negative, v.exponent);
}

template <int K>
ScaledInteger BinnedSum<K>::ExactValue(int bias) const {
  static_assert(K * kBinBits + 64 <= 256, "the value must fit ScaledInteger's 256 bits");
  ScaledInteger out;
  out.exponent = static_cast<int64_t>(top_ - K + 1) * kBinBits - bias;
  auto& w = out.magnitude;
  // Two's complement in 256 bits: the bins as digits in [0, 2^kBinBits) plus a signed carry
  // above them. Bins stay below 2^62 (Renormalize), so bin + carry cannot overflow.
  int64_t carry = 0;
  for (int j = 0; j < K; j++) {
    const int64_t t = bins_[j] + carry;
    const auto digit = static_cast<uint64_t>(t & kSliceMask);
    carry = t >> kBinBits;
    const int pos = j * kBinBits;
    w[pos / 64] |= digit << (pos % 64);
    if (pos % 64 > 64 - kBinBits) w[pos / 64 + 1] |= digit >> (64 - pos % 64);
  }
  const int pos = K * kBinBits;
  const uint64_t fill = carry < 0 ? ~uint64_t{0} : 0;
  w[pos / 64] |= static_cast<uint64_t>(carry) << (pos % 64);
  size_t next = pos / 64 + 1;
  if (pos % 64 != 0 && next < w.size()) {
    w[next++] = static_cast<uint64_t>(carry >> (64 - pos % 64));
  }
  for (; next < w.size(); next++) w[next] = fill;
  if (carry < 0) {
    out.negative = true;
    bool add_one = true;
    for (uint64_t& word : w) {
      word = ~word;
      if (add_one) add_one = ++word == 0;
    }
  }
  return out;
}

template <int K>
void BinnedSum<K>::Renormalize() {
  for (int j = 0; j + 1 < K; j++) {
    bins_[j + 1] += bins_[j] >> kBinBits;
    bins_[j] &= kSliceMask;
  }
  // Keep the top bin small too, widening the window upwards (its lowest bin is dropped).
  constexpr int64_t kTopLimit = int64_t{1} << 40;
  while (bins_[K - 1] >= kTopLimit || bins_[K - 1] <= -kTopLimit) {
    const int64_t t = bins_[K - 1];
    Raise(top_ + 1);
    bins_[K - 2] = t & kSliceMask;
    bins_[K - 1] = t >> kBinBits;
  }
}

template class BinnedSum<6>;

}  // namespace sluice
