// Numeric functions: abs sign round floor ceil trunc sqrt power ln log10 log2 exp pi, and
// the NULL-aware greatest / least / nullif. Transcendental functions work on DOUBLE; abs,
// sign, round, floor and ceil keep integer and DECIMAL inputs exact.
#include <fmt/format.h>

#include <bit>
#include <cmath>
#include <cstring>

#include "common/error.h"
#include "common/hash.h"
#include "expr/binder.h"
#include "expr/kernel_util.h"
#include "expr/scalar_functions.h"
#include "types/decimal.h"

namespace sluice {

namespace {

const LogicalType kDouble = TypeId::kDouble;

template <typename T, typename R, typename Op>
ScalarKernel Unary(LogicalType result, Op op) {
  return [result, op](const std::vector<ColumnPtr>& args, size_t n) {
    return kernel::UnaryExec<T, R>(result, args[0], n, op, kernel::NullOnFail());
  };
}

// A DOUBLE -> DOUBLE function; `domain_error` (when set) rejects arguments outside the domain.
template <typename Fn>
ScalarKernel DoubleFunction(Fn fn, const char* domain_error, bool (*in_domain)(double)) {
  return [fn, domain_error, in_domain](const std::vector<ColumnPtr>& args, size_t n) {
    return kernel::UnaryExec<double, double>(
        kDouble, args[0], n,
        [&](double a, double& r) {
          r = fn(a);
          return in_domain == nullptr || in_domain(a);
        },
        [&](Column&, size_t, double) { throw OutOfRangeError(domain_error); });
  };
}

std::optional<BoundScalar> ResolveAbs(const std::vector<ExprPtr>& args) {
  if (args.size() != 1) return std::nullopt;
  LogicalType t =
      args[0]->type.id() == TypeId::kNull ? LogicalType(TypeId::kInteger) : args[0]->type;
  if (t.id() == TypeId::kDouble) {
    return BoundScalar{t, {t}, Unary<double, double>(t, [](double a, double& r) {
                         r = std::fabs(a);
                         return true;
                       })};
  }
  if (t.id() == TypeId::kDecimal) {
    if (t.IsWideDecimal()) {
      return BoundScalar{t, {t}, Unary<int128_t, int128_t>(t, [](int128_t a, int128_t& r) {
                           r = a < 0 ? -a : a;
                           return true;
                         })};
    }
    return BoundScalar{t, {t}, Unary<int64_t, int64_t>(t, [](int64_t a, int64_t& r) {
                         r = a < 0 ? -a : a;
                         return true;
                       })};
  }
  if (!t.IsInteger()) return std::nullopt;
  ScalarKernel k = kernel::DispatchInteger(t.id(), [&](auto tag) -> ScalarKernel {
    using T = decltype(tag);
    return [t](const std::vector<ColumnPtr>& args, size_t n) {
      return kernel::UnaryExec<T, T>(
          t, args[0], n,
          [](T a, T& r) { return !__builtin_sub_overflow(a < 0 ? T(0) : a, a < 0 ? a : T(0), &r); },
          [t](Column&, size_t, T a) {
            throw OutOfRangeError(
                fmt::format("Overflow on abs({}) of {}", static_cast<int64_t>(a), t.ToString()));
          });
    };
  });
  return BoundScalar{t, {t}, std::move(k)};
}

// round/floor/ceil/trunc. mode: 0 round half away from zero, 1 floor, 2 ceil, 3 trunc.
double RoundDouble(double x, int mode) {
  switch (mode) {
    case 0:
      return std::round(x);
    case 1:
      return std::floor(x);
    case 2:
      return std::ceil(x);
    default:
      return std::trunc(x);
  }
}

template <typename T>
T RoundScaled(T v, T factor, int mode) {
  T q = v / factor, rem = v % factor;
  switch (mode) {
    case 0:
      if (rem * 2 >= factor)
        q++;
      else if (rem * 2 <= -factor)
        q--;
      break;
    case 1:
      if (rem < 0) q--;
      break;
    case 2:
      if (rem > 0) q++;
      break;
    default:
      break;
  }
  return q;
}

// DECIMAL(p, s) rounded to `digits` decimals: DECIMAL(p, digits) (scale kept when smaller).
template <typename T>
ScalarKernel DecimalRound(LogicalType result, int from_scale, int digits, int mode) {
  const T factor = static_cast<T>(Pow10(from_scale - digits));
  return Unary<T, T>(result, [factor, mode](T a, T& r) {
    r = RoundScaled<T>(a, factor, mode);
    return true;
  });
}

std::optional<BoundScalar> ResolveRounding(const std::vector<ExprPtr>& args, int mode) {
  if (args.empty() || args.size() > 2 || (args.size() == 2 && mode != 0)) return std::nullopt;
  LogicalType t = args[0]->type.id() == TypeId::kNull ? kDouble : args[0]->type;
  std::vector<LogicalType> types = {t};
  if (args.size() == 2) {
    if (!kernel::ImplicitlyCastable(*args[1], TypeId::kInteger)) return std::nullopt;
    types.push_back(TypeId::kInteger);
  }
  if (t.IsInteger()) {
    return BoundScalar{t, types, [](const std::vector<ColumnPtr>& a, size_t) { return a[0]; }};
  }
  if (t.id() == TypeId::kDecimal) {
    int digits = 0;
    if (args.size() == 2) {
      const Value* v = kernel::LiteralArg(args, 1);
      if (v == nullptr) return std::nullopt;  // the result scale must be known when binding
      digits = static_cast<int>(v->CastTo(TypeId::kInteger).GetInt());
    }
    if (digits >= t.scale()) {
      return BoundScalar{t, types, [](const std::vector<ColumnPtr>& a, size_t) { return a[0]; }};
    }
    const int to_scale = std::max(digits, 0);
    const LogicalType result = LogicalType::Decimal(t.precision(), to_scale);
    ScalarKernel k = t.IsWideDecimal() ? DecimalRound<int128_t>(result, t.scale(), to_scale, mode)
                                       : DecimalRound<int64_t>(result, t.scale(), to_scale, mode);
    if (args.size() == 2) {
      k = [k](const std::vector<ColumnPtr>& a, size_t n) { return k({a[0]}, n); };
    }
    return BoundScalar{result, types, std::move(k)};
  }
  if (!kernel::ImplicitlyCastable(*args[0], kDouble)) return std::nullopt;
  types[0] = kDouble;
  if (args.size() == 1) {
    return BoundScalar{kDouble, types, Unary<double, double>(kDouble, [mode](double a, double& r) {
                         r = RoundDouble(a, mode);
                         return true;
                       })};
  }
  ScalarKernel k = [](const std::vector<ColumnPtr>& a, size_t n) {
    return kernel::BinaryExec<double, int32_t, double>(
        kDouble, a[0], a[1], n,
        [](double x, int32_t d, double& r) {
          const double f = std::pow(10.0, d);
          r = std::round(x * f) / f;
          if (!std::isfinite(r)) r = x;
          return true;
        },
        kernel::NullOnFail());
  };
  return BoundScalar{kDouble, types, std::move(k)};
}

std::optional<BoundScalar> ResolveSign(const std::vector<ExprPtr>& args) {
  if (args.size() != 1 || !kernel::ImplicitlyCastable(*args[0], kDouble)) return std::nullopt;
  const LogicalType t = TypeId::kTinyInt;
  return BoundScalar{t, {kDouble}, Unary<double, int8_t>(t, [](double a, int8_t& r) {
                       r = static_cast<int8_t>((a > 0) - (a < 0));
                       return true;
                     })};
}

// greatest/least: the largest/smallest non-NULL argument (NULL only when all are NULL).
std::optional<BoundScalar> ResolveExtreme(const std::vector<ExprPtr>& args, bool greatest) {
  if (args.empty()) return std::nullopt;
  LogicalType t = args[0]->type;
  for (size_t i = 1; i < args.size(); i++) t = CommonSuperType(t, args[i]->type);
  if (t.id() == TypeId::kNull || t.id() == TypeId::kInterval) return std::nullopt;
  ScalarKernel k = kernel::DispatchPhysical(t, [&](auto tag) -> ScalarKernel {
    using T = decltype(tag);
    return [t, greatest](const std::vector<ColumnPtr>& cols, size_t n) {
      std::vector<kernel::ArgReader> in;
      for (const auto& c : cols) in.emplace_back(*c);
      return kernel::RowExecAll(t, cols, n, [&](size_t i, Column& out) {
        bool any = false;
        T best{};
        for (const auto& r : in) {
          if (!r.IsValid(i)) continue;
          const T& v = r.Get<T>(i);
          bool better;
          if constexpr (std::is_same_v<T, StringView>) {
            better = greatest ? best.Compare(v) < 0 : v.Compare(best) < 0;
          } else if constexpr (std::is_same_v<T, Interval>) {
            const int64_t x = best.NormalizedMicros(), y = v.NormalizedMicros();
            better = greatest ? x < y : y < x;
          } else {
            better = greatest ? best < v : v < best;
          }
          if (!any || better) best = v;
          any = true;
        }
        out.data<T>()[i] = best;
        return any;
      });
    };
  });
  return BoundScalar{t, std::vector<LogicalType>(args.size(), t), std::move(k)};
}

std::optional<BoundScalar> ResolveNullIf(const std::vector<ExprPtr>& args) {
  if (args.size() != 2) return std::nullopt;
  BoundScalar eq = FunctionRegistry::Global().ResolveScalar("=", args);
  const LogicalType t = eq.arg_types[0];
  if (t.IsNested()) return std::nullopt;  // the kernel copies fixed-width values
  ScalarKernel k = [t, eq = eq.kernel](const std::vector<ColumnPtr>& cols, size_t n) {
    ColumnPtr same = eq(cols, n);
    kernel::ArgReader a(*cols[0]), s(*same);
    // `same` is passed too: its rows vary when either argument does, so the kernel runs per
    // row whenever any argument is a column (not just the first).
    return kernel::RowExecAll(t, {cols[0], same}, n, [&](size_t i, Column& out) {
      if (!a.IsValid(i)) return false;
      std::memcpy(out.raw_data() + i * t.PhysicalSize(),
                  cols[0]->raw_data() + (cols[0]->is_constant() ? 0 : i * t.PhysicalSize()),
                  t.PhysicalSize());
      return !(s.IsValid(i) && s.Get<uint8_t>(i) != 0);
    });
  };
  return BoundScalar{t, {eq.arg_types[0], eq.arg_types[1]}, std::move(k)};
}

// hash(x, ...): a deterministic 64-bit hash (as BIGINT bits) of the values; NULL hashes to
// a fixed value instead of giving NULL.
uint64_t HashOne(const kernel::ArgReader& r, const LogicalType& t, size_t i) {
  if (!r.IsValid(i)) return kNullHash;
  return kernel::DispatchPhysical(t, [&](auto tag) -> uint64_t {
    using T = decltype(tag);
    const T& v = r.Get<T>(i);
    if constexpr (std::is_same_v<T, StringView>) {
      return HashBytes(v.data(), v.size());
    } else if constexpr (std::is_same_v<T, double>) {
      return HashInt(std::bit_cast<uint64_t>(v == 0 ? 0.0 : v));
    } else if constexpr (std::is_same_v<T, Interval>) {
      return HashBytes(&v, sizeof(v));
    } else if constexpr (std::is_same_v<T, int128_t>) {
      return HashCombine(HashInt(static_cast<uint64_t>(v)),
                         HashInt(static_cast<uint64_t>(v >> 64)));
    } else {
      return HashInt(static_cast<uint64_t>(static_cast<int64_t>(v)));
    }
  });
}

std::optional<BoundScalar> ResolveHash(const std::vector<ExprPtr>& args) {
  if (args.empty()) return std::nullopt;
  std::vector<LogicalType> types;
  for (const auto& a : args) {
    types.push_back(a->type.id() == TypeId::kNull ? LogicalType(TypeId::kInteger) : a->type);
  }
  ScalarKernel k = [types](const std::vector<ColumnPtr>& cols, size_t n) {
    std::vector<kernel::ArgReader> in;
    for (const auto& c : cols) in.emplace_back(*c);
    return kernel::RowExecAll(TypeId::kBigInt, cols, n, [&](size_t i, Column& out) {
      uint64_t h = HashOne(in[0], types[0], i);
      for (size_t a = 1; a < in.size(); a++) h = HashCombine(h, HashOne(in[a], types[a], i));
      out.data<int64_t>()[i] = static_cast<int64_t>(h);
      return true;
    });
  };
  return BoundScalar{TypeId::kBigInt, types, std::move(k)};
}

}  // namespace

void RegisterMathFunctions(FunctionRegistry& r) {
  r.AddScalar("abs", ResolveAbs, "abs(NUMERIC)");
  const std::pair<const char*, int> rounding[] = {
      {"round", 0}, {"floor", 1}, {"ceil", 2}, {"ceiling", 2}, {"trunc", 3}};
  for (const auto& [name, mode] : rounding) {
    r.AddScalar(
        name, [mode = mode](const std::vector<ExprPtr>& a) { return ResolveRounding(a, mode); },
        std::string(name) + (mode == 0 ? "(NUMERIC[, INTEGER])" : "(NUMERIC)"));
  }
  r.AddScalar("sign", ResolveSign, "sign(NUMERIC)");
  struct Fn {
    const char* name;
    double (*fn)(double);
    const char* error;
    bool (*domain)(double);
  };
  const Fn fns[] = {
      {"sqrt", [](double x) { return std::sqrt(x); },
       "cannot take square root of a negative number", [](double x) { return !(x < 0); }},
      {"ln", [](double x) { return std::log(x); },
       "cannot take logarithm of zero or a negative number", [](double x) { return !(x <= 0); }},
      {"log10", [](double x) { return std::log10(x); },
       "cannot take logarithm of zero or a negative number", [](double x) { return !(x <= 0); }},
      {"log", [](double x) { return std::log10(x); },
       "cannot take logarithm of zero or a negative number", [](double x) { return !(x <= 0); }},
      {"log2", [](double x) { return std::log2(x); },
       "cannot take logarithm of zero or a negative number", [](double x) { return !(x <= 0); }},
      {"exp", [](double x) { return std::exp(x); }, "", nullptr},
      {"cbrt", [](double x) { return std::cbrt(x); }, "", nullptr},
      {"sin", [](double x) { return std::sin(x); }, "", nullptr},
      {"cos", [](double x) { return std::cos(x); }, "", nullptr},
      {"tan", [](double x) { return std::tan(x); }, "", nullptr},
      {"atan", [](double x) { return std::atan(x); }, "", nullptr},
  };
  for (const Fn& f : fns) {
    r.AddScalar(f.name,
                kernel::FixedSignature({kDouble}, kDouble, DoubleFunction(f.fn, f.error, f.domain)),
                std::string(f.name) + "(DOUBLE)");
  }
  const ScalarKernel power = [](const std::vector<ColumnPtr>& a, size_t n) {
    return kernel::BinaryExec<double, double, double>(
        kDouble, a[0], a[1], n,
        [](double x, double y, double& r) {
          r = std::pow(x, y);
          return true;
        },
        kernel::NullOnFail());
  };
  for (const char* name : {"power", "pow", "^", "**"}) {
    r.AddScalar(name, kernel::FixedSignature({kDouble, kDouble}, kDouble, power),
                "power(DOUBLE, DOUBLE)");
  }
  r.AddScalar("pi",
              kernel::FixedSignature({}, kDouble,
                                     [](const std::vector<ColumnPtr>&, size_t n) {
                                       return Column::MakeConstant(kDouble, Value::Double(M_PI), n);
                                     }),
              "pi()");
  r.AddScalar(
      "greatest", [](const std::vector<ExprPtr>& a) { return ResolveExtreme(a, true); },
      "greatest(ANY, ...)");
  r.AddScalar(
      "least", [](const std::vector<ExprPtr>& a) { return ResolveExtreme(a, false); },
      "least(ANY, ...)");
  r.AddScalar("nullif", ResolveNullIf, "nullif(ANY, ANY)");
  r.AddScalar("hash", ResolveHash, "hash(ANY, ...)");
}

}  // namespace sluice
