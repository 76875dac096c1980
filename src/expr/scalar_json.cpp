#include <algorithm>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "common/error.h"
#include "common/json_document.h"
#include "expr/json_functions.h"
#include "expr/json_path.h"
#include "expr/json_scan.h"
#include "expr/kernel_util.h"
#include "expr/scalar_functions.h"

// The JSON functions over JSON text (JSON is VARCHAR, as DuckDB's JSON type is an alias of
// it): json_extract / -> , json_extract_string / ->>, json_array_length, json_type,
// json_valid, json_exists, json, to_json, json_quote, json_object, json_array.
namespace sluice {

namespace {

using kernel::ArgReader;
constexpr TypeId kVarchar = TypeId::kVarchar;

// What a path function makes of the text of the value found (nullopt: the path names
// nothing) at row i; false makes the row NULL. `scratch` is a buffer reused across rows.
using Found = std::optional<std::string_view>;
using PathOp = std::function<bool(const Found& found, Column& out, size_t i, std::string& scratch)>;

std::optional<BoundScalar> ResolvePathFunction(const std::vector<ExprPtr>& args,
                                               bool path_optional, LogicalType result,
                                               PathOp op) {
  if (args.size() != 2 && !(path_optional && args.size() == 1)) return std::nullopt;
  if (!kernel::ImplicitlyCastable(*args[0], kVarchar)) return std::nullopt;
  std::vector<LogicalType> params = {kVarchar};
  bool integer_path = false;
  std::optional<JsonPath> constant_path;
  if (args.size() == 2) {
    const LogicalType& t = args[1]->type;
    integer_path = t.IsInteger();
    if (!integer_path && !kernel::ImplicitlyCastable(*args[1], kVarchar)) return std::nullopt;
    params.push_back(integer_path ? LogicalType(TypeId::kBigInt) : LogicalType(kVarchar));
    if (const Value* literal = kernel::LiteralArg(args, 1)) {
      constant_path = integer_path ? JsonPath::Index(literal->GetInt())
                                   : JsonPath::Parse(literal->GetString());
    }
  } else {
    constant_path = JsonPath::Parse("");
  }
  ScalarKernel k = [result, op, integer_path, constant_path](const std::vector<ColumnPtr>& cols,
                                                             size_t n) {
    ArgReader json(*cols[0]);
    std::optional<ArgReader> path;
    if (cols.size() == 2) path.emplace(*cols[1]);
    std::string scratch;
    return kernel::RowExec(result, cols, n, [&](size_t i, Column& out) {
      const std::string_view text = json.Get<StringView>(i).view();
      if (constant_path) return op(LocateJsonPath(text, *constant_path), out, i, scratch);
      const JsonPath p = integer_path ? JsonPath::Index(path->Get<int64_t>(i))
                                      : JsonPath::Parse(path->Get<StringView>(i).view());
      return op(LocateJsonPath(text, p), out, i, scratch);
    });
  };
  return BoundScalar{result, params, std::move(k)};
}

void SetString(Column& out, size_t i, std::string_view s) {
  out.data<StringView>()[i] = out.AddString(s);
}

// The value's compact JSON as DuckDB prints it. Strings without escapes, literals and short
// plain integers are already in that form; anything else is parsed and written again.
std::string_view CompactJson(std::string_view v, std::string& scratch) {
  const char c = v[0];
  if (c == '"' && v.find('\\') == std::string_view::npos) return v;
  if (c == 't' || c == 'f' || c == 'n') return v;
  if ((c == '-' || (c >= '0' && c <= '9')) && v.size() < 19 &&
      v.find_first_of(".eE") == std::string_view::npos && v != "-0") {
    return v;
  }
  JsonNode node;
  JsonParseError error;
  ParseJson(v, &node, &error);  // known valid: LocateJsonPath checked it
  scratch.clear();
  WriteJson(node, &scratch);
  return scratch;
}

bool ExtractJson(const Found& found, Column& out, size_t i, std::string& scratch) {
  if (!found) return false;
  SetString(out, i, CompactJson(*found, scratch));
  return true;
}

bool ExtractString(const Found& found, Column& out, size_t i, std::string& scratch) {
  if (!found || *found == "null") return false;
  const std::string_view v = *found;
  if (v[0] == '"') {
    if (v.find('\\') == std::string_view::npos) {
      SetString(out, i, v.substr(1, v.size() - 2));
      return true;
    }
    JsonNode node;
    JsonParseError error;
    ParseJson(v, &node, &error);
    SetString(out, i, node.text);
    return true;
  }
  return ExtractJson(found, out, i, scratch);
}

// DuckDB's json_type name of a value's text.
const char* JsonTypeName(std::string_view v) {
  switch (v[0]) {
    case '{': return "OBJECT";
    case '[': return "ARRAY";
    case '"': return "VARCHAR";
    case 't':
    case 'f': return "BOOLEAN";
    case 'n': return "NULL";
    default:
      if (v.find_first_of(".eE") != std::string_view::npos) return "DOUBLE";
      return v[0] == '-' ? "BIGINT" : "UBIGINT";
  }
}

// A function of any arguments whose result is built from the arguments' Values row by row;
// NULL arguments reach `fn` (json_array, json_object) unless `null_in_null_out`.
template <typename Fn>
ScalarKernel ValuesKernel(bool null_in_null_out, Fn fn) {
  return [null_in_null_out, fn](const std::vector<ColumnPtr>& cols, size_t n) {
    auto body = [&](size_t i, Column& out) {
      std::vector<Value> values;
      for (const auto& c : cols) values.push_back(c->GetValue(c->is_constant() ? 0 : i));
      std::string text;
      if (!fn(values, &text)) return false;
      SetString(out, i, text);
      return true;
    };
    if (null_in_null_out) return kernel::RowExec(kVarchar, cols, n, body);
    return kernel::RowExecAll(kVarchar, cols, n, body);
  };
}

std::vector<LogicalType> TypesOf(const std::vector<ExprPtr>& args) {
  std::vector<LogicalType> types;
  for (const auto& a : args) types.push_back(a->type);
  return types;
}

// RFC 7396: `patch` merged into `target` (an object patch merges member by member, a null
// member removes the key; any other patch replaces the target).
void MergePatch(JsonNode* target, const JsonNode& patch) {
  if (patch.kind != JsonNode::Kind::kObject) {
    *target = patch;
    return;
  }
  if (target->kind != JsonNode::Kind::kObject) {
    *target = JsonNode{};
    target->kind = JsonNode::Kind::kObject;
  }
  for (const JsonNode::Member& p : patch.members) {
    const std::string& key = p.key;
    const JsonNode& value = p.value;
    auto& members = target->members;
    auto it = std::find_if(members.begin(), members.end(),
                           [&](const JsonNode::Member& m) { return m.key == key; });
    if (value.kind == JsonNode::Kind::kNull) {
      if (it != members.end()) members.erase(it);
      continue;
    }
    if (it == members.end()) {
      members.push_back(JsonNode::Member{key, JsonNode{}});
      it = members.end() - 1;
    }
    MergePatch(&it->value, value);
  }
}

// DuckDB's json_pretty layout: four spaces per level, empty containers inline.
void WritePretty(const JsonNode& node, int depth, std::string* out) {
  const bool object = node.kind == JsonNode::Kind::kObject;
  const size_t size = object ? node.members.size() : node.elements.size();
  if ((!object && node.kind != JsonNode::Kind::kArray) || size == 0) {
    WriteJson(node, out);
    return;
  }
  out->append(object ? "{\n" : "[\n");
  for (size_t i = 0; i < size; i++) {
    out->append(static_cast<size_t>(depth + 1) * 4, ' ');
    if (object) {
      AppendJsonQuoted(node.members[i].key, out);
      out->append(": ");
    }
    WritePretty(object ? node.members[i].value : node.elements[i], depth + 1, out);
    if (i + 1 < size) out->push_back(',');
    out->push_back('\n');
  }
  out->append(static_cast<size_t>(depth) * 4, ' ');
  out->push_back(object ? '}' : ']');
}

JsonNode ParseOrThrow(std::string_view text) {
  JsonNode node;
  JsonParseError error;
  if (!ParseJson(text, &node, &error)) {
    throw InvalidInputError(fmt::format("Malformed JSON at byte {} of input: {}.  Input: \"{}\"",
                                        error.offset, error.message, text));
  }
  return node;
}

}  // namespace

void AppendValueJson(const Value& v, std::string* out) {
  if (v.is_null()) {
    out->append("null");
    return;
  }
  switch (v.type().id()) {
    case TypeId::kBoolean: out->append(v.GetBool() ? "true" : "false"); break;
    case TypeId::kTinyInt:
    case TypeId::kSmallInt:
    case TypeId::kInteger:
    case TypeId::kBigInt: out->append(std::to_string(v.GetInt())); break;
    case TypeId::kDouble: AppendJsonDouble(v.GetDouble(), out); break;
    case TypeId::kDecimal: AppendJsonDouble(v.CastTo(TypeId::kDouble).GetDouble(), out); break;
    case TypeId::kList: {  // an array
      out->push_back('[');
      for (size_t i = 0; i < v.GetChildren().size(); i++) {
        if (i > 0) out->push_back(',');
        AppendValueJson(v.GetChildren()[i], out);
      }
      out->push_back(']');
      break;
    }
    case TypeId::kStruct:
    case TypeId::kMap: {  // an object; a map's keys as their text (as DuckDB)
      out->push_back('{');
      const auto& parts = v.GetChildren();
      for (size_t i = 0; i < parts.size(); i++) {
        if (i > 0) out->push_back(',');
        const bool map = v.type().id() == TypeId::kMap;
        AppendJsonQuoted(map ? parts[i].GetChildren()[0].ToString() : v.type().StructFields()[i].name,
                         out);
        out->push_back(':');
        AppendValueJson(map ? parts[i].GetChildren()[1] : parts[i], out);
      }
      out->push_back('}');
      break;
    }
    default: AppendJsonQuoted(v.ToString(), out);
  }
}

void RegisterJsonFunctions(FunctionRegistry& r) {
  const std::string path_sig = "(JSON, VARCHAR | BIGINT)";
  for (const char* name : {"json_extract", "json_extract_path"}) {
    r.AddScalar(name, [](const std::vector<ExprPtr>& args) {
      return ResolvePathFunction(args, false, kVarchar, ExtractJson);
    }, std::string("json_extract") + path_sig);
  }
  for (const char* name : {"json_extract_string", "json_extract_path_text"}) {
    r.AddScalar(name, [](const std::vector<ExprPtr>& args) {
      return ResolvePathFunction(args, false, kVarchar, ExtractString);
    }, std::string("json_extract_string") + path_sig);
  }
  r.AddScalar("json_array_length", [](const std::vector<ExprPtr>& args) {
    return ResolvePathFunction(args, true, TypeId::kBigInt,
                               [](const Found& found, Column& out, size_t i, std::string&) {
      if (!found) return false;
      int64_t length = 0;
      if ((*found)[0] == '[') {
        JsonNode node;
        JsonParseError error;
        ParseJson(*found, &node, &error);
        length = static_cast<int64_t>(node.elements.size());
      }
      out.data<int64_t>()[i] = length;
      return true;
    });
  }, "json_array_length(JSON[, VARCHAR])");
  r.AddScalar("json_type", [](const std::vector<ExprPtr>& args) {
    return ResolvePathFunction(args, true, kVarchar, [](const Found& found, Column& out,
                                                        size_t i, std::string&) {
      if (!found) return false;
      out.data<StringView>()[i] = StringView(std::string_view(JsonTypeName(*found)));
      return true;
    });
  }, "json_type(JSON[, VARCHAR])");
  r.AddScalar("json_exists", [](const std::vector<ExprPtr>& args) {
    return ResolvePathFunction(args, false, TypeId::kBoolean,
                               [](const Found& found, Column& out, size_t i, std::string&) {
      out.data<uint8_t>()[i] = found.has_value();
      return true;
    });
  }, "json_exists(JSON, VARCHAR)");
  r.AddScalar("json", [](const std::vector<ExprPtr>& args) {
    return ResolvePathFunction(args, true, kVarchar, ExtractJson);
  }, "json(VARCHAR)");
  r.AddScalar("json_valid", kernel::FixedSignature({kVarchar}, TypeId::kBoolean,
      [](const std::vector<ColumnPtr>& cols, size_t n) {
        ArgReader json(*cols[0]);
        return kernel::RowExec(TypeId::kBoolean, cols, n, [&](size_t i, Column& out) {
          out.data<uint8_t>()[i] = IsValidJson(json.Get<StringView>(i).view());
          return true;
        });
      }), "json_valid(VARCHAR)");
  for (const char* name : {"to_json", "json_quote"}) {
    r.AddScalar(name, [](const std::vector<ExprPtr>& args) -> std::optional<BoundScalar> {
      if (args.size() != 1) return std::nullopt;
      return BoundScalar{kVarchar, TypesOf(args),
                         ValuesKernel(true, [](const std::vector<Value>& v, std::string* out) {
                           AppendValueJson(v[0], out);
                           return true;
                         })};
    }, std::string(name) + "(ANY)");
  }
  r.AddScalar("json_array", [](const std::vector<ExprPtr>& args) -> std::optional<BoundScalar> {
    return BoundScalar{kVarchar, TypesOf(args),
                       ValuesKernel(false, [](const std::vector<Value>& v, std::string* out) {
                         out->push_back('[');
                         for (size_t i = 0; i < v.size(); i++) {
                           if (i > 0) out->push_back(',');
                           AppendValueJson(v[i], out);
                         }
                         out->push_back(']');
                         return true;
                       })};
  }, "json_array(ANY, ...)");
  r.AddScalar("json_object", [](const std::vector<ExprPtr>& args) -> std::optional<BoundScalar> {
    if (args.size() % 2 != 0) return std::nullopt;
    std::vector<LogicalType> types = TypesOf(args);
    for (size_t i = 0; i < args.size(); i += 2) {
      if (!kernel::ImplicitlyCastable(*args[i], kVarchar)) return std::nullopt;
      types[i] = kVarchar;
    }
    return BoundScalar{kVarchar, types,
                       ValuesKernel(false, [](const std::vector<Value>& v, std::string* out) {
                         out->push_back('{');
                         for (size_t i = 0; i < v.size(); i += 2) {
                           if (v[i].is_null()) {
                             throw InvalidInputError("json_object() keys can not be NULL");
                           }
                           if (i > 0) out->push_back(',');
                           AppendJsonQuoted(v[i].GetString(), out);
                           out->push_back(':');
                           AppendValueJson(v[i + 1], out);
                         }
                         out->push_back('}');
                         return true;
                       })};
  }, "json_object(VARCHAR, ANY, ...)");
  r.AddScalar("json_merge_patch", [](const std::vector<ExprPtr>& args)
                                       -> std::optional<BoundScalar> {
    if (args.size() < 2) return std::nullopt;
    for (const auto& a : args) {
      if (!kernel::ImplicitlyCastable(*a, kVarchar)) return std::nullopt;
    }
    ScalarKernel k = [](const std::vector<ColumnPtr>& cols, size_t n) {
      std::vector<ArgReader> in;
      for (const auto& c : cols) in.emplace_back(*c);
      std::string text;
      return kernel::RowExecAll(kVarchar, cols, n, [&](size_t i, Column& out) {
        // A NULL target is JSON null; a NULL patch makes the result NULL (DuckDB).
        JsonNode merged;
        if (in[0].IsValid(i)) merged = ParseOrThrow(in[0].Get<StringView>(i).view());
        for (size_t a = 1; a < in.size(); a++) {
          if (!in[a].IsValid(i)) return false;
          MergePatch(&merged, ParseOrThrow(in[a].Get<StringView>(i).view()));
        }
        text.clear();
        WriteJson(merged, &text);
        SetString(out, i, text);
        return true;
      });
    };
    return BoundScalar{kVarchar, std::vector<LogicalType>(args.size(), kVarchar), std::move(k)};
  }, "json_merge_patch(JSON, JSON, ...)");
  r.AddScalar("json_pretty", kernel::FixedSignature({kVarchar}, kVarchar,
      [](const std::vector<ColumnPtr>& cols, size_t n) {
        ArgReader json(*cols[0]);
        std::string text;
        return kernel::RowExec(kVarchar, cols, n, [&](size_t i, Column& out) {
          text.clear();
          WritePretty(ParseOrThrow(json.Get<StringView>(i).view()), 0, &text);
          SetString(out, i, text);
          return true;
        });
      }), "json_pretty(JSON)");
  RegisterJsonAggregates(r);
}

}  // namespace sluice
