// Comparisons = <> < <= > >= and IS [NOT] DISTINCT FROM for every type, and the IN-list kernel.
// Operands are cast to one type by the binder first, so each kernel compares equal physical
// types. DOUBLE orders NaN above every number and equal to itself (DuckDB's total order);
// INTERVAL compares normalized lengths (a month as 30 days).
#include <fmt/format.h>

#include <unordered_set>

#include "common/error.h"
#include "common/hash.h"
#include "expr/binder.h"
#include "expr/kernel_util.h"
#include "expr/scalar_functions.h"
#include "types/cast_ops.h"

namespace sluice {

namespace {

enum class CmpOp { kEq, kNe, kLt, kLe, kGt, kGe };

template <typename T>
struct Order {
  static bool Eq(const T& a, const T& b) { return a == b; }
  static bool Lt(const T& a, const T& b) { return a < b; }
};
template <>
struct Order<double> {
  static bool Eq(double a, double b) { return a == b || (a != a && b != b); }
  static bool Lt(double a, double b) { return b != b ? a == a : a < b; }
};
template <>
struct Order<StringView> {
  static bool Eq(const StringView& a, const StringView& b) { return a == b; }
  static bool Lt(const StringView& a, const StringView& b) { return a.Compare(b) < 0; }
};
template <>
struct Order<Interval> {
  static bool Eq(const Interval& a, const Interval& b) {
    return a.NormalizedMicros() == b.NormalizedMicros();
  }
  static bool Lt(const Interval& a, const Interval& b) {
    return a.NormalizedMicros() < b.NormalizedMicros();
  }
};

template <typename T, typename Cmp>
ScalarKernel CompareWith(Cmp cmp) {
  return [cmp](const std::vector<ColumnPtr>& args, size_t n) {
    return kernel::BinaryExec<T, T, uint8_t>(
        TypeId::kBoolean, args[0], args[1], n,
        [cmp](const T& a, const T& b, uint8_t& r) {
          r = cmp(a, b);
          return true;
        },
        kernel::NullOnFail());
  };
}

template <typename T>
ScalarKernel CompareKernel(CmpOp op) {
  using O = Order<T>;
  switch (op) {
    case CmpOp::kEq:
      return CompareWith<T>([](const T& a, const T& b) { return O::Eq(a, b); });
    case CmpOp::kNe:
      return CompareWith<T>([](const T& a, const T& b) { return !O::Eq(a, b); });
    case CmpOp::kLt:
      return CompareWith<T>([](const T& a, const T& b) { return O::Lt(a, b); });
    case CmpOp::kLe:
      return CompareWith<T>([](const T& a, const T& b) { return !O::Lt(b, a); });
    case CmpOp::kGt:
      return CompareWith<T>([](const T& a, const T& b) { return O::Lt(b, a); });
    case CmpOp::kGe:
      return CompareWith<T>([](const T& a, const T& b) { return !O::Lt(a, b); });
  }
  throw InternalError("bad comparison");
}

bool IsStringLiteral(const Expr& e) {
  return e.kind == ExprKind::kLiteral && e.type.id() == TypeId::kVarchar;
}

bool IntegerLiteralFits(const Expr& e, const LogicalType& t) {
  return e.kind == ExprKind::kLiteral && e.type.IsInteger() && t.IsInteger() &&
         !e.value.is_null() && IntegerFits(e.value.GetInt(), t.id());
}

// The type both sides are compared as, or nullopt when they cannot be compared.
std::optional<LogicalType> ComparisonType(const Expr& a, const Expr& b) {
  if (a.type == b.type) return a.type;
  if (a.type.id() == TypeId::kNull) return b.type;
  if (b.type.id() == TypeId::kNull) return a.type;
  // '1994-01-01' next to a DATE is a DATE; 5 next to a TINYINT column is a TINYINT (so the
  // column is not widened row by row).
  if (IsStringLiteral(a)) return b.type;
  if (IsStringLiteral(b)) return a.type;
  if (IntegerLiteralFits(b, a.type)) return a.type;
  if (IntegerLiteralFits(a, b.type)) return b.type;
  if ((a.type.id() == TypeId::kVarchar) != (b.type.id() == TypeId::kVarchar)) return std::nullopt;
  try {
    return CommonSuperType(a.type, b.type);
  } catch (const BindError&) {
    return std::nullopt;
  }
}

// Comparisons of LIST and STRUCT values, row by row through Values (lexicographic order).
ScalarKernel NestedCompareKernel(CmpOp op, bool null_is_value, bool distinct) {
  return [=](const std::vector<ColumnPtr>& args, size_t n) {
    const Column& a = *args[0];
    const Column& b = *args[1];
    auto apply = [&](size_t i, Column& out) {
      const Value va = a.GetValue(i), vb = b.GetValue(i);
      bool r;
      if (null_is_value) {
        r = (CompareValues(va, vb) == 0) != distinct;
      } else {
        const int c = CompareValues(va, vb);
        switch (op) {
          case CmpOp::kEq: r = c == 0; break;
          case CmpOp::kNe: r = c != 0; break;
          case CmpOp::kLt: r = c < 0; break;
          case CmpOp::kLe: r = c <= 0; break;
          case CmpOp::kGt: r = c > 0; break;
          default: r = c >= 0; break;
        }
      }
      out.data<uint8_t>()[i] = r ? 1 : 0;
      return true;
    };
    if (null_is_value) return kernel::RowExecAll(TypeId::kBoolean, args, n, apply);
    return kernel::RowExec(TypeId::kBoolean, args, n, apply);
  };
}

std::optional<BoundScalar> ResolveCompare(CmpOp op, const std::vector<ExprPtr>& args) {
  if (args.size() != 2) return std::nullopt;
  auto type = ComparisonType(*args[0], *args[1]);
  if (!type) return std::nullopt;
  LogicalType t = *type;
  if (t.id() == TypeId::kNull) t = TypeId::kBoolean;
  if (t.IsNested()) return BoundScalar{TypeId::kBoolean, {t, t}, NestedCompareKernel(op, false, false)};
  ScalarKernel k =
      kernel::DispatchPhysical(t, [&](auto tag) { return CompareKernel<decltype(tag)>(op); });
  return BoundScalar{TypeId::kBoolean, {t, t}, std::move(k)};
}

// IS [NOT] DISTINCT FROM: like = / <> but NULL is a value equal to NULL; never NULL itself.
template <typename T>
ScalarKernel DistinctKernel(bool distinct) {
  return [distinct](const std::vector<ColumnPtr>& args, size_t n) {
    kernel::ArgReader a(*args[0]), b(*args[1]);
    return kernel::RowExecAll(TypeId::kBoolean, args, n, [&](size_t i, Column& out) {
      const bool va = a.IsValid(i), vb = b.IsValid(i);
      bool same;
      if (!va || !vb) {
        same = va == vb;
      } else {
        same = Order<T>::Eq(a.Get<T>(i), b.Get<T>(i));
      }
      out.data<uint8_t>()[i] = same != distinct;
      return true;
    });
  };
}

std::optional<BoundScalar> ResolveDistinct(bool distinct, const std::vector<ExprPtr>& args) {
  if (args.size() != 2) return std::nullopt;
  auto type = ComparisonType(*args[0], *args[1]);
  if (!type) return std::nullopt;
  LogicalType t = type->id() == TypeId::kNull ? LogicalType(TypeId::kBoolean) : *type;
  if (t.IsNested()) {
    return BoundScalar{TypeId::kBoolean, {t, t}, NestedCompareKernel(CmpOp::kEq, true, distinct)};
  }
  ScalarKernel k = kernel::DispatchPhysical(
      t, [&](auto tag) { return DistinctKernel<decltype(tag)>(distinct); });
  return BoundScalar{TypeId::kBoolean, {t, t}, std::move(k)};
}

// Hashes and equality for the IN-list set: a value's physical bytes mean the same thing in
// every row, except StringView (compare contents) and DOUBLE (NaN = NaN, -0 = 0).
template <typename T>
struct InHash {
  size_t operator()(const T& v) const {
    if constexpr (std::is_same_v<T, StringView>) {
      return HashBytes(v.data(), v.size());
    } else if constexpr (std::is_same_v<T, double>) {
      if (v != v) return 1;
      return HashInt(std::bit_cast<uint64_t>(v == 0 ? 0.0 : v));
    } else if constexpr (std::is_same_v<T, Interval>) {
      return HashInt(static_cast<uint64_t>(v.NormalizedMicros()));
    } else if constexpr (std::is_same_v<T, int128_t>) {
      return HashCombine(HashInt(static_cast<uint64_t>(v)),
                         HashInt(static_cast<uint64_t>(v >> 64)));
    } else {
      return HashInt(static_cast<uint64_t>(static_cast<int64_t>(v)));
    }
  }
};
template <typename T>
struct InEq {
  bool operator()(const T& a, const T& b) const { return Order<T>::Eq(a, b); }
};

template <typename T>
ScalarKernel InListKernel(const LogicalType& type, const std::vector<Value>& values, bool negated) {
  // The set's StringViews point into `holder`, kept alive by the kernel.
  auto holder = Column::Make(type, std::max<size_t>(values.size(), 1));
  auto set = std::make_shared<std::unordered_set<T, InHash<T>, InEq<T>>>();
  bool has_null = false;
  for (size_t i = 0; i < values.size(); i++) {
    if (values[i].is_null()) {
      has_null = true;
      continue;
    }
    holder->SetValue(i, values[i]);
    set->insert(holder->data<T>()[i]);
  }
  // A short list (TPC-H's `l_shipmode IN ('MAIL', 'SHIP')`) is compared value by value:
  // cheaper than hashing every row.
  constexpr size_t kLinearListSize = 8;
  if (set->size() <= kLinearListSize) {
    std::vector<T> list(set->begin(), set->end());
    return [holder, list, has_null, negated](const std::vector<ColumnPtr>& args, size_t n) {
      return kernel::UnaryExec<T, uint8_t>(
          TypeId::kBoolean, args[0], n,
          [&](const T& v, uint8_t& r) {
            bool found = false;
            for (const T& x : list) found |= Order<T>::Eq(v, x);
            r = found != negated;
            return found || !has_null;
          },
          kernel::NullOnFail());
    };
  }
  return [holder, set, has_null, negated](const std::vector<ColumnPtr>& args, size_t n) {
    return kernel::UnaryExec<T, uint8_t>(
        TypeId::kBoolean, args[0], n,
        [&](const T& v, uint8_t& r) {
          const bool found = set->count(v) != 0;
          r = found != negated;
          return found || !has_null;  // not found with a NULL in the list: NULL
        },
        kernel::NullOnFail());
  };
}

}  // namespace

ScalarKernel MakeInListKernel(const LogicalType& type, const std::vector<Value>& values,
                              bool negated) {
  const LogicalType t = type.id() == TypeId::kNull ? LogicalType(TypeId::kBoolean) : type;
  return kernel::DispatchPhysical(
      t, [&](auto tag) { return InListKernel<decltype(tag)>(t, values, negated); });
}

void RegisterComparisonFunctions(FunctionRegistry& registry) {
  const std::pair<const char*, CmpOp> ops[] = {
      {"=", CmpOp::kEq}, {"==", CmpOp::kEq}, {"<>", CmpOp::kNe}, {"!=", CmpOp::kNe},
      {"<", CmpOp::kLt}, {"<=", CmpOp::kLe}, {">", CmpOp::kGt},  {">=", CmpOp::kGe}};
  for (const auto& [name, op] : ops) {
    registry.AddScalar(
        name, [op = op](const std::vector<ExprPtr>& args) { return ResolveCompare(op, args); },
        fmt::format("{}(ANY, ANY) with comparable types", name));
  }
  registry.AddScalar(
      "is distinct from",
      [](const std::vector<ExprPtr>& args) { return ResolveDistinct(true, args); },
      "is distinct from(ANY, ANY)");
  registry.AddScalar(
      "is not distinct from",
      [](const std::vector<ExprPtr>& args) { return ResolveDistinct(false, args); },
      "is not distinct from(ANY, ANY)");
}

}  // namespace sluice
