// The `is` tests: `x is defined`, `n is divisibleby 3`, ...
#include <cctype>

#include "common/strings.h"
#include "jinja/jinja_environment.h"
#include "jinja/jinja_error.h"
#include "jinja/jinja_operators.h"

namespace sluice::jinja {

namespace {

Value Arg(std::string_view test, const CallArgs& args, std::string_view param) {
  auto a = BindArguments(test, args, {param});
  if (!a[0])
    throw JinjaError(std::string(test) + "() missing required argument '" + std::string(param) +
                     "'");
  return *a[0];
}

int64_t IntInput(std::string_view test, const Value& v) {
  if (v.IsInt() || v.IsBool()) return v.AsInt();
  if (v.IsFloat()) return static_cast<int64_t>(v.AsDouble());
  if (v.IsUndefined()) ThrowUndefined(v);
  throw JinjaError(std::string(test) + " test needs a number, got " + v.TypeName());
}

bool SameAs(const Value& a, const Value& b) {
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case Value::Kind::kList:
    case Value::Kind::kTuple:
      return &a.AsList() == &b.AsList();
    case Value::Kind::kDict:
      return &a.AsDict() == &b.AsDict();
    default:
      return Equals(a, b);
  }
}

void AddCompareTest(JinjaEnvironment& env, std::initializer_list<const char*> names, CompareOp op) {
  for (const char* name : names) {
    std::string test = name;
    env.AddTest(test, [test, op](const Value& v, const CallArgs& args) {
      return EvaluateCompare(op, v, Arg(test, args, "other"));
    });
  }
}

}  // namespace

void RegisterBuiltinTests(JinjaEnvironment& env) {
  env.AddTest("defined", [](const Value& v, const CallArgs&) { return !v.IsUndefined(); });
  env.AddTest("undefined", [](const Value& v, const CallArgs&) { return v.IsUndefined(); });
  env.AddTest("none", [](const Value& v, const CallArgs&) { return v.IsNone(); });
  env.AddTest("boolean", [](const Value& v, const CallArgs&) { return v.IsBool(); });
  env.AddTest("true", [](const Value& v, const CallArgs&) { return v.IsBool() && v.AsBool(); });
  env.AddTest("false", [](const Value& v, const CallArgs&) { return v.IsBool() && !v.AsBool(); });
  env.AddTest("integer", [](const Value& v, const CallArgs&) { return v.IsInt(); });
  env.AddTest("float", [](const Value& v, const CallArgs&) { return v.IsFloat(); });
  env.AddTest("number", [](const Value& v, const CallArgs&) { return v.IsNumber(); });
  env.AddTest("string", [](const Value& v, const CallArgs&) { return v.IsString(); });
  env.AddTest("mapping", [](const Value& v, const CallArgs&) { return v.IsDict(); });
  env.AddTest("callable", [](const Value& v, const CallArgs&) { return v.IsCallable(); });
  env.AddTest("iterable", [](const Value& v, const CallArgs&) {
    return v.IsUndefined() || v.IsString() || v.IsSequence() || v.IsDict() ||
           (v.IsObject() && v.AsObject().Iterate().has_value());
  });
  env.AddTest("sequence", [](const Value& v, const CallArgs&) {
    return v.IsUndefined() || v.IsString() || v.IsSequence() || v.IsDict();
  });
  env.AddTest("even", [](const Value& v, const CallArgs&) { return IntInput("even", v) % 2 == 0; });
  env.AddTest("odd", [](const Value& v, const CallArgs&) { return IntInput("odd", v) % 2 != 0; });
  env.AddTest("divisibleby", [](const Value& v, const CallArgs& args) {
    int64_t n = IntInput("divisibleby", Arg("divisibleby", args, "num"));
    if (n == 0) throw JinjaError("integer division or modulo by zero");
    return IntInput("divisibleby", v) % n == 0;
  });
  env.AddTest("sameas", [](const Value& v, const CallArgs& args) {
    return SameAs(v, Arg("sameas", args, "other"));
  });
  env.AddTest("in", [](const Value& v, const CallArgs& args) {
    return Contains(Arg("in", args, "seq"), v);
  });
  env.AddTest("lower", [](const Value& v, const CallArgs&) {
    return v.IsString() && v.AsString() == ToLower(v.AsString());
  });
  env.AddTest("upper", [](const Value& v, const CallArgs&) {
    return v.IsString() && v.AsString() == ToUpper(v.AsString());
  });
  AddCompareTest(env, {"eq", "equalto", "=="}, CompareOp::kEq);
  AddCompareTest(env, {"ne", "!="}, CompareOp::kNe);
  AddCompareTest(env, {"lt", "lessthan", "<"}, CompareOp::kLt);
  AddCompareTest(env, {"le", "<="}, CompareOp::kLe);
  AddCompareTest(env, {"gt", "greaterthan", ">"}, CompareOp::kGt);
  AddCompareTest(env, {"ge", ">="}, CompareOp::kGe);
}

}  // namespace sluice::jinja
