#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sluice {

// A SQL INTERVAL: months and days are kept apart from micros because their length in time
// depends on the date they are added to (as in PostgreSQL and DuckDB).
struct Interval {
  int32_t months = 0;
  int32_t days = 0;
  int64_t micros = 0;

  friend bool operator==(const Interval&, const Interval&) = default;
  // The length with a month as 30 days, exact (intervals compare and hash by it, as in
  // PostgreSQL and DuckDB).
  __int128 NormalizedMicros128() const;
  // The same clamped to int64: exact below about 292,000 years, the order key of sorts.
  int64_t NormalizedMicros() const;
};

// Parses "3 days", "1 year 2 months", "1.5 days", "2 hours 30 minutes", "-1 day", "10:30:00",
// "1 day -02:00:00". Returns nullopt when the text is not an interval; throws OutOfRangeError
// ("interval value is out of range") when it is one that does not fit the representation.
std::optional<Interval> ParseInterval(std::string_view text);
// `amount` of one unit ("day", "hours", "ms", ...); nullopt for an unknown unit. Throws
// OutOfRangeError when the result does not fit.
std::optional<Interval> MakeInterval(int64_t amount, std::string_view unit);
// "1 year 2 months 3 days 04:05:06" in the style of DuckDB.
std::string FormatInterval(const Interval& interval);

// Days since the epoch of `days` plus `months` (clamping the day to the month's end) and
// `add_days`; nullopt when the year leaves the calendar DuckDB supports.
std::optional<int64_t> AddMonthsAndDays(int64_t days, int64_t months, int64_t add_days);
// TIMESTAMP (micros) plus an interval: months, then days, then micros. nullopt when the
// result leaves the TIMESTAMP range (see date_time.h).
std::optional<int64_t> AddIntervalToTimestamp(int64_t micros, const Interval& interval);

// Checked interval arithmetic; each throws OutOfRangeError naming the overflowing field.
Interval AddIntervals(const Interval& a, const Interval& b);
Interval SubtractIntervals(const Interval& a, const Interval& b);
Interval NegateInterval(const Interval& a);

}  // namespace sluice
