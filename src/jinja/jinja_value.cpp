#include "jinja/jinja_value.h"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "common/error.h"
#include "jinja/jinja_error.h"
#include "jinja/jinja_operators.h"

namespace sluice::jinja {

namespace {

// The dict key of a hashable value. Numbers that compare equal share a key, as in Python
// (1, 1.0 and True are the same key).
std::string HashKey(const Value& key) {
  switch (key.kind()) {
    case Value::Kind::kString:
      return "s" + key.AsString();
    case Value::Kind::kBool:
    case Value::Kind::kInt:
      return "n" + std::to_string(key.AsInt());
    case Value::Kind::kFloat: {
      double d = key.AsDouble();
      if (std::trunc(d) == d && std::fabs(d) < 9e18) {
        return "n" + std::to_string(static_cast<int64_t>(d));
      }
      return "f" + FormatFloat(d);
    }
    case Value::Kind::kNone:
      return "N";
    case Value::Kind::kTuple: {
      std::string out = "t(";
      for (const Value& v : key.AsList()) out += HashKey(v) + ",";
      return out + ")";
    }
    default:
      throw JinjaError("unhashable type: '" + key.TypeName() + "'");
  }
}

}  // namespace

Value::Value(std::shared_ptr<Object> o) : kind_(Kind::kObject), data_(std::move(o)) {
  SLUICE_CHECK(std::get<std::shared_ptr<Object>>(data_) != nullptr);
}

Value Value::Undefined(std::string hint) { return Value(Kind::kUndefined, std::move(hint)); }
Value Value::None() { return Value(Kind::kNone, std::monostate{}); }
Value Value::MakeList(List items) {
  return Value(Kind::kList, std::make_shared<List>(std::move(items)));
}
Value Value::MakeTuple(List items) {
  return Value(Kind::kTuple, std::make_shared<List>(std::move(items)));
}
Value Value::MakeDict() { return Value(Kind::kDict, std::make_shared<Dict>()); }
Value Value::MakeDict(Dict dict) {
  return Value(Kind::kDict, std::make_shared<Dict>(std::move(dict)));
}

bool Value::IsCallable() const { return IsObject() && AsObject().IsCallable(); }

bool Value::AsBool() const {
  SLUICE_CHECK(IsBool(), "kind={}", static_cast<int>(kind_));
  return std::get<bool>(data_);
}
int64_t Value::AsInt() const {
  if (IsBool()) return std::get<bool>(data_) ? 1 : 0;
  SLUICE_CHECK(IsInt(), "kind={}", static_cast<int>(kind_));
  return std::get<int64_t>(data_);
}
double Value::AsDouble() const {
  if (IsFloat()) return std::get<double>(data_);
  return static_cast<double>(AsInt());
}
const std::string& Value::AsString() const {
  SLUICE_CHECK(IsString(), "kind={}", static_cast<int>(kind_));
  return std::get<std::string>(data_);
}
List& Value::AsList() const {
  SLUICE_CHECK(IsSequence(), "kind={}", static_cast<int>(kind_));
  return *std::get<std::shared_ptr<List>>(data_);
}
Dict& Value::AsDict() const {
  SLUICE_CHECK(IsDict(), "kind={}", static_cast<int>(kind_));
  return *std::get<std::shared_ptr<Dict>>(data_);
}
Object& Value::AsObject() const { return *object_ptr(); }
const std::shared_ptr<Object>& Value::object_ptr() const {
  SLUICE_CHECK(IsObject(), "kind={}", static_cast<int>(kind_));
  return std::get<std::shared_ptr<Object>>(data_);
}
const std::string& Value::undefined_hint() const {
  SLUICE_CHECK(IsUndefined());
  static const std::string kEmpty;
  const auto* hint = std::get_if<std::string>(&data_);
  return hint ? *hint : kEmpty;
}

bool Value::Truthy() const {
  switch (kind_) {
    case Kind::kUndefined:
    case Kind::kNone:
      return false;
    case Kind::kBool:
      return AsBool();
    case Kind::kInt:
      return AsInt() != 0;
    case Kind::kFloat:
      return AsDouble() != 0.0;
    case Kind::kString:
      return !AsString().empty();
    case Kind::kList:
    case Kind::kTuple:
      return !AsList().empty();
    case Kind::kDict:
      return !AsDict().empty();
    case Kind::kObject:
      return AsObject().Truthy();
  }
  return false;
}

std::string Value::Str() const {
  switch (kind_) {
    case Kind::kUndefined:
      return "";
    case Kind::kString:
      return AsString();
    case Kind::kObject:
      return AsObject().Str();
    default:
      return Repr();
  }
}

std::string Value::Repr() const {
  switch (kind_) {
    case Kind::kUndefined:
      return "";
    case Kind::kNone:
      return "None";
    case Kind::kBool:
      return AsBool() ? "True" : "False";
    case Kind::kInt:
      return std::to_string(AsInt());
    case Kind::kFloat:
      return FormatFloat(AsDouble());
    case Kind::kString:
      return ReprString(AsString());
    case Kind::kList:
    case Kind::kTuple: {
      const List& items = AsList();
      std::string out = IsList() ? "[" : "(";
      for (size_t i = 0; i < items.size(); ++i) {
        if (i > 0) out += ", ";
        out += items[i].Repr();
      }
      if (IsTuple() && items.size() == 1) out += ",";
      return out + (IsList() ? "]" : ")");
    }
    case Kind::kDict: {
      std::string out = "{";
      bool first = true;
      for (const auto& [k, v] : AsDict().entries()) {
        if (!first) out += ", ";
        first = false;
        out += k.Repr() + ": " + v.Repr();
      }
      return out + "}";
    }
    case Kind::kObject:
      return AsObject().Repr();
  }
  return "";
}

std::string Value::TypeName() const {
  switch (kind_) {
    case Kind::kUndefined:
      return "Undefined";
    case Kind::kNone:
      return "NoneType";
    case Kind::kBool:
      return "bool";
    case Kind::kInt:
      return "int";
    case Kind::kFloat:
      return "float";
    case Kind::kString:
      return "str";
    case Kind::kList:
      return "list";
    case Kind::kTuple:
      return "tuple";
    case Kind::kDict:
      return "dict";
    case Kind::kObject:
      return AsObject().TypeName();
  }
  return "";
}

const Value* Dict::Find(const Value& key) const {
  auto it = index_.find(HashKey(key));
  return it == index_.end() ? nullptr : &entries_[it->second].second;
}
Value* Dict::Find(const Value& key) {
  auto it = index_.find(HashKey(key));
  return it == index_.end() ? nullptr : &entries_[it->second].second;
}
const Value* Dict::FindKey(std::string_view key) const {
  std::string hashed = "s";
  hashed += key;
  auto it = index_.find(hashed);
  return it == index_.end() ? nullptr : &entries_[it->second].second;
}
void Dict::Set(Value key, Value value) {
  std::string hashed = HashKey(key);
  auto it = index_.find(hashed);
  if (it != index_.end()) {
    entries_[it->second].second = std::move(value);
    return;
  }
  index_.emplace(std::move(hashed), entries_.size());
  entries_.emplace_back(std::move(key), std::move(value));
}
bool Dict::Erase(const Value& key) {
  auto it = index_.find(HashKey(key));
  if (it == index_.end()) return false;
  size_t pos = it->second;
  entries_.erase(entries_.begin() + static_cast<std::ptrdiff_t>(pos));
  index_.erase(it);
  for (auto& [hashed, p] : index_) {
    if (p > pos) --p;
  }
  return true;
}

const Value* CallArgs::Keyword(std::string_view name) const {
  for (const auto& [k, v] : keyword) {
    if (k == name) return &v;
  }
  return nullptr;
}

std::vector<std::optional<Value>> BindArguments(std::string_view function_name,
                                                const CallArgs& args,
                                                const std::vector<std::string_view>& params) {
  std::vector<std::optional<Value>> bound(params.size());
  if (args.positional.size() > params.size()) {
    throw JinjaError(fmt::format("{}() takes at most {} argument(s) ({} given)", function_name,
                                 params.size(), args.positional.size()));
  }
  for (size_t i = 0; i < args.positional.size(); ++i) bound[i] = args.positional[i];
  for (const auto& [name, value] : args.keyword) {
    size_t i = 0;
    while (i < params.size() && params[i] != name) ++i;
    if (i == params.size()) {
      throw JinjaError(
          fmt::format("{}() got an unexpected keyword argument '{}'", function_name, name));
    }
    if (bound[i]) {
      throw JinjaError(
          fmt::format("{}() got multiple values for argument '{}'", function_name, name));
    }
    bound[i] = value;
  }
  return bound;
}

Value Object::GetAttribute(std::string_view /*name*/) const { return Value::Undefined(); }
// NOLINTNEXTLINE(performance-unnecessary-value-param): overrides take ownership
void Object::SetAttribute(std::string_view name, Value /*value*/) {
  throw JinjaError(fmt::format("cannot assign attribute '{}' on '{}' object", name, TypeName()));
}
Value Object::GetItem(const Value& key) const {
  if (key.IsString()) return GetAttribute(key.AsString());
  return Value::Undefined();
}
std::string Object::Str() const { return "<" + TypeName() + " object>"; }
Value Object::Call(const CallArgs& /*args*/) {
  throw JinjaError("'" + TypeName() + "' object is not callable");
}

Value MakeFunction(std::string name, NativeFunctionBody body) {
  return Value(std::make_shared<NativeFunction>(std::move(name), std::move(body)));
}

Value Namespace::GetAttribute(std::string_view name) const {
  const Value* v = attributes_.FindKey(name);
  return v ? *v : Value::Undefined();
}
void Namespace::SetAttribute(std::string_view name, Value value) {
  attributes_.Set(Value(name), std::move(value));
}
std::string Namespace::Str() const {
  std::string out = "<Namespace {";
  bool first = true;
  for (const auto& [k, v] : attributes_.entries()) {
    if (!first) out += ", ";
    first = false;
    out += k.Repr() + ": " + v.Repr();
  }
  return out + "}>";
}

std::string FormatFloat(double d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  if (d == 0) return std::signbit(d) ? "-0.0" : "0.0";
  // Shortest round-trip digits, then laid out as Python's repr does: positional notation
  // when the decimal exponent is in [-4, 16), scientific otherwise.
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), d, std::chars_format::scientific);
  std::string sci(buf, res.ptr);
  bool negative = sci[0] == '-';
  if (negative) sci.erase(0, 1);
  size_t e_pos = sci.find('e');
  int exponent = std::stoi(sci.substr(e_pos + 1));
  std::string digits;
  for (char c : sci.substr(0, e_pos)) {
    if (c != '.') digits += c;
  }
  std::string out;
  if (exponent >= -4 && exponent < 16) {
    int point = exponent + 1;  // digits before the decimal point
    if (point <= 0) {
      out = "0." + std::string(static_cast<size_t>(-point), '0') + digits;
    } else if (static_cast<size_t>(point) >= digits.size()) {
      out = digits + std::string(static_cast<size_t>(point) - digits.size(), '0') + ".0";
    } else {
      out = digits.substr(0, static_cast<size_t>(point)) + "." +
            digits.substr(static_cast<size_t>(point));
    }
  } else {
    out = digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    char exp_buf[16];
    std::snprintf(exp_buf, sizeof(exp_buf), "e%c%02d", exponent < 0 ? '-' : '+',
                  exponent < 0 ? -exponent : exponent);
    out += exp_buf;
  }
  return negative ? "-" + out : out;
}

std::string ReprString(std::string_view s) {
  char quote = '\'';
  if (s.find('\'') != std::string_view::npos && s.find('"') == std::string_view::npos) {
    quote = '"';
  }
  std::string out(1, quote);
  for (unsigned char c : s) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c == static_cast<unsigned char>(quote)) {
          out += '\\';
          out += static_cast<char>(c);
        } else if (c < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\x%02x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += quote;
  return out;
}

}  // namespace sluice::jinja
