#include "types/decimal.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace sluice {

int128_t Pow10(int n) {
  static const auto kTable = [] {
    std::array<int128_t, 39> t{};
    t[0] = 1;
    for (int i = 1; i < 39; i++) t[i] = t[i - 1] * 10;
    return t;
  }();
  return kTable[n];
}

std::string Int128ToString(int128_t v) {
  if (v == 0) return "0";
  const bool negative = v < 0;
  // Work with the unsigned magnitude so INT128_MIN is handled.
  unsigned __int128 u = negative ? -static_cast<unsigned __int128>(v) : v;
  std::string digits;
  while (u > 0) {
    digits += static_cast<char>('0' + static_cast<int>(u % 10));
    u /= 10;
  }
  if (negative) digits += '-';
  std::reverse(digits.begin(), digits.end());
  return digits;
}

std::string FormatDecimal(int128_t unscaled, int scale) {
  if (scale == 0) return Int128ToString(unscaled);
  const bool negative = unscaled < 0;
  unsigned __int128 u = negative ? -static_cast<unsigned __int128>(unscaled) : unscaled;
  std::string digits = Int128ToString(static_cast<int128_t>(u));
  if (static_cast<int>(digits.size()) <= scale) {
    digits.insert(0, scale - digits.size() + 1, '0');
  }
  digits.insert(digits.size() - scale, ".");
  return negative ? "-" + digits : digits;
}

std::optional<int128_t> ParseDecimal(std::string_view text, int precision, int scale) {
  size_t pos = 0;
  while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos]))) pos++;
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  bool negative = false;
  if (pos < text.size() && (text[pos] == '-' || text[pos] == '+')) {
    negative = text[pos] == '-';
    pos++;
  }
  int128_t value = 0;
  int digits = 0;          // significant digits taken
  int fraction_digits = 0;
  bool any = false, dot = false;
  int round_digit = -1;  // first digit beyond the scale
  int64_t exponent = 0;
  for (; pos < text.size(); pos++) {
    char c = text[pos];
    if (c == '.' && !dot) {
      dot = true;
      continue;
    }
    if (c == 'e' || c == 'E') break;
    if (c < '0' || c > '9') return std::nullopt;
    any = true;
    if (dot) {
      if (fraction_digits >= scale) {
        if (round_digit < 0) round_digit = c - '0';
        continue;
      }
      fraction_digits++;
    }
    if (value != 0 || c != '0') digits++;
    if (digits > 38) return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (!any) return std::nullopt;
  if (pos < text.size()) {
    // Exponent: rescale through the general path.
    pos++;
    size_t start = pos;
    if (pos < text.size() && (text[pos] == '-' || text[pos] == '+')) pos++;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) pos++;
    if (pos != text.size() || pos == start) return std::nullopt;
    exponent = std::stoll(std::string(text.substr(start)));
    if (exponent > 38 || exponent < -38) return std::nullopt;
  }
  for (; fraction_digits < scale; fraction_digits++) value *= 10;
  if (round_digit >= 5) value += 1;
  if (exponent > 0) {
    if (digits + exponent > 38) return std::nullopt;
    value *= Pow10(static_cast<int>(exponent));
  } else if (exponent < 0) {
    value = RescaleDecimal(value, static_cast<int>(-exponent), 0);
  }
  if (value > MaxDecimalValue(precision)) return std::nullopt;
  return negative ? -value : value;
}

int128_t RescaleDecimal(int128_t value, int from_scale, int to_scale) {
  if (to_scale == from_scale) return value;
  if (to_scale > from_scale) return value * Pow10(to_scale - from_scale);
  const int128_t divisor = Pow10(from_scale - to_scale);
  int128_t q = value / divisor;
  const int128_t r = value % divisor;
  if (r * 2 >= divisor) q++;
  else if (r * 2 <= -divisor) q--;
  return q;
}

double DecimalToDouble(int128_t unscaled, int scale) {
  return static_cast<double>(unscaled) / static_cast<double>(Pow10(scale));
}

}  // namespace sluice
