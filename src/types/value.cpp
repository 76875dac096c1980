#include "types/value.h"

#include <cmath>

#include <fmt/format.h>

#include "types/cast_ops.h"
#include "types/date_time.h"
#include "types/decimal.h"

namespace sluice {

Value Value::Boolean(bool b) {
  Value v;
  v.type_ = TypeId::kBoolean;
  v.is_null_ = false;
  v.int_ = b ? 1 : 0;
  return v;
}

#define SLUICE_INT_VALUE(Name, CType, Id) \
  Value Value::Name(CType x) {            \
    Value v;                              \
    v.type_ = TypeId::Id;                 \
    v.is_null_ = false;                   \
    v.int_ = x;                           \
    return v;                             \
  }
SLUICE_INT_VALUE(TinyInt, int8_t, kTinyInt)
SLUICE_INT_VALUE(SmallInt, int16_t, kSmallInt)
SLUICE_INT_VALUE(Integer, int32_t, kInteger)
SLUICE_INT_VALUE(BigInt, int64_t, kBigInt)
SLUICE_INT_VALUE(Date, int32_t, kDate)
SLUICE_INT_VALUE(Timestamp, int64_t, kTimestamp)
SLUICE_INT_VALUE(Time, int64_t, kTime)
#undef SLUICE_INT_VALUE

Value Value::Double(double x) {
  Value v;
  v.type_ = TypeId::kDouble;
  v.is_null_ = false;
  v.double_ = x;
  return v;
}

Value Value::Decimal(int128_t unscaled, int precision, int scale) {
  Value v;
  v.type_ = LogicalType::Decimal(precision, scale);
  v.is_null_ = false;
  v.int_ = unscaled;
  return v;
}

Value Value::Varchar(std::string s) {
  Value v;
  v.type_ = TypeId::kVarchar;
  v.is_null_ = false;
  v.string_ = std::move(s);
  return v;
}

Value Value::IntervalValue(const Interval& interval) {
  Value v;
  v.type_ = TypeId::kInterval;
  v.is_null_ = false;
  v.interval_ = interval;
  return v;
}

std::string Value::ToString() const {
  if (is_null_) return "NULL";
  switch (type_.id()) {
    case TypeId::kNull: return "NULL";
    case TypeId::kBoolean: return int_ != 0 ? "true" : "false";
    case TypeId::kTinyInt:
    case TypeId::kSmallInt:
    case TypeId::kInteger:
    case TypeId::kBigInt: return std::to_string(static_cast<int64_t>(int_));
    case TypeId::kDouble: return FormatDouble(double_);
    case TypeId::kDecimal: return FormatDecimal(int_, type_.scale());
    case TypeId::kVarchar: return string_;
    case TypeId::kDate: return FormatDate(static_cast<int32_t>(int_));
    case TypeId::kTimestamp: return FormatTimestamp(static_cast<int64_t>(int_));
    case TypeId::kInterval: return FormatInterval(interval_);
    case TypeId::kTime: return FormatTime(static_cast<int64_t>(int_));
  }
  return "?";
}

std::string Value::ToSqlLiteral() const {
  if (is_null_) return "NULL";
  switch (type_.id()) {
    case TypeId::kVarchar: {
      std::string out = "'";
      for (char c : string_) {
        if (c == '\'') out += '\'';
        out += c;
      }
      return out + "'";
    }
    case TypeId::kDate: return "DATE '" + ToString() + "'";
    case TypeId::kTimestamp: return "TIMESTAMP '" + ToString() + "'";
    case TypeId::kTime: return "TIME '" + ToString() + "'";
    case TypeId::kInterval: return "INTERVAL '" + ToString() + "'";
    case TypeId::kDouble: {
      std::string s = ToString();
      if (std::isfinite(double_)) return s;
      return "'" + s + "'::DOUBLE";
    }
    default: return ToString();
  }
}

bool operator==(const Value& a, const Value& b) {
  if (a.is_null_ || b.is_null_) return a.is_null_ == b.is_null_;
  if (!(a.type_ == b.type_)) return false;
  switch (a.type_.id()) {
    case TypeId::kDouble: return a.double_ == b.double_ || (std::isnan(a.double_) && std::isnan(b.double_));
    case TypeId::kVarchar: return a.string_ == b.string_;
    case TypeId::kInterval: return a.interval_ == b.interval_;
    default: return a.int_ == b.int_;
  }
}

}  // namespace sluice
