#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace sluice::avro {

enum class AvroType {
  kNull, kBoolean, kInt, kLong, kFloat, kDouble, kBytes, kString,
  kRecord, kEnum, kArray, kMap, kUnion, kFixed,
};

const char* AvroTypeName(AvroType type);

struct Schema;
// Schemas are immutable once parsed or built, and shared between the places that use a type.
using SchemaPtr = std::shared_ptr<const Schema>;

// One field of a record. `attributes` keeps every property besides name, type, default and
// doc (Iceberg's "field-id" among them), so a schema written back says what was read.
struct Field {
  std::string name;
  SchemaPtr type;
  std::string doc;
  std::optional<nlohmann::ordered_json> default_value;
  nlohmann::ordered_json attributes = nlohmann::ordered_json::object();

  // The integer attribute `key` ("field-id"), if present.
  std::optional<int> IntAttribute(const std::string& key) const;
};

// An Avro schema (https://avro.apache.org/docs/1.11.1/specification/). Named types (record,
// enum, fixed) carry their full name; a later reference by name shares the same node.
// Recursive types are refused when parsed: no format Sluice reads needs them.
struct Schema {
  AvroType type = AvroType::kNull;
  std::string name;                   // record, enum, fixed: the full name ("a.b.c")
  std::string doc;
  std::vector<Field> fields;          // record
  std::vector<std::string> symbols;   // enum
  SchemaPtr items;                    // array: the items; map: the values
  std::vector<SchemaPtr> branches;    // union
  size_t fixed_size = 0;              // fixed
  std::string logical_type;           // "decimal", "date", "timestamp-micros", "map", ...
  // Every other property ("element-id", "key-id", "precision", ...), kept as written.
  nlohmann::ordered_json attributes = nlohmann::ordered_json::object();

  // The index of field `name` in a record, or -1.
  int FieldIndex(const std::string& name) const;
  // The integer attribute `key` ("element-id"), if present.
  std::optional<int> IntAttribute(const std::string& key) const;
  // For a union: the index of its null branch, or -1.
  int NullBranch() const;
};

// Builders for writers that make schemas in code.
SchemaPtr Primitive(AvroType type, std::string logical_type = "");
SchemaPtr Optional(SchemaPtr type);  // ["null", type]
SchemaPtr ArrayOf(SchemaPtr items, nlohmann::ordered_json attributes = nlohmann::ordered_json::object());
SchemaPtr MapOf(SchemaPtr values);
SchemaPtr Record(std::string name, std::vector<Field> fields);
// A field whose "field-id" attribute is `field_id` (Iceberg), or without one when it is < 0.
Field MakeField(std::string name, SchemaPtr type, int field_id = -1,
                std::optional<nlohmann::ordered_json> default_value = std::nullopt);

// Parses a schema from its JSON text. `where` names the source in errors ("manifest.avro").
// Throws InvalidInputError on malformed JSON or a schema the specification does not allow.
SchemaPtr ParseSchema(const std::string& json, const std::string& where);
SchemaPtr ParseSchema(const nlohmann::ordered_json& json, const std::string& where);

// The schema as JSON, with every attribute; a named type is written in full the first time
// and by name after that, as the specification requires.
nlohmann::ordered_json SchemaToJson(const Schema& schema);

}  // namespace sluice::avro
