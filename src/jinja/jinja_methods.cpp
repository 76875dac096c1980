// Methods of str, list and dict that dbt macros call (`name.lower()`, `cols.append(c)`,
// `config.get('x', 'y')`), bound to their receiver.
#include <cctype>

#include "common/strings.h"
#include "jinja/jinja_error.h"
#include "jinja/jinja_operators.h"
#include "jinja/jinja_text.h"

namespace sluice::jinja {

namespace {

const std::string& StringArg(std::string_view method, const std::optional<Value>& v) {
  if (!v || !v->IsString()) {
    throw JinjaError(fmt::format("{}() argument must be str, not {}", method,
                                 v ? v->TypeName() : std::string("nothing")));
  }
  return v->AsString();
}

std::string OptionalChars(std::string_view method, const std::optional<Value>& v) {
  if (!v || v->IsNone()) return {};
  return StringArg(method, v);
}

int64_t IntArg(std::string_view method, const std::optional<Value>& v, int64_t fallback) {
  if (!v || v->IsNone()) return fallback;
  if (!v->IsInt() && !v->IsBool()) {
    throw JinjaError(fmt::format("{}() expected an integer, got {}", method, v->TypeName()));
  }
  return v->AsInt();
}

Value StringList(const std::vector<std::string>& parts) {
  List out;
  for (const std::string& p : parts) out.emplace_back(p);
  return Value::MakeList(std::move(out));
}

bool MatchesAffix(const Value& self, const std::optional<Value>& affix, bool prefix) {
  const std::string& s = self.AsString();
  auto one = [&](const std::string& a) {
    if (a.size() > s.size()) return false;
    return prefix ? s.compare(0, a.size(), a) == 0
                  : s.compare(s.size() - a.size(), a.size(), a) == 0;
  };
  if (affix && affix->IsTuple()) {
    for (const Value& a : affix->AsList()) {
      if (one(StringArg(prefix ? "startswith" : "endswith", a))) return true;
    }
    return false;
  }
  return one(StringArg(prefix ? "startswith" : "endswith", affix));
}

bool AllChars(const std::string& s, int (*pred)(int)) {
  if (s.empty()) return false;
  for (unsigned char c : s) {
    if (!pred(c)) return false;
  }
  return true;
}

Value StrMethod(std::string_view name, const Value& self, const CallArgs& args) {
  const std::string& s = self.AsString();
  if (name == "format") return Value(BraceFormat(s, args));
  if (name == "lower") return Value(ToLower(s));
  if (name == "upper") return Value(ToUpper(s));
  if (name == "strip" || name == "lstrip" || name == "rstrip") {
    auto a = BindArguments(name, args, {"chars"});
    return Value(Strip(s, OptionalChars(name, a[0]), name != "rstrip", name != "lstrip"));
  }
  if (name == "split") {
    auto a = BindArguments(name, args, {"sep", "maxsplit"});
    return StringList(SplitString(s, OptionalChars(name, a[0]), IntArg(name, a[1], -1)));
  }
  if (name == "splitlines") return StringList(SplitString(ReplaceAll(s, "\r\n", "\n"), "\n"));
  if (name == "replace") {
    auto a = BindArguments(name, args, {"old", "new", "count"});
    return Value(
        ReplaceAll(s, StringArg(name, a[0]), StringArg(name, a[1]), IntArg(name, a[2], -1)));
  }
  if (name == "startswith" || name == "endswith") {
    auto a = BindArguments(name, args, {"prefix"});
    return Value(MatchesAffix(self, a[0], name == "startswith"));
  }
  if (name == "join") {
    auto a = BindArguments(name, args, {"iterable"});
    std::string out;
    bool first = true;
    for (const Value& v : Iterate(a[0].value_or(Value()))) {
      if (!v.IsString())
        throw JinjaError("sequence item: expected str instance, " + v.TypeName() + " found");
      if (!first) out += s;
      first = false;
      out += v.AsString();
    }
    return Value(std::move(out));
  }
  if (name == "title") return Value(TitleCase(s));
  if (name == "capitalize") return Value(Capitalize(s));
  if (name == "count") {
    auto a = BindArguments(name, args, {"sub"});
    const std::string& sub = StringArg(name, a[0]);
    if (sub.empty()) return Value(static_cast<int64_t>(CountCodePoints(s) + 1));
    int64_t n = 0;
    for (size_t pos = s.find(sub); pos != std::string::npos; pos = s.find(sub, pos + sub.size()))
      ++n;
    return Value(n);
  }
  if (name == "find") {
    auto a = BindArguments(name, args, {"sub"});
    size_t pos = s.find(StringArg(name, a[0]));
    return Value(pos == std::string::npos
                     ? int64_t{-1}
                     : static_cast<int64_t>(CountCodePoints(s.substr(0, pos))));
  }
  if (name == "isdigit") return Value(AllChars(s, isdigit));
  if (name == "isalpha") return Value(AllChars(s, isalpha));
  if (name == "isalnum") return Value(AllChars(s, isalnum));
  if (name == "isupper") return Value(s != ToLower(s) && s == ToUpper(s));
  if (name == "islower") return Value(s != ToUpper(s) && s == ToLower(s));
  throw JinjaError("unknown str method " + std::string(name));
}

Value ListMethod(std::string_view name, const Value& self, const CallArgs& args) {
  List& items = self.AsList();
  if (name == "append") {
    auto a = BindArguments(name, args, {"object"});
    items.push_back(a[0].value_or(Value()));
    return Value::None();
  }
  if (name == "extend") {
    auto a = BindArguments(name, args, {"iterable"});
    List more = Iterate(a[0].value_or(Value()));
    items.insert(items.end(), more.begin(), more.end());
    return Value::None();
  }
  if (name == "insert") {
    auto a = BindArguments(name, args, {"index", "object"});
    int64_t n = static_cast<int64_t>(items.size());
    int64_t i = IntArg(name, a[0], 0);
    if (i < 0) i += n;
    i = std::clamp<int64_t>(i, 0, n);
    items.insert(items.begin() + i, a[1].value_or(Value()));
    return Value::None();
  }
  if (name == "pop") {
    auto a = BindArguments(name, args, {"index"});
    int64_t n = static_cast<int64_t>(items.size());
    int64_t i = IntArg(name, a[0], -1);
    if (i < 0) i += n;
    if (i < 0 || i >= n) throw JinjaError("pop index out of range");
    Value v = items[static_cast<size_t>(i)];
    items.erase(items.begin() + i);
    return v;
  }
  if (name == "index" || name == "count" || name == "remove") {
    auto a = BindArguments(name, args, {"value"});
    Value needle = a[0].value_or(Value());
    int64_t count = 0;
    for (size_t i = 0; i < items.size(); ++i) {
      if (!Equals(items[i], needle)) continue;
      if (name == "index") return Value(static_cast<int64_t>(i));
      if (name == "remove") {
        items.erase(items.begin() + static_cast<std::ptrdiff_t>(i));
        return Value::None();
      }
      ++count;
    }
    if (name == "count") return Value(count);
    throw JinjaError(needle.Repr() + " is not in list");
  }
  if (name == "copy") return Value::MakeList(items);
  if (name == "reverse") {
    std::reverse(items.begin(), items.end());
    return Value::None();
  }
  throw JinjaError("unknown list method " + std::string(name));
}

Value DictMethod(std::string_view name, const Value& self, const CallArgs& args) {
  Dict& dict = self.AsDict();
  if (name == "get") {
    auto a = BindArguments(name, args, {"key", "default"});
    const Value* v = dict.Find(a[0].value_or(Value::None()));
    return v ? *v : a[1].value_or(Value::None());
  }
  if (name == "items" || name == "keys" || name == "values") {
    BindArguments(name, args, {});
    List out;
    for (const auto& [k, v] : dict.entries()) {
      if (name == "items") {
        out.push_back(Value::MakeTuple({k, v}));
      } else {
        out.push_back(name == "keys" ? k : v);
      }
    }
    return Value::MakeList(std::move(out));
  }
  if (name == "update") {
    if (args.positional.size() > 1) throw JinjaError("update expected at most 1 argument");
    if (!args.positional.empty()) {
      const Value& other = args.positional[0];
      if (other.IsDict()) {
        for (const auto& [k, v] : other.AsDict().entries()) dict.Set(k, v);
      } else {
        for (const Value& pair : Iterate(other)) {
          List kv = Iterate(pair);
          if (kv.size() != 2)
            throw JinjaError("dictionary update sequence element has wrong length");
          dict.Set(kv[0], kv[1]);
        }
      }
    }
    for (const auto& [k, v] : args.keyword) dict.Set(Value(k), v);
    return Value::None();
  }
  if (name == "pop") {
    auto a = BindArguments(name, args, {"key", "default"});
    Value key = a[0].value_or(Value::None());
    if (const Value* v = dict.Find(key)) {
      Value out = *v;
      dict.Erase(key);
      return out;
    }
    if (a[1]) return *a[1];
    throw JinjaError("KeyError: " + key.Repr());
  }
  if (name == "setdefault") {
    auto a = BindArguments(name, args, {"key", "default"});
    Value key = a[0].value_or(Value::None());
    if (const Value* v = dict.Find(key)) return *v;
    dict.Set(key, a[1].value_or(Value::None()));
    return a[1].value_or(Value::None());
  }
  if (name == "copy") return Value::MakeDict(dict);
  throw JinjaError("unknown dict method " + std::string(name));
}

bool IsStrMethod(std::string_view n) {
  static const std::vector<std::string_view> kNames = {
      "format",     "lower",   "upper",      "strip",    "lstrip",  "rstrip",  "split",
      "splitlines", "replace", "startswith", "endswith", "join",    "title",   "capitalize",
      "count",      "find",    "isdigit",    "isalpha",  "isalnum", "isupper", "islower"};
  return std::find(kNames.begin(), kNames.end(), n) != kNames.end();
}

bool IsListMethod(std::string_view n, bool tuple) {
  static const std::vector<std::string_view> kTupleNames = {"index", "count"};
  static const std::vector<std::string_view> kNames = {
      "append", "extend", "insert", "pop", "index", "count", "remove", "copy", "reverse"};
  const auto& names = tuple ? kTupleNames : kNames;
  return std::find(names.begin(), names.end(), n) != names.end();
}

bool IsDictMethod(std::string_view n) {
  static const std::vector<std::string_view> kNames = {"get",    "items", "keys",       "values",
                                                       "update", "pop",   "setdefault", "copy"};
  return std::find(kNames.begin(), kNames.end(), n) != kNames.end();
}

}  // namespace

std::optional<Value> GetMethod(const Value& self, std::string_view name) {
  Value (*impl)(std::string_view, const Value&, const CallArgs&) = nullptr;
  if (self.IsString() && IsStrMethod(name)) impl = StrMethod;
  if (self.IsSequence() && IsListMethod(name, self.IsTuple())) impl = ListMethod;
  if (self.IsDict() && IsDictMethod(name)) impl = DictMethod;
  if (!impl) return std::nullopt;
  std::string method(name);
  return MakeFunction(
      method, [impl, self, method](const CallArgs& args) { return impl(method, self, args); });
}

}  // namespace sluice::jinja
