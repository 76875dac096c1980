// Jinja's builtin filters, with Jinja's argument names and defaults.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "common/strings.h"
#include "jinja/jinja_environment.h"
#include "jinja/jinja_error.h"
#include "jinja/jinja_operators.h"
#include "jinja/jinja_text.h"

namespace sluice::jinja {

namespace {

using Bound = std::vector<std::optional<Value>>;

bool BoolArg(const std::optional<Value>& v, bool fallback) { return v ? v->Truthy() : fallback; }

int64_t IntArg(std::string_view filter, const std::optional<Value>& v, int64_t fallback) {
  if (!v || v->IsNone()) return fallback;
  if (v->IsInt() || v->IsBool()) return v->AsInt();
  if (v->IsFloat()) return static_cast<int64_t>(v->AsDouble());
  throw JinjaError(std::string(filter) + ": expected an integer argument, got " + v->TypeName());
}

std::string StrArg(const std::optional<Value>& v, std::string fallback) {
  if (v && !v->IsNone()) return v->Str();
  return fallback;
}

// Follows a dotted attribute path ("address.city", "0.name") as Jinja's make_attrgetter does.
Value GetPath(const Value& v, std::string_view path) {
  Value current = v;
  for (const std::string& part : SplitString(path, ".")) {
    bool digits = !part.empty() && std::all_of(part.begin(), part.end(), ::isdigit);
    current = digits ? GetItem(current, Value(static_cast<int64_t>(std::stoll(part))))
                     : GetItem(current, Value(part));
  }
  return current;
}

// The sort key of one value: lowercased when comparing strings case-insensitively.
Value SortKey(const Value& v, bool case_sensitive) {
  if (!case_sensitive && v.IsString()) return Value(ToLower(v.AsString()));
  return v;
}

Value KeyOf(const Value& item, const std::optional<Value>& attribute, bool case_sensitive) {
  Value key = attribute && !attribute->IsNone() ? GetPath(item, attribute->Str()) : item;
  return SortKey(key, case_sensitive);
}

void StableSort(List& items, const std::function<Value(const Value&)>& key, bool reverse) {
  std::vector<std::pair<Value, Value>> keyed;
  for (Value& item : items) keyed.emplace_back(key(item), std::move(item));
  std::stable_sort(keyed.begin(), keyed.end(), [reverse](const auto& a, const auto& b) {
    return reverse ? Compare(b.first, a.first) < 0 : Compare(a.first, b.first) < 0;
  });
  items.clear();
  for (auto& [k, v] : keyed) items.push_back(std::move(v));
}

CallArgs Rest(const CallArgs& args, size_t skip) {
  CallArgs rest;
  rest.positional.assign(
      args.positional.begin() + static_cast<std::ptrdiff_t>(std::min(skip, args.positional.size())),
      args.positional.end());
  rest.keyword = args.keyword;
  return rest;
}

std::string JsonString(std::string_view s) {
  std::string out = "\"";
  auto hex = [&](uint32_t cp) {
    char buf[16];
    std::snprintf(buf, sizeof(buf), "\\u%04x", cp);
    out += buf;
  };
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
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
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      // Jinja's tojson escapes these so the output is safe inside HTML and <script>.
      case '<':
        out += "\\u003c";
        break;
      case '>':
        out += "\\u003e";
        break;
      case '&':
        out += "\\u0026";
        break;
      case '\'':
        out += "\\u0027";
        break;
      default:
        if (c < 0x20) {
          hex(c);
        } else if (c < 0x80) {
          out += static_cast<char>(c);
        } else {
          // ensure_ascii: decode UTF-8 and escape, with surrogate pairs above the BMP.
          size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
          uint32_t cp = c & (len == 4 ? 0x07 : len == 3 ? 0x0F : 0x1F);
          for (size_t k = 1; k < len && i + k < s.size(); ++k) {
            cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
          }
          i += len - 1;
          if (cp >= 0x10000) {
            cp -= 0x10000;
            hex(0xD800 + (cp >> 10));
            hex(0xDC00 + (cp & 0x3FF));
          } else {
            hex(cp);
          }
        }
    }
  }
  return out + "\"";
}

// json.dumps(v, sort_keys=True, indent=indent) as Jinja's tojson calls it.
void ToJson(const Value& v, int indent, int level, std::string& out) {
  auto newline = [&](int lvl) {
    if (indent >= 0) out += "\n" + std::string(static_cast<size_t>(indent * lvl), ' ');
  };
  std::string item_sep = indent >= 0 ? "," : ", ";
  switch (v.kind()) {
    case Value::Kind::kNone:
      out += "null";
      return;
    case Value::Kind::kBool:
      out += v.AsBool() ? "true" : "false";
      return;
    case Value::Kind::kInt:
      out += std::to_string(v.AsInt());
      return;
    case Value::Kind::kFloat: {
      double d = v.AsDouble();
      out += std::isnan(d)   ? "NaN"
             : std::isinf(d) ? (d > 0 ? "Infinity" : "-Infinity")
                             : FormatFloat(d);
      return;
    }
    case Value::Kind::kString:
      out += JsonString(v.AsString());
      return;
    case Value::Kind::kList:
    case Value::Kind::kTuple: {
      const List& items = v.AsList();
      if (items.empty()) {
        out += "[]";
        return;
      }
      out += "[";
      for (size_t i = 0; i < items.size(); ++i) {
        if (i > 0) out += item_sep;
        newline(level + 1);
        ToJson(items[i], indent, level + 1, out);
      }
      newline(level);
      out += "]";
      return;
    }
    case Value::Kind::kDict: {
      std::vector<const Dict::Entry*> entries;
      for (const auto& e : v.AsDict().entries()) entries.push_back(&e);
      std::stable_sort(entries.begin(), entries.end(), [](const auto* a, const auto* b) {
        return Compare(a->first, b->first) < 0;
      });
      if (entries.empty()) {
        out += "{}";
        return;
      }
      out += "{";
      for (size_t i = 0; i < entries.size(); ++i) {
        if (i > 0) out += item_sep;
        newline(level + 1);
        const Value& key = entries[i]->first;
        out += JsonString(key.IsString() ? key.AsString() : key.Repr());
        out += ": ";
        ToJson(entries[i]->second, indent, level + 1, out);
      }
      newline(level);
      out += "}";
      return;
    }
    default:
      throw JinjaError("Object of type " + v.TypeName() + " is not JSON serializable");
  }
}

// Python's str.splitlines() for "\n"-separated text.
std::vector<std::string> SplitLines(const std::string& s) {
  std::vector<std::string> lines = SplitString(s, "\n");
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

std::optional<int64_t> ParseInt(std::string s, int64_t base) {
  s = Strip(s);
  s = ReplaceAll(s, "_", "");
  if (s.empty()) return std::nullopt;
  size_t start = (s[0] == '-' || s[0] == '+') ? 1 : 0;
  if (base == 16 && s.compare(start, 2, "0x") == 0) s.erase(start, 2);
  if (base == 8 && s.compare(start, 2, "0o") == 0) s.erase(start, 2);
  if (base == 2 && s.compare(start, 2, "0b") == 0) s.erase(start, 2);
  try {
    size_t used = 0;
    int64_t v = std::stoll(s, &used, static_cast<int>(base));
    if (used != s.size()) return std::nullopt;
    return v;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::optional<double> ParseDouble(const std::string& raw) {
  std::string s = ReplaceAll(Strip(raw), "_", "");
  if (s.empty()) return std::nullopt;
  try {
    size_t used = 0;
    double v = std::stod(s, &used);
    if (used != s.size()) return std::nullopt;
    return v;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// Python's round(x, ndigits): round-half-even on the exact binary value, which is what
// printf's correctly rounded conversion does.
double PythonRound(double x, int64_t digits) {
  if (digits < 0) {
    double scale = std::pow(10.0, static_cast<double>(-digits));
    return std::nearbyint(x / scale) * scale;
  }
  char buf[512];
  std::snprintf(buf, sizeof(buf), "%.*f", static_cast<int>(std::min<int64_t>(digits, 300)), x);
  return std::stod(buf);
}

Value Sequence(List items) { return Value::MakeList(std::move(items)); }

Value ApplyNamedFilter(const JinjaEnvironment& env, const std::string& name, const Value& input,
                       const CallArgs& args) {
  const FilterFunction* f = env.FindFilter(name);
  if (!f) throw JinjaError("no filter named '" + name + "'");
  return (*f)(input, args);
}

bool ApplyNamedTest(const JinjaEnvironment& env, const std::string& name, const Value& input,
                    const CallArgs& args) {
  const TestFunction* t = env.FindTest(name);
  if (!t) throw JinjaError("no test named '" + name + "'");
  return (*t)(input, args);
}

// select / reject / selectattr / rejectattr.
Value Select(const JinjaEnvironment& env, const Value& input, const CallArgs& args,
             bool by_attribute, bool keep) {
  size_t skip = 0;
  std::string attribute;
  if (by_attribute) {
    if (args.positional.empty()) throw JinjaError("missing parameter for attribute name");
    attribute = args.positional[0].Str();
    skip = 1;
  }
  std::optional<std::string> test;
  if (args.positional.size() > skip) test = args.positional[skip].Str();
  CallArgs test_args = Rest(args, skip + 1);
  List out;
  for (const Value& item : Iterate(input)) {
    Value subject = by_attribute ? GetPath(item, attribute) : item;
    bool pass = test ? ApplyNamedTest(env, *test, subject, test_args) : subject.Truthy();
    if (pass == keep) out.push_back(item);
  }
  return Sequence(std::move(out));
}

class FilterRegistry {
 public:
  explicit FilterRegistry(JinjaEnvironment& env) : env_(env) {}

  void Add(std::initializer_list<const char*> names, const FilterFunction& f) {
    for (const char* name : names) env_.AddFilter(name, f);
  }

  // A filter taking the named parameters after its input.
  template <typename F>
  void AddBound(std::initializer_list<const char*> names,
                const std::vector<std::string_view>& params, F f) {
    std::string name = *names.begin();
    Add(names, [name, params, f](const Value& input, const CallArgs& args) {
      Bound a = BindArguments(name, args, params);
      return f(input, a);
    });
  }

  void RegisterAll();

 private:
  JinjaEnvironment& env_;
};

void FilterRegistry::RegisterAll() {
  Add({"lower"}, [](const Value& v, const CallArgs&) { return Value(ToLower(v.Str())); });
  Add({"upper"}, [](const Value& v, const CallArgs&) { return Value(ToUpper(v.Str())); });
  Add({"capitalize"}, [](const Value& v, const CallArgs&) { return Value(Capitalize(v.Str())); });
  Add({"title"}, [](const Value& v, const CallArgs&) { return Value(TitleCase(v.Str())); });
  Add({"string"}, [](const Value& v, const CallArgs&) { return Value(v.Str()); });
  Add({"safe"}, [](const Value& v, const CallArgs&) { return v; });
  Add({"pprint"}, [](const Value& v, const CallArgs&) { return Value(v.Repr()); });
  Add({"escape", "e", "forceescape"}, [](const Value& v, const CallArgs&) {
    std::string out;
    for (char c : v.Str()) {
      switch (c) {
        case '&':
          out += "&amp;";
          break;
        case '<':
          out += "&lt;";
          break;
        case '>':
          out += "&gt;";
          break;
        case '"':
          out += "&#34;";
          break;
        case '\'':
          out += "&#39;";
          break;
        default:
          out += c;
      }
    }
    return Value(out);
  });
  AddBound({"trim"}, {"chars"},
           [](const Value& v, const Bound& a) { return Value(Strip(v.Str(), StrArg(a[0], ""))); });
  AddBound({"replace"}, {"old", "new", "count"}, [](const Value& v, const Bound& a) {
    return Value(
        ReplaceAll(v.Str(), StrArg(a[0], ""), StrArg(a[1], ""), IntArg("replace", a[2], -1)));
  });
  AddBound({"join"}, {"d", "attribute"}, [](const Value& v, const Bound& a) {
    std::string sep = StrArg(a[0], "");
    std::string out;
    bool first = true;
    for (const Value& item : Iterate(v)) {
      if (!first) out += sep;
      first = false;
      out += (a[1] && !a[1]->IsNone() ? GetPath(item, a[1]->Str()) : item).Str();
    }
    return Value(out);
  });
  AddBound({"default", "d"}, {"default_value", "boolean"}, [](const Value& v, const Bound& a) {
    bool use_default = v.IsUndefined() || (BoolArg(a[1], false) && !v.Truthy());
    return use_default ? a[0].value_or(Value("")) : v;
  });
  Add({"length", "count"}, [](const Value& v, const CallArgs&) { return Value(Length(v)); });
  Add({"list"}, [](const Value& v, const CallArgs&) { return Sequence(Iterate(v)); });
  Add({"first"}, [](const Value& v, const CallArgs&) {
    List items = Iterate(v);
    return items.empty() ? Value::Undefined("No first item, sequence was empty.") : items.front();
  });
  Add({"last"}, [](const Value& v, const CallArgs&) {
    List items = Iterate(v);
    return items.empty() ? Value::Undefined("No last item, sequence was empty.") : items.back();
  });
  AddBound({"unique"}, {"case_sensitive", "attribute"}, [](const Value& v, const Bound& a) {
    bool cs = BoolArg(a[0], false);
    List out;
    List seen;
    for (const Value& item : Iterate(v)) {
      Value key = KeyOf(item, a[1], cs);
      if (std::any_of(seen.begin(), seen.end(), [&](const Value& s) { return Equals(s, key); })) {
        continue;
      }
      seen.push_back(key);
      out.push_back(item);
    }
    return Sequence(std::move(out));
  });
  AddBound({"sort"}, {"reverse", "case_sensitive", "attribute"},
           [](const Value& v, const Bound& a) {
             List items = Iterate(v);
             bool cs = BoolArg(a[1], false);
             std::vector<std::string> attributes;
             if (a[2] && !a[2]->IsNone()) attributes = SplitString(a[2]->Str(), ",");
             StableSort(
                 items,
                 [&](const Value& item) {
                   if (attributes.size() <= 1) return KeyOf(item, a[2], cs);
                   List keys;
                   for (const std::string& attr : attributes)
                     keys.push_back(SortKey(GetPath(item, Strip(attr)), cs));
                   return Value::MakeTuple(std::move(keys));
                 },
                 BoolArg(a[0], false));
             return Sequence(std::move(items));
           });
  Add({"reverse"}, [](const Value& v, const CallArgs&) {
    if (v.IsString()) {
      std::vector<std::string> chars = SplitCodePoints(v.AsString());
      std::string out;
      for (auto it = chars.rbegin(); it != chars.rend(); ++it) out += *it;
      return Value(out);
    }
    List items = Iterate(v);
    std::reverse(items.begin(), items.end());
    return Sequence(std::move(items));
  });
  Add({"map"}, [env = &env_](const Value& v, const CallArgs& args) {
    List out;
    if (const Value* attribute = args.Keyword("attribute")) {
      const Value* fallback = args.Keyword("default");
      for (const Value& item : Iterate(v)) {
        Value x = GetPath(item, attribute->Str());
        out.push_back(x.IsUndefined() && fallback ? *fallback : x);
      }
      return Sequence(std::move(out));
    }
    if (args.positional.empty()) throw JinjaError("map requires a filter argument");
    std::string filter = args.positional[0].Str();
    CallArgs rest = Rest(args, 1);
    for (const Value& item : Iterate(v)) out.push_back(ApplyNamedFilter(*env, filter, item, rest));
    return Sequence(std::move(out));
  });
  Add({"select"},
      [env = &env_](const Value& v, const CallArgs& a) { return Select(*env, v, a, false, true); });
  Add({"reject"}, [env = &env_](const Value& v, const CallArgs& a) {
    return Select(*env, v, a, false, false);
  });
  Add({"selectattr"},
      [env = &env_](const Value& v, const CallArgs& a) { return Select(*env, v, a, true, true); });
  Add({"rejectattr"},
      [env = &env_](const Value& v, const CallArgs& a) { return Select(*env, v, a, true, false); });
  AddBound({"int"}, {"default", "base"}, [](const Value& v, const Bound& a) {
    Value fallback = a[0].value_or(Value(0));
    if (v.IsInt() || v.IsBool()) return Value(v.AsInt());
    if (v.IsFloat()) {
      return std::isfinite(v.AsDouble()) ? Value(static_cast<int64_t>(v.AsDouble())) : fallback;
    }
    if (v.IsString()) {
      if (auto i = ParseInt(v.AsString(), IntArg("int", a[1], 10))) return Value(*i);
      if (auto d = ParseDouble(v.AsString()); d && std::isfinite(*d)) {
        return Value(static_cast<int64_t>(*d));
      }
    }
    return fallback;
  });
  AddBound({"float"}, {"default"}, [](const Value& v, const Bound& a) {
    if (v.IsNumber()) return Value(v.AsDouble());
    if (v.IsString()) {
      if (auto d = ParseDouble(v.AsString())) return Value(*d);
    }
    return a[0].value_or(Value(0.0));
  });
  AddBound({"round"}, {"precision", "method"}, [](const Value& v, const Bound& a) {
    int64_t precision = IntArg("round", a[0], 0);
    std::string method = StrArg(a[1], "common");
    if (!v.IsNumber()) throw JinjaError("round: expected a number, got " + v.TypeName());
    if (method == "common") {
      if (!v.IsFloat() && precision >= 0) return Value(v.AsInt());
      return Value(PythonRound(v.AsDouble(), precision));
    }
    double scale = std::pow(10.0, static_cast<double>(precision));
    if (method == "ceil") return Value(std::ceil(v.AsDouble() * scale) / scale);
    if (method == "floor") return Value(std::floor(v.AsDouble() * scale) / scale);
    throw JinjaError("method must be common, ceil or floor");
  });
  Add({"abs"}, [](const Value& v, const CallArgs&) {
    if (v.IsFloat()) return Value(std::fabs(v.AsDouble()));
    if (v.IsInt() || v.IsBool()) return Value(v.AsInt() < 0 ? -v.AsInt() : v.AsInt());
    throw JinjaError("bad operand type for abs(): '" + v.TypeName() + "'");
  });
  AddBound({"tojson"}, {"indent"}, [](const Value& v, const Bound& a) {
    std::string out;
    ToJson(v, a[0] && !a[0]->IsNone() ? static_cast<int>(IntArg("tojson", a[0], 0)) : -1, 0, out);
    return Value(out);
  });
  AddBound({"indent"}, {"width", "first", "blank"}, [](const Value& v, const Bound& a) {
    std::string indention = a[0] && a[0]->IsString()
                                ? a[0]->AsString()
                                : std::string(static_cast<size_t>(IntArg("indent", a[0], 4)), ' ');
    std::vector<std::string> lines = SplitLines(v.Str() + "\n");
    std::string out;
    if (BoolArg(a[2], false)) {
      for (size_t i = 0; i < lines.size(); ++i) {
        if (i > 0) out += "\n" + indention;
        out += lines[i];
      }
    } else if (!lines.empty()) {
      out = lines[0];
      for (size_t i = 1; i < lines.size(); ++i) {
        out += "\n";
        if (!lines[i].empty()) out += indention + lines[i];
      }
    }
    if (BoolArg(a[1], false)) out = indention + out;
    return Value(out);
  });
  Add({"items"}, [](const Value& v, const CallArgs&) {
    if (v.IsUndefined()) return Sequence({});
    if (!v.IsDict()) throw JinjaError("items: can only get item pairs from a mapping");
    List out;
    for (const auto& [k, x] : v.AsDict().entries()) out.push_back(Value::MakeTuple({k, x}));
    return Sequence(std::move(out));
  });
  AddBound({"dictsort"}, {"case_sensitive", "by", "reverse"}, [](const Value& v, const Bound& a) {
    if (!v.IsDict()) throw JinjaError("dictsort: expected a mapping, got " + v.TypeName());
    bool cs = BoolArg(a[0], false);
    std::string by = StrArg(a[1], "key");
    if (by != "key" && by != "value")
      throw JinjaError("You can only sort by either \"key\" or \"value\"");
    List items;
    for (const auto& [k, x] : v.AsDict().entries()) items.push_back(Value::MakeTuple({k, x}));
    StableSort(
        items, [&](const Value& pair) { return SortKey(pair.AsList()[by == "key" ? 0 : 1], cs); },
        BoolArg(a[2], false));
    return Sequence(std::move(items));
  });
  AddBound({"batch"}, {"linecount", "fill_with"}, [](const Value& v, const Bound& a) {
    int64_t n = IntArg("batch", a[0], 1);
    if (n <= 0) throw JinjaError("batch: linecount must be positive");
    List out;
    List current;
    for (const Value& item : Iterate(v)) {
      current.push_back(item);
      if (static_cast<int64_t>(current.size()) == n) {
        out.push_back(Sequence(std::move(current)));
        current.clear();
      }
    }
    if (!current.empty()) {
      if (a[1] && !a[1]->IsNone()) {
        while (static_cast<int64_t>(current.size()) < n) current.push_back(*a[1]);
      }
      out.push_back(Sequence(std::move(current)));
    }
    return Sequence(std::move(out));
  });
  Add({"format"}, [](const Value& v, const CallArgs& args) {
    if (!args.positional.empty() && !args.keyword.empty()) {
      throw JinjaError("can't handle positional and keyword arguments at the same time");
    }
    if (!args.keyword.empty()) {
      Dict d;
      for (const auto& [k, x] : args.keyword) d.Set(Value(k), x);
      return Value(PercentFormat(v.Str(), Value::MakeDict(std::move(d))));
    }
    return Value(PercentFormat(v.Str(), Value::MakeTuple(args.positional)));
  });
  Add({"wordcount"}, [](const Value& v, const CallArgs&) {
    int64_t words = 0;
    bool in_word = false;
    for (char c : v.Str()) {
      bool word_char = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || (c & 0x80);
      if (word_char && !in_word) ++words;
      in_word = word_char;
    }
    return Value(words);
  });
  AddBound({"center"}, {"width"}, [](const Value& v, const Bound& a) {
    std::string s = v.Str();
    int64_t width = IntArg("center", a[0], 80);
    int64_t len = static_cast<int64_t>(CountCodePoints(s));
    if (width <= len) return Value(s);
    int64_t margin = width - len;
    int64_t left = margin / 2 + (margin & width & 1);
    return Value(std::string(static_cast<size_t>(left), ' ') + s +
                 std::string(static_cast<size_t>(margin - left), ' '));
  });
  AddBound({"truncate"}, {"length", "killwords", "end", "leeway"},
           [](const Value& v, const Bound& a) {
             std::vector<std::string> chars = SplitCodePoints(v.Str());
             int64_t length = IntArg("truncate", a[0], 255);
             std::string end = StrArg(a[2], "...");
             int64_t leeway = IntArg("truncate", a[3], 5);
             auto end_len = static_cast<int64_t>(CountCodePoints(end));
             if (length < end_len)
               throw JinjaError("expected length >= " + std::to_string(end_len));
             if (static_cast<int64_t>(chars.size()) <= length + leeway) return Value(v.Str());
             std::string head;
             for (int64_t i = 0; i < length - end_len; ++i) head += chars[static_cast<size_t>(i)];
             if (!BoolArg(a[1], false)) {
               size_t space = head.rfind(' ');
               if (space != std::string::npos) head.resize(space);
             }
             return Value(head + end);
           });
  AddBound({"sum"}, {"attribute", "start"}, [](const Value& v, const Bound& a) {
    Value total = a[1].value_or(Value(0));
    for (const Value& item : Iterate(v)) {
      total = EvaluateBinary(BinaryOp::kAdd, total,
                             a[0] && !a[0]->IsNone() ? GetPath(item, a[0]->Str()) : item);
    }
    return total;
  });
  for (bool is_max : {false, true}) {
    AddBound({is_max ? "max" : "min"}, {"case_sensitive", "attribute"},
             [is_max](const Value& v, const Bound& a) {
               List items = Iterate(v);
               if (items.empty())
                 return Value::Undefined(std::string("No aggregated item, sequence was empty."));
               bool cs = BoolArg(a[0], false);
               size_t best = 0;
               for (size_t i = 1; i < items.size(); ++i) {
                 int c = Compare(KeyOf(items[i], a[1], cs), KeyOf(items[best], a[1], cs));
                 if (is_max ? c > 0 : c < 0) best = i;
               }
               return items[best];
             });
  }
  AddBound({"attr"}, {"name"},
           [](const Value& v, const Bound& a) { return GetAttribute(v, StrArg(a[0], "")); });
}

}  // namespace

void RegisterBuiltinFilters(JinjaEnvironment& env) { FilterRegistry(env).RegisterAll(); }

}  // namespace sluice::jinja
