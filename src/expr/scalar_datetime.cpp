// Date and time functions and the date/time forms of + and -.
//
// Following DuckDB: DATE + INTEGER adds days (DATE); DATE - DATE is a BIGINT day count;
// DATE +/- INTERVAL and TIMESTAMP +/- INTERVAL give TIMESTAMP; TIMESTAMP - TIMESTAMP is an
// INTERVAL (days and micros). date_trunc keeps the input type: DATE for DATE input, TIMESTAMP
// for TIMESTAMP input. date_diff counts unit boundaries crossed (months between the months,
// hours between the hours, ...), except 'week', which is whole days / 7. Times carry no
// time zone; current_date and now() use UTC.
#include <fmt/format.h>

#include <chrono>
#include <cmath>

#include "common/error.h"
#include "common/strings.h"
#include "expr/kernel_util.h"
#include "expr/scalar_functions.h"
#include "expr/strftime_format.h"
#include "types/date_time.h"
#include "types/interval.h"

namespace sluice {

namespace {

const LogicalType kDate = TypeId::kDate;
const LogicalType kTimestamp = TypeId::kTimestamp;
const LogicalType kInterval = TypeId::kInterval;
const LogicalType kBigInt = TypeId::kBigInt;
const LogicalType kInteger = TypeId::kInteger;
const LogicalType kDouble = TypeId::kDouble;
const LogicalType kVarchar = TypeId::kVarchar;
constexpr int64_t kMicrosPerHour = 3600 * kMicrosPerSecond;
constexpr int64_t kMicrosPerMinute = 60 * kMicrosPerSecond;

enum class Part {
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
  kMillennium
};

Part ParsePart(const std::string& text) {
  const std::string s = ToLower(text);
  static const std::pair<const char*, Part> kNames[] = {{"year", Part::kYear},
                                                        {"years", Part::kYear},
                                                        {"y", Part::kYear},
                                                        {"yr", Part::kYear},
                                                        {"yrs", Part::kYear},
                                                        {"quarter", Part::kQuarter},
                                                        {"quarters", Part::kQuarter},
                                                        {"month", Part::kMonth},
                                                        {"months", Part::kMonth},
                                                        {"mon", Part::kMonth},
                                                        {"week", Part::kWeek},
                                                        {"weeks", Part::kWeek},
                                                        {"w", Part::kWeek},
                                                        {"weekofyear", Part::kWeek},
                                                        {"day", Part::kDay},
                                                        {"days", Part::kDay},
                                                        {"d", Part::kDay},
                                                        {"dayofmonth", Part::kDay},
                                                        {"dayofweek", Part::kDayOfWeek},
                                                        {"dow", Part::kDayOfWeek},
                                                        {"weekday", Part::kDayOfWeek},
                                                        {"isodow", Part::kIsoDayOfWeek},
                                                        {"dayofyear", Part::kDayOfYear},
                                                        {"doy", Part::kDayOfYear},
                                                        {"hour", Part::kHour},
                                                        {"hours", Part::kHour},
                                                        {"h", Part::kHour},
                                                        {"hr", Part::kHour},
                                                        {"minute", Part::kMinute},
                                                        {"minutes", Part::kMinute},
                                                        {"min", Part::kMinute},
                                                        {"m", Part::kMinute},
                                                        {"second", Part::kSecond},
                                                        {"seconds", Part::kSecond},
                                                        {"sec", Part::kSecond},
                                                        {"s", Part::kSecond},
                                                        {"millisecond", Part::kMillisecond},
                                                        {"milliseconds", Part::kMillisecond},
                                                        {"ms", Part::kMillisecond},
                                                        {"microsecond", Part::kMicrosecond},
                                                        {"microseconds", Part::kMicrosecond},
                                                        {"us", Part::kMicrosecond},
                                                        {"epoch", Part::kEpoch},
                                                        {"decade", Part::kDecade},
                                                        {"century", Part::kCentury},
                                                        {"millennium", Part::kMillennium}};
  for (const auto& [name, part] : kNames) {
    if (s == name) return part;
  }
  throw ConversionError(fmt::format("extract specifier \"{}\" not recognized", text));
}

// 0 = Sunday .. 6 = Saturday; 1970-01-01 was a Thursday.
int64_t DayOfWeek(int64_t days) { return FloorMod(days + 4, 7); }
int64_t IsoDayOfWeek(int64_t days) {
  const int64_t d = DayOfWeek(days);
  return d == 0 ? 7 : d;
}
// ISO-8601 week number: the week (Monday start) containing the year's first Thursday is 1.
int64_t IsoWeek(int64_t days) {
  const int64_t thursday = days - IsoDayOfWeek(days) + 4;
  const CivilDate c = CivilFromDays(static_cast<int32_t>(thursday));
  return (thursday - DaysFromCivil(c.year, 1, 1)) / 7 + 1;
}

int64_t ExtractPart(Part part, int64_t micros) {
  const int64_t days = FloorDiv(micros, kMicrosPerDay);
  const int64_t time = micros - days * kMicrosPerDay;
  auto civil = [&] { return CivilFromDays(static_cast<int32_t>(days)); };
  switch (part) {
    case Part::kYear:
      return civil().year;
    case Part::kQuarter:
      return (civil().month - 1) / 3 + 1;
    case Part::kMonth:
      return civil().month;
    case Part::kWeek:
      return IsoWeek(days);
    case Part::kDay:
      return civil().day;
    case Part::kDayOfWeek:
      return DayOfWeek(days);
    case Part::kIsoDayOfWeek:
      return IsoDayOfWeek(days);
    case Part::kDayOfYear: {
      const CivilDate c = civil();
      return days - DaysFromCivil(c.year, 1, 1) + 1;
    }
    case Part::kHour:
      return time / kMicrosPerHour;
    case Part::kMinute:
      return time % kMicrosPerHour / kMicrosPerMinute;
    case Part::kSecond:
      return time % kMicrosPerMinute / kMicrosPerSecond;
    case Part::kMillisecond:
      return time % kMicrosPerMinute / 1000;
    case Part::kMicrosecond:
      return time % kMicrosPerMinute;
    case Part::kEpoch:
      return FloorDiv(micros, kMicrosPerSecond);
    case Part::kDecade:
      return FloorDiv(civil().year, 10);
    case Part::kCentury: {
      const int64_t y = civil().year;
      return y > 0 ? (y - 1) / 100 + 1 : -((-y) / 100 + 1);
    }
    case Part::kMillennium: {
      const int64_t y = civil().year;
      return y > 0 ? (y - 1) / 1000 + 1 : -((-y) / 1000 + 1);
    }
  }
  return 0;
}

// Micros since the epoch of a DATE (int32 days) or TIMESTAMP (int64 micros) value.
template <typename T>
int64_t ToMicros(T v) {
  if constexpr (std::is_same_v<T, int32_t>) {
    return static_cast<int64_t>(v) * kMicrosPerDay;
  } else {
    return v;
  }
}

bool IsDateOrTimestamp(const LogicalType& t) {
  return t.id() == TypeId::kDate || t.id() == TypeId::kTimestamp;
}

// Calls fn(T{}) with int32_t for DATE and int64_t for TIMESTAMP.
template <typename Fn>
auto ForTemporal(const LogicalType& t, Fn fn) {
  if (t.id() == TypeId::kDate) return fn(int32_t{});
  return fn(int64_t{});
}

// A kernel over the temporal argument `arg` of `args`, ignoring the others (constant parts).
template <typename R, typename Fn>
ScalarKernel TemporalUnary(LogicalType arg_type, LogicalType result, size_t arg, Fn fn) {
  return ForTemporal(arg_type, [&](auto tag) -> ScalarKernel {
    using T = decltype(tag);
    return [result, arg, fn](const std::vector<ColumnPtr>& cols, size_t n) {
      return kernel::UnaryExec<T, R>(
          result, cols[arg], n,
          [&](T v, R& r) {
            r = fn(ToMicros(v));
            return true;
          },
          kernel::NullOnFail());
    };
  });
}

std::optional<Part> LiteralPart(const std::vector<ExprPtr>& args) {
  const Value* v = kernel::LiteralArg(args, 0);
  if (v == nullptr || v->type().id() != TypeId::kVarchar) return std::nullopt;
  return ParsePart(v->GetString());
}

std::optional<BoundScalar> ResolveDatePart(const std::vector<ExprPtr>& args) {
  if (args.size() != 2 || !IsDateOrTimestamp(args[1]->type)) return std::nullopt;
  auto part = LiteralPart(args);
  if (!part) return std::nullopt;
  const LogicalType t = args[1]->type;
  if (*part == Part::kEpoch) {
    return BoundScalar{kDouble, {kVarchar, t}, TemporalUnary<double>(t, kDouble, 1, [](int64_t m) {
                         return static_cast<double>(m) / kMicrosPerSecond;
                       })};
  }
  const Part p = *part;
  return BoundScalar{kBigInt, {kVarchar, t}, TemporalUnary<int64_t>(t, kBigInt, 1, [p](int64_t m) {
                       return ExtractPart(p, m);
                     })};
}

int64_t TruncateMicros(Part part, int64_t micros) {
  const int64_t days = FloorDiv(micros, kMicrosPerDay);
  auto at_day = [](int64_t d) { return d * kMicrosPerDay; };
  switch (part) {
    case Part::kYear:
      return at_day(DaysFromCivil(CivilFromDays(static_cast<int32_t>(days)).year, 1, 1));
    case Part::kQuarter:
    case Part::kMonth: {
      const CivilDate c = CivilFromDays(static_cast<int32_t>(days));
      const int month = part == Part::kMonth ? c.month : (c.month - 1) / 3 * 3 + 1;
      return at_day(DaysFromCivil(c.year, month, 1));
    }
    case Part::kWeek:
      return at_day(days - IsoDayOfWeek(days) + 1);
    case Part::kDay:
      return at_day(days);
    case Part::kHour:
      return FloorDiv(micros, kMicrosPerHour) * kMicrosPerHour;
    case Part::kMinute:
      return FloorDiv(micros, kMicrosPerMinute) * kMicrosPerMinute;
    case Part::kSecond:
      return FloorDiv(micros, kMicrosPerSecond) * kMicrosPerSecond;
    case Part::kMillisecond:
      return FloorDiv(micros, 1000) * 1000;
    case Part::kMicrosecond:
      return micros;
    case Part::kDecade:
    case Part::kCentury:
    case Part::kMillennium: {
      const int64_t span = part == Part::kDecade ? 10 : part == Part::kCentury ? 100 : 1000;
      const int64_t y = CivilFromDays(static_cast<int32_t>(days)).year;
      return at_day(DaysFromCivil(static_cast<int32_t>(FloorDiv(y, span) * span), 1, 1));
    }
    default:
      break;
  }
  throw ConversionError("date_trunc does not support this specifier");
}

std::optional<BoundScalar> ResolveDateTrunc(const std::vector<ExprPtr>& args) {
  if (args.size() != 2 || !IsDateOrTimestamp(args[1]->type)) return std::nullopt;
  auto part = LiteralPart(args);
  if (!part) return std::nullopt;
  const Part p = *part;
  TruncateMicros(p, 0);  // rejects unsupported specifiers at bind time
  const LogicalType t = args[1]->type;
  if (t.id() == TypeId::kDate) {
    return BoundScalar{kDate, {kVarchar, t}, TemporalUnary<int32_t>(t, kDate, 1, [p](int64_t m) {
                         return static_cast<int32_t>(FloorDiv(TruncateMicros(p, m), kMicrosPerDay));
                       })};
  }
  return BoundScalar{
      kTimestamp, {kVarchar, t}, TemporalUnary<int64_t>(t, kTimestamp, 1, [p](int64_t m) {
        return TruncateMicros(p, m);
      })};
}

int64_t DiffParts(Part part, int64_t a, int64_t b) {
  auto civil = [](int64_t m) {
    return CivilFromDays(static_cast<int32_t>(FloorDiv(m, kMicrosPerDay)));
  };
  switch (part) {
    case Part::kYear:
      return civil(b).year - civil(a).year;
    case Part::kQuarter: {
      const CivilDate x = civil(a), y = civil(b);
      return (y.year * 4 + (y.month - 1) / 3) - (x.year * 4 + (x.month - 1) / 3);
    }
    case Part::kMonth: {
      const CivilDate x = civil(a), y = civil(b);
      return (int64_t{y.year} * 12 + y.month) - (int64_t{x.year} * 12 + x.month);
    }
    case Part::kWeek:
      return (FloorDiv(b, kMicrosPerDay) - FloorDiv(a, kMicrosPerDay)) / 7;
    case Part::kDay:
      return FloorDiv(b, kMicrosPerDay) - FloorDiv(a, kMicrosPerDay);
    case Part::kHour:
      return FloorDiv(b, kMicrosPerHour) - FloorDiv(a, kMicrosPerHour);
    case Part::kMinute:
      return FloorDiv(b, kMicrosPerMinute) - FloorDiv(a, kMicrosPerMinute);
    case Part::kSecond:
      return FloorDiv(b, kMicrosPerSecond) - FloorDiv(a, kMicrosPerSecond);
    case Part::kMillisecond:
      return FloorDiv(b, 1000) - FloorDiv(a, 1000);
    case Part::kMicrosecond:
      return b - a;
    case Part::kDecade:
      return FloorDiv(civil(b).year, 10) - FloorDiv(civil(a).year, 10);
    case Part::kCentury:
      return FloorDiv(civil(b).year, 100) - FloorDiv(civil(a).year, 100);
    case Part::kMillennium:
      return FloorDiv(civil(b).year, 1000) - FloorDiv(civil(a).year, 1000);
    default:
      break;
  }
  throw ConversionError("date_diff does not support this specifier");
}

std::optional<BoundScalar> ResolveDateDiff(const std::vector<ExprPtr>& args) {
  if (args.size() != 3) return std::nullopt;
  const LogicalType a = args[1]->type, b = args[2]->type;
  if (!IsDateOrTimestamp(a) || !IsDateOrTimestamp(b)) return std::nullopt;
  auto part = LiteralPart(args);
  if (!part) return std::nullopt;
  const Part p = *part;
  DiffParts(p, 0, 0);
  const LogicalType t = a == b ? a : kTimestamp;
  ScalarKernel k = ForTemporal(t, [&](auto tag) -> ScalarKernel {
    using T = decltype(tag);
    return [p](const std::vector<ColumnPtr>& cols, size_t n) {
      return kernel::BinaryExec<T, T, int64_t>(
          kBigInt, cols[1], cols[2], n,
          [p](T x, T y, int64_t& r) {
            r = DiffParts(p, ToMicros(x), ToMicros(y));
            return true;
          },
          kernel::NullOnFail());
    };
  });
  return BoundScalar{kBigInt, {kVarchar, t, t}, std::move(k)};
}

template <typename A, typename B, typename R, typename Op>
ScalarKernel Binary(LogicalType result, Op op) {
  return [result, op](const std::vector<ColumnPtr>& cols, size_t n) {
    return kernel::BinaryExec<A, B, R>(
        result, cols[0], cols[1], n, op,
        [](Column&, size_t, const A&, const B&) { throw OutOfRangeError("Date out of range"); });
  };
}

Interval Negate(const Interval& i) { return Interval{-i.months, -i.days, -i.micros}; }

// The date/time overloads of + (sign 1) and - (sign -1).
std::optional<BoundScalar> ResolveTemporalArith(const std::vector<ExprPtr>& args, int sign) {
  if (args.size() != 2) return std::nullopt;
  LogicalType a = args[0]->type, b = args[1]->type;
  if (!a.IsTemporal() && !b.IsTemporal()) return std::nullopt;
  if (a.id() == TypeId::kNull) a = b.id() == TypeId::kInterval ? kInterval : kInteger;
  if (b.id() == TypeId::kNull) b = a.id() == TypeId::kInterval ? kInterval : kInteger;
  const TypeId x = a.id(), y = b.id();
  if (x == TypeId::kDate && b.IsInteger()) {
    return BoundScalar{
        kDate,
        {kDate, kInteger},
        Binary<int32_t, int32_t, int32_t>(kDate, [sign](int32_t d, int32_t k, int32_t& r) {
          return sign > 0 ? !__builtin_add_overflow(d, k, &r) : !__builtin_sub_overflow(d, k, &r);
        })};
  }
  if (sign > 0 && a.IsInteger() && y == TypeId::kDate) {
    return BoundScalar{
        kDate,
        {kInteger, kDate},
        Binary<int32_t, int32_t, int32_t>(kDate, [](int32_t k, int32_t d, int32_t& r) {
          return !__builtin_add_overflow(d, k, &r);
        })};
  }
  if (sign < 0 && x == TypeId::kDate && y == TypeId::kDate) {
    return BoundScalar{
        kBigInt,
        {kDate, kDate},
        Binary<int32_t, int32_t, int64_t>(kBigInt, [](int32_t p, int32_t q, int64_t& r) {
          r = int64_t{p} - q;
          return true;
        })};
  }
  if (IsDateOrTimestamp(a) && y == TypeId::kInterval) {
    return ForTemporal(a, [&](auto tag) -> std::optional<BoundScalar> {
      using T = decltype(tag);
      return BoundScalar{
          kTimestamp,
          {a, kInterval},
          Binary<T, Interval, int64_t>(kTimestamp, [sign](T t, const Interval& i, int64_t& r) {
            r = AddIntervalToTimestamp(ToMicros(t), sign > 0 ? i : Negate(i));
            return true;
          })};
    });
  }
  if (sign > 0 && x == TypeId::kInterval && IsDateOrTimestamp(b)) {
    return ForTemporal(b, [&](auto tag) -> std::optional<BoundScalar> {
      using T = decltype(tag);
      return BoundScalar{
          kTimestamp,
          {kInterval, b},
          Binary<Interval, T, int64_t>(kTimestamp, [](const Interval& i, T t, int64_t& r) {
            r = AddIntervalToTimestamp(ToMicros(t), i);
            return true;
          })};
    });
  }
  if (sign < 0 && IsDateOrTimestamp(a) && IsDateOrTimestamp(b)) {
    return BoundScalar{
        kInterval,
        {kTimestamp, kTimestamp},
        Binary<int64_t, int64_t, Interval>(kInterval, [](int64_t p, int64_t q, Interval& r) {
          int64_t d;
          if (__builtin_sub_overflow(p, q, &d)) return false;
          r = Interval{0, static_cast<int32_t>(d / kMicrosPerDay), d % kMicrosPerDay};
          return true;
        })};
  }
  if (x == TypeId::kInterval && y == TypeId::kInterval) {
    return BoundScalar{kInterval,
                       {kInterval, kInterval},
                       Binary<Interval, Interval, Interval>(
                           kInterval, [sign](const Interval& p, const Interval& q, Interval& r) {
                             r = Interval{p.months + sign * q.months, p.days + sign * q.days,
                                          p.micros + sign * q.micros};
                             return true;
                           })};
  }
  return std::nullopt;
}

std::optional<BoundScalar> ResolveStrftime(const std::vector<ExprPtr>& args) {
  if (args.size() != 2 || !IsDateOrTimestamp(args[0]->type) ||
      !kernel::ImplicitlyCastable(*args[1], kVarchar)) {
    return std::nullopt;
  }
  // A constant format is compiled (and checked) once, at bind time.
  std::optional<StrftimeFormat> fixed;
  if (const Value* v = kernel::LiteralArg(args, 1)) fixed = StrftimeFormat::Compile(v->ToString());
  ScalarKernel k = [fixed](const std::vector<ColumnPtr>& cols, size_t n) {
    kernel::ArgReader t(*cols[0]), f(*cols[1]);
    std::string buf;
    return kernel::RowExec(kVarchar, cols, n, [&](size_t i, Column& out) {
      if (fixed) {
        fixed->Format(t.Get<int64_t>(i), buf);
      } else {
        StrftimeFormat::Compile(f.Get<StringView>(i).view()).Format(t.Get<int64_t>(i), buf);
      }
      out.data<StringView>()[i] = out.AddString(buf);
      return true;
    });
  };
  return BoundScalar{kVarchar, {kTimestamp, kVarchar}, std::move(k)};
}

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void RegisterParts(FunctionRegistry& r) {
  const std::pair<const char*, Part> shortcuts[] = {
      {"year", Part::kYear},           {"quarter", Part::kQuarter},
      {"month", Part::kMonth},         {"week", Part::kWeek},
      {"weekofyear", Part::kWeek},     {"day", Part::kDay},
      {"dayofmonth", Part::kDay},      {"dayofweek", Part::kDayOfWeek},
      {"isodow", Part::kIsoDayOfWeek}, {"dayofyear", Part::kDayOfYear},
      {"hour", Part::kHour},           {"minute", Part::kMinute},
      {"second", Part::kSecond},       {"millisecond", Part::kMillisecond}};
  for (const auto& [name, part] : shortcuts) {
    r.AddScalar(
        name,
        [p = part](const std::vector<ExprPtr>& args) -> std::optional<BoundScalar> {
          if (args.size() != 1 || !IsDateOrTimestamp(args[0]->type)) return std::nullopt;
          const LogicalType t = args[0]->type;
          return BoundScalar{kBigInt, {t}, TemporalUnary<int64_t>(t, kBigInt, 0, [p](int64_t m) {
                               return ExtractPart(p, m);
                             })};
        },
        std::string(name) + "(DATE|TIMESTAMP)");
  }
}

}  // namespace

void RegisterDateTimeFunctions(FunctionRegistry& r) {
  r.AddScalar(
      "+", [](const std::vector<ExprPtr>& a) { return ResolveTemporalArith(a, 1); },
      "+(DATE, INTEGER), +(DATE|TIMESTAMP, INTERVAL), +(INTERVAL, INTERVAL)");
  r.AddScalar(
      "-", [](const std::vector<ExprPtr>& a) { return ResolveTemporalArith(a, -1); },
      "-(DATE, DATE), -(DATE, INTEGER), -(DATE|TIMESTAMP, INTERVAL), -(TIMESTAMP, TIMESTAMP)");
  for (const char* name : {"date_part", "extract", "datepart"}) {
    r.AddScalar(name, ResolveDatePart, std::string(name) + "(VARCHAR constant, DATE|TIMESTAMP)");
  }
  for (const char* name : {"date_trunc", "datetrunc"}) {
    r.AddScalar(name, ResolveDateTrunc, std::string(name) + "(VARCHAR constant, DATE|TIMESTAMP)");
  }
  for (const char* name : {"date_diff", "datediff"}) {
    r.AddScalar(name, ResolveDateDiff,
                std::string(name) + "(VARCHAR constant, DATE|TIMESTAMP, DATE|TIMESTAMP)");
  }
  r.AddScalar(
      "date_add", [](const std::vector<ExprPtr>& a) { return ResolveTemporalArith(a, 1); },
      "date_add(DATE|TIMESTAMP, INTERVAL)");
  RegisterParts(r);
  r.AddScalar(
      "make_date",
      kernel::FixedSignature(
          {kBigInt, kBigInt, kBigInt}, kDate,
          [](const std::vector<ColumnPtr>& cols, size_t n) {
            kernel::ArgReader y(*cols[0]), m(*cols[1]), d(*cols[2]);
            return kernel::RowExec(kDate, cols, n, [&](size_t i, Column& out) {
              const int64_t yy = y.Get<int64_t>(i), mm = m.Get<int64_t>(i), dd = d.Get<int64_t>(i);
              if (mm < 1 || mm > 12 || dd < 1 || yy < -290000 || yy > 290000 ||
                  dd > DaysInMonth(static_cast<int32_t>(yy), static_cast<int32_t>(mm))) {
                throw ConversionError(fmt::format("Date out of range: {}-{}-{}", yy, mm, dd));
              }
              out.data<int32_t>()[i] = DaysFromCivil(
                  static_cast<int32_t>(yy), static_cast<int32_t>(mm), static_cast<int32_t>(dd));
              return true;
            });
          }),
      "make_date(BIGINT, BIGINT, BIGINT)");
  r.AddScalar("last_day",
              kernel::FixedSignature(
                  {kDate}, kDate,
                  TemporalUnary<int32_t>(kDate, kDate, 0,
                                         [](int64_t m) {
                                           const CivilDate c = CivilFromDays(
                                               static_cast<int32_t>(FloorDiv(m, kMicrosPerDay)));
                                           return DaysFromCivil(c.year, c.month,
                                                                DaysInMonth(c.year, c.month));
                                         })),
              "last_day(DATE)");
  for (const char* name : {"current_date", "today"}) {
    r.AddScalar(name,
                kernel::FixedSignature(
                    {}, kDate,
                    [](const std::vector<ColumnPtr>&, size_t n) {
                      return Column::MakeConstant(
                          kDate,
                          Value::Date(static_cast<int32_t>(FloorDiv(NowMicros(), kMicrosPerDay))),
                          n);
                    }),
                std::string(name) + "()");
  }
  for (const char* name : {"now", "current_timestamp", "get_current_timestamp"}) {
    r.AddScalar(name,
                kernel::FixedSignature({}, kTimestamp,
                                       [](const std::vector<ColumnPtr>&, size_t n) {
                                         return Column::MakeConstant(
                                             kTimestamp, Value::Timestamp(NowMicros()), n);
                                       }),
                std::string(name) + "()");
  }
  r.AddScalar("to_timestamp",
              kernel::FixedSignature({kDouble}, kTimestamp,
                                     [](const std::vector<ColumnPtr>& cols, size_t n) {
                                       return kernel::UnaryExec<double, int64_t>(
                                           kTimestamp, cols[0], n,
                                           [](double s, int64_t& r) {
                                             const double us = std::round(s * kMicrosPerSecond);
                                             if (!(us > -9.2e18 && us < 9.2e18)) return false;
                                             r = static_cast<int64_t>(us);
                                             return true;
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
                                           [](int64_t ms, int64_t& r) {
                                             return !__builtin_mul_overflow(ms, int64_t{1000}, &r);
                                           },
                                           [](Column&, size_t, int64_t ms) {
                                             throw ConversionError(
                                                 fmt::format("Timestamp out of range: {} ms", ms));
                                           });
                                     }),
              "epoch_ms(BIGINT)");
  r.AddScalar(
      "epoch_ms",
      kernel::FixedSignature({kTimestamp}, kBigInt,
                             TemporalUnary<int64_t>(kTimestamp, kBigInt, 0,
                                                    [](int64_t m) { return FloorDiv(m, 1000); })),
      "epoch_ms(TIMESTAMP)");
  r.AddScalar("epoch",
              kernel::FixedSignature({kTimestamp}, kDouble,
                                     TemporalUnary<double>(kTimestamp, kDouble, 0,
                                                           [](int64_t m) {
                                                             return static_cast<double>(m) /
                                                                    kMicrosPerSecond;
                                                           })),
              "epoch(TIMESTAMP)");
  r.AddScalar("strftime", ResolveStrftime, "strftime(DATE|TIMESTAMP, VARCHAR)");
}

}  // namespace sluice
