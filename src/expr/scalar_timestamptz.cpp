// TIMESTAMPTZ overloads, computed in the session zone as DuckDB's ICU functions are: the
// calendar functions (date_part, date_trunc, date_diff, age, strftime, ...) see the local
// wall-clock time of each instant; + INTERVAL adds months and days on the local calendar and
// micros in absolute time; epoch and the timezone parts read the instant itself; timezone()
// (AT TIME ZONE) converts to and from a named zone.
#include <fmt/format.h>

#include "common/error.h"
#include "common/strings.h"
#include "expr/datetime_kernels.h"
#include "expr/scalar_functions.h"
#include "expr/strftime_format.h"
#include "types/timestamp_tz.h"

namespace sluice {

namespace {

using datetime::kBigInt;
using datetime::kInterval;
using datetime::kTimestamp;
using datetime::kVarchar;
const LogicalType kTimestampTz = TypeId::kTimestampTz;

[[noreturn]] void ThrowRange() { datetime::ThrowTimestampRange(); }

// Each row of a TIMESTAMPTZ column as a TIMESTAMP: its local time in the session zone, or
// (raw) the UTC wall-clock time, for functions of the instant such as epoch.
ColumnPtr ToTimestamp(const ColumnPtr& c, size_t n, bool raw) {
  const TimeZone& zone = raw ? TimeZone::Utc() : CurrentTimeZone();
  return kernel::UnaryExec<int64_t, int64_t>(
      kTimestamp, c, n,
      [&zone](int64_t t, int64_t& r) {
        const std::optional<int64_t> v = UtcToLocal(t, zone);
        r = v.value_or(0);
        return v.has_value();
      },
      [](Column&, size_t, int64_t) { ThrowRange(); });
}

// The instant of each local TIMESTAMP in the session zone.
ColumnPtr ToInstant(const ColumnPtr& c, size_t n) {
  const TimeZone& zone = CurrentTimeZone();
  return kernel::UnaryExec<int64_t, int64_t>(
      kTimestampTz, c, n,
      [&zone](int64_t t, int64_t& r) {
        const std::optional<int64_t> v = LocalToUtc(t, zone);
        r = v.value_or(0);
        return v.has_value();
      },
      [](Column&, size_t, int64_t) { ThrowRange(); });
}

// Resolves `name` for arguments with TIMESTAMPTZ ones read as TIMESTAMPs (local or raw, see
// ToTimestamp); with `instant` a TIMESTAMP result is the local time of an instant.
std::optional<BoundScalar> Rebind(const std::string& name, const std::vector<ExprPtr>& args,
                                  bool raw, bool instant) {
  std::vector<ExprPtr> local = args;
  std::vector<size_t> positions;
  for (size_t i = 0; i < args.size(); i++) {
    if (args[i]->type.id() != TypeId::kTimestampTz) continue;
    positions.push_back(i);
    auto copy = std::make_shared<Expr>(*args[i]);
    copy->type = kTimestamp;
    if (copy->kind == ExprKind::kLiteral && !copy->value.is_null()) {
      const std::optional<int64_t> v =
          raw ? std::optional<int64_t>(copy->value.GetInt()) : TzToTimestamp(copy->value.GetInt());
      if (!v) ThrowRange();
      copy->value = Value::Timestamp(*v);
    } else if (copy->kind == ExprKind::kLiteral) {
      copy->value = Value::Null(kTimestamp);
    }
    local[i] = copy;
  }
  if (positions.empty()) return std::nullopt;
  std::optional<BoundScalar> b;
  try {
    b = FunctionRegistry::Global().ResolveScalar(name, local);
  } catch (const BindError&) {
    return std::nullopt;
  }
  for (size_t i : positions) b->arg_types[i] = kTimestampTz;
  const bool back = instant && b->result_type.id() == TypeId::kTimestamp;
  if (back) b->result_type = kTimestampTz;
  ScalarKernel inner = std::move(b->kernel);
  b->kernel = [inner, positions, raw, back](const std::vector<ColumnPtr>& cols, size_t n) {
    std::vector<ColumnPtr> converted = cols;
    for (size_t i : positions) converted[i] = ToTimestamp(cols[i], n, raw);
    ColumnPtr out = inner(converted, n);
    return back ? ToInstant(out, n) : out;
  };
  return b;
}

ScalarResolver Local(std::string name, bool instant) {
  return [name = std::move(name), instant](const std::vector<ExprPtr>& args) {
    return Rebind(name, args, false, instant);
  };
}

ScalarResolver Raw(std::string name) {
  return [name = std::move(name)](const std::vector<ExprPtr>& args) {
    return Rebind(name, args, true, false);
  };
}

// A zone part of an instant: the session zone's offset in seconds, or its hours or minutes
// (both with the offset's sign), as DuckDB's timezone, timezone_hour, timezone_minute.
int64_t ZonePart(const std::string& part, int64_t utc) {
  const int32_t offset = CurrentTimeZone().OffsetAt(FloorDiv(utc, kMicrosPerSecond));
  if (part == "timezone_hour") return offset / 3600;
  if (part == "timezone_minute") return offset / 60 % 60;
  return offset;
}

std::optional<std::string> ZonePartName(const Value* v) {
  if (v == nullptr || v->type().id() != TypeId::kVarchar) return std::nullopt;
  const std::string part = ToLower(v->GetString());
  if (part == "timezone" || part == "timezone_hour" || part == "timezone_minute") return part;
  return std::nullopt;
}

ScalarKernel ZonePartKernel(const std::string& part, size_t arg) {
  return [part, arg](const std::vector<ColumnPtr>& cols, size_t n) {
    return kernel::UnaryExec<int64_t, int64_t>(
        kBigInt, cols[arg], n,
        [&part](int64_t t, int64_t& r) {
          r = ZonePart(part, t);
          return true;
        },
        kernel::NullOnFail());
  };
}

// date_part(part, TIMESTAMPTZ): the zone parts and epoch of the instant, the rest local.
ScalarResolver DatePartOf(std::string name) {
  return [name = std::move(name)](const std::vector<ExprPtr>& args) -> std::optional<BoundScalar> {
    if (args.size() != 2 || args[1]->type.id() != TypeId::kTimestampTz) return std::nullopt;
    const Value* part = kernel::LiteralArg(args, 0);
    if (const std::optional<std::string> zone = ZonePartName(part)) {
      return BoundScalar{kBigInt, {kVarchar, kTimestampTz}, ZonePartKernel(*zone, 1)};
    }
    const bool raw = part != nullptr && part->type().id() == TypeId::kVarchar &&
                     ToLower(part->GetString()) == "epoch";
    return Rebind(name, args, raw, false);
  };
}

// date_diff / date_sub: parts of a day and smaller count elapsed time (of the instants), larger
// ones the local calendar, as DuckDB's ICU functions do.
ScalarResolver DateDiffOf(std::string name) {
  return [name = std::move(name)](const std::vector<ExprPtr>& args) -> std::optional<BoundScalar> {
    const Value* part = kernel::LiteralArg(args, 0);
    bool raw = false;
    if (part != nullptr && part->type().id() == TypeId::kVarchar) {
      const std::optional<DatePart> found = FindDatePart(part->GetString());
      const DatePart p = found.value_or(DatePart::kYear);
      raw = p == DatePart::kHour || p == DatePart::kMinute ||
            p == DatePart::kSecond || p == DatePart::kMillisecond ||
            p == DatePart::kMicrosecond;
    }
    return Rebind(name, args, raw, false);
  };
}

// The session zone's offset ("+05:30") and name for %z and %Z, substituted into `format`.
std::string ZoneFormat(std::string_view format, int64_t utc) {
  std::string out;
  for (size_t i = 0; i < format.size(); i++) {
    if (format[i] == '%' && i + 1 < format.size()) {
      const char spec = format[i + 1];
      if (spec == 'z') {
        out += FormatUtcOffset(CurrentTimeZone().OffsetAt(FloorDiv(utc, kMicrosPerSecond)));
      } else if (spec == 'Z') {
        out += CurrentTimeZone().name();
      } else {
        out += format.substr(i, 2);
      }
      i++;
    } else {
      out += format[i];
    }
  }
  return out;
}

std::optional<BoundScalar> ResolveStrftime(const std::vector<ExprPtr>& args) {
  if (args.size() != 2 || args[0]->type.id() != TypeId::kTimestampTz ||
      !kernel::ImplicitlyCastable(*args[1], kVarchar)) {
    return std::nullopt;
  }
  if (const Value* v = kernel::LiteralArg(args, 1)) StrftimeFormat::Compile(v->ToString());
  ScalarKernel k = [](const std::vector<ColumnPtr>& cols, size_t n) {
    kernel::ArgReader t(*cols[0]), f(*cols[1]);
    const ColumnPtr local = ToTimestamp(cols[0], n, false);
    kernel::ArgReader l(*local);
    std::string buf;
    return kernel::RowExec(kVarchar, cols, n, [&](size_t i, Column& out) {
      const int64_t utc = t.Get<int64_t>(i);
      StrftimeFormat::Compile(ZoneFormat(f.Get<StringView>(i).view(), utc))
          .Format(l.Get<int64_t>(i), buf);
      out.data<StringView>()[i] = out.AddString(buf);
      return true;
    });
  };
  return BoundScalar{kVarchar, {kTimestampTz, kVarchar}, std::move(k)};
}

// TIMESTAMPTZ +/- INTERVAL: months and days on the local calendar, then micros.
bool AddInterval(int64_t utc, const Interval& i, int64_t& r) {
  const std::optional<int64_t> local = TzToTimestamp(utc);
  if (!local) return false;
  const std::optional<int64_t> moved = AddIntervalToTimestamp(*local, Interval{i.months, i.days, 0});
  if (!moved) return false;
  const std::optional<int64_t> instant = TimestampToTz(*moved);
  return instant && !__builtin_add_overflow(*instant, i.micros, &r) && IsValidTimestamp(r);
}

std::optional<BoundScalar> ResolveArith(const std::vector<ExprPtr>& args, int sign) {
  if (args.size() != 2) return std::nullopt;
  const TypeId x = args[0]->type.id(), y = args[1]->type.id();
  const bool tz_first = x == TypeId::kTimestampTz, tz_second = y == TypeId::kTimestampTz;
  if (!tz_first && !tz_second) return std::nullopt;
  if (tz_first && (y == TypeId::kInterval || y == TypeId::kNull)) {
    return BoundScalar{kTimestampTz, {kTimestampTz, kInterval},
                       [sign](const std::vector<ColumnPtr>& c, size_t n) {
                         return kernel::BinaryExec<int64_t, Interval, int64_t>(
                             kTimestampTz, c[0], c[1], n,
                             [sign](int64_t t, const Interval& i, int64_t& r) {
                               return AddInterval(t, sign > 0 ? i : NegateInterval(i), r);
                             },
                             [](Column&, size_t, int64_t, const Interval&) { ThrowRange(); });
                       }};
  }
  if (sign > 0 && tz_second && x == TypeId::kInterval) {
    return BoundScalar{kTimestampTz, {kInterval, kTimestampTz},
                       [](const std::vector<ColumnPtr>& c, size_t n) {
                         return kernel::BinaryExec<Interval, int64_t, int64_t>(
                             kTimestampTz, c[0], c[1], n,
                             [](const Interval& i, int64_t t, int64_t& r) {
                               return AddInterval(t, i, r);
                             },
                             [](Column&, size_t, const Interval&, int64_t) { ThrowRange(); });
                       }};
  }
  if (sign < 0) {
    // The difference of two instants, as ICU computes it: of their local times.
    return Rebind("-", args, false, false);
  }
  return std::nullopt;
}

// timezone(zone, TIMESTAMP) is the instant of that wall-clock time in `zone`;
// timezone(zone, TIMESTAMPTZ) the wall-clock time in `zone` of the instant.
std::optional<BoundScalar> ResolveTimezone(const std::vector<ExprPtr>& args) {
  if (args.size() != 2 || !kernel::ImplicitlyCastable(*args[0], kVarchar)) return std::nullopt;
  const TypeId t = args[1]->type.id();
  if (t != TypeId::kTimestamp && t != TypeId::kTimestampTz && t != TypeId::kDate) {
    return std::nullopt;
  }
  if (const Value* v = kernel::LiteralArg(args, 0)) TimeZone::Find(v->ToString());
  const bool to_local = t == TypeId::kTimestampTz;
  const LogicalType arg = to_local ? kTimestampTz : kTimestamp;
  const LogicalType result = to_local ? kTimestamp : kTimestampTz;
  ScalarKernel k = [to_local, result](const std::vector<ColumnPtr>& c, size_t n) {
    kernel::ArgReader zone(*c[0]);
    return kernel::BinaryExec<StringView, int64_t, int64_t>(
        result, c[0], c[1], n,
        [to_local](const StringView& z, int64_t v, int64_t& r) {
          const TimeZone& tz = TimeZone::Find(std::string(z.view()));
          const std::optional<int64_t> out = to_local ? UtcToLocal(v, tz) : LocalToUtc(v, tz);
          r = out.value_or(0);
          return out.has_value();
        },
        [](Column&, size_t, const StringView&, int64_t) { ThrowRange(); });
  };
  return BoundScalar{result, {kVarchar, arg}, std::move(k)};
}

}  // namespace

void RegisterTimestampTzFunctions(FunctionRegistry& r) {
  r.AddScalar("+", [](const std::vector<ExprPtr>& a) { return ResolveArith(a, 1); },
              "+(TIMESTAMPTZ, INTERVAL)");
  r.AddScalar("-", [](const std::vector<ExprPtr>& a) { return ResolveArith(a, -1); },
              "-(TIMESTAMPTZ, INTERVAL), -(TIMESTAMPTZ, TIMESTAMPTZ)");
  r.AddScalar("date_add", [](const std::vector<ExprPtr>& a) { return ResolveArith(a, 1); },
              "date_add(TIMESTAMPTZ, INTERVAL)");
  r.AddScalar("timezone", ResolveTimezone, "timezone(VARCHAR, TIMESTAMP|TIMESTAMPTZ)");
  for (const char* name : {"date_part", "extract", "datepart"}) {
    r.AddScalar(name, DatePartOf(name), std::string(name) + "(VARCHAR, TIMESTAMPTZ)");
  }
  for (const char* name : {"timezone_hour", "timezone_minute"}) {
    r.AddScalar(name,
                [part = std::string(name)](const std::vector<ExprPtr>& a) -> std::optional<BoundScalar> {
                  if (a.size() != 1 || a[0]->type.id() != TypeId::kTimestampTz) return std::nullopt;
                  return BoundScalar{kBigInt, {kTimestampTz}, ZonePartKernel(part, 0)};
                },
                std::string(name) + "(TIMESTAMPTZ)");
  }
  r.AddScalar("timezone",
              [](const std::vector<ExprPtr>& a) -> std::optional<BoundScalar> {
                if (a.size() != 1 || a[0]->type.id() != TypeId::kTimestampTz) return std::nullopt;
                return BoundScalar{kBigInt, {kTimestampTz}, ZonePartKernel("timezone", 0)};
              },
              "timezone(TIMESTAMPTZ)");
  for (const char* name : {"epoch", "epoch_ms", "epoch_us", "epoch_ns"}) {
    r.AddScalar(name, Raw(name), std::string(name) + "(TIMESTAMPTZ)");
  }
  for (const char* name : {"date_diff", "datediff", "date_sub", "datesub"}) {
    r.AddScalar(name, DateDiffOf(name), std::string(name) + "(VARCHAR, TIMESTAMPTZ, TIMESTAMPTZ)");
  }
  for (const char* name : {"date_trunc", "datetrunc"}) {
    r.AddScalar(name, Local(name, true), std::string(name) + "(VARCHAR, TIMESTAMPTZ)");
  }
  for (const char* name :
       {"age", "year", "month", "day", "hour",
        "minute", "second", "millisecond", "microsecond", "quarter", "week", "weekofyear",
        "dayofweek", "dayofyear", "dayofmonth", "isodow", "isoyear", "yearweek", "decade",
        "century", "millennium", "era", "julian", "dayname", "monthname", "last_day"}) {
    r.AddScalar(name, Local(name, false), std::string(name) + "(TIMESTAMPTZ)");
  }
  r.AddScalar("strftime", ResolveStrftime, "strftime(TIMESTAMPTZ, VARCHAR)");
}

}  // namespace sluice
