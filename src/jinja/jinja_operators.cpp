#include "jinja/jinja_operators.h"

#include <cmath>

#include "jinja/jinja_error.h"
#include "jinja/jinja_text.h"

namespace sluice::jinja {

namespace {

[[noreturn]] void ThrowUnsupported(std::string_view op, const Value& a, const Value& b) {
  throw JinjaError(fmt::format("unsupported operand type(s) for {}: '{}' and '{}'", op,
                               a.TypeName(), b.TypeName()));
}

bool IsIntLike(const Value& v) { return v.IsInt() || v.IsBool(); }

void CheckOverflow(bool overflow) {
  if (overflow) throw JinjaError("integer overflow");
}

int64_t FloorDivInt(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

int64_t FloorModInt(int64_t a, int64_t b) {
  int64_t r = a % b;
  if (r != 0 && ((r < 0) != (b < 0))) r += b;
  return r;
}

Value Repeat(const Value& seq, int64_t times) {
  if (seq.IsString()) {
    std::string out;
    for (int64_t i = 0; i < times; ++i) out += seq.AsString();
    return Value(std::move(out));
  }
  List out;
  for (int64_t i = 0; i < times; ++i) {
    out.insert(out.end(), seq.AsList().begin(), seq.AsList().end());
  }
  return seq.IsTuple() ? Value::MakeTuple(std::move(out)) : Value::MakeList(std::move(out));
}

Value Arithmetic(BinaryOp op, const Value& a, const Value& b) {
  static const char* kNames[] = {"+", "-", "*", "/", "//", "%", "**"};
  const char* name = kNames[static_cast<int>(op)];
  if (!a.IsNumber() || !b.IsNumber()) ThrowUnsupported(name, a, b);
  bool ints = IsIntLike(a) && IsIntLike(b);
  if (ints) {
    int64_t x = a.AsInt();
    int64_t y = b.AsInt();
    int64_t r = 0;
    switch (op) {
      case BinaryOp::kAdd:
        CheckOverflow(__builtin_add_overflow(x, y, &r));
        return Value(r);
      case BinaryOp::kSub:
        CheckOverflow(__builtin_sub_overflow(x, y, &r));
        return Value(r);
      case BinaryOp::kMul:
        CheckOverflow(__builtin_mul_overflow(x, y, &r));
        return Value(r);
      case BinaryOp::kFloorDiv:
        if (y == 0) throw JinjaError("integer division or modulo by zero");
        return Value(FloorDivInt(x, y));
      case BinaryOp::kMod:
        if (y == 0) throw JinjaError("integer division or modulo by zero");
        return Value(FloorModInt(x, y));
      case BinaryOp::kPow: {
        if (y < 0) return Value(std::pow(static_cast<double>(x), static_cast<double>(y)));
        int64_t result = 1;
        for (int64_t i = 0; i < y; ++i) {
          if (__builtin_mul_overflow(result, x, &result)) throw JinjaError("integer overflow");
          if (result == 0 || result == 1) break;
        }
        return Value(result);
      }
      case BinaryOp::kDiv:
        break;
    }
  }
  double x = a.AsDouble();
  double y = b.AsDouble();
  switch (op) {
    case BinaryOp::kAdd:
      return Value(x + y);
    case BinaryOp::kSub:
      return Value(x - y);
    case BinaryOp::kMul:
      return Value(x * y);
    case BinaryOp::kDiv:
      if (y == 0) throw JinjaError("division by zero");
      return Value(x / y);
    case BinaryOp::kFloorDiv:
      if (y == 0) throw JinjaError("float floor division by zero");
      return Value(std::floor(x / y));
    case BinaryOp::kMod: {
      if (y == 0) throw JinjaError("float modulo");
      double r = std::fmod(x, y);
      if (r != 0 && ((r < 0) != (y < 0))) r += y;
      return Value(r);
    }
    case BinaryOp::kPow:
      return Value(std::pow(x, y));
  }
  return Value();
}

}  // namespace

std::string ObjectTypeRepr(const Value& v) {
  if (v.IsNone()) return "'None'";
  return "'" + v.TypeName() + " object'";
}

void ThrowUndefined(const Value& v) {
  std::string hint = v.IsUndefined() ? v.undefined_hint() : std::string();
  throw JinjaError(hint.empty() ? "value is undefined" : hint);
}

bool Equals(const Value& a, const Value& b) {
  if (a.IsNumber() && b.IsNumber()) {
    if (IsIntLike(a) && IsIntLike(b)) return a.AsInt() == b.AsInt();
    return a.AsDouble() == b.AsDouble();
  }
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case Value::Kind::kUndefined:
    case Value::Kind::kNone:
      return true;
    case Value::Kind::kString:
      return a.AsString() == b.AsString();
    case Value::Kind::kList:
    case Value::Kind::kTuple: {
      const List& x = a.AsList();
      const List& y = b.AsList();
      if (x.size() != y.size()) return false;
      for (size_t i = 0; i < x.size(); ++i) {
        if (!Equals(x[i], y[i])) return false;
      }
      return true;
    }
    case Value::Kind::kDict: {
      const Dict& x = a.AsDict();
      const Dict& y = b.AsDict();
      if (x.size() != y.size()) return false;
      for (const auto& [k, v] : x.entries()) {
        const Value* other = y.Find(k);
        if (!other || !Equals(v, *other)) return false;
      }
      return true;
    }
    case Value::Kind::kObject:
      return a.object_ptr() == b.object_ptr();
    default:
      return false;
  }
}

int Compare(const Value& a, const Value& b) {
  if (a.IsUndefined()) ThrowUndefined(a);
  if (b.IsUndefined()) ThrowUndefined(b);
  if (a.IsNumber() && b.IsNumber()) {
    if (IsIntLike(a) && IsIntLike(b)) {
      return a.AsInt() < b.AsInt() ? -1 : (a.AsInt() > b.AsInt() ? 1 : 0);
    }
    double x = a.AsDouble();
    double y = b.AsDouble();
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  if (a.IsString() && b.IsString()) {
    int c = a.AsString().compare(b.AsString());
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  if (a.kind() == b.kind() && a.IsSequence()) {
    const List& x = a.AsList();
    const List& y = b.AsList();
    for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
      if (!Equals(x[i], y[i])) return Compare(x[i], y[i]);
    }
    return x.size() < y.size() ? -1 : (x.size() > y.size() ? 1 : 0);
  }
  throw JinjaError(fmt::format("'<' not supported between instances of '{}' and '{}'", a.TypeName(),
                               b.TypeName()));
}

bool EvaluateCompare(CompareOp op, const Value& a, const Value& b) {
  switch (op) {
    case CompareOp::kEq:
      return Equals(a, b);
    case CompareOp::kNe:
      return !Equals(a, b);
    case CompareOp::kLt:
      return Compare(a, b) < 0;
    case CompareOp::kLe:
      return Compare(a, b) <= 0;
    case CompareOp::kGt:
      return Compare(a, b) > 0;
    case CompareOp::kGe:
      return Compare(a, b) >= 0;
    case CompareOp::kIn:
      return Contains(b, a);
    case CompareOp::kNotIn:
      return !Contains(b, a);
  }
  return false;
}

Value EvaluateBinary(BinaryOp op, const Value& a, const Value& b) {
  if (a.IsUndefined()) ThrowUndefined(a);
  if (b.IsUndefined()) ThrowUndefined(b);
  switch (op) {
    case BinaryOp::kAdd:
      if (a.IsString() && b.IsString()) return Value(a.AsString() + b.AsString());
      if (a.IsSequence() && a.kind() == b.kind()) {
        List out = a.AsList();
        out.insert(out.end(), b.AsList().begin(), b.AsList().end());
        return a.IsList() ? Value::MakeList(std::move(out)) : Value::MakeTuple(std::move(out));
      }
      if (a.IsString() || b.IsString()) {
        if (a.IsString()) {
          throw JinjaError("can only concatenate str (not \"" + b.TypeName() + "\") to str");
        }
        ThrowUnsupported("+", a, b);
      }
      break;
    case BinaryOp::kMul:
      if ((a.IsString() || a.IsSequence()) && IsIntLike(b)) return Repeat(a, b.AsInt());
      if ((b.IsString() || b.IsSequence()) && IsIntLike(a)) return Repeat(b, a.AsInt());
      break;
    case BinaryOp::kMod:
      if (a.IsString()) return Value(PercentFormat(a.AsString(), b));
      break;
    default:
      break;
  }
  return Arithmetic(op, a, b);
}

Value Negate(const Value& v) {
  if (v.IsUndefined()) ThrowUndefined(v);
  if (IsIntLike(v)) return Value(-v.AsInt());
  if (v.IsFloat()) return Value(-v.AsDouble());
  throw JinjaError("bad operand type for unary -: '" + v.TypeName() + "'");
}

bool Contains(const Value& haystack, const Value& needle) {
  switch (haystack.kind()) {
    case Value::Kind::kUndefined:
      return false;
    case Value::Kind::kString:
      if (!needle.IsString()) {
        throw JinjaError("'in <string>' requires string as left operand, not " + needle.TypeName());
      }
      return haystack.AsString().find(needle.AsString()) != std::string::npos;
    case Value::Kind::kList:
    case Value::Kind::kTuple:
      for (const Value& v : haystack.AsList()) {
        if (Equals(v, needle)) return true;
      }
      return false;
    case Value::Kind::kDict:
      return haystack.AsDict().Find(needle) != nullptr;
    case Value::Kind::kObject:
      if (auto items = haystack.AsObject().Iterate()) {
        for (const Value& v : *items) {
          if (Equals(v, needle)) return true;
        }
        return false;
      }
      break;
    default:
      break;
  }
  throw JinjaError("argument of type '" + haystack.TypeName() + "' is not iterable");
}

List Iterate(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kUndefined:
      return {};
    case Value::Kind::kString: {
      List out;
      for (std::string& c : SplitCodePoints(v.AsString())) out.emplace_back(std::move(c));
      return out;
    }
    case Value::Kind::kList:
    case Value::Kind::kTuple:
      return v.AsList();
    case Value::Kind::kDict: {
      List out;
      for (const auto& entry : v.AsDict().entries()) out.push_back(entry.first);
      return out;
    }
    case Value::Kind::kObject:
      if (auto items = v.AsObject().Iterate()) return *items;
      break;
    default:
      break;
  }
  throw JinjaError("'" + v.TypeName() + "' object is not iterable");
}

int64_t Length(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kUndefined:
      return 0;
    case Value::Kind::kString:
      return static_cast<int64_t>(CountCodePoints(v.AsString()));
    case Value::Kind::kList:
    case Value::Kind::kTuple:
      return static_cast<int64_t>(v.AsList().size());
    case Value::Kind::kDict:
      return static_cast<int64_t>(v.AsDict().size());
    case Value::Kind::kObject:
      if (auto items = v.AsObject().Iterate()) return static_cast<int64_t>(items->size());
      break;
    default:
      break;
  }
  throw JinjaError("object of type '" + v.TypeName() + "' has no len()");
}

Value GetAttribute(const Value& v, std::string_view name) {
  auto missing = [&] {
    return Value::Undefined(fmt::format("{} has no attribute '{}'", ObjectTypeRepr(v), name));
  };
  switch (v.kind()) {
    case Value::Kind::kUndefined:
      ThrowUndefined(v);
    case Value::Kind::kObject: {
      Value attr = v.AsObject().GetAttribute(name);
      if (attr.IsUndefined() && attr.undefined_hint().empty()) return missing();
      return attr;
    }
    case Value::Kind::kDict: {
      if (auto method = GetMethod(v, name)) return *method;
      const Value* item = v.AsDict().FindKey(name);
      return item ? *item : missing();
    }
    default:
      if (auto method = GetMethod(v, name)) return *method;
      return missing();
  }
}

Value GetItem(const Value& v, const Value& key) {
  switch (v.kind()) {
    case Value::Kind::kUndefined:
      ThrowUndefined(v);
    case Value::Kind::kDict: {
      if (const Value* item = v.AsDict().Find(key)) return *item;
      break;
    }
    case Value::Kind::kList:
    case Value::Kind::kTuple:
    case Value::Kind::kString: {
      if (!IsIntLike(key)) break;
      int64_t index = key.AsInt();
      if (v.IsString()) {
        std::vector<std::string> chars = SplitCodePoints(v.AsString());
        int64_t n = static_cast<int64_t>(chars.size());
        if (index < 0) index += n;
        if (index >= 0 && index < n) return Value(chars[static_cast<size_t>(index)]);
      } else {
        const List& items = v.AsList();
        int64_t n = static_cast<int64_t>(items.size());
        if (index < 0) index += n;
        if (index >= 0 && index < n) return items[static_cast<size_t>(index)];
      }
      return Value::Undefined(fmt::format("{} has no element {}", ObjectTypeRepr(v), key.Repr()));
    }
    case Value::Kind::kObject: {
      Value item = v.AsObject().GetItem(key);
      if (!item.IsUndefined()) return item;
      break;
    }
    default:
      break;
  }
  if (key.IsString()) return GetAttribute(v, key.AsString());
  return Value::Undefined(fmt::format("{} has no element {}", ObjectTypeRepr(v), key.Repr()));
}

Value Slice(const Value& v, std::optional<int64_t> start, std::optional<int64_t> stop,
            std::optional<int64_t> step) {
  if (v.IsUndefined()) ThrowUndefined(v);
  if (!v.IsString() && !v.IsSequence()) {
    throw JinjaError("'" + v.TypeName() + "' object is not subscriptable");
  }
  int64_t s = step.value_or(1);
  if (s == 0) throw JinjaError("slice step cannot be zero");
  std::vector<std::string> chars;
  if (v.IsString()) chars = SplitCodePoints(v.AsString());
  int64_t n =
      v.IsString() ? static_cast<int64_t>(chars.size()) : static_cast<int64_t>(v.AsList().size());
  // Python's slice.indices().
  auto clamp = [&](std::optional<int64_t> bound, int64_t default_value) {
    if (!bound) return default_value;
    int64_t b = *bound;
    if (b < 0) b += n;
    if (s > 0) return std::clamp<int64_t>(b, 0, n);
    return std::clamp<int64_t>(b, -1, n - 1);
  };
  int64_t lo = clamp(start, s > 0 ? 0 : n - 1);
  int64_t hi = clamp(stop, s > 0 ? n : -1);
  std::vector<size_t> picked;
  for (int64_t i = lo; s > 0 ? i < hi : i > hi; i += s) picked.push_back(static_cast<size_t>(i));
  if (v.IsString()) {
    std::string out;
    for (size_t i : picked) out += chars[i];
    return Value(std::move(out));
  }
  List out;
  for (size_t i : picked) out.push_back(v.AsList()[i]);
  return v.IsTuple() ? Value::MakeTuple(std::move(out)) : Value::MakeList(std::move(out));
}

Value CallValue(const Value& v, const CallArgs& args) {
  if (v.IsUndefined()) ThrowUndefined(v);
  if (!v.IsCallable()) throw JinjaError("'" + v.TypeName() + "' object is not callable");
  return v.AsObject().Call(args);
}

}  // namespace sluice::jinja
