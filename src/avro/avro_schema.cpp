#include "avro/avro_schema.h"

#include <map>
#include <mutex>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "common/error.h"

namespace sluice::avro {

using Json = nlohmann::ordered_json;

const char* AvroTypeName(AvroType type) {
  switch (type) {
    case AvroType::kNull: return "null";
    case AvroType::kBoolean: return "boolean";
    case AvroType::kInt: return "int";
    case AvroType::kLong: return "long";
    case AvroType::kFloat: return "float";
    case AvroType::kDouble: return "double";
    case AvroType::kBytes: return "bytes";
    case AvroType::kString: return "string";
    case AvroType::kRecord: return "record";
    case AvroType::kEnum: return "enum";
    case AvroType::kArray: return "array";
    case AvroType::kMap: return "map";
    case AvroType::kUnion: return "union";
    case AvroType::kFixed: return "fixed";
  }
  return "?";
}

namespace {

std::optional<int> IntOf(const Json& attributes, const std::string& key) {
  auto it = attributes.find(key);
  if (it == attributes.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<int>();
}

const std::map<std::string, AvroType>& PrimitiveNames() {
  static const std::map<std::string, AvroType> names = {
      {"null", AvroType::kNull},   {"boolean", AvroType::kBoolean}, {"int", AvroType::kInt},
      {"long", AvroType::kLong},   {"float", AvroType::kFloat},     {"double", AvroType::kDouble},
      {"bytes", AvroType::kBytes}, {"string", AvroType::kString}};
  return names;
}

// Parses one schema; named types are registered as they are defined, by full name.
class SchemaParser {
 public:
  explicit SchemaParser(std::string where) : where_(std::move(where)) {}

  SchemaPtr Parse(const Json& j, const std::string& ns) {
    if (j.is_string()) return Reference(j.get<std::string>(), ns);
    if (j.is_array()) {
      auto s = std::make_shared<Schema>();
      s->type = AvroType::kUnion;
      for (const auto& b : j) {
        SchemaPtr branch = Parse(b, ns);
        if (branch->type == AvroType::kUnion) Fail("a union may not directly hold another union");
        s->branches.push_back(std::move(branch));
      }
      return s;
    }
    if (!j.is_object()) Fail(fmt::format("a schema must be a name, an object or an array, not {}", j.dump()));
    auto type_it = j.find("type");
    if (type_it == j.end()) Fail(fmt::format("schema {} has no \"type\"", j.dump()));
    if (!type_it->is_string()) {
      // {"type": {...}} or {"type": [...]}: the nested schema, with this object's attributes
      // ignored as the specification allows.
      return Parse(*type_it, ns);
    }
    const std::string type = type_it->get<std::string>();
    auto s = std::make_shared<Schema>();
    static const std::set<std::string> kCommon = {"type", "logicalType", "doc"};
    std::set<std::string> known = kCommon;
    if (auto lt = j.find("logicalType"); lt != j.end() && lt->is_string()) {
      s->logical_type = lt->get<std::string>();
    }
    if (auto doc = j.find("doc"); doc != j.end() && doc->is_string()) s->doc = doc->get<std::string>();
    if (auto p = PrimitiveNames().find(type); p != PrimitiveNames().end()) {
      s->type = p->second;
    } else if (type == "record" || type == "error") {
      known.insert({"name", "namespace", "fields", "aliases"});
      s->type = AvroType::kRecord;
      const std::string full = Define(j, ns, s);
      const std::string inner_ns = NamespaceOf(full);
      auto fields = j.find("fields");
      if (fields == j.end() || !fields->is_array()) Fail(fmt::format("record {} has no \"fields\" array", full));
      std::set<std::string> seen;
      for (const auto& f : *fields) s->fields.push_back(ParseField(f, inner_ns, full, &seen));
      Finish(full, s);
    } else if (type == "enum") {
      known.insert({"name", "namespace", "symbols", "aliases", "default"});
      s->type = AvroType::kEnum;
      const std::string full = Define(j, ns, s);
      auto symbols = j.find("symbols");
      if (symbols == j.end() || !symbols->is_array()) Fail(fmt::format("enum {} has no \"symbols\"", full));
      for (const auto& sym : *symbols) s->symbols.push_back(sym.get<std::string>());
      Finish(full, s);
    } else if (type == "fixed") {
      known.insert({"name", "namespace", "size", "aliases"});
      s->type = AvroType::kFixed;
      const std::string full = Define(j, ns, s);
      auto size = j.find("size");
      if (size == j.end() || !size->is_number_unsigned()) Fail(fmt::format("fixed {} has no \"size\"", full));
      s->fixed_size = size->get<size_t>();
      Finish(full, s);
    } else if (type == "array") {
      known.insert("items");
      s->type = AvroType::kArray;
      auto items = j.find("items");
      if (items == j.end()) Fail("an array schema has no \"items\"");
      s->items = Parse(*items, ns);
    } else if (type == "map") {
      known.insert("values");
      s->type = AvroType::kMap;
      auto values = j.find("values");
      if (values == j.end()) Fail("a map schema has no \"values\"");
      s->items = Parse(*values, ns);
    } else {
      return Reference(type, ns);
    }
    for (const auto& [key, value] : j.items()) {
      if (known.count(key) == 0) s->attributes[key] = value;
    }
    return s;
  }

 private:
  [[noreturn]] void Fail(const std::string& what) const {
    throw InvalidInputError(fmt::format("{}: invalid Avro schema: {}", where_, what));
  }

  static std::string NamespaceOf(const std::string& full) {
    const size_t dot = full.rfind('.');
    return dot == std::string::npos ? "" : full.substr(0, dot);
  }

  static std::string FullName(const std::string& name, const std::string& ns) {
    if (name.find('.') != std::string::npos || ns.empty()) return name;
    return ns + "." + name;
  }

  SchemaPtr Reference(const std::string& name, const std::string& ns) {
    if (auto p = PrimitiveNames().find(name); p != PrimitiveNames().end()) {
      auto s = std::make_shared<Schema>();
      s->type = p->second;
      return s;
    }
    for (const std::string& full : {FullName(name, ns), name}) {
      if (defining_.count(full)) Fail(fmt::format("type {} refers to itself (recursive types are not supported)", full));
      if (auto it = named_.find(full); it != named_.end()) return it->second;
    }
    Fail(fmt::format("unknown type \"{}\"", name));
  }

  // Reads the name of a named type and marks it as being defined.
  std::string Define(const Json& j, const std::string& ns, const std::shared_ptr<Schema>& s) {
    auto name = j.find("name");
    if (name == j.end() || !name->is_string()) Fail(fmt::format("a named type has no \"name\": {}", j.dump()));
    std::string own_ns = ns;
    if (auto n = j.find("namespace"); n != j.end() && n->is_string()) own_ns = n->get<std::string>();
    s->name = FullName(name->get<std::string>(), own_ns);
    if (named_.count(s->name) || defining_.count(s->name)) Fail(fmt::format("type {} is defined twice", s->name));
    defining_.insert(s->name);
    return s->name;
  }

  void Finish(const std::string& full, const std::shared_ptr<Schema>& s) {
    defining_.erase(full);
    named_[full] = s;
  }

  Field ParseField(const Json& f, const std::string& ns, const std::string& record,
                   std::set<std::string>* seen) {
    if (!f.is_object()) Fail(fmt::format("a field of record {} is not an object", record));
    Field field;
    auto name = f.find("name");
    if (name == f.end() || !name->is_string()) Fail(fmt::format("a field of record {} has no \"name\"", record));
    field.name = name->get<std::string>();
    if (!seen->insert(field.name).second) Fail(fmt::format("record {} has two fields named {}", record, field.name));
    auto type = f.find("type");
    if (type == f.end()) Fail(fmt::format("field {}.{} has no \"type\"", record, field.name));
    field.type = Parse(*type, ns);
    for (const auto& [key, value] : f.items()) {
      if (key == "name" || key == "type") continue;
      if (key == "doc" && value.is_string()) {
        field.doc = value.get<std::string>();
      } else if (key == "default") {
        field.default_value = value;
      } else {
        field.attributes[key] = value;
      }
    }
    return field;
  }

  std::string where_;
  std::map<std::string, SchemaPtr> named_;
  std::set<std::string> defining_;
};

class SchemaWriter {
 public:
  Json Write(const Schema& s) {
    if (s.type == AvroType::kUnion) {
      Json out = Json::array();
      for (const auto& b : s.branches) out.push_back(Write(*b));
      return out;
    }
    const bool named = s.type == AvroType::kRecord || s.type == AvroType::kEnum || s.type == AvroType::kFixed;
    if (named && !written_.insert(s.name).second) return s.name;
    const bool plain = !named && s.type != AvroType::kArray && s.type != AvroType::kMap &&
                       s.logical_type.empty() && s.doc.empty() && s.attributes.empty();
    if (plain) return AvroTypeName(s.type);
    Json out = Json::object();
    out["type"] = AvroTypeName(s.type);
    if (named) out["name"] = s.name;
    if (!s.doc.empty()) out["doc"] = s.doc;
    if (!s.logical_type.empty()) out["logicalType"] = s.logical_type;
    switch (s.type) {
      case AvroType::kRecord: {
        Json fields = Json::array();
        for (const auto& f : s.fields) {
          Json jf = Json::object();
          jf["name"] = f.name;
          jf["type"] = Write(*f.type);
          if (!f.doc.empty()) jf["doc"] = f.doc;
          if (f.default_value) jf["default"] = *f.default_value;
          for (const auto& [k, v] : f.attributes.items()) jf[k] = v;
          fields.push_back(std::move(jf));
        }
        out["fields"] = std::move(fields);
        break;
      }
      case AvroType::kEnum: out["symbols"] = s.symbols; break;
      case AvroType::kFixed: out["size"] = s.fixed_size; break;
      case AvroType::kArray: out["items"] = Write(*s.items); break;
      case AvroType::kMap: out["values"] = Write(*s.items); break;
      default: break;
    }
    for (const auto& [k, v] : s.attributes.items()) out[k] = v;
    return out;
  }

 private:
  std::set<std::string> written_;
};

}  // namespace

std::optional<int> Field::IntAttribute(const std::string& key) const { return IntOf(attributes, key); }
std::optional<int> Schema::IntAttribute(const std::string& key) const { return IntOf(attributes, key); }

int Schema::FieldIndex(const std::string& field_name) const {
  for (size_t i = 0; i < fields.size(); i++) {
    if (fields[i].name == field_name) return static_cast<int>(i);
  }
  return -1;
}

int Schema::NullBranch() const {
  for (size_t i = 0; i < branches.size(); i++) {
    if (branches[i]->type == AvroType::kNull) return static_cast<int>(i);
  }
  return -1;
}

SchemaPtr Primitive(AvroType type, std::string logical_type) {
  auto s = std::make_shared<Schema>();
  s->type = type;
  s->logical_type = std::move(logical_type);
  return s;
}

SchemaPtr Optional(SchemaPtr type) {
  auto s = std::make_shared<Schema>();
  s->type = AvroType::kUnion;
  s->branches = {Primitive(AvroType::kNull), std::move(type)};
  return s;
}

SchemaPtr ArrayOf(SchemaPtr items, Json attributes) {
  auto s = std::make_shared<Schema>();
  s->type = AvroType::kArray;
  s->items = std::move(items);
  s->attributes = std::move(attributes);
  return s;
}

SchemaPtr MapOf(SchemaPtr values) {
  auto s = std::make_shared<Schema>();
  s->type = AvroType::kMap;
  s->items = std::move(values);
  return s;
}

SchemaPtr Record(std::string name, std::vector<Field> fields) {
  auto s = std::make_shared<Schema>();
  s->type = AvroType::kRecord;
  s->name = std::move(name);
  s->fields = std::move(fields);
  return s;
}

Field MakeField(std::string name, SchemaPtr type, int field_id, std::optional<Json> default_value) {
  Field f;
  f.name = std::move(name);
  f.type = std::move(type);
  f.default_value = std::move(default_value);
  if (field_id >= 0) f.attributes["field-id"] = field_id;
  return f;
}

SchemaPtr ParseSchema(const Json& json, const std::string& where) {
  return SchemaParser(where).Parse(json, "");
}

namespace {

// Parses a schema from JSON text (uncached).
SchemaPtr ParseSchemaText(const std::string& json, const std::string& where) {
  Json parsed;
  try {
    parsed = Json::parse(json);
  } catch (const nlohmann::json::parse_error& e) {
    throw InvalidInputError(fmt::format("{}: the Avro schema is not valid JSON: {}", where, e.what()));
  }
  return ParseSchema(parsed, where);
}

}  // namespace

SchemaPtr ParseSchema(const std::string& json, const std::string& where) {
  // Every manifest of a table carries the same schema text: parse each text once. Schemas are
  // immutable, so the cached one is shared.
  static std::mutex cache_mutex;
  static std::unordered_map<std::string, SchemaPtr> cache;
  constexpr size_t kCacheEntries = 256;
  {
    std::lock_guard lock(cache_mutex);
    if (auto it = cache.find(json); it != cache.end()) return it->second;
  }
  SchemaPtr schema = ParseSchemaText(json, where);
  std::lock_guard lock(cache_mutex);
  if (cache.size() >= kCacheEntries) cache.clear();
  cache.emplace(json, schema);
  return schema;
}

Json SchemaToJson(const Schema& schema) { return SchemaWriter().Write(schema); }

}  // namespace sluice::avro
