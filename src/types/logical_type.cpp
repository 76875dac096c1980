#include "types/logical_type.h"

#include <cctype>
#include <map>
#include <memory>
#include <mutex>

#include <fmt/format.h>

#include "common/error.h"
#include "common/strings.h"
#include "types/interval.h"
#include "types/string_view.h"

namespace sluice {

int LogicalType::PhysicalSize() const {
  switch (id_) {
    case TypeId::kNull:
    case TypeId::kBoolean:
    case TypeId::kTinyInt:
      return 1;
    case TypeId::kSmallInt:
      return 2;
    case TypeId::kInteger:
    case TypeId::kDate:
      return 4;
    case TypeId::kBigInt:
    case TypeId::kDouble:
    case TypeId::kTimestamp:
    case TypeId::kTime:
    case TypeId::kTimestampTz:
      return 8;
    case TypeId::kDecimal:
      return precision_ > 18 ? 16 : 8;
    case TypeId::kVarchar:
    case TypeId::kBlob:
      return sizeof(StringView);
    case TypeId::kInterval:
      return sizeof(Interval);
    case TypeId::kList:
    case TypeId::kMap:
      return 16;  // ListEntry (vector/column.h)
    case TypeId::kStruct:
      return 1;
  }
  return 8;
}

namespace {

// A field name as written in STRUCT(...): bare when it is a plain identifier, as DuckDB
// prints it.
std::string FieldNameSql(const std::string& name) {
  bool plain = !name.empty() && !std::isdigit(static_cast<unsigned char>(name[0]));
  for (char c : name) plain &= std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
  if (plain) return name;
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

const NestedTypeInfo* Intern(const std::string& key, std::vector<StructField> children) {
  static std::mutex mu;
  static auto* table = new std::map<std::string, std::unique_ptr<NestedTypeInfo>>();
  std::lock_guard<std::mutex> lock(mu);
  auto& slot = (*table)[key];
  if (!slot) slot = std::make_unique<NestedTypeInfo>(std::move(children));
  return slot.get();
}

}  // namespace

LogicalType LogicalType::List(const LogicalType& child) {
  LogicalType t(TypeId::kList);
  t.nested_ = Intern("L" + child.ToString(), {StructField{"", child}});
  return t;
}

LogicalType LogicalType::Struct(const std::vector<StructField>& fields) {
  LogicalType t(TypeId::kStruct);
  std::string key = "S";
  for (const auto& f : fields) key += FieldNameSql(f.name) + " " + f.type.ToString() + ",";
  t.nested_ = Intern(key, fields);
  return t;
}

LogicalType LogicalType::Map(const LogicalType& key, const LogicalType& value) {
  LogicalType t(TypeId::kMap);
  const LogicalType entry = Struct({StructField{"key", key}, StructField{"value", value}});
  t.nested_ = Intern("M" + entry.ToString(), {StructField{"", entry}});
  return t;
}

const LogicalType& LogicalType::ListChild() const {
  SLUICE_CHECK(HasListLayout() && nested_ != nullptr, "ListChild of {}", ToString());
  return nested_->children()[0].type;
}

const LogicalType& LogicalType::MapKey() const {
  SLUICE_CHECK(id_ == TypeId::kMap && nested_ != nullptr, "MapKey of {}", ToString());
  return ListChild().StructFields()[0].type;
}

const LogicalType& LogicalType::MapValue() const {
  SLUICE_CHECK(id_ == TypeId::kMap && nested_ != nullptr, "MapValue of {}", ToString());
  return ListChild().StructFields()[1].type;
}

const std::vector<StructField>& LogicalType::StructFields() const {
  SLUICE_CHECK(id_ == TypeId::kStruct && nested_ != nullptr, "StructFields of {}", ToString());
  return nested_->children();
}

int StructFieldIndex(const LogicalType& type, const std::string& name) {
  const auto& fields = type.StructFields();
  const std::string lower = ToLower(name);
  for (size_t i = 0; i < fields.size(); i++) {
    if (fields[i].name == name) return static_cast<int>(i);
  }
  for (size_t i = 0; i < fields.size(); i++) {
    if (ToLower(fields[i].name) == lower) return static_cast<int>(i);
  }
  return -1;
}

std::string LogicalType::ToString() const {
  switch (id_) {
    case TypeId::kNull: return "NULL";
    case TypeId::kBoolean: return "BOOLEAN";
    case TypeId::kTinyInt: return "TINYINT";
    case TypeId::kSmallInt: return "SMALLINT";
    case TypeId::kInteger: return "INTEGER";
    case TypeId::kBigInt: return "BIGINT";
    case TypeId::kDouble: return "DOUBLE";
    case TypeId::kDecimal: return fmt::format("DECIMAL({},{})", precision_, scale_);
    case TypeId::kVarchar: return "VARCHAR";
    case TypeId::kDate: return "DATE";
    case TypeId::kTimestamp: return "TIMESTAMP";
    case TypeId::kInterval: return "INTERVAL";
    case TypeId::kTime: return "TIME";
    case TypeId::kBlob: return "BLOB";
    case TypeId::kTimestampTz: return "TIMESTAMP WITH TIME ZONE";
    case TypeId::kList: return nested_ ? ListChild().ToString() + "[]" : "LIST";
    case TypeId::kStruct: {
      if (!nested_) return "STRUCT";
      std::string out = "STRUCT(";
      const auto& fields = StructFields();
      for (size_t i = 0; i < fields.size(); i++) {
        if (i > 0) out += ", ";
        out += FieldNameSql(fields[i].name) + " " + fields[i].type.ToString();
      }
      return out + ")";
    }
    case TypeId::kMap: {
      if (!nested_) return "MAP";
      // DuckDB quotes the NULL type here: MAP("NULL", "NULL") for MAP {}.
      auto part = [](const LogicalType& p) {
        return p.id() == TypeId::kNull ? std::string("\"NULL\"") : p.ToString();
      };
      return "MAP(" + part(MapKey()) + ", " + part(MapValue()) + ")";
    }
  }
  return "?";
}

namespace {

LogicalType ParseScalarTypeName(const std::string& text) {
  std::string t = ToLower(text);
  while (!t.empty() && t.back() == ' ') t.pop_back();
  while (!t.empty() && t.front() == ' ') t.erase(t.begin());
  std::string base = t;
  std::vector<int> params;
  const size_t paren = t.find('(');
  if (paren != std::string::npos) {
    base = t.substr(0, paren);
    while (!base.empty() && base.back() == ' ') base.pop_back();
    const size_t close = t.find(')', paren);
    if (close == std::string::npos) throw InvalidInputError(fmt::format("invalid type '{}'", text));
    for (const auto& part : Split(t.substr(paren + 1, close - paren - 1), ',')) {
      try {
        params.push_back(std::stoi(part));
      } catch (const std::exception&) {
        throw InvalidInputError(fmt::format("invalid type '{}'", text));
      }
    }
  }
  if (base == "boolean" || base == "bool") return TypeId::kBoolean;
  if (base == "tinyint" || base == "int1") return TypeId::kTinyInt;
  if (base == "smallint" || base == "int2" || base == "short") return TypeId::kSmallInt;
  if (base == "integer" || base == "int" || base == "int4" || base == "signed") return TypeId::kInteger;
  if (base == "bigint" || base == "int8" || base == "long") return TypeId::kBigInt;
  if (base == "double" || base == "float" || base == "real" || base == "float8" ||
      base == "float4" || base == "double precision") {
    return TypeId::kDouble;
  }
  if (base == "decimal" || base == "numeric" || base == "dec") {
    const int p = params.empty() ? 18 : params[0];
    const int s = params.size() > 1 ? params[1] : (params.empty() ? 3 : 0);
    if (p < 1 || p > kMaxDecimalPrecision || s < 0 || s > p) {
      throw InvalidInputError(fmt::format(
          "invalid type '{}': DECIMAL precision must be 1..38 and scale 0..precision", text));
    }
    return LogicalType::Decimal(p, s);
  }
  if (base == "varchar" || base == "text" || base == "string" || base == "char" ||
      base == "bpchar" || base == "character varying" || base == "json") {
    return TypeId::kVarchar;
  }
  if (base == "date") return TypeId::kDate;
  if (base == "timestamp" || base == "datetime" || base == "timestamp without time zone") {
    return TypeId::kTimestamp;
  }
  if (base == "timestamptz" || base == "timestamp with time zone") return TypeId::kTimestampTz;
  if (base == "blob" || base == "bytea" || base == "binary" || base == "varbinary") {
    return TypeId::kBlob;
  }
  if (base == "interval") return TypeId::kInterval;
  if (base == "time" || base == "time without time zone") return TypeId::kTime;
  throw InvalidInputError(fmt::format(
      "unknown type '{}'{}", text,
      DidYouMean(base, {"boolean", "tinyint", "smallint", "integer", "bigint", "double",
                        "decimal", "varchar", "date", "time", "timestamp", "interval",
                        "blob", "timestamptz",
                        "list", "struct", "map"})));
}

std::string Trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) b++;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) e--;
  return s.substr(b, e - b);
}

// Splits `s` at commas outside parentheses and double quotes.
std::vector<std::string> SplitTopLevel(const std::string& s) {
  std::vector<std::string> parts;
  std::string cur;
  int depth = 0;
  bool quoted = false;
  for (char c : s) {
    if (c == '"') quoted = !quoted;
    if (!quoted && c == '(') depth++;
    if (!quoted && c == ')') depth--;
    if (!quoted && depth == 0 && c == ',') {
      parts.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  parts.push_back(cur);
  return parts;
}

// "name TYPE" or "\"a name\" TYPE" of a STRUCT(...) field.
StructField ParseStructField(const std::string& text, const std::string& whole) {
  const std::string t = Trim(text);
  std::string name;
  size_t rest = 0;
  if (!t.empty() && t[0] == '"') {
    size_t i = 1;
    for (; i < t.size(); i++) {
      if (t[i] == '"') {
        if (i + 1 < t.size() && t[i + 1] == '"') {
          name += '"';
          i++;
          continue;
        }
        break;
      }
      name += t[i];
    }
    rest = i + 1;
  } else {
    const size_t space = t.find_first_of(" \t");
    if (space == std::string::npos) {
      throw InvalidInputError(fmt::format("invalid type '{}': a STRUCT field needs a type", whole));
    }
    name = ToLower(t.substr(0, space));
    rest = space;
  }
  if (rest > t.size()) throw InvalidInputError(fmt::format("invalid type '{}'", whole));
  return StructField{name, ParseTypeName(t.substr(rest))};
}

}  // namespace

LogicalType ParseTypeName(const std::string& text) {
  const std::string t = Trim(text);
  if (t.size() > 2 && t.compare(t.size() - 2, 2, "[]") == 0) {
    return LogicalType::List(ParseTypeName(t.substr(0, t.size() - 2)));
  }
  const size_t paren = t.find('(');
  if (paren != std::string::npos && t.back() == ')') {
    const std::string base = ToLower(Trim(t.substr(0, paren)));
    const std::string inner = t.substr(paren + 1, t.size() - paren - 2);
    if (base == "list") return LogicalType::List(ParseTypeName(inner));
    if (base == "map") {
      const auto parts = SplitTopLevel(inner);
      if (parts.size() != 2) {
        throw InvalidInputError(fmt::format("invalid type '{}': MAP needs a key and a value type", text));
      }
      return LogicalType::Map(ParseTypeName(parts[0]), ParseTypeName(parts[1]));
    }
    if (base == "struct" || base == "row") {
      std::vector<StructField> fields;
      for (const auto& part : SplitTopLevel(inner)) fields.push_back(ParseStructField(part, text));
      for (size_t i = 0; i < fields.size(); i++) {
        for (size_t j = 0; j < i; j++) {
          if (ToLower(fields[i].name) == ToLower(fields[j].name)) {
            throw InvalidInputError(
                fmt::format("invalid type '{}': duplicate field name '{}'", text, fields[i].name));
          }
        }
      }
      return LogicalType::Struct(fields);
    }
  }
  return ParseScalarTypeName(t);
}

namespace {
int IntegerRank(TypeId id) {
  switch (id) {
    case TypeId::kTinyInt: return 1;
    case TypeId::kSmallInt: return 2;
    case TypeId::kInteger: return 3;
    case TypeId::kBigInt: return 4;
    default: return 0;
  }
}
int IntegerDigits(TypeId id) {
  switch (id) {
    case TypeId::kTinyInt: return 3;
    case TypeId::kSmallInt: return 5;
    case TypeId::kInteger: return 10;
    default: return 19;
  }
}
}  // namespace

LogicalType CommonNumericType(const LogicalType& a, const LogicalType& b) {
  if (a.id() == TypeId::kNull) return b;
  if (b.id() == TypeId::kNull) return a;
  if (!a.IsNumeric() || !b.IsNumeric()) return TypeId::kNull;
  if (a.id() == TypeId::kDouble || b.id() == TypeId::kDouble) return TypeId::kDouble;
  if (a.IsInteger() && b.IsInteger()) {
    return IntegerRank(a.id()) >= IntegerRank(b.id()) ? a : b;
  }
  // At least one decimal: keep enough integer digits and the larger scale.
  auto int_digits = [](const LogicalType& t) {
    return t.id() == TypeId::kDecimal ? t.precision() - t.scale() : IntegerDigits(t.id());
  };
  auto scale = [](const LogicalType& t) { return t.id() == TypeId::kDecimal ? t.scale() : 0; };
  const int s = std::max(scale(a), scale(b));
  const int digits = std::max(int_digits(a), int_digits(b));
  return LogicalType::Decimal(std::min(kMaxDecimalPrecision, digits + s), s);
}

}  // namespace sluice
