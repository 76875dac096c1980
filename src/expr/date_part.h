#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "types/interval.h"

namespace sluice {

// The parts of a date or time that date_part/extract, date_trunc, date_diff and date_sub
// name, with DuckDB's spellings (see FindDatePart).
enum class DatePart : uint8_t {
  kYear,
  kQuarter,
  kMonth,
  kWeek,
  kDay,
  kDayOfWeek,
  kIsoDayOfWeek,
  kDayOfYear,
  kHour,
  kMinute,
  kSecond,
  kMillisecond,
  kMicrosecond,
  kEpoch,
  kDecade,
  kCentury,
  kMillennium,
  kIsoYear,
  kYearWeek,
  kEra,
  kJulian,
  kTimezone,
  kTimezoneHour,
  kTimezoneMinute,
};

// A DATE or TIMESTAMP as a day number and the micros since that day's midnight (a DATE at
// its full range does not fit int64 micros, so the parts are computed from this form).
struct DayTime {
  int64_t days = 0;
  int64_t time = 0;
  static DayTime FromTimestamp(int64_t micros);
  static DayTime FromDate(int64_t days) { return DayTime{days, 0}; }
};

// nullopt when `name` names no part (case-insensitive).
std::optional<DatePart> FindDatePart(std::string_view name);
// Throws ConversionError 'extract specifier "x" not recognized'.
DatePart ParseDatePart(std::string_view name);

// True for the parts a TIME has (hour .. microsecond, epoch, the zone parts).
bool IsTimePart(DatePart part);
// True for the parts date_part returns as DOUBLE (epoch, julian).
bool IsFractionalPart(DatePart part);
// The part as an integer; epoch in whole seconds and julian in whole days. The time zone
// parts are 0 (TIMESTAMP and DATE carry no zone).
int64_t ExtractPart(DatePart part, DayTime t);
// epoch (seconds with fraction) or julian day (with the day's fraction).
double ExtractFractionalPart(DatePart part, DayTime t);
// A part of an INTERVAL (year, month, day, hour, ..., epoch); throws NotImplementedError for
// parts an interval does not have.
int64_t ExtractIntervalPart(DatePart part, const Interval& interval);
double IntervalEpoch(const Interval& interval);

// date_trunc: the first micro of the part holding `t`, as micros since the epoch; nullopt
// when that is outside the TIMESTAMP range. Throws NotImplementedError for parts that do
// not truncate (CheckTruncatable checks at bind time).
std::optional<int64_t> TruncateDayTime(DatePart part, DayTime t);
void CheckTruncatable(DatePart part);
Interval TruncateInterval(DatePart part, const Interval& interval);

// date_diff: the number of `part` boundaries between a and b (b - a).
int64_t DiffDayTimes(DatePart part, DayTime a, DayTime b);
// date_sub: the number of whole `part`s from a to b, as age() counts them.
int64_t SubDayTimes(DatePart part, DayTime a, DayTime b);
// Throws NotImplementedError for parts that date_diff/date_sub cannot count.
void CheckDiffable(DatePart part);

// age(a, b): a - b in years, months and days, then time (PostgreSQL's and DuckDB's rule).
Interval Age(DayTime a, DayTime b);

}  // namespace sluice
