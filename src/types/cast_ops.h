#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include "types/decimal.h"
#include "types/logical_type.h"

namespace sluice {

// Scalar conversions behind SQL CAST, shared by Value::CastTo and the vectorized cast kernels
// in expr/ so that both give the same results and the same messages. The Try* functions
// return false when the value cannot be represented; callers turn that into NULL (TRY_CAST)
// or a ConversionError with one of the *Message functions below.

// Accepts true/false, t/f, yes/no, y/n, 1/0 in any case, surrounded by spaces.
bool TryParseBool(std::string_view text, bool* out);
// Accepts an optional sign and digits, surrounded by spaces; text with a fraction or an
// exponent ("1.5", "1e3") is rounded to the nearest integer (half away from zero), as DuckDB.
bool TryParseInt64(std::string_view text, int64_t* out);
// Accepts decimal and exponent forms plus inf, -inf, infinity and nan.
bool TryParseDouble(std::string_view text, double* out);

// The range of an integer type (TINYINT..BIGINT).
int64_t IntegerTypeMin(TypeId id);
int64_t IntegerTypeMax(TypeId id);
inline bool IntegerFits(int64_t v, TypeId id) {
  return v >= IntegerTypeMin(id) && v <= IntegerTypeMax(id);
}

// Rounds to the nearest integer, ties to even (std::nearbyint, DuckDB's rule for DOUBLE);
// false for NaN, infinities and values outside int64.
inline bool TryDoubleToInt64(double d, int64_t* out) {
  const double r = std::nearbyint(d);
  // 2^63 is exactly representable; anything at or above it does not fit.
  if (!(r >= -9223372036854775808.0 && r < 9223372036854775808.0)) return false;
  *out = static_cast<int64_t>(r);
  return true;
}

// Rounds half away from zero to `scale` digits and checks the result has at most `precision`.
bool TryDoubleToDecimal(double d, int precision, int scale, int128_t* out);
// Rescales (rounding half away from zero when the scale shrinks) and checks `precision`.
bool TryRescaleDecimal(int128_t v, int from_scale, int to_scale, int precision, int128_t* out);
// Integer part of a decimal, rounding half away from zero (DuckDB: CAST(2.5 AS INT) = 3).
inline int128_t DecimalToInteger(int128_t v, int scale) {
  if (scale == 0) return v;
  return RescaleDecimal(v, scale, 0);
}

// Shortest text that reads back as the same double ("0.1", "1e+20", "inf", "nan").
std::string FormatDouble(double d);

// True when CAST(from AS to) is defined (it may still fail for particular values).
bool CanCast(const LogicalType& from, const LogicalType& to);

// "Could not convert string 'abc' to INTEGER"
std::string StringCastMessage(std::string_view text, const LogicalType& to);
// "Type BIGINT with value 3000000000 can't be cast because the value is out of range for the
// destination type INTEGER"
std::string OutOfRangeCastMessage(const std::string& value_text, const LogicalType& from,
                                  const LogicalType& to);

}  // namespace sluice
