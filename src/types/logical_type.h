#pragma once

#include <cstdint>
#include <string>

namespace sluice {

// The SQL types. The physical representation of each is fixed (see PhysicalSize):
//   BOOLEAN uint8 (0/1) · TINYINT..BIGINT int8..int64 · DOUBLE double
//   DECIMAL(p,s) int64 unscaled when p <= 18, __int128 when p <= 38
//   VARCHAR StringView (16 bytes) · DATE int32 days since 1970-01-01
//   TIMESTAMP int64 microseconds since 1970-01-01 00:00:00 (no time zone)
//   INTERVAL Interval {months, days, micros}
//   TIME int64 microseconds since midnight, 0 .. 24:00:00 inclusive (no time zone)
// SQLNULL is the type of an untyped NULL literal; it becomes another type on binding.
enum class TypeId : uint8_t {
  kNull,
  kBoolean,
  kTinyInt,
  kSmallInt,
  kInteger,
  kBigInt,
  kDouble,
  kDecimal,
  kVarchar,
  kDate,
  kTimestamp,
  kInterval,
  kTime,
};

using int128_t = __int128;

class LogicalType {
 public:
  constexpr LogicalType() = default;
  constexpr LogicalType(TypeId id) : id_(id) {}  // NOLINT: implicit from an id is the intent

  static constexpr LogicalType Decimal(int precision, int scale) {
    LogicalType t(TypeId::kDecimal);
    t.precision_ = static_cast<uint8_t>(precision);
    t.scale_ = static_cast<uint8_t>(scale);
    return t;
  }

  constexpr TypeId id() const { return id_; }
  constexpr int precision() const { return precision_; }
  constexpr int scale() const { return scale_; }

  bool IsInteger() const {
    return id_ == TypeId::kTinyInt || id_ == TypeId::kSmallInt || id_ == TypeId::kInteger ||
           id_ == TypeId::kBigInt;
  }
  bool IsNumeric() const {
    return IsInteger() || id_ == TypeId::kDouble || id_ == TypeId::kDecimal;
  }
  bool IsTemporal() const {
    return id_ == TypeId::kDate || id_ == TypeId::kTimestamp || id_ == TypeId::kInterval ||
           id_ == TypeId::kTime;
  }
  // True for DECIMAL with precision > 18, stored as __int128.
  bool IsWideDecimal() const { return id_ == TypeId::kDecimal && precision_ > 18; }

  // Bytes per value in a Column's data buffer.
  int PhysicalSize() const;
  // "DECIMAL(15,2)", "VARCHAR", ...
  std::string ToString() const;

  friend bool operator==(const LogicalType& a, const LogicalType& b) {
    return a.id_ == b.id_ && (a.id_ != TypeId::kDecimal ||
                              (a.precision_ == b.precision_ && a.scale_ == b.scale_));
  }

 private:
  TypeId id_ = TypeId::kNull;
  uint8_t precision_ = 0;
  uint8_t scale_ = 0;
};

// The largest decimal precision Sluice supports.
inline constexpr int kMaxDecimalPrecision = 38;

// Parses a type name as written in SQL or a schema override ("int", "decimal(10,2)",
// "varchar"). Throws InvalidInputError naming the text when it is not a type.
LogicalType ParseTypeName(const std::string& text);

// The integer type of the smallest width that holds both (for BIGINT + INTEGER etc.).
// Returns TypeId::kNull when the types have no common numeric supertype.
LogicalType CommonNumericType(const LogicalType& a, const LogicalType& b);

}  // namespace sluice
