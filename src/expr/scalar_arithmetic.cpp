// Numeric arithmetic: + - * / // % and negate over integers, DOUBLE and DECIMAL.
//
// Semantics follow DuckDB: integer + - * keep the (common) operand type and fail with an
// OutOfRangeError on overflow; `/` always returns DOUBLE (also for DECIMAL operands); `//` is
// integer division; division or modulo by zero gives NULL. DECIMAL + and - use the larger
// scale and one more integer digit than the larger operand; * adds precisions and scales.
// Results wider than 18 digits use the 128-bit layout; precision is capped at 38 digits and
// exceeding it is an overflow error. Date/time arithmetic lives in scalar_datetime.cpp.
#include <fmt/format.h>

#include <cmath>

#include "common/error.h"
#include "expr/kernel_util.h"
#include "expr/scalar_functions.h"
#include "types/decimal.h"

namespace sluice {

namespace {

enum class ArithOp { kAdd, kSub, kMul, kDiv, kIntDiv, kMod };

const char* OpWord(ArithOp op) {
  switch (op) {
    case ArithOp::kAdd:
      return "addition";
    case ArithOp::kSub:
      return "subtraction";
    case ArithOp::kMul:
      return "multiplication";
    default:
      return "division";
  }
}
const char* OpSymbol(ArithOp op) {
  switch (op) {
    case ArithOp::kAdd:
      return "+";
    case ArithOp::kSub:
      return "-";
    case ArithOp::kMul:
      return "*";
    case ArithOp::kDiv:
      return "/";
    case ArithOp::kIntDiv:
      return "//";
    case ArithOp::kMod:
      return "%";
  }
  return "?";
}

template <typename T>
std::string ShowNumber(T v, int scale) {
  if constexpr (std::is_same_v<T, double>) {
    return fmt::format("{}", v);
  } else if (scale > 0) {
    return FormatDecimal(static_cast<int128_t>(v), scale);
  } else {
    return Int128ToString(static_cast<int128_t>(v));
  }
}

// Throws "Overflow in addition of INTEGER (2147483647 + 1)!" for a failing row; a zero
// divisor makes the row NULL instead.
struct ArithFail {
  ArithOp op;
  LogicalType type;
  template <typename T>
  void operator()(Column& out, size_t row, T a, T b) const {
    if ((op == ArithOp::kIntDiv || op == ArithOp::kMod || op == ArithOp::kDiv) && b == T(0)) {
      out.SetNull(row);
      return;
    }
    throw OutOfRangeError(fmt::format("Overflow in {} of {} ({} {} {})!", OpWord(op),
                                      type.ToString(), ShowNumber(a, type.scale()), OpSymbol(op),
                                      ShowNumber(b, type.scale())));
  }
};

template <typename A, typename B, typename R, typename Op, typename Fail>
ScalarKernel MakeBinary(LogicalType rtype, Op op, Fail fail) {
  return [=](const std::vector<ColumnPtr>& args, size_t n) {
    return kernel::BinaryExec<A, B, R>(rtype, args[0], args[1], n, op, fail);
  };
}

// + - * // % for one integer or decimal physical type T; results must lie in [lo, hi] (the
// type's range for integers, +-(10^p - 1) for decimals).
template <typename T>
ScalarKernel IntegerKernel(ArithOp op, LogicalType type, T lo, T hi) {
  const ArithFail fail{op, type};
  switch (op) {
    case ArithOp::kAdd:
      return MakeBinary<T, T, T>(
          type,
          [lo, hi](T a, T b, T& r) {
            return !__builtin_add_overflow(a, b, &r) && r >= lo && r <= hi;
          },
          fail);
    case ArithOp::kSub:
      return MakeBinary<T, T, T>(
          type,
          [lo, hi](T a, T b, T& r) {
            return !__builtin_sub_overflow(a, b, &r) && r >= lo && r <= hi;
          },
          fail);
    case ArithOp::kMul:
      return MakeBinary<T, T, T>(
          type,
          [lo, hi](T a, T b, T& r) {
            return !__builtin_mul_overflow(a, b, &r) && r >= lo && r <= hi;
          },
          fail);
    case ArithOp::kIntDiv:
      return MakeBinary<T, T, T>(
          type,
          [](T a, T b, T& r) {
            if (b == 0 || (b == -1 && a == std::numeric_limits<T>::min())) {
              r = 0;
              return false;
            }
            r = a / b;
            return true;
          },
          fail);
    case ArithOp::kMod:
      return MakeBinary<T, T, T>(
          type,
          [](T a, T b, T& r) {
            // MIN % -1 overflows in C++ (and is an overflow error in DuckDB).
            if (b == 0 || (b == -1 && a == std::numeric_limits<T>::min())) {
              r = 0;
              return false;
            }
            r = a % b;
            return true;
          },
          fail);
    default:
      break;
  }
  throw InternalError("bad integer arithmetic op");
}

ScalarKernel DoubleKernel(ArithOp op) {
  const LogicalType t = TypeId::kDouble;
  const ArithFail fail{op, t};
  switch (op) {
    case ArithOp::kAdd:
      return MakeBinary<double, double, double>(
          t,
          [](double a, double b, double& r) {
            r = a + b;
            return true;
          },
          fail);
    case ArithOp::kSub:
      return MakeBinary<double, double, double>(
          t,
          [](double a, double b, double& r) {
            r = a - b;
            return true;
          },
          fail);
    case ArithOp::kMul:
      return MakeBinary<double, double, double>(
          t,
          [](double a, double b, double& r) {
            r = a * b;
            return true;
          },
          fail);
    // Branch-free: divide anyway (IEEE gives inf/nan) and flag zero divisors for NULL.
    case ArithOp::kDiv:
      return MakeBinary<double, double, double>(
          t,
          [](double a, double b, double& r) {
            r = a / b;
            return b != 0;
          },
          fail);
    case ArithOp::kMod:
      return MakeBinary<double, double, double>(
          t,
          [](double a, double b, double& r) {
            r = std::fmod(a, b);
            return b != 0;
          },
          fail);
    case ArithOp::kIntDiv:  // resolved as kDiv for DOUBLE operands
      break;
  }
  throw InternalError("bad double arithmetic op");
}

LogicalType AsDecimal(const LogicalType& t) {
  if (t.id() == TypeId::kDecimal) return t;
  switch (t.id()) {
    case TypeId::kTinyInt:
      return LogicalType::Decimal(3, 0);
    case TypeId::kSmallInt:
      return LogicalType::Decimal(5, 0);
    case TypeId::kInteger:
      return LogicalType::Decimal(10, 0);
    case TypeId::kBoolean:
      return LogicalType::Decimal(1, 0);
    default:
      return LogicalType::Decimal(19, 0);
  }
}

// A kernel over same-typed decimal operands of type `arg`, producing `result`.
ScalarKernel DecimalSameTypeKernel(ArithOp op, const LogicalType& result) {
  if (result.IsWideDecimal()) {
    const int128_t hi = MaxDecimalValue(result.precision());
    return IntegerKernel<int128_t>(op, result, -hi, hi);
  }
  const auto hi = static_cast<int64_t>(MaxDecimalValue(result.precision()));
  return IntegerKernel<int64_t>(op, result, -hi, hi);
}

std::optional<BoundScalar> DecimalArith(ArithOp op, LogicalType a, LogicalType b) {
  a = AsDecimal(a);
  b = AsDecimal(b);
  const int int_digits = std::max(a.precision() - a.scale(), b.precision() - b.scale());
  if (op == ArithOp::kAdd || op == ArithOp::kSub || op == ArithOp::kMod) {
    const int s = std::max(a.scale(), b.scale());
    const int extra = op == ArithOp::kMod ? 0 : 1;
    const LogicalType t =
        LogicalType::Decimal(std::min(kMaxDecimalPrecision, int_digits + s + extra), s);
    return BoundScalar{t, {t, t}, DecimalSameTypeKernel(op, t)};
  }
  if (op == ArithOp::kMul) {
    const int s = a.scale() + b.scale();
    if (s > kMaxDecimalPrecision) return std::nullopt;
    const LogicalType t =
        LogicalType::Decimal(std::min(kMaxDecimalPrecision, a.precision() + b.precision()), s);
    if (!t.IsWideDecimal()) return BoundScalar{t, {a, b}, DecimalSameTypeKernel(op, t)};
    if (!a.IsWideDecimal() && !b.IsWideDecimal()) {
      // Two 64-bit operands: one 64 x 64 -> 128-bit multiply, no casts before it and no
      // overflow check (|a| < 10^pa and |b| < 10^pb, so |a * b| < 10^(pa + pb) and t holds
      // pa + pb <= 36 digits). TPC-H q1's l_extendedprice * (1 - l_discount).
      return BoundScalar{t, {a, b},
                         MakeBinary<int64_t, int64_t, int128_t>(
                             t,
                             [](int64_t x, int64_t y, int128_t& r) {
                               r = static_cast<int128_t>(x) * y;
                               return true;
                             },
                             ArithFail{op, t})};
    }
    // Widen both operands to the 128-bit layout so one kernel multiplies them.
    auto widen = [](const LogicalType& x) {
      return x.IsWideDecimal() ? x : LogicalType::Decimal(19, x.scale());
    };
    return BoundScalar{t, {widen(a), widen(b)}, DecimalSameTypeKernel(op, t)};
  }
  return std::nullopt;
}

// A string literal or untyped NULL next to a typed operand takes that operand's type.
LogicalType Adapt(const ExprPtr& e, const LogicalType& other) {
  const bool adaptable = e->type.id() == TypeId::kNull ||
                         (e->kind == ExprKind::kLiteral && e->type.id() == TypeId::kVarchar);
  return adaptable && other.id() != TypeId::kNull ? other : e->type;
}

std::optional<BoundScalar> ResolveArithmetic(ArithOp op, const std::vector<ExprPtr>& args) {
  if (args.size() != 2) return std::nullopt;
  LogicalType a = Adapt(args[0], args[1]->type);
  LogicalType b = Adapt(args[1], args[0]->type);
  if (a.id() == TypeId::kNull && b.id() == TypeId::kNull) a = b = TypeId::kInteger;
  if (!a.IsNumeric() || !b.IsNumeric()) return std::nullopt;
  // `//` truncates integers only; with a DOUBLE or DECIMAL operand it divides exactly, as
  // DuckDB's does (so `/` under integer_division keeps 7.5 / 2 = 3.75).
  const bool exact = a.id() == TypeId::kDouble || b.id() == TypeId::kDouble ||
                     a.id() == TypeId::kDecimal || b.id() == TypeId::kDecimal;
  if (op == ArithOp::kIntDiv && exact) op = ArithOp::kDiv;
  if (op == ArithOp::kDiv) {
    const LogicalType d = TypeId::kDouble;
    return BoundScalar{d, {d, d}, DoubleKernel(op)};
  }
  if (a.id() == TypeId::kDouble || b.id() == TypeId::kDouble) {
    const LogicalType d = TypeId::kDouble;
    return BoundScalar{d, {d, d}, DoubleKernel(op)};
  }
  if (a.id() == TypeId::kDecimal || b.id() == TypeId::kDecimal) {
    if (op == ArithOp::kIntDiv) return std::nullopt;
    return DecimalArith(op, a, b);
  }
  const LogicalType t = CommonNumericType(a, b);
  ScalarKernel k = kernel::DispatchInteger(t.id(), [&](auto tag) {
    using T = decltype(tag);
    return IntegerKernel<T>(op, t, std::numeric_limits<T>::min(), std::numeric_limits<T>::max());
  });
  return BoundScalar{t, {t, t}, std::move(k)};
}

template <typename T>
ScalarKernel NegateKernel(LogicalType t) {
  return [t](const std::vector<ColumnPtr>& args, size_t n) {
    return kernel::UnaryExec<T, T>(
        t, args[0], n,
        [](T a, T& r) {
          if constexpr (std::is_integral_v<T>) {
            return !__builtin_sub_overflow(T(0), a, &r);
          } else {
            r = -a;
            return true;
          }
        },
        [t](Column&, size_t, T a) {
          throw OutOfRangeError(
              fmt::format("Overflow in negation of {} (-{})!", t.ToString(), ShowNumber(a, 0)));
        });
  };
}

std::optional<BoundScalar> ResolveNegate(const std::vector<ExprPtr>& args) {
  if (args.size() != 1) return std::nullopt;
  LogicalType t = args[0]->type;
  if (t.id() == TypeId::kNull) t = TypeId::kInteger;
  if (t.id() == TypeId::kDouble) return BoundScalar{t, {t}, NegateKernel<double>(t)};
  if (t.id() == TypeId::kDecimal) {
    if (t.IsWideDecimal()) return BoundScalar{t, {t}, NegateKernel<int128_t>(t)};
    return BoundScalar{t, {t}, NegateKernel<int64_t>(t)};
  }
  if (t.IsInteger()) {
    ScalarKernel k =
        kernel::DispatchInteger(t.id(), [&](auto tag) { return NegateKernel<decltype(tag)>(t); });
    return BoundScalar{t, {t}, std::move(k)};
  }
  if (t.id() == TypeId::kInterval) {
    ScalarKernel k = [t](const std::vector<ColumnPtr>& args, size_t n) {
      return kernel::UnaryExec<Interval, Interval>(
          t, args[0], n,
          [](const Interval& a, Interval& r) {
            r = NegateInterval(a);  // throws OutOfRangeError at the field minimums
            return true;
          },
          kernel::NullOnFail());
    };
    return BoundScalar{t, {t}, std::move(k)};
  }
  return std::nullopt;
}

}  // namespace

void RegisterArithmeticFunctions(FunctionRegistry& registry) {
  const std::pair<const char*, ArithOp> ops[] = {{"+", ArithOp::kAdd},     {"-", ArithOp::kSub},
                                                 {"*", ArithOp::kMul},     {"/", ArithOp::kDiv},
                                                 {"//", ArithOp::kIntDiv}, {"%", ArithOp::kMod}};
  for (const auto& [name, op] : ops) {
    registry.AddScalar(
        name, [op = op](const std::vector<ExprPtr>& args) { return ResolveArithmetic(op, args); },
        fmt::format("{0}(NUMERIC, NUMERIC)", name));
  }
  registry.AddScalar(
      "mod",
      [](const std::vector<ExprPtr>& args) { return ResolveArithmetic(ArithOp::kMod, args); },
      "mod(NUMERIC, NUMERIC)");
  registry.AddScalar(
      "divide",
      [](const std::vector<ExprPtr>& args) { return ResolveArithmetic(ArithOp::kIntDiv, args); },
      "divide(INTEGER, INTEGER)");
  registry.AddScalar("negate", ResolveNegate, "negate(NUMERIC|INTERVAL)");
  registry.AddScalar(
      "-",
      [](const std::vector<ExprPtr>& args) {
        return args.size() == 1 ? ResolveNegate(args) : std::nullopt;
      },
      "-(NUMERIC)");
}

}  // namespace sluice
