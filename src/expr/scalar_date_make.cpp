// Functions that build dates, timestamps and intervals from numbers, and the reverse:
// make_date, make_timestamp, to_years .. to_microseconds (the INTERVAL (x) unit form),
// epoch_ms/us/ns, to_timestamp, last_day, dayname, monthname, now and current_date.
// Results outside the DATE/TIMESTAMP/INTERVAL ranges are errors naming the value.
#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <limits>

#include "common/error.h"
#include "expr/datetime_kernels.h"
#include "expr/scalar_functions.h"
#include "expr/statement_time.h"

namespace sluice::datetime {

namespace {

const char* const kDayNames[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                 "Thursday", "Friday", "Saturday"};
const char* const kMonthNames[] = {"January", "February", "March",     "April",
                                   "May",     "June",     "July",      "August",
                                   "September", "October", "November", "December"};

int64_t NowMicros() { return StatementNowMicros(); }

// The day number of y-m-d; throws ConversionError "Date out of range: y-m-d".
int64_t CheckedDate(int64_t y, int64_t m, int64_t d) {
  if (m < 1 || m > 12 || d < 1 || y < kMinYear || y > kMaxYear ||
      d > DaysInMonth(static_cast<int32_t>(y), static_cast<int32_t>(m))) {
    throw ConversionError(fmt::format("Date out of range: {}-{}-{}", y, m, d));
  }
  const int64_t days =
      DaysFromCivil(static_cast<int32_t>(y), static_cast<int32_t>(m), static_cast<int32_t>(d));
  if (days < kMinDate || days > kMaxDate) {
    throw ConversionError(fmt::format("Date out of range: {}-{}-{}", y, m, d));
  }
  return days;
}

// One to_<unit>(n) function: n units as an interval.
struct IntervalMaker {
  const char* name;
  const char* unit;  // as named in the error message
  int64_t months;
  int64_t days;
  int64_t micros;
  bool fractional;  // takes DOUBLE (to_seconds, to_milliseconds)
};

constexpr IntervalMaker kIntervalMakers[] = {
    {"to_millennia", "millennia", 12000, 0, 0, false},
    {"to_centuries", "centuries", 1200, 0, 0, false},
    {"to_decades", "decades", 120, 0, 0, false},
    {"to_years", "years", 12, 0, 0, false},
    {"to_quarters", "quarters", 3, 0, 0, false},
    {"to_months", "months", 1, 0, 0, false},
    {"to_weeks", "weeks", 0, 7, 0, false},
    {"to_days", "days", 0, 1, 0, false},
    {"to_hours", "hours", 0, 0, 3600 * kMicrosPerSecond, false},
    {"to_minutes", "minutes", 0, 0, 60 * kMicrosPerSecond, false},
    {"to_seconds", "seconds", 0, 0, kMicrosPerSecond, true},
    {"to_milliseconds", "milliseconds", 0, 0, 1000, true},
    {"to_microseconds", "microseconds", 0, 0, 1, false},
};

bool MakeWholeInterval(const IntervalMaker& m, int64_t n, Interval& r) {
  const __int128 months = __int128{n} * m.months, days = __int128{n} * m.days,
                 micros = __int128{n} * m.micros;
  if (months < std::numeric_limits<int32_t>::min() || months > std::numeric_limits<int32_t>::max() ||
      days < std::numeric_limits<int32_t>::min() || days > std::numeric_limits<int32_t>::max() ||
      micros < std::numeric_limits<int64_t>::min() || micros > std::numeric_limits<int64_t>::max()) {
    return false;
  }
  r = Interval{static_cast<int32_t>(months), static_cast<int32_t>(days),
               static_cast<int64_t>(micros)};
  return true;
}

void RegisterIntervalMakers(FunctionRegistry& r) {
  for (const IntervalMaker& m : kIntervalMakers) {
    ScalarKernel k;
    if (m.fractional) {
      k = [m](const std::vector<ColumnPtr>& c, size_t n) {
        return kernel::UnaryExec<double, Interval>(
            kInterval, c[0], n,
            [m](double x, Interval& out) {
              const double micros = std::round(x * static_cast<double>(m.micros));
              if (!(micros > -9.2e18 && micros < 9.2e18)) return false;
              out = Interval{0, 0, static_cast<int64_t>(micros)};
              return true;
            },
            [m](Column&, size_t, double x) {
              throw OutOfRangeError(fmt::format("Interval value {} {} out of range", x, m.unit));
            });
      };
    } else {
      k = [m](const std::vector<ColumnPtr>& c, size_t n) {
        return kernel::UnaryExec<int64_t, Interval>(
            kInterval, c[0], n, [m](int64_t x, Interval& out) { return MakeWholeInterval(m, x, out); },
            [m](Column&, size_t, int64_t x) {
              throw OutOfRangeError(fmt::format("Interval value {} {} out of range", x, m.unit));
            });
      };
    }
    const LogicalType arg = m.fractional ? kDouble : kBigInt;
    r.AddScalar(m.name, kernel::FixedSignature({arg}, kInterval, std::move(k)),
                fmt::format("{}({})", m.name, arg.ToString()));
  }
}

// Micros since midnight of hours:minutes:seconds; throws ConversionError when a field is out of
// range (the result may pass 24:00:00 by up to a minute: make_timestamp carries it over).
int64_t CheckedTimeOfDay(int64_t hours, int64_t minutes, double seconds) {
  const double micros = std::round(seconds * kMicrosPerSecond);
  if (hours < 0 || hours > 24 || minutes < 0 || minutes > 59 || !(micros >= 0) ||
      micros > 60.0 * kMicrosPerSecond) {
    throw ConversionError(fmt::format("Time out of range: {}:{}:{}", hours, minutes, seconds));
  }
  return (hours * 60 + minutes) * 60 * kMicrosPerSecond + static_cast<int64_t>(micros);
}

// make_time(h, m, s): a TIME, at most 24:00:00.
ScalarKernel MakeTimeKernel() {
  return [](const std::vector<ColumnPtr>& c, size_t n) {
    kernel::ArgReader h(*c[0]), mi(*c[1]), s(*c[2]);
    return kernel::RowExec(TypeId::kTime, c, n, [&](size_t i, Column& out) {
      const int64_t hours = h.Get<int64_t>(i), minutes = mi.Get<int64_t>(i);
      const double seconds = s.Get<double>(i);
      const int64_t micros = CheckedTimeOfDay(hours, minutes, seconds);
      if (micros > kMicrosPerDay) {
        throw ConversionError(fmt::format("Time out of range: {}:{}:{}", hours, minutes, seconds));
      }
      out.data<int64_t>()[i] = micros;
      return true;
    });
  };
}

ScalarKernel MakeTimestampKernel() {
  return [](const std::vector<ColumnPtr>& c, size_t n) {
    kernel::ArgReader y(*c[0]), mo(*c[1]), d(*c[2]), h(*c[3]), mi(*c[4]), s(*c[5]);
    return kernel::RowExec(kTimestamp, c, n, [&](size_t i, Column& out) {
      const int64_t days = CheckedDate(y.Get<int64_t>(i), mo.Get<int64_t>(i), d.Get<int64_t>(i));
      const __int128 total =
          __int128{days} * kMicrosPerDay +
          CheckedTimeOfDay(h.Get<int64_t>(i), mi.Get<int64_t>(i), s.Get<double>(i));
      if (!IsValidTimestamp(total)) ThrowTimestampRange();
      out.data<int64_t>()[i] = static_cast<int64_t>(total);
      return true;
    });
  };
}

// epoch_ms/epoch_us/epoch_ns of a DATE or TIMESTAMP: units since the epoch.
void RegisterEpochUnits(FunctionRegistry& r) {
  const std::pair<const char*, int64_t> units[] = {
      {"epoch_ms", 1000}, {"epoch_us", 1}, {"epoch_ns", -1000}};  // negative: multiply
  for (const auto& [name, unit] : units) {
    const int64_t u = unit;
    for (const LogicalType& t : {kDate, kTimestamp}) {
      r.AddScalar(name,
                  kernel::FixedSignature(
                      {t}, kBigInt,
                      DayTimeKernel<int64_t>(t, kBigInt, 0,
                                             [u](DayTime d, int64_t& out) {
                                               const __int128 micros =
                                                   __int128{d.days} * kMicrosPerDay + d.time;
                                               // Truncated toward zero, as DuckDB.
                                               const __int128 v = u > 0 ? micros / u : micros * -u;
                                               if (v > std::numeric_limits<int64_t>::max() ||
                                                   v < std::numeric_limits<int64_t>::min()) {
                                                 throw ConversionError(
                                                     "Could not convert Timestamp(US) to "
                                                     "Timestamp(NS)");
                                               }
                                               out = static_cast<int64_t>(v);
                                               return true;
                                             })),
                  std::string(name) + "(" + t.ToString() + ")");
    }
  }
}

template <typename Fn>
void RegisterNameFunction(FunctionRegistry& r, const char* name, Fn fn) {
  for (const LogicalType& t : {kDate, kTimestamp}) {
    ScalarKernel k = ForTemporal(t, [&](auto tag) -> ScalarKernel {
      using T = decltype(tag);
      return [fn](const std::vector<ColumnPtr>& c, size_t n) {
        kernel::ArgReader v(*c[0]);
        return kernel::RowExec(kVarchar, c, n, [&](size_t i, Column& out) {
          out.data<StringView>()[i] = out.AddString(fn(ToDayTime(v.Get<T>(i)).days));
          return true;
        });
      };
    });
    r.AddScalar(name, kernel::FixedSignature({t}, kVarchar, std::move(k)),
                std::string(name) + "(" + t.ToString() + ")");
  }
}

}  // namespace

void RegisterDateMakeFunctions(FunctionRegistry& r) {
  r.AddScalar(
      "make_date",
      kernel::FixedSignature({kBigInt, kBigInt, kBigInt}, kDate,
                             [](const std::vector<ColumnPtr>& cols, size_t n) {
                               kernel::ArgReader y(*cols[0]), m(*cols[1]), d(*cols[2]);
                               return kernel::RowExec(kDate, cols, n, [&](size_t i, Column& out) {
                                 out.data<int32_t>()[i] = static_cast<int32_t>(CheckedDate(
                                     y.Get<int64_t>(i), m.Get<int64_t>(i), d.Get<int64_t>(i)));
                                 return true;
                               });
                             }),
      "make_date(BIGINT, BIGINT, BIGINT)");
  r.AddScalar("make_date",
              kernel::FixedSignature({kInteger}, kDate,
                                     [](const std::vector<ColumnPtr>& cols, size_t n) {
                                       return kernel::UnaryExec<int32_t, int32_t>(
                                           kDate, cols[0], n,
                                           [](int32_t d, int32_t& out) {
                                             out = d;
                                             return d >= kMinDate && d <= kMaxDate;
                                           },
                                           [](Column&, size_t, int32_t) {
                                             throw ConversionError("Date out of range");
                                           });
                                     }),
              "make_date(INTEGER)");
  r.AddScalar("make_time",
              kernel::FixedSignature({kBigInt, kBigInt, kDouble}, TypeId::kTime, MakeTimeKernel()),
              "make_time(BIGINT, BIGINT, DOUBLE)");
  r.AddScalar("make_timestamp",
              kernel::FixedSignature({kBigInt, kBigInt, kBigInt, kBigInt, kBigInt, kDouble},
                                     kTimestamp, MakeTimestampKernel()),
              "make_timestamp(BIGINT, BIGINT, BIGINT, BIGINT, BIGINT, DOUBLE)");
  r.AddScalar("make_timestamp",
              kernel::FixedSignature({kBigInt}, kTimestamp,
                                     [](const std::vector<ColumnPtr>& cols, size_t n) {
                                       return kernel::UnaryExec<int64_t, int64_t>(
                                           kTimestamp, cols[0], n,
                                           [](int64_t us, int64_t& out) {
                                             out = us;
                                             return IsValidTimestamp(us);
                                           },
                                           [](Column&, size_t, int64_t) { ThrowTimestampRange(); });
                                     }),
              "make_timestamp(BIGINT)");
  for (const LogicalType& t : {kDate, kTimestamp}) {
    r.AddScalar("last_day",
                kernel::FixedSignature({t}, kDate,
                                       DayTimeKernel<int32_t>(t, kDate, 0,
                                                              [](DayTime d, int32_t& out) {
                                                                const CivilDate c =
                                                                    CivilFromDays(static_cast<int32_t>(d.days));
                                                                out = static_cast<int32_t>(DaysFromCivil(
                                                                    c.year, c.month,
                                                                    DaysInMonth(c.year, c.month)));
                                                                return true;
                                                              })),
                "last_day(" + t.ToString() + ")");
  }
  RegisterNameFunction(r, "dayname", [](int64_t days) {
    return std::string_view(kDayNames[FloorMod(days + 4, 7)]);
  });
  RegisterNameFunction(r, "monthname", [](int64_t days) {
    return std::string_view(kMonthNames[CivilFromDays(static_cast<int32_t>(days)).month - 1]);
  });
  RegisterIntervalMakers(r);
  RegisterEpochUnits(r);
  for (const char* name : {"current_date", "today"}) {
    r.AddScalar(name,
                kernel::FixedSignature(
                    {}, kDate,
                    [](const std::vector<ColumnPtr>&, size_t n) {
                      return Column::MakeConstant(
                          kDate, Value::Date(static_cast<int32_t>(FloorDiv(NowMicros(), kMicrosPerDay))),
                          n);
                    }),
                std::string(name) + "()");
  }
  for (const char* name : {"now", "current_timestamp", "get_current_timestamp"}) {
    r.AddScalar(name,
                kernel::FixedSignature({}, TypeId::kTimestampTz,
                                       [](const std::vector<ColumnPtr>&, size_t n) {
                                         return Column::MakeConstant(
                                             TypeId::kTimestampTz, Value::TimestampTz(NowMicros()), n);
                                       }),
                std::string(name) + "()");
  }
  r.AddScalar("to_timestamp",
              kernel::FixedSignature({kDouble}, kTimestamp,
                                     [](const std::vector<ColumnPtr>& cols, size_t n) {
                                       return kernel::UnaryExec<double, int64_t>(
                                           kTimestamp, cols[0], n,
                                           [](double s, int64_t& out) {
                                             const double us = std::round(s * kMicrosPerSecond);
                                             if (!(us > -9.2e18 && us < 9.2e18)) return false;
                                             out = static_cast<int64_t>(us);
                                             return IsValidTimestamp(out);
                                           },
                                           [](Column&, size_t, double s) {
                                             throw ConversionError(fmt::format(
                                                 "Timestamp out of range: {} seconds", s));
                                           });
                                     }),
              "to_timestamp(DOUBLE)");
  r.AddScalar("epoch_ms",
              kernel::FixedSignature({kBigInt}, kTimestamp,
                                     [](const std::vector<ColumnPtr>& cols, size_t n) {
                                       return kernel::UnaryExec<int64_t, int64_t>(
                                           kTimestamp, cols[0], n,
                                           [](int64_t ms, int64_t& out) {
                                             return !__builtin_mul_overflow(ms, int64_t{1000}, &out) &&
                                                    IsValidTimestamp(out);
                                           },
                                           [](Column&, size_t, int64_t ms) {
                                             throw ConversionError(
                                                 fmt::format("Timestamp out of range: {} ms", ms));
                                           });
                                     }),
              "epoch_ms(BIGINT)");
}

}  // namespace sluice::datetime
