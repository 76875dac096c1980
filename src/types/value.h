#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "types/interval.h"
#include "types/logical_type.h"

namespace sluice {

// One scalar of any type, or NULL: literals in plans and rows handed back by collect().
// Not used on hot paths (those work on Columns).
class Value {
 public:
  Value() = default;  // an untyped NULL
  static Value Null(LogicalType type) {
    Value v;
    v.type_ = type;
    return v;
  }
  static Value Boolean(bool b);
  static Value TinyInt(int8_t v);
  static Value SmallInt(int16_t v);
  static Value Integer(int32_t v);
  static Value BigInt(int64_t v);
  static Value Double(double v);
  static Value Decimal(int128_t unscaled, int precision, int scale);
  static Value Varchar(std::string s);
  static Value Date(int32_t days);
  static Value Timestamp(int64_t micros);
  static Value TimestampTz(int64_t utc_micros);
  static Value Blob(std::string bytes);
  static Value Time(int64_t micros);  // since midnight
  static Value IntervalValue(const Interval& interval);
  // A LIST of `type` (LIST(T)) with elements of type T (or NULL), or a STRUCT of `type` with
  // one value per field.
  static Value List(const LogicalType& type, std::vector<Value> elements);
  static Value Struct(const LogicalType& type, std::vector<Value> fields);
  // A MAP of `type` from parallel keys and values (already of its key and value types).
  // Throws InvalidInputError, as DuckDB, when a key is NULL or repeated, or the counts differ.
  static Value Map(const LogicalType& type, const std::vector<Value>& keys,
                   const std::vector<Value>& values);

  const LogicalType& type() const { return type_; }
  bool is_null() const { return is_null_; }

  // Accessors; REQUIRES: !is_null() and a matching type.
  bool GetBool() const { return int_ != 0; }
  // Any integer, DATE (days), TIMESTAMP or TIME (micros) type, widened.
  int64_t GetInt() const { return static_cast<int64_t>(int_); }
  double GetDouble() const { return double_; }
  int128_t GetDecimal() const { return int_; }
  const std::string& GetString() const { return string_; }
  const Interval& GetInterval() const { return interval_; }
  // LIST elements, STRUCT field values or MAP entries (STRUCTs of key and value).
  const std::vector<Value>& GetChildren() const { return children_; }

  // Converts to another type with SQL CAST rules; throws ConversionError when impossible.
  Value CastTo(const LogicalType& target) const;

  // The text form used by `show` and CSV output: NULL prints as "NULL" here; ISO dates,
  // plain-notation decimals; BLOBs escaped (\xAA); TIMESTAMPTZ in CurrentTimeZone().
  std::string ToString() const;
  // A SQL literal that parses back to this value ('it''s', DATE '2024-01-01', 1.50).
  std::string ToSqlLiteral() const;

  // Equality with NULL equal to NULL (for tests and hashing), not SQL's three-valued '='.
  friend bool operator==(const Value& a, const Value& b);

  // Total order for sorting values of one type (lists lexicographically, NULLs after every
  // value, also inside lists): negative, zero or positive.
  friend int CompareValues(const Value& a, const Value& b);

 private:
  LogicalType type_;
  bool is_null_ = true;
  int128_t int_ = 0;
  double double_ = 0;
  std::string string_;
  Interval interval_;
  std::vector<Value> children_;
};

int CompareValues(const Value& a, const Value& b);

}  // namespace sluice
