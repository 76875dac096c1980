#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sluice {

// DATE is days since 1970-01-01; TIMESTAMP is microseconds since 1970-01-01 00:00:00.
inline constexpr int64_t kMicrosPerSecond = 1000000;
inline constexpr int64_t kMicrosPerDay = 86400 * kMicrosPerSecond;

// The ranges DuckDB supports (its int32/int64 extremes are kept for +-infinity).
// DATE: 5877642-06-25 (BC) .. 5881580-07-10; TIMESTAMP: 290309-12-22 (BC) 00:00:00 ..
// 294247-01-10 04:00:54.775806.
inline constexpr int64_t kMinDate = -2147483646;
inline constexpr int64_t kMaxDate = 2147483646;
inline constexpr int32_t kMinYear = -5877641;
inline constexpr int32_t kMaxYear = 5881580;
inline constexpr int64_t kMinTimestamp = -9223372022400000000;
inline constexpr int64_t kMaxTimestamp = 9223372036854775806;
inline bool IsValidTimestamp(__int128 micros) {
  return micros >= kMinTimestamp && micros <= kMaxTimestamp;
}
// The TIMESTAMP at midnight of a DATE; nullopt outside the TIMESTAMP range.
std::optional<int64_t> DateToTimestamp(int64_t days);

struct CivilDate {
  int32_t year;
  int32_t month;  // 1..12
  int32_t day;    // 1..31
};

// Proleptic Gregorian calendar conversions, valid for any int32 day count.
// Days since 1970-01-01; int64 because years near the ends of int32 give counts beyond it.
int64_t DaysFromCivil(int32_t year, int32_t month, int32_t day);
CivilDate CivilFromDays(int32_t days);
bool IsLeapYear(int32_t year);
int32_t DaysInMonth(int32_t year, int32_t month);

// Parse ISO forms: "2024-03-01"; "2024-03-01 12:30:00[.123456]" (also 'T' as separator, and a
// date alone as midnight). Return nullopt when the text is not a valid date/timestamp.
std::optional<int32_t> ParseDate(std::string_view text);
std::optional<int64_t> ParseTimestamp(std::string_view text);
// Reads "date[( |T)time]" from text[pos] (no zone), advancing pos past it; nullopt when there
// is no valid date there or the result is out of the TIMESTAMP range.
std::optional<int64_t> ParseTimestampPrefix(std::string_view text, size_t& pos);

// TIME: "12:30:00[.123456]", hours 0..24 (24:00:00 is the end of the day), an optional
// leading date and a trailing zone offset ignored, as DuckDB reads it; micros since midnight.
std::optional<int64_t> ParseTime(std::string_view text);

std::string FormatDate(int32_t days);
// "2024-03-01 12:30:00", with ".123456" (trailing zeros trimmed) when there are fractions.
std::string FormatTimestamp(int64_t micros);
// "12:30:00", with ".5" etc. when there are fractions. REQUIRES: 0 <= micros <= kMicrosPerDay.
std::string FormatTime(int64_t micros);

// Floor division helpers for negative times.
inline int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
  return q;
}
inline int64_t FloorMod(int64_t a, int64_t b) { return a - FloorDiv(a, b) * b; }

}  // namespace sluice
