#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "types/logical_type.h"
#include "vector/schema.h"

namespace sluice::iceberg {

enum class TypeKind {
  kBoolean, kInt, kLong, kFloat, kDouble, kDecimal, kDate, kTime, kTimestamp, kTimestampTz,
  kString, kUuid, kFixed, kBinary, kStruct, kList, kMap,
};

struct Type;
using TypePtr = std::shared_ptr<const Type>;

// A field of a struct, or the element of a list, or a map's key or value: every one has an
// id that stays with the column through renames and reorders (the spec's "field id").
struct NestedField {
  int id = 0;
  std::string name;  // empty for list elements and map keys/values
  bool required = false;
  TypePtr type;
  std::string doc;
};

// An Iceberg type (spec: "Schemas and Data Types"). Immutable.
struct Type {
  TypeKind kind = TypeKind::kLong;
  int precision = 0;                // decimal
  int scale = 0;                    // decimal
  int length = 0;                   // fixed[L]
  std::vector<NestedField> fields;  // struct
  std::vector<NestedField> children;  // list: {element}; map: {key, value}

  bool is_primitive() const { return kind != TypeKind::kStruct && kind != TypeKind::kList && kind != TypeKind::kMap; }
  // The spec's name of a primitive: "decimal(9,2)", "fixed[16]", "timestamptz".
  std::string ToString() const;
};

TypePtr PrimitiveType(TypeKind kind);
TypePtr DecimalType(int precision, int scale);

// A table schema: top-level fields with ids unique over the whole tree.
struct IcebergSchema {
  int schema_id = 0;
  std::vector<NestedField> fields;
  std::vector<int> identifier_field_ids;

  // The field with `id` anywhere in the tree, or null.
  const NestedField* FindField(int id) const;
  // The top-level field named `name` (case-sensitive), or null.
  const NestedField* FindTopLevel(const std::string& name) const;
  // The largest field id in the tree (0 when empty).
  int HighestFieldId() const;
};

// JSON as the spec writes it in table metadata (a primitive is a string, nested types are
// objects). Throws InvalidInputError naming `where` on anything the spec does not allow.
nlohmann::ordered_json TypeToJson(const Type& type);
TypePtr TypeFromJson(const nlohmann::ordered_json& json, const std::string& where);
nlohmann::ordered_json SchemaToJson(const IcebergSchema& schema);
IcebergSchema SchemaFromJson(const nlohmann::ordered_json& json, const std::string& where);

// Sluice's type for an Iceberg primitive. Throws NotImplementedError for a type Sluice does
// not compute with yet, naming the column.
LogicalType ToLogicalType(const Type& type, const std::string& column);
// The Iceberg type for a Sluice type (TINYINT and SMALLINT widen to int, as Iceberg has no
// smaller integers).
TypePtr FromLogicalType(const LogicalType& type);
// The same, numbering the fields and elements of LIST and STRUCT types *next_id, ... (ids
// must be unique in a schema, so callers start past the top-level ids).
TypePtr FromLogicalType(const LogicalType& type, int* next_id);
// An Iceberg schema for a Sluice schema: ids 1..n in column order, nullable columns optional.
IcebergSchema FromSluiceSchema(const Schema& schema, int schema_id = 0);
// The Sluice schema of an Iceberg schema's top-level columns.
Schema ToSluiceSchema(const IcebergSchema& schema);

}  // namespace sluice::iceberg
