#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sluice {

// The SQL types. The physical representation of each is fixed (see PhysicalSize):
//   BOOLEAN uint8 (0/1) · TINYINT..BIGINT int8..int64 · DOUBLE double
//   DECIMAL(p,s) int64 unscaled when p <= 18, __int128 when p <= 38
//   VARCHAR StringView (16 bytes) · DATE int32 days since 1970-01-01
//   TIMESTAMP int64 microseconds since 1970-01-01 00:00:00 (no time zone)
//   INTERVAL Interval {months, days, micros}
//   TIME int64 microseconds since midnight, 0 .. 24:00:00 inclusive (no time zone)
//   LIST(T) ListEntry {offset, length} into the column's one child column of T
//   STRUCT(a T, ...) no data of its own (a validity bitmap); one child column per field
//   MAP(K, V) laid out as LIST(STRUCT(key K, value V)), as in DuckDB: ListEntry per row into
//     one child STRUCT column of the entries (keys unique and not NULL)
//   BLOB StringView like VARCHAR (bytes, any values) · TIMESTAMPTZ int64 microseconds since
//   1970-01-01 00:00:00 UTC (an instant; shown in the session's TimeZone)
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
  kList,
  kStruct,
  kMap,
  kBlob,
  kTimestampTz,
};

using int128_t = __int128;

class NestedTypeInfo;
struct StructField;

// A SQL type: an id plus DECIMAL's precision and scale, or for LIST and STRUCT a pointer to
// an interned, immutable NestedTypeInfo (MAP too). A trivially copyable value; scalar types carry no
// pointer, and equal nested types share one descriptor, so equality stays a few compares.
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

  // LIST(child) and STRUCT(fields). Descriptors are interned for the life of the process
  // (a handful per distinct type spelled in a query or file); thread-safe.
  static LogicalType List(const LogicalType& child);
  static LogicalType Struct(const std::vector<StructField>& fields);
  // MAP(key, value): physically LIST(STRUCT(key, value)), but a type of its own.
  static LogicalType Map(const LogicalType& key, const LogicalType& value);

  constexpr TypeId id() const { return id_; }
  bool IsNested() const { return nested_ != nullptr; }
  // True for LIST and MAP: a ListEntry per row into one child column.
  constexpr bool HasListLayout() const { return id_ == TypeId::kList || id_ == TypeId::kMap; }
  // The element type. REQUIRES: HasListLayout() (a MAP's elements are its entry STRUCTs).
  const LogicalType& ListChild() const;
  // REQUIRES: id() == kMap.
  const LogicalType& MapKey() const;
  const LogicalType& MapValue() const;
  // REQUIRES: id() == kStruct.
  const std::vector<StructField>& StructFields() const;
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
           id_ == TypeId::kTime || id_ == TypeId::kTimestampTz;
  }
  // VARCHAR or BLOB: values are StringViews into the column's string heaps.
  bool IsStringLike() const { return id_ == TypeId::kVarchar || id_ == TypeId::kBlob; }
  // True for DECIMAL with precision > 18, stored as __int128.
  bool IsWideDecimal() const { return id_ == TypeId::kDecimal && precision_ > 18; }

  // Bytes per value in a Column's data buffer.
  int PhysicalSize() const;
  // "DECIMAL(15,2)", "VARCHAR", ...
  std::string ToString() const;

  friend bool operator==(const LogicalType& a, const LogicalType& b) {
    return a.id_ == b.id_ && a.nested_ == b.nested_ &&
           (a.id_ != TypeId::kDecimal || (a.precision_ == b.precision_ && a.scale_ == b.scale_));
  }

 private:
  TypeId id_ = TypeId::kNull;
  uint8_t precision_ = 0;
  uint8_t scale_ = 0;
  const NestedTypeInfo* nested_ = nullptr;
};

// One field of a STRUCT type.
struct StructField {
  std::string name;
  LogicalType type;
};

// The children of a nested type (see LogicalType::List / Struct); never destroyed.
class NestedTypeInfo {
 public:
  explicit NestedTypeInfo(std::vector<StructField> children) : children_(std::move(children)) {}
  // LIST: one unnamed child; STRUCT: the fields in order.
  const std::vector<StructField>& children() const { return children_; }

 private:
  std::vector<StructField> children_;
};

// The field of a STRUCT type named `name` (case-insensitive), or -1.
int StructFieldIndex(const LogicalType& type, const std::string& name);

// The largest decimal precision Sluice supports.
inline constexpr int kMaxDecimalPrecision = 38;

// Parses a type name as written in SQL or a schema override ("int", "decimal(10,2)",
// "varchar", "integer[]", "list(varchar)", "struct(a int, \"b c\" varchar)",
// "map(varchar, int)"). Throws InvalidInputError naming the text when it is not a type.
LogicalType ParseTypeName(const std::string& text);

// The integer type of the smallest width that holds both (for BIGINT + INTEGER etc.).
// Returns TypeId::kNull when the types have no common numeric supertype.
LogicalType CommonNumericType(const LogicalType& a, const LogicalType& b);

}  // namespace sluice
