#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "types/logical_type.h"

namespace sluice {

// 10^n for n in [0, 38].
int128_t Pow10(int n);
// The largest unscaled value of a DECIMAL of this precision (10^p - 1).
inline int128_t MaxDecimalValue(int precision) { return Pow10(precision) - 1; }

// "123.45" for unscaled 12345 with scale 2; plain notation, no exponent.
std::string FormatDecimal(int128_t unscaled, int scale);
std::string Int128ToString(int128_t v);

// Parses "123.456", "-1e3" etc. into an unscaled value of the given scale, rounding half away
// from zero. Returns nullopt on bad text or when the value exceeds `precision` digits.
std::optional<int128_t> ParseDecimal(std::string_view text, int precision, int scale);

// Rescales (multiplies or divides by a power of ten, rounding half away from zero).
int128_t RescaleDecimal(int128_t value, int from_scale, int to_scale);

double DecimalToDouble(int128_t unscaled, int scale);

}  // namespace sluice
