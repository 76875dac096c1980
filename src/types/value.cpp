#include "types/value.h"

#include <cctype>
#include <cmath>
#include <string_view>

#include <fmt/format.h>

#include "common/error.h"
#include "types/blob.h"
#include "types/cast_ops.h"
#include "types/date_time.h"
#include "types/decimal.h"
#include "types/timestamp_tz.h"

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
SLUICE_INT_VALUE(TimestampTz, int64_t, kTimestampTz)
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

Value Value::Blob(std::string bytes) {
  Value v = Varchar(std::move(bytes));
  v.type_ = TypeId::kBlob;
  return v;
}

Value Value::IntervalValue(const Interval& interval) {
  Value v;
  v.type_ = TypeId::kInterval;
  v.is_null_ = false;
  v.interval_ = interval;
  return v;
}

Value Value::List(const LogicalType& type, std::vector<Value> elements) {
  Value v;
  v.type_ = type;
  v.is_null_ = false;
  v.children_ = std::move(elements);
  return v;
}

Value Value::Struct(const LogicalType& type, std::vector<Value> fields) {
  // Both nested kinds keep their parts as children; `type` says which it is.
  return List(type, std::move(fields));
}

Value Value::Map(const LogicalType& type, const std::vector<Value>& keys,
                 const std::vector<Value>& values) {
  if (keys.size() != values.size()) {
    throw InvalidInputError("The map key list does not align with the map value list.");
  }
  std::vector<Value> entries;
  entries.reserve(keys.size());
  for (size_t i = 0; i < keys.size(); i++) {
    if (keys[i].is_null()) throw InvalidInputError("Map keys can not be NULL.");
    for (size_t j = 0; j < i; j++) {
      if (CompareValues(keys[i], keys[j]) == 0) throw InvalidInputError("Map keys must be unique.");
    }
    entries.push_back(Struct(type.ListChild(), {keys[i], values[i]}));
  }
  return List(type, std::move(entries));
}

namespace {

// A value inside a printed LIST or STRUCT, as DuckDB prints it: strings are bare unless
// empty, edged with spaces, spelling NULL, or holding a character that delimits nested
// values ('', 'a,b', 'NULL'); other values as ToString().
std::string NestedString(const Value& v) {
  if (v.is_null() || v.type().id() != TypeId::kVarchar) return v.ToString();
  const std::string& s = v.GetString();
  bool quote = s.empty() || std::isspace(static_cast<unsigned char>(s.front())) ||
               std::isspace(static_cast<unsigned char>(s.back()));
  if (s.size() == 4) {
    std::string lower;
    for (char c : s) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    quote |= lower == "null";
  }
  for (char c : s) {
    if (std::string_view("'\"(),:=[]{}").find(c) != std::string_view::npos) quote = true;
  }
  if (!quote) return s;
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\\';
    out += c;
  }
  return out + "'";
}

}  // namespace

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
    case TypeId::kBlob: return FormatBlob(string_);
    case TypeId::kTimestampTz:
      return FormatTimestampTz(static_cast<int64_t>(int_), CurrentTimeZone());
    case TypeId::kList: {
      std::string out = "[";
      for (size_t i = 0; i < children_.size(); i++) {
        if (i > 0) out += ", ";
        out += NestedString(children_[i]);
      }
      return out + "]";
    }
    case TypeId::kStruct: {
      std::string out = "{";
      const auto& fields = type_.StructFields();
      for (size_t i = 0; i < children_.size() && i < fields.size(); i++) {
        if (i > 0) out += ", ";
        out += Value::Varchar(fields[i].name).ToSqlLiteral() + ": " +
               NestedString(children_[i]);
      }
      return out + "}";
    }
    case TypeId::kMap: {  // {a=1, b=2}, as DuckDB prints maps
      std::string out = "{";
      for (size_t i = 0; i < children_.size(); i++) {
        if (i > 0) out += ", ";
        const auto& kv = children_[i].children_;
        out += NestedString(kv[0]) + "=" + NestedString(kv[1]);
      }
      return out + "}";
    }
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
    case TypeId::kBlob: return "'" + ToString() + "'::BLOB";
    case TypeId::kTimestampTz: return "TIMESTAMPTZ '" + ToString() + "'";
    case TypeId::kInterval: return "INTERVAL '" + ToString() + "'";
    case TypeId::kDouble: {
      std::string s = ToString();
      if (std::isfinite(double_)) return s;
      return "'" + s + "'::DOUBLE";
    }
    case TypeId::kList: {
      std::string out = "[";
      for (size_t i = 0; i < children_.size(); i++) {
        if (i > 0) out += ", ";
        out += children_[i].ToSqlLiteral();
      }
      return out + "]::" + type_.ToString();
    }
    case TypeId::kStruct: {
      std::string out = "{";
      const auto& fields = type_.StructFields();
      for (size_t i = 0; i < children_.size() && i < fields.size(); i++) {
        if (i > 0) out += ", ";
        out += Value::Varchar(fields[i].name).ToSqlLiteral() + ": " + children_[i].ToSqlLiteral();
      }
      return out + "}::" + type_.ToString();
    }
    case TypeId::kMap: {
      std::string out = "MAP {";
      for (size_t i = 0; i < children_.size(); i++) {
        if (i > 0) out += ", ";
        const auto& kv = children_[i].children_;
        out += kv[0].ToSqlLiteral() + ": " + kv[1].ToSqlLiteral();
      }
      return out + "}::" + type_.ToString();
    }
    default: return ToString();
  }
}

bool operator==(const Value& a, const Value& b) {
  if (a.is_null_ || b.is_null_) return a.is_null_ == b.is_null_;
  if (!(a.type_ == b.type_)) return false;
  switch (a.type_.id()) {
    case TypeId::kDouble: return a.double_ == b.double_ || (std::isnan(a.double_) && std::isnan(b.double_));
    case TypeId::kVarchar:
    case TypeId::kBlob: return a.string_ == b.string_;
    case TypeId::kInterval: return a.interval_ == b.interval_;
    case TypeId::kList:
    case TypeId::kStruct:
    case TypeId::kMap: return a.children_ == b.children_;
    default: return a.int_ == b.int_;
  }
}

namespace {
template <typename T>
int Cmp(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}
}  // namespace

int CompareValues(const Value& a, const Value& b) {
  if (a.is_null_ || b.is_null_) return Cmp(a.is_null_, b.is_null_);
  switch (a.type_.id()) {
    case TypeId::kDouble: {
      const bool an = std::isnan(a.double_), bn = std::isnan(b.double_);
      if (an || bn) return Cmp(an, bn);
      return Cmp(a.double_, b.double_);
    }
    case TypeId::kVarchar:
    case TypeId::kBlob: return Cmp(a.string_.compare(b.string_), 0);
    case TypeId::kInterval:
      return Cmp(a.interval_.NormalizedMicros128(), b.interval_.NormalizedMicros128());
    case TypeId::kList:
    case TypeId::kStruct:
    case TypeId::kMap: {  // a map compares as its list of entries, as in DuckDB
      const size_t n = std::min(a.children_.size(), b.children_.size());
      for (size_t i = 0; i < n; i++) {
        const int c = CompareValues(a.children_[i], b.children_[i]);
        if (c != 0) return c;
      }
      return Cmp(a.children_.size(), b.children_.size());
    }
    default: return Cmp(a.int_, b.int_);
  }
}

}  // namespace sluice
