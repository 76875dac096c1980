// The date/time forms of + - * / and the registration of every date/time function.
//
// Following DuckDB: DATE + INTEGER adds days (DATE); DATE - DATE is a BIGINT day count;
// DATE +/- INTERVAL and TIMESTAMP +/- INTERVAL give TIMESTAMP; TIMESTAMP - TIMESTAMP is an
// INTERVAL (days and micros); DATE + TIME is a TIMESTAMP; TIME +/- INTERVAL adds the interval's
// micros and wraps around midnight (its months and days are ignored); INTERVAL * number and
// INTERVAL / number carry a fraction of a month into days (30 to the month) and of a day into
// micros. Every result is checked: a value outside the DATE, TIMESTAMP or INTERVAL range is an
// error, never a wrapped number.
#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "common/error.h"
#include "expr/datetime_kernels.h"
#include "expr/scalar_functions.h"
#include "types/interval.h"

namespace sluice {

namespace datetime {

void ThrowTimestampRange() { throw ConversionError("Date and time not in timestamp range"); }

}  // namespace datetime

namespace {

using namespace datetime;  // NOLINT: the shared date/time names of this module

template <typename A, typename B, typename R, typename Op, typename Fail>
ScalarKernel Binary(LogicalType result, Op op, Fail fail) {
  return [result, op, fail](const std::vector<ColumnPtr>& cols, size_t n) {
    return kernel::BinaryExec<A, B, R>(result, cols[0], cols[1], n, op, fail);
  };
}

const auto kDateRangeFail = [](Column&, size_t, const auto&, const auto&) {
  throw OutOfRangeError("Date out of range");
};
const auto kTimestampRangeFail = [](Column&, size_t, const auto&, const auto&) {
  ThrowTimestampRange();
};
const auto kNeverFails = kernel::NullOnFail();

// DATE + days, checked against the DATE range.
bool AddDays(int32_t d, int64_t k, int32_t& r) {
  const int64_t v = int64_t{d} + k;
  if (v < kMinDate || v > kMaxDate) return false;
  r = static_cast<int32_t>(v);
  return true;
}

// A DATE or TIMESTAMP plus an interval, as a TIMESTAMP.
template <typename T>
bool AddToTemporal(T t, const Interval& i, int64_t& r) {
  std::optional<int64_t> base = std::is_same_v<T, int32_t> ? DateToTimestamp(t) : t;
  if (!base) return false;
  std::optional<int64_t> v = AddIntervalToTimestamp(*base, i);
  if (!v) return false;
  r = *v;
  return true;
}

std::optional<BoundScalar> TemporalPlusInterval(const LogicalType& a, bool interval_first,
                                                int sign) {
  return ForTemporal(a, [&](auto tag) -> std::optional<BoundScalar> {
    using T = decltype(tag);
    if (interval_first) {
      return BoundScalar{kTimestamp, {kInterval, a},
                         Binary<Interval, T, int64_t>(
                             kTimestamp,
                             [](const Interval& i, T t, int64_t& r) {
                               return AddToTemporal(t, i, r);
                             },
                             kTimestampRangeFail)};
    }
    return BoundScalar{kTimestamp, {a, kInterval},
                       Binary<T, Interval, int64_t>(
                           kTimestamp,
                           [sign](T t, const Interval& i, int64_t& r) {
                             return AddToTemporal(t, sign > 0 ? i : NegateInterval(i), r);
                           },
                           kTimestampRangeFail)};
  });
}

// TIME plus signed interval micros, wrapped into [0, 24:00:00).
int64_t AddToTime(int64_t t, const Interval& i, int sign) {
  const int64_t shift = FloorMod(i.micros, kMicrosPerDay);
  return FloorMod(t + sign * shift, kMicrosPerDay);
}

// The TIME overloads: DATE + TIME, TIME + DATE, TIME +/- INTERVAL, INTERVAL + TIME.
std::optional<BoundScalar> ResolveTimeArith(TypeId x, TypeId y, int sign) {
  const LogicalType time = TypeId::kTime;
  const auto date_plus_time = [](int32_t d, int64_t t, int64_t& r) {
    const std::optional<int64_t> base = DateToTimestamp(d);
    return base && !__builtin_add_overflow(*base, t, &r) && IsValidTimestamp(r);
  };
  if (sign > 0 && x == TypeId::kDate && y == TypeId::kTime) {
    return BoundScalar{
        kTimestamp,
        {kDate, time},
        Binary<int32_t, int64_t, int64_t>(kTimestamp, date_plus_time, kTimestampRangeFail)};
  }
  if (sign > 0 && x == TypeId::kTime && y == TypeId::kDate) {
    return BoundScalar{
        kTimestamp,
        {time, kDate},
        Binary<int64_t, int32_t, int64_t>(
            kTimestamp,
            [date_plus_time](int64_t t, int32_t d, int64_t& r) { return date_plus_time(d, t, r); },
            kTimestampRangeFail)};
  }
  if (x == TypeId::kTime && y == TypeId::kInterval) {
    return BoundScalar{time,
                       {time, kInterval},
                       Binary<int64_t, Interval, int64_t>(
                           time,
                           [sign](int64_t t, const Interval& i, int64_t& r) {
                             r = AddToTime(t, i, sign);
                             return true;
                           },
                           kNeverFails)};
  }
  if (sign > 0 && x == TypeId::kInterval && y == TypeId::kTime) {
    return BoundScalar{time,
                       {kInterval, time},
                       Binary<Interval, int64_t, int64_t>(
                           time,
                           [](const Interval& i, int64_t t, int64_t& r) {
                             r = AddToTime(t, i, 1);
                             return true;
                           },
                           kNeverFails)};
  }
  return std::nullopt;
}

// The date/time overloads of + (sign 1) and - (sign -1).
std::optional<BoundScalar> ResolveTemporalArith(const std::vector<ExprPtr>& args, int sign) {
  if (args.size() != 2) return std::nullopt;
  LogicalType a = args[0]->type, b = args[1]->type;
  if (!a.IsTemporal() && !b.IsTemporal()) return std::nullopt;
  if (a.id() == TypeId::kNull) a = b.id() == TypeId::kInterval ? kInterval : kInteger;
  if (b.id() == TypeId::kNull) b = a.id() == TypeId::kInterval ? kInterval : kInteger;
  const TypeId x = a.id(), y = b.id();
  if (x == TypeId::kTime || y == TypeId::kTime) return ResolveTimeArith(x, y, sign);
  if (x == TypeId::kDate && b.IsInteger()) {
    return BoundScalar{kDate, {kDate, kBigInt},
                       Binary<int32_t, int64_t, int32_t>(
                           kDate,
                           [sign](int32_t d, int64_t k, int32_t& r) {
                             // k is at most 2^63 - 1 in magnitude, so sign * k cannot wrap
                             // except for INT64_MIN, which AddDays rejects via the range.
                             if (k == std::numeric_limits<int64_t>::min()) return false;
                             return AddDays(d, sign * k, r);
                           },
                           kDateRangeFail)};
  }
  if (sign > 0 && a.IsInteger() && y == TypeId::kDate) {
    return BoundScalar{kDate, {kBigInt, kDate},
                       Binary<int64_t, int32_t, int32_t>(
                           kDate,
                           [](int64_t k, int32_t d, int32_t& r) {
                             if (k == std::numeric_limits<int64_t>::min()) return false;
                             return AddDays(d, k, r);
                           },
                           kDateRangeFail)};
  }
  if (sign < 0 && x == TypeId::kDate && y == TypeId::kDate) {
    return BoundScalar{kBigInt, {kDate, kDate},
                       Binary<int32_t, int32_t, int64_t>(
                           kBigInt,
                           [](int32_t p, int32_t q, int64_t& r) {
                             r = int64_t{p} - q;
                             return true;
                           },
                           kNeverFails)};
  }
  if (IsDateOrTimestamp(a) && y == TypeId::kInterval) return TemporalPlusInterval(a, false, sign);
  if (sign > 0 && x == TypeId::kInterval && IsDateOrTimestamp(b)) {
    return TemporalPlusInterval(b, true, sign);
  }
  if (sign < 0 && IsDateOrTimestamp(a) && IsDateOrTimestamp(b)) {
    return BoundScalar{kInterval, {kTimestamp, kTimestamp},
                       Binary<int64_t, int64_t, Interval>(
                           kInterval,
                           [](int64_t p, int64_t q, Interval& r) {
                             int64_t d;
                             if (__builtin_sub_overflow(p, q, &d)) return false;
                             const int64_t days = d / kMicrosPerDay;
                             if (days < std::numeric_limits<int32_t>::min() ||
                                 days > std::numeric_limits<int32_t>::max()) {
                               return false;
                             }
                             r = Interval{0, static_cast<int32_t>(days), d % kMicrosPerDay};
                             return true;
                           },
                           [](Column&, size_t, int64_t, int64_t) {
                             throw ConversionError("Timestamp difference is out of bounds");
                           })};
  }
  if (x == TypeId::kInterval && y == TypeId::kInterval) {
    return BoundScalar{kInterval, {kInterval, kInterval},
                       Binary<Interval, Interval, Interval>(
                           kInterval,
                           [sign](const Interval& p, const Interval& q, Interval& r) {
                             r = sign > 0 ? AddIntervals(p, q) : SubtractIntervals(p, q);
                             return true;
                           },
                           kNeverFails)};
  }
  return std::nullopt;
}

[[noreturn]] void ThrowIntervalRange() { throw OutOfRangeError("interval value is out of range"); }

// months, days and micros scaled by `factor` in double arithmetic, as DuckDB: a fraction of a
// month carries into days (30 to the month) and a fraction of a day into micros, rounded
// half to even; throws when a field leaves its range.
Interval ScaleInterval(const Interval& v, double factor) {
  if (!std::isfinite(factor)) ThrowIntervalRange();
  const double months = v.months * factor;
  const double whole_months = std::trunc(months);
  const double days = v.days * factor + (months - whole_months) * 30;
  const double whole_days = std::trunc(days);
  const double micros = std::nearbyint(static_cast<double>(v.micros) * factor) +
                       std::nearbyint((days - whole_days) * kMicrosPerDay);
  if (std::fabs(whole_months) > std::numeric_limits<int32_t>::max() ||
      std::fabs(whole_days) > std::numeric_limits<int32_t>::max() || std::fabs(micros) >= 9.2e18) {
    ThrowIntervalRange();
  }
  return Interval{static_cast<int32_t>(whole_months), static_cast<int32_t>(whole_days),
                  static_cast<int64_t>(micros)};
}

Interval MultiplyInterval(const Interval& v, int64_t k) {
  int32_t months, days;
  int64_t micros;
  if (k < std::numeric_limits<int32_t>::min() || k > std::numeric_limits<int32_t>::max() ||
      __builtin_mul_overflow(v.months, static_cast<int32_t>(k), &months) ||
      __builtin_mul_overflow(v.days, static_cast<int32_t>(k), &days) ||
      __builtin_mul_overflow(v.micros, k, &micros)) {
    ThrowIntervalRange();
  }
  return Interval{months, days, micros};
}

// INTERVAL / integer: the interval scaled by 1/k (DuckDB's rounding); NULL for k = 0.
bool DivideInterval(const Interval& v, int64_t k, Interval& r) {
  if (k == 0) return false;
  r = ScaleInterval(v, 1.0 / static_cast<double>(k));
  return true;
}

std::optional<BoundScalar> ResolveIntervalScale(const std::vector<ExprPtr>& args, bool divide) {
  if (args.size() != 2) return std::nullopt;
  const bool first = args[0]->type.id() == TypeId::kInterval;
  const bool second = args[1]->type.id() == TypeId::kInterval;
  if (first == second || (divide && !first)) return std::nullopt;
  const LogicalType other = first ? args[1]->type : args[0]->type;
  if (!other.IsNumeric() && other.id() != TypeId::kNull) return std::nullopt;
  const bool integral = other.IsInteger() || other.id() == TypeId::kNull;
  const LogicalType num = integral ? kBigInt : kDouble;
  ScalarKernel k;
  if (integral) {
    k = [divide, first](const std::vector<ColumnPtr>& cols, size_t n) {
      const ColumnPtr& iv = cols[first ? 0 : 1];
      const ColumnPtr& nv = cols[first ? 1 : 0];
      return kernel::BinaryExec<Interval, int64_t, Interval>(
          kInterval, iv, nv, n,
          [divide](const Interval& v, int64_t x, Interval& r) {
            if (divide) return DivideInterval(v, x, r);
            r = MultiplyInterval(v, x);
            return true;
          },
          kernel::NullOnFail());  // only division by zero fails: NULL, as DuckDB gives
    };
  } else {
    k = [divide, first](const std::vector<ColumnPtr>& cols, size_t n) {
      return kernel::BinaryExec<Interval, double, Interval>(
          kInterval, cols[first ? 0 : 1], cols[first ? 1 : 0], n,
          [divide](const Interval& v, double x, Interval& r) {
            if (divide && x == 0) return false;
            r = ScaleInterval(v, divide ? 1.0 / x : x);
            return true;
          },
          kernel::NullOnFail());
    };
  }
  std::vector<LogicalType> types = first ? std::vector<LogicalType>{kInterval, num}
                                         : std::vector<LogicalType>{num, kInterval};
  return BoundScalar{kInterval, std::move(types), std::move(k)};
}

}  // namespace

void RegisterDateTimeFunctions(FunctionRegistry& r) {
  r.AddScalar(
      "+", [](const std::vector<ExprPtr>& a) { return ResolveTemporalArith(a, 1); },
      "+(DATE, INTEGER), +(DATE|TIMESTAMP, INTERVAL), +(INTERVAL, INTERVAL)");
  r.AddScalar(
      "-", [](const std::vector<ExprPtr>& a) { return ResolveTemporalArith(a, -1); },
      "-(DATE, DATE), -(DATE, INTEGER), -(DATE|TIMESTAMP, INTERVAL), -(TIMESTAMP, TIMESTAMP)");
  r.AddScalar(
      "*", [](const std::vector<ExprPtr>& a) { return ResolveIntervalScale(a, false); },
      "*(INTERVAL, NUMERIC), *(NUMERIC, INTERVAL)");
  r.AddScalar(
      "/", [](const std::vector<ExprPtr>& a) { return ResolveIntervalScale(a, true); },
      "/(INTERVAL, NUMERIC)");
  r.AddScalar(
      "date_add", [](const std::vector<ExprPtr>& a) { return ResolveTemporalArith(a, 1); },
      "date_add(DATE|TIMESTAMP, INTERVAL)");
  datetime::RegisterDatePartFunctions(r);
  datetime::RegisterDateMakeFunctions(r);
  datetime::RegisterDateFormatFunctions(r);
  datetime::RegisterTimeBucketFunctions(r);
}

}  // namespace sluice
