#include "expr/date_part.h"

#include <fmt/format.h>

#include <string>

#include "common/error.h"
#include "common/strings.h"
#include "types/date_time.h"

namespace sluice {

namespace {

constexpr int64_t kMicrosPerHour = 3600 * kMicrosPerSecond;
constexpr int64_t kMicrosPerMinute = 60 * kMicrosPerSecond;
constexpr int64_t kJulianEpochDay = 2440588;  // the Julian day number of 1970-01-01

struct PartName {
  const char* name;
  DatePart part;
};

// DuckDB's spellings of each part.
constexpr PartName kPartNames[] = {
    {"year", DatePart::kYear},
    {"yr", DatePart::kYear},
    {"y", DatePart::kYear},
    {"years", DatePart::kYear},
    {"yrs", DatePart::kYear},
    {"month", DatePart::kMonth},
    {"mon", DatePart::kMonth},
    {"months", DatePart::kMonth},
    {"mons", DatePart::kMonth},
    {"day", DatePart::kDay},
    {"days", DatePart::kDay},
    {"d", DatePart::kDay},
    {"dayofmonth", DatePart::kDay},
    {"decade", DatePart::kDecade},
    {"dec", DatePart::kDecade},
    {"decades", DatePart::kDecade},
    {"decs", DatePart::kDecade},
    {"century", DatePart::kCentury},
    {"cent", DatePart::kCentury},
    {"centuries", DatePart::kCentury},
    {"c", DatePart::kCentury},
    {"millennium", DatePart::kMillennium},
    {"mil", DatePart::kMillennium},
    {"millenniums", DatePart::kMillennium},
    {"millennia", DatePart::kMillennium},
    {"mils", DatePart::kMillennium},
    {"millenium", DatePart::kMillennium},
    {"microseconds", DatePart::kMicrosecond},
    {"microsecond", DatePart::kMicrosecond},
    {"us", DatePart::kMicrosecond},
    {"usec", DatePart::kMicrosecond},
    {"usecs", DatePart::kMicrosecond},
    {"usecond", DatePart::kMicrosecond},
    {"useconds", DatePart::kMicrosecond},
    {"milliseconds", DatePart::kMillisecond},
    {"millisecond", DatePart::kMillisecond},
    {"ms", DatePart::kMillisecond},
    {"msec", DatePart::kMillisecond},
    {"msecs", DatePart::kMillisecond},
    {"msecond", DatePart::kMillisecond},
    {"mseconds", DatePart::kMillisecond},
    {"second", DatePart::kSecond},
    {"sec", DatePart::kSecond},
    {"seconds", DatePart::kSecond},
    {"secs", DatePart::kSecond},
    {"s", DatePart::kSecond},
    {"minute", DatePart::kMinute},
    {"min", DatePart::kMinute},
    {"minutes", DatePart::kMinute},
    {"mins", DatePart::kMinute},
    {"m", DatePart::kMinute},
    {"hour", DatePart::kHour},
    {"hr", DatePart::kHour},
    {"hours", DatePart::kHour},
    {"hrs", DatePart::kHour},
    {"h", DatePart::kHour},
    {"epoch", DatePart::kEpoch},
    {"dow", DatePart::kDayOfWeek},
    {"dayofweek", DatePart::kDayOfWeek},
    {"weekday", DatePart::kDayOfWeek},
    {"isodow", DatePart::kIsoDayOfWeek},
    {"week", DatePart::kWeek},
    {"weeks", DatePart::kWeek},
    {"w", DatePart::kWeek},
    {"weekofyear", DatePart::kWeek},
    {"doy", DatePart::kDayOfYear},
    {"dayofyear", DatePart::kDayOfYear},
    {"quarter", DatePart::kQuarter},
    {"quarters", DatePart::kQuarter},
    {"yearweek", DatePart::kYearWeek},
    {"isoyear", DatePart::kIsoYear},
    {"era", DatePart::kEra},
    {"julian", DatePart::kJulian},
    {"timezone", DatePart::kTimezone},
    {"timezone_hour", DatePart::kTimezoneHour},
    {"timezone_minute", DatePart::kTimezoneMinute},
};

// 0 = Sunday .. 6 = Saturday; 1970-01-01 was a Thursday.
int64_t DayOfWeek(int64_t days) { return FloorMod(days + 4, 7); }
int64_t IsoDayOfWeek(int64_t days) {
  const int64_t d = DayOfWeek(days);
  return d == 0 ? 7 : d;
}
CivilDate Civil(int64_t days) { return CivilFromDays(static_cast<int32_t>(days)); }

// The ISO-8601 year and week of a day: week 1 is the week (from Monday) holding the year's
// first Thursday.
void IsoYearWeek(int64_t days, int64_t* year, int64_t* week) {
  const int64_t thursday = days - IsoDayOfWeek(days) + 4;
  const CivilDate c = Civil(thursday);
  *year = c.year;
  *week = (thursday - DaysFromCivil(c.year, 1, 1)) / 7 + 1;
}

// The Monday that starts ISO week 1 of `iso_year`.
int64_t IsoYearStart(int64_t iso_year) {
  const int64_t jan4 = DaysFromCivil(static_cast<int32_t>(iso_year), 1, 4);
  return jan4 - IsoDayOfWeek(jan4) + 1;
}

// `function` is DATETRUNC, DATEDIFF or DATESUB, in DuckDB's message.
[[noreturn]] void ThrowUnsupported(const char* function) {
  throw NotImplementedError(fmt::format("Specifier type not implemented for {}", function));
}

int64_t Micros(DayTime t) { return t.days * kMicrosPerDay + t.time; }

}  // namespace

DayTime DayTime::FromTimestamp(int64_t micros) {
  const int64_t days = FloorDiv(micros, kMicrosPerDay);
  return DayTime{days, micros - days * kMicrosPerDay};
}

std::optional<DatePart> FindDatePart(std::string_view name) {
  const std::string s = ToLower(std::string(name));
  for (const PartName& p : kPartNames) {
    if (s == p.name) return p.part;
  }
  return std::nullopt;
}

DatePart ParseDatePart(std::string_view name) {
  if (auto p = FindDatePart(name)) return *p;
  throw ConversionError(fmt::format("extract specifier \"{}\" not recognized", name));
}

bool IsTimePart(DatePart part) {
  switch (part) {
    case DatePart::kHour:
    case DatePart::kMinute:
    case DatePart::kSecond:
    case DatePart::kMillisecond:
    case DatePart::kMicrosecond:
    case DatePart::kEpoch:
    case DatePart::kTimezone:
    case DatePart::kTimezoneHour:
    case DatePart::kTimezoneMinute:
      return true;
    default:
      return false;
  }
}

bool IsFractionalPart(DatePart part) {
  return part == DatePart::kEpoch || part == DatePart::kJulian;
}

int64_t ExtractPart(DatePart part, DayTime t) {
  const int64_t days = t.days, time = t.time;
  int64_t iso_year = 0, iso_week = 0;
  switch (part) {
    case DatePart::kYear: return Civil(days).year;
    case DatePart::kQuarter: return (Civil(days).month - 1) / 3 + 1;
    case DatePart::kMonth: return Civil(days).month;
    case DatePart::kDay: return Civil(days).day;
    case DatePart::kDayOfWeek: return DayOfWeek(days);
    case DatePart::kIsoDayOfWeek: return IsoDayOfWeek(days);
    case DatePart::kDayOfYear: return days - DaysFromCivil(Civil(days).year, 1, 1) + 1;
    case DatePart::kHour: return time / kMicrosPerHour;
    case DatePart::kMinute: return time % kMicrosPerHour / kMicrosPerMinute;
    case DatePart::kSecond: return time % kMicrosPerMinute / kMicrosPerSecond;
    case DatePart::kMillisecond: return time % kMicrosPerMinute / 1000;
    case DatePart::kMicrosecond: return time % kMicrosPerMinute;
    case DatePart::kEpoch: return days * 86400 + time / kMicrosPerSecond;
    case DatePart::kJulian: return days + kJulianEpochDay;
    case DatePart::kDecade: return Civil(days).year / 10;
    case DatePart::kCentury: {
      const int64_t y = Civil(days).year;
      return y > 0 ? (y - 1) / 100 + 1 : y / 100 - 1;
    }
    case DatePart::kMillennium: {
      const int64_t y = Civil(days).year;
      return y > 0 ? (y - 1) / 1000 + 1 : y / 1000 - 1;
    }
    case DatePart::kEra: return Civil(days).year > 0 ? 1 : 0;
    case DatePart::kWeek: IsoYearWeek(days, &iso_year, &iso_week); return iso_week;
    case DatePart::kIsoYear: IsoYearWeek(days, &iso_year, &iso_week); return iso_year;
    case DatePart::kYearWeek:
      IsoYearWeek(days, &iso_year, &iso_week);
      return iso_year * 100 + (iso_year < 0 ? -iso_week : iso_week);
    case DatePart::kTimezone:
    case DatePart::kTimezoneHour:
    case DatePart::kTimezoneMinute: return 0;
  }
  return 0;
}

double ExtractFractionalPart(DatePart part, DayTime t) {
  if (part == DatePart::kJulian) {
    return static_cast<double>(t.days + kJulianEpochDay) +
           static_cast<double>(t.time) / kMicrosPerDay;
  }
  return static_cast<double>(t.days * 86400) + static_cast<double>(t.time) / kMicrosPerSecond;
}

int64_t ExtractIntervalPart(DatePart part, const Interval& v) {
  switch (part) {
    case DatePart::kYear: return v.months / 12;
    case DatePart::kMonth: return v.months % 12;
    case DatePart::kQuarter: return v.months % 12 / 3 + 1;
    case DatePart::kDecade: return v.months / 120;
    case DatePart::kCentury: return v.months / 1200;
    case DatePart::kMillennium: return v.months / 12000;
    case DatePart::kDay: return v.days;
    case DatePart::kHour: return v.micros / kMicrosPerHour;
    case DatePart::kMinute: return v.micros % kMicrosPerHour / kMicrosPerMinute;
    case DatePart::kSecond: return v.micros % kMicrosPerMinute / kMicrosPerSecond;
    case DatePart::kMillisecond: return v.micros % kMicrosPerMinute / 1000;
    case DatePart::kMicrosecond: return v.micros % kMicrosPerMinute;
    case DatePart::kEpoch: return static_cast<int64_t>(IntervalEpoch(v));
    default: break;
  }
  for (const PartName& p : kPartNames) {
    if (p.part == part) {
      throw NotImplementedError(fmt::format("interval units \"{}\" not recognized", p.name));
    }
  }
  throw NotImplementedError("interval units not recognized");
}

double IntervalEpoch(const Interval& v) {
  // A year is 365.25 days and a month 30, as DuckDB counts.
  const double days = static_cast<double>(v.months / 12) * 365.25 +
                      static_cast<double>(v.months % 12) * 30 + v.days;
  return days * 86400 + static_cast<double>(v.micros) / kMicrosPerSecond;
}

void CheckTruncatable(DatePart part) {
  if (part == DatePart::kEra || part == DatePart::kTimezone ||
      part == DatePart::kTimezoneHour || part == DatePart::kTimezoneMinute) {
    ThrowUnsupported("DATETRUNC");
  }
}

std::optional<int64_t> TruncateDayTime(DatePart part, DayTime t) {
  CheckTruncatable(part);
  const int64_t days = t.days, time = t.time;
  auto at_day = [](int64_t d) -> std::optional<int64_t> { return DateToTimestamp(d); };
  auto at_year = [&](int64_t y) {
    return at_day(DaysFromCivil(static_cast<int32_t>(y), 1, 1));
  };
  int64_t iso_year = 0, iso_week = 0;
  switch (part) {
    case DatePart::kMillennium: return at_year(Civil(days).year / 1000 * 1000);
    case DatePart::kCentury: return at_year(Civil(days).year / 100 * 100);
    case DatePart::kDecade: return at_year(Civil(days).year / 10 * 10);
    case DatePart::kYear: return at_year(Civil(days).year);
    case DatePart::kQuarter:
    case DatePart::kMonth: {
      const CivilDate c = Civil(days);
      const int month = part == DatePart::kMonth ? c.month : (c.month - 1) / 3 * 3 + 1;
      return at_day(DaysFromCivil(c.year, month, 1));
    }
    case DatePart::kWeek:
    case DatePart::kYearWeek: return at_day(days - IsoDayOfWeek(days) + 1);
    case DatePart::kIsoYear:
      IsoYearWeek(days, &iso_year, &iso_week);
      return at_day(IsoYearStart(iso_year));
    case DatePart::kDay:
    case DatePart::kDayOfWeek:
    case DatePart::kIsoDayOfWeek:
    case DatePart::kDayOfYear:
    case DatePart::kJulian: return at_day(days);
    default: break;
  }
  // Parts below a day keep the day, so the result is inside the range when the input is.
  int64_t unit = 1;
  switch (part) {
    case DatePart::kHour: unit = kMicrosPerHour; break;
    case DatePart::kMinute: unit = kMicrosPerMinute; break;
    case DatePart::kSecond:
    case DatePart::kEpoch: unit = kMicrosPerSecond; break;
    case DatePart::kMillisecond: unit = 1000; break;
    default: break;
  }
  const std::optional<int64_t> day_start = at_day(days);
  if (!day_start) return std::nullopt;
  return *day_start + time / unit * unit;
}

Interval TruncateInterval(DatePart part, const Interval& v) {
  switch (part) {
    case DatePart::kMillennium: return Interval{v.months / 12000 * 12000, 0, 0};
    case DatePart::kCentury: return Interval{v.months / 1200 * 1200, 0, 0};
    case DatePart::kDecade: return Interval{v.months / 120 * 120, 0, 0};
    case DatePart::kYear: return Interval{v.months / 12 * 12, 0, 0};
    case DatePart::kQuarter: return Interval{v.months / 3 * 3, 0, 0};
    case DatePart::kMonth: return Interval{v.months, 0, 0};
    case DatePart::kDay: return Interval{v.months, v.days, 0};
    case DatePart::kHour: return Interval{v.months, v.days, v.micros / kMicrosPerHour * kMicrosPerHour};
    case DatePart::kMinute:
      return Interval{v.months, v.days, v.micros / kMicrosPerMinute * kMicrosPerMinute};
    case DatePart::kSecond:
      return Interval{v.months, v.days, v.micros / kMicrosPerSecond * kMicrosPerSecond};
    case DatePart::kMillisecond: return Interval{v.months, v.days, v.micros / 1000 * 1000};
    case DatePart::kMicrosecond: return v;
    default: break;
  }
  ThrowUnsupported("DATETRUNC");
}

void CheckDiffable(DatePart part) {
  if (part == DatePart::kEra || part == DatePart::kTimezone ||
      part == DatePart::kTimezoneHour || part == DatePart::kTimezoneMinute) {
    ThrowUnsupported("DATEDIFF");
  }
}

int64_t DiffDayTimes(DatePart part, DayTime a, DayTime b) {
  CheckDiffable(part);
  // Whole seconds since the epoch (floored), as DuckDB counts the clock parts.
  auto secs = [](DayTime t) { return FloorDiv(Micros(t), kMicrosPerSecond); };
  const CivilDate x = Civil(a.days), y = Civil(b.days);
  int64_t iso_a = 0, iso_b = 0, week = 0;
  switch (part) {
    case DatePart::kYear: return int64_t{y.year} - x.year;
    case DatePart::kQuarter:
      return (int64_t{y.year} * 4 + (y.month - 1) / 3) - (int64_t{x.year} * 4 + (x.month - 1) / 3);
    case DatePart::kMonth: return (int64_t{y.year} * 12 + y.month) - (int64_t{x.year} * 12 + x.month);
    case DatePart::kDecade: return y.year / 10 - x.year / 10;
    case DatePart::kCentury: return y.year / 100 - x.year / 100;
    case DatePart::kMillennium: return y.year / 1000 - x.year / 1000;
    case DatePart::kIsoYear:
      IsoYearWeek(a.days, &iso_a, &week);
      IsoYearWeek(b.days, &iso_b, &week);
      return iso_b - iso_a;
    case DatePart::kWeek:
    case DatePart::kYearWeek: return (b.days - a.days) / 7;
    case DatePart::kDay:
    case DatePart::kDayOfWeek:
    case DatePart::kIsoDayOfWeek:
    case DatePart::kDayOfYear:
    case DatePart::kJulian: return b.days - a.days;
    case DatePart::kHour: return FloorDiv(secs(b), 3600) - FloorDiv(secs(a), 3600);
    case DatePart::kMinute: return FloorDiv(secs(b), 60) - FloorDiv(secs(a), 60);
    case DatePart::kSecond:
    case DatePart::kEpoch: return secs(b) - secs(a);
    case DatePart::kMillisecond: return FloorDiv(Micros(b), 1000) - FloorDiv(Micros(a), 1000);
    case DatePart::kMicrosecond: return Micros(b) - Micros(a);
    default: break;
  }
  ThrowUnsupported("DATEDIFF");
}

namespace {

// Whole months from a to b (negative when b is before a), as DuckDB's date_sub counts
// them: a month ending on the last day of a shorter month is complete.
int64_t WholeMonths(DayTime a, DayTime b) {
  if (a.days > b.days || (a.days == b.days && a.time > b.time)) return -WholeMonths(b, a);
  const CivilDate end = Civil(b.days);
  const int32_t end_month_days = DaysInMonth(end.year, end.month);
  if (end.day == end_month_days) {
    const CivilDate start = Civil(a.days);
    if (start.day > end_month_days || (start.day == end_month_days && a.time < b.time)) {
      a.days = DaysFromCivil(start.year, start.month, end_month_days);
    }
  }
  return Age(b, a).months;
}

}  // namespace

int64_t SubDayTimes(DatePart part, DayTime a, DayTime b) {
  CheckDiffable(part);
  const int64_t micros = Micros(b) - Micros(a);
  switch (part) {
    case DatePart::kYear:
    case DatePart::kIsoYear: return WholeMonths(a, b) / 12;
    case DatePart::kQuarter: return WholeMonths(a, b) / 3;
    case DatePart::kMonth: return WholeMonths(a, b);
    case DatePart::kDecade: return WholeMonths(a, b) / 120;
    case DatePart::kCentury: return WholeMonths(a, b) / 1200;
    case DatePart::kMillennium: return WholeMonths(a, b) / 12000;
    case DatePart::kWeek:
    case DatePart::kYearWeek: return micros / (7 * kMicrosPerDay);
    case DatePart::kDay:
    case DatePart::kDayOfWeek:
    case DatePart::kIsoDayOfWeek:
    case DatePart::kDayOfYear:
    case DatePart::kJulian: return micros / kMicrosPerDay;
    case DatePart::kHour: return micros / kMicrosPerHour;
    case DatePart::kMinute: return micros / kMicrosPerMinute;
    case DatePart::kSecond:
    case DatePart::kEpoch: return micros / kMicrosPerSecond;
    case DatePart::kMillisecond: return micros / 1000;
    case DatePart::kMicrosecond: return micros;
    default: break;
  }
  ThrowUnsupported("DATESUB");
}

Interval Age(DayTime a, DayTime b) {
  const CivilDate x = Civil(a.days), y = Civil(b.days);
  int64_t years = int64_t{x.year} - y.year;
  int64_t months = x.month - y.month;
  int64_t days = x.day - y.day;
  int64_t micros = a.time - b.time;
  const bool flipped = a.days < b.days || (a.days == b.days && a.time < b.time);
  if (flipped) {
    years = -years;
    months = -months;
    days = -days;
    micros = -micros;
  }
  if (micros < 0) {
    micros += kMicrosPerDay;
    days--;
  }
  // A negative day count borrows the length of the earlier date's month.
  const CivilDate& earlier = flipped ? x : y;
  while (days < 0) {
    days += DaysInMonth(earlier.year, earlier.month);
    months--;
  }
  while (months < 0) {
    months += 12;
    years--;
  }
  const int sign = flipped ? -1 : 1;
  return Interval{static_cast<int32_t>(sign * (years * 12 + months)),
                  static_cast<int32_t>(sign * days), sign * micros};
}

}  // namespace sluice
