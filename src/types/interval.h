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
  // Orders by a normalized length (a month as 30 days), as PostgreSQL does.
  int64_t NormalizedMicros() const;
};

// Parses "3 days", "1 year 2 months", "2 hours 30 minutes", "-1 day", "10:30:00", and the
// unit alone in `unit` (for INTERVAL '3' DAY). Returns nullopt when the text is invalid.
std::optional<Interval> ParseInterval(std::string_view text);
std::optional<Interval> MakeInterval(int64_t amount, std::string_view unit);
// "1 year 2 months 3 days 04:05:06" in the style of DuckDB.
std::string FormatInterval(const Interval& interval);

// Adds an interval to a date (months with end-of-month clamping, then days).
int32_t AddInterval(int32_t date, const Interval& interval);
int64_t AddIntervalToTimestamp(int64_t micros, const Interval& interval);

}  // namespace sluice
