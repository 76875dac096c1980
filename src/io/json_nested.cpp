#include "io/json_nested.h"

#include <charconv>

#include "common/error.h"

namespace sluice {

namespace {

const LogicalType kVarchar = TypeId::kVarchar;

bool IsInteger(const JsonNode& node) {
  if (node.IsFloat()) return false;
  int64_t v;
  const auto [end, ec] = std::from_chars(node.text.data(), node.text.data() + node.text.size(), v);
  return ec == std::errc() && end == node.text.data() + node.text.size();
}

}  // namespace

LogicalType JsonValueType(const JsonNode& node) {
  switch (node.kind) {
    case JsonNode::Kind::kNull: return TypeId::kNull;
    case JsonNode::Kind::kTrue:
    case JsonNode::Kind::kFalse: return TypeId::kBoolean;
    case JsonNode::Kind::kNumber: return IsInteger(node) ? TypeId::kBigInt : TypeId::kDouble;
    case JsonNode::Kind::kString: return kVarchar;
    case JsonNode::Kind::kObject: {
      // A STRUCT of the keys in written order (a repeated key counts once).
      std::vector<StructField> fields;
      for (const auto& m : node.members) {
        bool seen = false;
        for (auto& f : fields) {
          if (f.name == m.key) seen = true;
        }
        if (!seen) fields.push_back({m.key, JsonValueType(m.value)});
      }
      if (fields.empty()) return kVarchar;
      return LogicalType::Struct(fields);
    }
    case JsonNode::Kind::kArray: {
      LogicalType element = TypeId::kNull;
      for (const auto& e : node.elements) element = MergeJsonTypes(element, JsonValueType(e));
      return LogicalType::List(element);
    }
  }
  return kVarchar;
}

LogicalType MergeJsonTypes(const LogicalType& a, const LogicalType& b) {
  if (a.id() == TypeId::kNull) return b;
  if (b.id() == TypeId::kNull) return a;
  if (a == b) return a;
  const auto is = [&](TypeId x, TypeId y) {
    return (a.id() == x && b.id() == y) || (a.id() == y && b.id() == x);
  };
  if (is(TypeId::kBigInt, TypeId::kDouble)) return TypeId::kDouble;
  if (a.id() == TypeId::kList && b.id() == TypeId::kList) {
    return LogicalType::List(MergeJsonTypes(a.ListChild(), b.ListChild()));
  }
  if (a.id() == TypeId::kStruct && b.id() == TypeId::kStruct) {
    // The union of the keys: a's in order, then b's new ones.
    std::vector<StructField> fields = a.StructFields();
    for (const auto& f : b.StructFields()) {
      bool merged = false;
      for (auto& g : fields) {
        if (g.name == f.name) {
          g.type = MergeJsonTypes(g.type, f.type);
          merged = true;
        }
      }
      if (!merged) fields.push_back(f);
    }
    return LogicalType::Struct(fields);
  }
  return kVarchar;
}

std::optional<Value> JsonToValue(const JsonNode& node, const LogicalType& type) {
  if (node.kind == JsonNode::Kind::kNull) return Value::Null(type);
  switch (type.id()) {
    case TypeId::kNull: return Value::Null(type);
    case TypeId::kList: {
      if (node.kind != JsonNode::Kind::kArray) return std::nullopt;
      std::vector<Value> elements;
      for (const auto& e : node.elements) {
        auto v = JsonToValue(e, type.ListChild());
        if (!v) return std::nullopt;
        elements.push_back(std::move(*v));
      }
      return Value::List(type, std::move(elements));
    }
    case TypeId::kMap: {  // an object: its keys are cast from their text
      if (node.kind != JsonNode::Kind::kObject) return std::nullopt;
      std::vector<Value> keys, values;
      for (const auto& m : node.members) {
        auto v = JsonToValue(m.value, type.MapValue());
        if (!v) return std::nullopt;
        try {
          keys.push_back(Value::Varchar(m.key).CastTo(type.MapKey()));
        } catch (const ConversionError&) {
          return std::nullopt;
        }
        values.push_back(std::move(*v));
      }
      return Value::Map(type, keys, values);
    }
    case TypeId::kStruct: {
      if (node.kind != JsonNode::Kind::kObject) return std::nullopt;
      std::vector<Value> fields;
      for (const auto& f : type.StructFields()) {
        const JsonNode* member = node.Find(f.name);
        if (member == nullptr) {
          fields.push_back(Value::Null(f.type));
          continue;
        }
        auto v = JsonToValue(*member, f.type);
        if (!v) return std::nullopt;
        fields.push_back(std::move(*v));
      }
      return Value::Struct(type, std::move(fields));
    }
    case TypeId::kVarchar: {
      if (node.kind == JsonNode::Kind::kString) return Value::Varchar(node.text);
      std::string text;
      WriteJson(node, &text);
      return Value::Varchar(std::move(text));
    }
    case TypeId::kBoolean:
      if (node.kind == JsonNode::Kind::kTrue) return Value::Boolean(true);
      if (node.kind == JsonNode::Kind::kFalse) return Value::Boolean(false);
      return std::nullopt;
    default:
      if (node.kind != JsonNode::Kind::kNumber) return std::nullopt;
      try {
        return Value::Varchar(node.text).CastTo(type);
      } catch (const UserError&) {
        return std::nullopt;
      }
  }
}

}  // namespace sluice
