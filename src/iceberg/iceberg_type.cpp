#include "iceberg/iceberg_type.h"

#include <algorithm>
#include <cstdio>
#include <functional>

#include <fmt/format.h>

#include "common/error.h"

namespace sluice::iceberg {

using Json = nlohmann::ordered_json;

namespace {

struct PrimitiveName {
  const char* name;
  TypeKind kind;
};

constexpr PrimitiveName kPrimitives[] = {
    {"boolean", TypeKind::kBoolean}, {"int", TypeKind::kInt},       {"long", TypeKind::kLong},
    {"float", TypeKind::kFloat},     {"double", TypeKind::kDouble}, {"date", TypeKind::kDate},
    {"time", TypeKind::kTime},       {"timestamp", TypeKind::kTimestamp},
    {"timestamptz", TypeKind::kTimestampTz}, {"string", TypeKind::kString},
    {"uuid", TypeKind::kUuid},       {"binary", TypeKind::kBinary},
};

[[noreturn]] void Fail(const std::string& where, const std::string& what) {
  throw InvalidInputError(fmt::format("{}: invalid Iceberg schema: {}", where, what));
}

const Json& Member(const Json& j, const char* key, const std::string& where) {
  auto it = j.find(key);
  if (it == j.end()) Fail(where, fmt::format("\"{}\" is missing in {}", key, j.dump()));
  return *it;
}

NestedField FieldFromJson(const Json& j, const std::string& where) {
  if (!j.is_object()) Fail(where, "a field is not an object");
  NestedField f;
  f.id = Member(j, "id", where).get<int>();
  f.name = Member(j, "name", where).get<std::string>();
  f.required = Member(j, "required", where).get<bool>();
  f.type = TypeFromJson(Member(j, "type", where), where);
  if (auto doc = j.find("doc"); doc != j.end() && doc->is_string()) f.doc = doc->get<std::string>();
  return f;
}

Json FieldToJson(const NestedField& f) {
  Json j = Json::object();
  j["id"] = f.id;
  j["name"] = f.name;
  j["required"] = f.required;
  j["type"] = TypeToJson(*f.type);
  if (!f.doc.empty()) j["doc"] = f.doc;
  return j;
}

void Visit(const std::vector<NestedField>& fields, const std::function<void(const NestedField&)>& fn) {
  for (const auto& f : fields) {
    fn(f);
    Visit(f.type->fields, fn);
    Visit(f.type->children, fn);
  }
}

}  // namespace

std::string Type::ToString() const {
  switch (kind) {
    case TypeKind::kDecimal: return fmt::format("decimal({}, {})", precision, scale);
    case TypeKind::kFixed: return fmt::format("fixed[{}]", length);
    case TypeKind::kStruct: return "struct";
    case TypeKind::kList: return "list";
    case TypeKind::kMap: return "map";
    default: break;
  }
  for (const auto& p : kPrimitives) {
    if (p.kind == kind) return p.name;
  }
  return "?";
}

TypePtr PrimitiveType(TypeKind kind) {
  auto t = std::make_shared<Type>();
  t->kind = kind;
  return t;
}

TypePtr DecimalType(int precision, int scale) {
  auto t = std::make_shared<Type>();
  t->kind = TypeKind::kDecimal;
  t->precision = precision;
  t->scale = scale;
  return t;
}

Json TypeToJson(const Type& type) {
  switch (type.kind) {
    case TypeKind::kStruct: {
      Json fields = Json::array();
      for (const auto& f : type.fields) fields.push_back(FieldToJson(f));
      return Json{{"type", "struct"}, {"fields", fields}};
    }
    case TypeKind::kList: {
      const NestedField& e = type.children[0];
      return Json{{"type", "list"}, {"element-id", e.id}, {"element", TypeToJson(*e.type)},
                  {"element-required", e.required}};
    }
    case TypeKind::kMap: {
      const NestedField& k = type.children[0];
      const NestedField& v = type.children[1];
      return Json{{"type", "map"}, {"key-id", k.id}, {"key", TypeToJson(*k.type)},
                  {"value-id", v.id}, {"value", TypeToJson(*v.type)}, {"value-required", v.required}};
    }
    default: return type.ToString();
  }
}

TypePtr TypeFromJson(const Json& json, const std::string& where) {
  if (json.is_string()) {
    const std::string name = json.get<std::string>();
    for (const auto& p : kPrimitives) {
      if (name == p.name) return PrimitiveType(p.kind);
    }
    int precision = 0, scale = 0, length = 0;
    if (std::sscanf(name.c_str(), "decimal(%d,%d)", &precision, &scale) == 2 ||
        std::sscanf(name.c_str(), "decimal(%d, %d)", &precision, &scale) == 2) {
      if (precision < 1 || precision > 38 || scale < 0 || scale > precision) {
        Fail(where, fmt::format("bad decimal type \"{}\"", name));
      }
      return DecimalType(precision, scale);
    }
    if (std::sscanf(name.c_str(), "fixed[%d]", &length) == 1 && length > 0) {
      auto t = std::make_shared<Type>();
      t->kind = TypeKind::kFixed;
      t->length = length;
      return t;
    }
    Fail(where, fmt::format("unknown type \"{}\"", name));
  }
  if (!json.is_object()) Fail(where, fmt::format("a type must be a string or an object, not {}", json.dump()));
  const std::string kind = Member(json, "type", where).get<std::string>();
  auto t = std::make_shared<Type>();
  if (kind == "struct") {
    t->kind = TypeKind::kStruct;
    for (const auto& f : Member(json, "fields", where)) t->fields.push_back(FieldFromJson(f, where));
  } else if (kind == "list") {
    t->kind = TypeKind::kList;
    NestedField e;
    e.id = Member(json, "element-id", where).get<int>();
    e.type = TypeFromJson(Member(json, "element", where), where);
    e.required = Member(json, "element-required", where).get<bool>();
    t->children.push_back(std::move(e));
  } else if (kind == "map") {
    t->kind = TypeKind::kMap;
    NestedField k, v;
    k.id = Member(json, "key-id", where).get<int>();
    k.type = TypeFromJson(Member(json, "key", where), where);
    k.required = true;
    v.id = Member(json, "value-id", where).get<int>();
    v.type = TypeFromJson(Member(json, "value", where), where);
    v.required = Member(json, "value-required", where).get<bool>();
    t->children = {std::move(k), std::move(v)};
  } else {
    Fail(where, fmt::format("unknown nested type \"{}\"", kind));
  }
  return t;
}

Json SchemaToJson(const IcebergSchema& schema) {
  Json fields = Json::array();
  for (const auto& f : schema.fields) fields.push_back(FieldToJson(f));
  Json j = Json::object();
  j["type"] = "struct";
  j["schema-id"] = schema.schema_id;
  if (!schema.identifier_field_ids.empty()) j["identifier-field-ids"] = schema.identifier_field_ids;
  j["fields"] = std::move(fields);
  return j;
}

IcebergSchema SchemaFromJson(const Json& json, const std::string& where) {
  if (!json.is_object()) Fail(where, "a schema is not an object");
  IcebergSchema s;
  if (auto id = json.find("schema-id"); id != json.end()) s.schema_id = id->get<int>();
  for (const auto& f : Member(json, "fields", where)) s.fields.push_back(FieldFromJson(f, where));
  if (auto ids = json.find("identifier-field-ids"); ids != json.end()) {
    s.identifier_field_ids = ids->get<std::vector<int>>();
  }
  std::vector<int> seen;
  Visit(s.fields, [&](const NestedField& f) { seen.push_back(f.id); });
  std::sort(seen.begin(), seen.end());
  for (size_t i = 1; i < seen.size(); i++) {
    if (seen[i] == seen[i - 1]) Fail(where, fmt::format("field id {} is used twice", seen[i]));
  }
  return s;
}

const NestedField* IcebergSchema::FindField(int id) const {
  const NestedField* found = nullptr;
  Visit(fields, [&](const NestedField& f) {
    if (f.id == id) found = &f;
  });
  return found;
}

const NestedField* IcebergSchema::FindTopLevel(const std::string& name) const {
  for (const auto& f : fields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

int IcebergSchema::HighestFieldId() const {
  int highest = 0;
  Visit(fields, [&](const NestedField& f) { highest = std::max(highest, f.id); });
  return highest;
}

LogicalType ToLogicalType(const Type& type, const std::string& column) {
  switch (type.kind) {
    case TypeKind::kBoolean: return TypeId::kBoolean;
    case TypeKind::kInt: return TypeId::kInteger;
    case TypeKind::kLong: return TypeId::kBigInt;
    case TypeKind::kFloat:
    case TypeKind::kDouble: return TypeId::kDouble;
    case TypeKind::kDecimal: return LogicalType::Decimal(type.precision, type.scale);
    case TypeKind::kDate: return TypeId::kDate;
    case TypeKind::kTimestamp: return TypeId::kTimestamp;
    case TypeKind::kTimestampTz: return TypeId::kTimestampTz;
    case TypeKind::kTime: return TypeId::kTime;
    case TypeKind::kString: return TypeId::kVarchar;
    case TypeKind::kBinary: return TypeId::kBlob;
    case TypeKind::kList:
      return LogicalType::List(ToLogicalType(*type.children.at(0).type, column));
    case TypeKind::kMap:
      return LogicalType::Map(ToLogicalType(*type.children.at(0).type, column),
                              ToLogicalType(*type.children.at(1).type, column));
    case TypeKind::kStruct: {
      std::vector<StructField> fields;
      for (const auto& f : type.fields) fields.push_back({f.name, ToLogicalType(*f.type, column)});
      return LogicalType::Struct(fields);
    }
    default:
      throw NotImplementedError(fmt::format("column {} has Iceberg type {}, which Sluice cannot read yet",
                                            column, type.ToString()));
  }
}

namespace {

// As FromLogicalType; the fields and elements of nested types take ids *next_id, ... (a
// list's element id first, then what lies beneath it; a struct's fields in order, then
// what lies beneath each).
TypePtr FromLogicalTypeWithIds(const LogicalType& type, int* next_id) {
  if (type.id() == TypeId::kList) {
    auto list = std::make_shared<Type>();
    list->kind = TypeKind::kList;
    NestedField element;
    element.id = (*next_id)++;
    element.type = FromLogicalTypeWithIds(type.ListChild(), next_id);
    list->children.push_back(std::move(element));
    return list;
  }
  if (type.id() == TypeId::kMap) {  // the key's id, the value's id, then what lies beneath
    auto map = std::make_shared<Type>();
    map->kind = TypeKind::kMap;
    NestedField key, value;
    key.id = (*next_id)++;
    key.required = true;
    value.id = (*next_id)++;
    key.type = FromLogicalTypeWithIds(type.MapKey(), next_id);
    value.type = FromLogicalTypeWithIds(type.MapValue(), next_id);
    map->children = {std::move(key), std::move(value)};
    return map;
  }
  if (type.id() == TypeId::kStruct) {
    auto st = std::make_shared<Type>();
    st->kind = TypeKind::kStruct;
    for (const auto& f : type.StructFields()) {
      NestedField field;
      field.id = (*next_id)++;
      field.name = f.name;
      st->fields.push_back(std::move(field));
    }
    for (size_t i = 0; i < type.StructFields().size(); i++) {
      st->fields[i].type = FromLogicalTypeWithIds(type.StructFields()[i].type, next_id);
    }
    return st;
  }
  return FromLogicalType(type);
}

}  // namespace

TypePtr FromLogicalType(const LogicalType& type, int* next_id) {
  return FromLogicalTypeWithIds(type, next_id);
}

TypePtr FromLogicalType(const LogicalType& type) {
  if (type.IsNested()) {
    int next_id = 1;
    return FromLogicalTypeWithIds(type, &next_id);
  }
  switch (type.id()) {
    case TypeId::kBoolean: return PrimitiveType(TypeKind::kBoolean);
    case TypeId::kTinyInt:
    case TypeId::kSmallInt:
    case TypeId::kInteger: return PrimitiveType(TypeKind::kInt);
    case TypeId::kBigInt: return PrimitiveType(TypeKind::kLong);
    case TypeId::kDouble: return PrimitiveType(TypeKind::kDouble);
    case TypeId::kDecimal: return DecimalType(type.precision(), type.scale());
    case TypeId::kVarchar: return PrimitiveType(TypeKind::kString);
    case TypeId::kBlob: return PrimitiveType(TypeKind::kBinary);
    case TypeId::kDate: return PrimitiveType(TypeKind::kDate);
    case TypeId::kTimestamp: return PrimitiveType(TypeKind::kTimestamp);
    case TypeId::kTimestampTz: return PrimitiveType(TypeKind::kTimestampTz);
    case TypeId::kTime: return PrimitiveType(TypeKind::kTime);
    default:
      throw NotImplementedError(fmt::format("type {} cannot be stored in an Iceberg table yet", type.ToString()));
  }
}

IcebergSchema FromSluiceSchema(const Schema& schema, int schema_id) {
  IcebergSchema out;
  out.schema_id = schema_id;
  // Top-level columns take 1..n; the fields and elements of nested columns follow.
  int next_id = static_cast<int>(schema.size()) + 1;
  for (size_t i = 0; i < schema.size(); i++) {
    const Field& f = schema.field(i);
    NestedField n;
    n.id = static_cast<int>(i) + 1;
    n.name = f.name;
    n.required = !f.nullable;
    n.type = FromLogicalTypeWithIds(f.type, &next_id);
    out.fields.push_back(std::move(n));
  }
  return out;
}

Schema ToSluiceSchema(const IcebergSchema& schema) {
  Schema out;
  for (const auto& f : schema.fields) out.Add(Field{f.name, ToLogicalType(*f.type, f.name), !f.required, ""});
  return out;
}

}  // namespace sluice::iceberg
