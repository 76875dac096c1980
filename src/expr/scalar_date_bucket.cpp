// time_bucket(width, t [, origin | offset]): the start of the bucket of `width` that holds
// DATE, TIMESTAMP or TIMESTAMPTZ `t`, as DuckDB computes it. Buckets of days and smaller
// units are counted from the origin 2000-01-03 00:00 (a Monday, so weeks start on Mondays);
// buckets of months from 2000-01-01. A third argument moves the origin (a value of t's type)
// or shifts every bucket by an INTERVAL. TIMESTAMPTZ values are bucketed in UTC.
#include <optional>
#include <vector>

#include "common/error.h"
#include "expr/datetime_kernels.h"
#include "types/interval.h"

namespace sluice::datetime {

namespace {

const LogicalType kTimestampTz = TypeId::kTimestampTz;

// 2000-01-03 00:00 and 2000-01-01 00:00 in microseconds since the epoch.
constexpr int64_t kDayOrigin = 10959 * kMicrosPerDay;
constexpr int64_t kMonthOrigin = 10957 * kMicrosPerDay;

// How a call's third argument moves its buckets.
enum class Shift { kNone, kOrigin, kOffset };

void CheckWidth(const Interval& width) {
  if (width.months != 0 && (width.days != 0 || width.micros != 0)) {
    throw InvalidInputError("time_bucket: month intervals cannot have day or time component");
  }
  if (width.months < 0 || width.days < 0 || width.micros < 0 ||
      (width.months == 0 && width.days == 0 && width.micros == 0)) {
    throw InvalidInputError("time_bucket: Period must be greater than 0");
  }
}

// The bucket start of `micros` for buckets of `width` counted from `origin` (micros).
std::optional<int64_t> Bucket(const Interval& width, int64_t micros, int64_t origin) {
  if (width.months == 0) {
    __int128 step = static_cast<__int128>(width.days) * kMicrosPerDay + width.micros;
    if (step > INT64_MAX) return origin;  // one bucket holds every timestamp
    const int64_t w = static_cast<int64_t>(step);
    __int128 since = static_cast<__int128>(micros) - origin;
    __int128 k = since / w;
    if (since % w < 0) k--;
    const __int128 start = origin + k * w;
    if (start < INT64_MIN || start > INT64_MAX) return std::nullopt;
    return static_cast<int64_t>(start);
  }
  const CivilDate t = CivilFromDays(static_cast<int32_t>(FloorDiv(micros, kMicrosPerDay)));
  const CivilDate o = CivilFromDays(static_cast<int32_t>(FloorDiv(origin, kMicrosPerDay)));
  const int64_t months = (int64_t{t.year} - o.year) * 12 + (t.month - o.month);
  const int64_t k = FloorDiv(months, width.months);
  const std::optional<int64_t> days =
      AddMonthsAndDays(FloorDiv(origin, kMicrosPerDay), k * width.months, 0);
  if (!days) return std::nullopt;
  return DateToTimestamp(*days);
}

ScalarKernel TimeBucketKernel(const LogicalType& type, Shift shift) {
  return [type, shift](const std::vector<ColumnPtr>& args, size_t n) {
    kernel::ArgReader width(*args[0]), value(*args[1]);
    std::optional<kernel::ArgReader> third;
    if (shift != Shift::kNone) third.emplace(*args[2]);
    const bool is_date = type.id() == TypeId::kDate;
    return kernel::RowExec(type, args, n, [&](size_t i, Column& out) {
      const Interval& w = width.Get<Interval>(i);
      CheckWidth(w);
      int64_t t = is_date ? value.Get<int32_t>(i) * kMicrosPerDay : value.Get<int64_t>(i);
      int64_t origin = w.months == 0 ? kDayOrigin : kMonthOrigin;
      Interval offset;
      if (shift == Shift::kOrigin) {
        origin = is_date ? third->Get<int32_t>(i) * kMicrosPerDay : third->Get<int64_t>(i);
      } else if (shift == Shift::kOffset) {
        offset = third->Get<Interval>(i);
        const std::optional<int64_t> moved = AddIntervalToTimestamp(t, NegateInterval(offset));
        if (!moved) ThrowTimestampRange();
        t = *moved;
      }
      std::optional<int64_t> start = Bucket(w, t, origin);
      if (start && shift == Shift::kOffset) start = AddIntervalToTimestamp(*start, offset);
      if (!start) ThrowTimestampRange();
      if (is_date) {
        out.data<int32_t>()[i] = static_cast<int32_t>(FloorDiv(*start, kMicrosPerDay));
      } else {
        out.data<int64_t>()[i] = *start;
      }
      return true;
    });
  };
}

}  // namespace

void RegisterTimeBucketFunctions(FunctionRegistry& r) {
  r.AddScalar(
      "time_bucket",
      [](const std::vector<ExprPtr>& a) -> std::optional<BoundScalar> {
        if (a.size() < 2 || a.size() > 3) return std::nullopt;
        for (const LogicalType& type : {kDate, kTimestamp, kTimestampTz}) {
          std::vector<LogicalType> params{kInterval, type};
          Shift shift = Shift::kNone;
          if (a.size() == 3) {
            shift = a[2]->type.id() == TypeId::kInterval ? Shift::kOffset : Shift::kOrigin;
            params.push_back(shift == Shift::kOffset ? kInterval : type);
          }
          bool ok = true;
          for (size_t i = 0; i < a.size() && ok; i++) ok = kernel::ImplicitlyCastable(*a[i], params[i]);
          if (ok) return BoundScalar{type, std::move(params), TimeBucketKernel(type, shift)};
        }
        return std::nullopt;
      },
      "time_bucket(INTERVAL, DATE|TIMESTAMP|TIMESTAMPTZ [, origin | INTERVAL offset])");
}

}  // namespace sluice::datetime
