// Global functions every template sees: range, dict, namespace, joiner, cycler and dbt's
// return.
#include "jinja/jinja_environment.h"
#include "jinja/jinja_error.h"
#include "jinja/jinja_operators.h"
#include "jinja/jinja_render.h"

namespace sluice::jinja {

namespace {

// Guards against a typo rendering (nearly) forever; Python itself has no limit.
constexpr int64_t kMaxRange = 10000000;

Value Range(const CallArgs& args) {
  if (!args.keyword.empty()) throw JinjaError("range() takes no keyword arguments");
  std::vector<int64_t> ints;
  for (const Value& v : args.positional) {
    if (!v.IsInt() && !v.IsBool()) {
      throw JinjaError("'" + v.TypeName() + "' object cannot be interpreted as an integer");
    }
    ints.push_back(v.AsInt());
  }
  int64_t start = 0;
  int64_t stop = 0;
  int64_t step = 1;
  if (ints.size() == 1) {
    stop = ints[0];
  } else if (ints.size() == 2 || ints.size() == 3) {
    start = ints[0];
    stop = ints[1];
    if (ints.size() == 3) step = ints[2];
  } else {
    throw JinjaError("range expected 1 to 3 arguments, got " + std::to_string(ints.size()));
  }
  if (step == 0) throw JinjaError("range() arg 3 must not be zero");
  List out;
  for (int64_t i = start; step > 0 ? i < stop : i > stop; i += step) {
    if (static_cast<int64_t>(out.size()) >= kMaxRange) {
      throw JinjaError("range too big, maximum size is " + std::to_string(kMaxRange));
    }
    out.emplace_back(i);
  }
  return Value::MakeList(std::move(out));
}

Value MakeDictFromArgs(const CallArgs& args) {
  if (args.positional.size() > 1) throw JinjaError("dict expected at most 1 argument");
  Dict dict;
  if (!args.positional.empty()) {
    const Value& source = args.positional[0];
    if (source.IsDict()) {
      for (const auto& [k, v] : source.AsDict().entries()) dict.Set(k, v);
    } else {
      for (const Value& pair : Iterate(source)) {
        List kv = Iterate(pair);
        if (kv.size() != 2) throw JinjaError("dictionary update sequence element has wrong length");
        dict.Set(kv[0], kv[1]);
      }
    }
  }
  for (const auto& [k, v] : args.keyword) dict.Set(Value(k), v);
  return Value::MakeDict(std::move(dict));
}

// cycler(a, b, ...): `.next()` returns the items in turn, `.current` the upcoming one.
class Cycler : public Object {
 public:
  explicit Cycler(List items) : items_(std::move(items)) {}
  std::string TypeName() const override { return "Cycler"; }
  Value GetAttribute(std::string_view name) const override {
    if (name == "current") return items_[*position_];
    auto position = position_;
    List items = items_;
    if (name == "next") {
      return MakeFunction("next", [position, items](const CallArgs&) {
        Value v = items[*position];
        *position = (*position + 1) % items.size();
        return v;
      });
    }
    if (name == "reset") {
      return MakeFunction("reset", [position](const CallArgs&) {
        *position = 0;
        return Value::None();
      });
    }
    return Value::Undefined();
  }

 private:
  List items_;
  std::shared_ptr<size_t> position_ = std::make_shared<size_t>(0);
};

}  // namespace

void RegisterBuiltinGlobals(JinjaEnvironment& env) {
  env.AddFunction("range", Range);
  env.AddFunction("dict", MakeDictFromArgs);
  env.AddFunction("namespace", [](const CallArgs& args) {
    auto ns = std::make_shared<Namespace>();
    Value init = MakeDictFromArgs(args);
    for (const auto& [k, v] : init.AsDict().entries()) ns->attributes().Set(k, v);
    return Value(ns);
  });
  env.AddFunction("joiner", [](const CallArgs& args) {
    auto a = BindArguments("joiner", args, {"sep"});
    std::string sep = a[0] ? a[0]->Str() : ", ";
    auto used = std::make_shared<bool>(false);
    return MakeFunction("joiner", [sep, used](const CallArgs&) {
      if (!*used) {
        *used = true;
        return Value("");
      }
      return Value(sep);
    });
  });
  env.AddFunction("cycler", [](const CallArgs& args) {
    if (args.positional.empty()) throw JinjaError("cycler needs at least one item");
    return Value(std::make_shared<Cycler>(args.positional));
  });
  // dbt: `{{ return(x) }}` ends the enclosing macro, which then evaluates to x.
  env.AddFunction("return", [](const CallArgs& args) -> Value {
    auto a = BindArguments("return", args, {"value"});
    throw MacroReturn{a[0].value_or(Value::None())};
  });
}

}  // namespace sluice::jinja
