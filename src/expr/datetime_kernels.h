#pragma once

#include <optional>
#include <vector>

#include "expr/date_part.h"
#include "expr/kernel_util.h"
#include "types/date_time.h"

// Shared by the date/time kernels (scalar_datetime*.cpp): the temporal types, reading a DATE
// or TIMESTAMP argument as a DayTime, and the registration of each family. Internal to expr/.
namespace sluice::datetime {

inline const LogicalType kDate = TypeId::kDate;
inline const LogicalType kTimestamp = TypeId::kTimestamp;
inline const LogicalType kInterval = TypeId::kInterval;
inline const LogicalType kTime = TypeId::kTime;
inline const LogicalType kBigInt = TypeId::kBigInt;
inline const LogicalType kInteger = TypeId::kInteger;
inline const LogicalType kDouble = TypeId::kDouble;
inline const LogicalType kVarchar = TypeId::kVarchar;

inline bool IsDateOrTimestamp(const LogicalType& t) {
  return t.id() == TypeId::kDate || t.id() == TypeId::kTimestamp;
}

// The DayTime of a DATE (int32 days) or TIMESTAMP (int64 micros) value.
inline DayTime ToDayTime(int32_t days) { return DayTime::FromDate(days); }
inline DayTime ToDayTime(int64_t micros) { return DayTime::FromTimestamp(micros); }

// Calls fn(T{}) with int32_t for DATE and int64_t for TIMESTAMP and TIME (a TIME read as a
// TIMESTAMP is that time on 1970-01-01, so its DayTime has the right time parts).
template <typename Fn>
auto ForTemporal(const LogicalType& t, Fn fn) {
  if (t.id() == TypeId::kDate) return fn(int32_t{});
  return fn(int64_t{});
}

[[noreturn]] void ThrowTimestampRange();

// A kernel over the DATE/TIMESTAMP argument `arg` of a call: out = fn(DayTime, R&) -> bool,
// false throwing "Date and time not in timestamp range". Other arguments are ignored (they
// are constants the resolver already read).
template <typename R, typename Fn>
ScalarKernel DayTimeKernel(const LogicalType& arg_type, const LogicalType& result, size_t arg,
                           Fn fn) {
  return ForTemporal(arg_type, [&](auto tag) -> ScalarKernel {
    using T = decltype(tag);
    return [result, arg, fn](const std::vector<ColumnPtr>& cols, size_t n) {
      return kernel::UnaryExec<T, R>(
          result, cols[arg], n, [&](T v, R& r) { return fn(ToDayTime(v), r); },
          [](Column&, size_t, T) { ThrowTimestampRange(); });
    };
  });
}

void RegisterDatePartFunctions(FunctionRegistry& r);  // date_part, date_trunc, date_diff, age
void RegisterDateMakeFunctions(FunctionRegistry& r);  // make_*, epoch*, to_*, names, now
void RegisterDateFormatFunctions(FunctionRegistry& r);  // strftime, strptime
void RegisterTimeBucketFunctions(FunctionRegistry& r);  // time_bucket

}  // namespace sluice::datetime
