#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

namespace sluice::jinja {

class Dict;
class Object;
class Value;

using List = std::vector<Value>;

// A dynamic Jinja value with Python semantics. Scalars and strings are held by value; lists,
// dicts and objects are held by reference (shared) because templates mutate them in place
// (`{% do cols.append(c) %}`) and every holder must see the change, as in Python.
class Value {
 public:
  enum class Kind : uint8_t {
    kUndefined,
    kNone,
    kBool,
    kInt,
    kFloat,
    kString,
    kList,
    kTuple,
    kDict,
    kObject,  // host objects, callables, macros, namespaces, loop objects
  };

  // Undefined, with no hint.
  Value() = default;
  Value(bool b) : kind_(Kind::kBool), data_(b) {}  // NOLINT: implicit on purpose
  template <typename T>
  requires(std::is_integral_v<T> && !std::is_same_v<T, bool> && !std::is_same_v<T, char>) Value(T i)
      : kind_(Kind::kInt), data_(static_cast<int64_t>(i)) {}
  Value(double d) : kind_(Kind::kFloat), data_(d) {}
  Value(std::string s) : kind_(Kind::kString), data_(std::move(s)) {}
  Value(std::string_view s) : kind_(Kind::kString), data_(std::string(s)) {}
  Value(const char* s) : kind_(Kind::kString), data_(std::string(s)) {}
  Value(std::shared_ptr<Object> o);

  // `hint` is the message raised when the undefined value is used, e.g. "'x' is undefined".
  static Value Undefined(std::string hint = {});
  static Value None();
  static Value MakeList(List items = {});
  static Value MakeTuple(List items);
  static Value MakeDict();
  static Value MakeDict(Dict dict);

  Kind kind() const { return kind_; }
  bool IsUndefined() const { return kind_ == Kind::kUndefined; }
  bool IsNone() const { return kind_ == Kind::kNone; }
  bool IsBool() const { return kind_ == Kind::kBool; }
  bool IsInt() const { return kind_ == Kind::kInt; }
  bool IsFloat() const { return kind_ == Kind::kFloat; }
  // int, float or bool (bool is an int in Python).
  bool IsNumber() const { return IsInt() || IsFloat() || IsBool(); }
  bool IsString() const { return kind_ == Kind::kString; }
  bool IsList() const { return kind_ == Kind::kList; }
  bool IsTuple() const { return kind_ == Kind::kTuple; }
  bool IsSequence() const { return IsList() || IsTuple(); }
  bool IsDict() const { return kind_ == Kind::kDict; }
  bool IsObject() const { return kind_ == Kind::kObject; }
  bool IsCallable() const;

  // Accessors; REQUIRES: the matching kind (checked).
  bool AsBool() const;
  int64_t AsInt() const;    // also accepts bool
  double AsDouble() const;  // int, bool or float
  const std::string& AsString() const;
  // Lists and tuples share storage with every copy of this value.
  List& AsList() const;
  Dict& AsDict() const;
  Object& AsObject() const;
  const std::shared_ptr<Object>& object_ptr() const;
  const std::string& undefined_hint() const;

  // Python truthiness.
  bool Truthy() const;
  // Python str(): strings raw, undefined as "", True/None, lists as ['a', 1].
  std::string Str() const;
  // Python repr(): strings quoted.
  std::string Repr() const;
  // Python type name: 'str', 'int', 'dict', 'NoneType', ...
  std::string TypeName() const;

 private:
  using Data = std::variant<std::monostate, bool, int64_t, double, std::string,
                            std::shared_ptr<List>, std::shared_ptr<Dict>, std::shared_ptr<Object>>;
  Value(Kind kind, Data data) : kind_(kind), data_(std::move(data)) {}

  Kind kind_ = Kind::kUndefined;
  Data data_;
};

// An insertion-ordered dict, like Python's. Keys are hashable values (str, int, float, bool,
// None, tuples of those); others are rejected with a JinjaError.
class Dict {
 public:
  using Entry = std::pair<Value, Value>;

  const Value* Find(const Value& key) const;
  Value* Find(const Value& key);
  // Shorthand for Find(Value(key)) with a string key.
  const Value* FindKey(std::string_view key) const;
  void Set(Value key, Value value);
  // Returns false if the key was absent.
  bool Erase(const Value& key);
  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  const std::vector<Entry>& entries() const { return entries_; }

 private:
  std::vector<Entry> entries_;
  std::unordered_map<std::string, size_t> index_;  // HashKey(key) -> position in entries_
};

// Positional and keyword arguments of a call.
struct CallArgs {
  std::vector<Value> positional;
  std::vector<std::pair<std::string, Value>> keyword;

  // The keyword argument `name`, or nullptr.
  const Value* Keyword(std::string_view name) const;
};

// Binds `args` to Python-style parameters `params` for the function `function_name`: positional
// first, then keywords by name. Missing parameters are nullopt. Throws JinjaError on too many
// positional arguments, unknown keywords or duplicates.
std::vector<std::optional<Value>> BindArguments(std::string_view function_name,
                                                const CallArgs& args,
                                                const std::vector<std::string_view>& params);

// Base of values with attributes defined by the host or the interpreter: dbt's `this` and
// `config`, namespaces, loop objects, imported template modules, callables. Objects are shared
// between holders; implementations that mutate (namespaces) are not thread-safe.
class Object {
 public:
  virtual ~Object() = default;
  // Shown in messages: "'namespace' object has no attribute 'x'".
  virtual std::string TypeName() const = 0;
  // The attribute, or Undefined when absent.
  virtual Value GetAttribute(std::string_view name) const;
  // Throws JinjaError unless the object accepts assignment (`{% set ns.x = 1 %}`).
  virtual void SetAttribute(std::string_view name, Value value);
  // `obj[key]`; Undefined when absent. Defaults to GetAttribute for string keys.
  virtual Value GetItem(const Value& key) const;
  virtual std::string Str() const;
  virtual std::string Repr() const { return Str(); }
  virtual bool Truthy() const { return true; }
  // The elements of `for x in obj`; nullopt when not iterable.
  virtual std::optional<List> Iterate() const { return std::nullopt; }
  virtual bool IsCallable() const { return false; }
  virtual Value Call(const CallArgs& args);
};

// A callable object. Native functions and macros are callables.
class Callable : public Object {
 public:
  bool IsCallable() const override { return true; }
  Value Call(const CallArgs& args) override = 0;
};

using NativeFunctionBody = std::function<Value(const CallArgs&)>;

// A host function exposed to templates (`ref`, `config`, `is_incremental`).
class NativeFunction : public Callable {
 public:
  NativeFunction(std::string name, NativeFunctionBody body)
      : name_(std::move(name)), body_(std::move(body)) {}
  std::string TypeName() const override { return "builtin_function_or_method"; }
  std::string Str() const override { return "<built-in function " + name_ + ">"; }
  Value Call(const CallArgs& args) override { return body_(args); }
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  NativeFunctionBody body_;
};

// Wraps a host function as a callable value.
Value MakeFunction(std::string name, NativeFunctionBody body);

// Attributes live in a dict; `{% set ns.attr = v %}` assigns them. Jinja's namespace().
class Namespace : public Object {
 public:
  std::string TypeName() const override { return "Namespace"; }
  Value GetAttribute(std::string_view name) const override;
  void SetAttribute(std::string_view name, Value value) override;
  std::string Str() const override;
  Dict& attributes() { return attributes_; }

 private:
  Dict attributes_;
};

// Python float repr: 1.0, 0.1, 1e+16, inf, nan.
std::string FormatFloat(double d);
// Python repr of a string: 'it''s' becomes "it's", escapes control characters.
std::string ReprString(std::string_view s);

}  // namespace sluice::jinja
