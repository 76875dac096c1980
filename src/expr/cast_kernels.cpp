// Vectorized CAST kernels. The per-value rules (rounding, ranges, accepted text) are the
// functions of types/cast_ops.h, shared with Value::CastTo so that a literal folded at bind
// time and a column cast at run time agree. Failing rows raise a ConversionError naming the
// value and both types, or become NULL under TRY_CAST.
#include <fmt/format.h>

#include <charconv>

#include "common/error.h"
#include "expr/kernel_util.h"
#include "expr/scalar_functions.h"
#include "types/blob.h"
#include "types/cast_ops.h"
#include "types/date_time.h"
#include "types/decimal.h"
#include "types/interval.h"
#include "types/timestamp_tz.h"

namespace sluice {

namespace {

// The source text for an error message, from the raw physical value.
template <typename A>
std::string ShowRaw(const A& a, const LogicalType& from) {
  if constexpr (std::is_same_v<A, StringView>) {
    return a.str();
  } else if constexpr (std::is_same_v<A, double>) {
    return FormatDouble(a);
  } else if constexpr (std::is_same_v<A, Interval>) {
    return FormatInterval(a);
  } else {
    if (from.id() == TypeId::kDecimal) return FormatDecimal(a, from.scale());
    if (from.id() == TypeId::kDate) return FormatDate(static_cast<int32_t>(a));
    if (from.id() == TypeId::kTimestamp) return FormatTimestamp(static_cast<int64_t>(a));
    if (from.id() == TypeId::kTimestampTz) {
      return FormatTimestampTz(static_cast<int64_t>(a), CurrentTimeZone());
    }
    if (from.id() == TypeId::kTime) return FormatTime(static_cast<int64_t>(a));
    if (from.id() == TypeId::kBoolean) return a ? "true" : "false";
    return Int128ToString(a);
  }
}

template <typename A, typename R, typename Op>
ScalarKernel CastLoop(const LogicalType& from, const LogicalType& to, bool try_cast, Op op) {
  return [from, to, try_cast, op](const std::vector<ColumnPtr>& args, size_t n) {
    if (try_cast) return kernel::UnaryExec<A, R>(to, args[0], n, op, kernel::NullOnFail());
    return kernel::UnaryExec<A, R>(to, args[0], n, op, [&](Column&, size_t, const A& a) {
      if constexpr (std::is_same_v<A, StringView>) {
        throw ConversionError(StringCastMessage(a.view(), to));
      } else {
        throw ConversionError(OutOfRangeCastMessage(ShowRaw(a, from), from, to));
      }
    });
  };
}

// Calls fn(T{}) for the physical types of BOOLEAN and the numeric types.
template <typename Fn>
decltype(auto) DispatchNumeric(const LogicalType& t, Fn&& fn) {
  switch (t.id()) {
    case TypeId::kTinyInt:
      return fn(int8_t{});
    case TypeId::kSmallInt:
      return fn(int16_t{});
    case TypeId::kInteger:
      return fn(int32_t{});
    case TypeId::kBigInt:
      return fn(int64_t{});
    case TypeId::kDouble:
      return fn(double{});
    case TypeId::kDecimal:
      if (t.IsWideDecimal()) return fn(int128_t{});
      return fn(int64_t{});
    default:
      return fn(uint8_t{});
  }
}

// Run-time description of a numeric cast, so that one instantiation per pair of physical
// types covers every scale and precision.
struct NumericCastSpec {
  int from_scale = 0;
  TypeId to = TypeId::kBigInt;
  int to_precision = 0;
  int to_scale = 0;
  int64_t lo = 0, hi = 0;  // integer targets
  // DECIMAL targets with to_scale >= from_scale: the value times `factor` must stay within
  // +-`bound` * factor (precomputed: a 128-bit division per row costs more than the cast).
  int128_t factor = 1, bound = 0;
};

template <typename A, typename R>
bool NumericCast(const NumericCastSpec& s, const A& a, R& r) {
  if constexpr (std::is_same_v<A, double>) {
    switch (s.to) {
      case TypeId::kBoolean:
        r = R(a != 0);
        return true;
      case TypeId::kDouble:
        r = R(a);
        return true;
      case TypeId::kDecimal: {
        int128_t v = 0;
        const bool ok = TryDoubleToDecimal(a, s.to_precision, s.to_scale, &v);
        r = R(v);
        return ok;
      }
      default: {
        int64_t v = 0;
        const bool ok = TryDoubleToInt64(a, &v) && v >= s.lo && v <= s.hi;
        r = R(v);
        return ok;
      }
    }
  } else {
    const int128_t v = a;
    switch (s.to) {
      case TypeId::kBoolean:
        r = R(v != 0);
        return true;
      case TypeId::kDouble:
        r = R(DecimalToDouble(v, s.from_scale));
        return true;
      case TypeId::kDecimal: {
        if (s.to_scale >= s.from_scale) {
          if (v > s.bound || v < -s.bound) return false;
          r = R(v * s.factor);
          return true;
        }
        int128_t out = 0;
        const bool ok = TryRescaleDecimal(v, s.from_scale, s.to_scale, s.to_precision, &out);
        r = R(out);
        return ok;
      }
      default: {
        const int128_t x = s.from_scale > 0 ? DecimalToInteger(v, s.from_scale) : v;
        r = R(x);
        return x >= s.lo && x <= s.hi;
      }
    }
  }
}

ScalarKernel NumericCastKernel(const LogicalType& from, const LogicalType& to, bool try_cast) {
  return DispatchNumeric(from, [&](auto a_tag) {
    using A = decltype(a_tag);
    return DispatchNumeric(to, [&](auto r_tag) -> ScalarKernel {
      using R = decltype(r_tag);
      // Plain integer widening/narrowing and integer to DOUBLE: a bare conversion loop.
      if constexpr (std::is_integral_v<A> && (std::is_integral_v<R> || std::is_same_v<R, double>)) {
        if (from.IsInteger() && (to.IsInteger() || to.id() == TypeId::kDouble)) {
          const int64_t lo = to.IsInteger() ? IntegerTypeMin(to.id()) : INT64_MIN;
          const int64_t hi = to.IsInteger() ? IntegerTypeMax(to.id()) : INT64_MAX;
          return CastLoop<A, R>(from, to, try_cast, [lo, hi](A a, R& r) {
            r = static_cast<R>(a);
            return static_cast<int64_t>(a) >= lo && static_cast<int64_t>(a) <= hi;
          });
        }
      }
      // DECIMAL to a DECIMAL with at least as many integer and fraction digits (the
      // binder's widening before arithmetic): every value fits, so a multiply by a constant
      // power of ten, without the per-row range check.
      // (std::is_integral_v is false for int128_t in strict C++20.)
      constexpr auto is_int = []<typename T>() {
        return std::is_integral_v<T> || std::is_same_v<T, int128_t>;
      };
      if constexpr (is_int.template operator()<A>() && is_int.template operator()<R>()) {
        if (from.id() == TypeId::kDecimal && to.id() == TypeId::kDecimal &&
            to.scale() >= from.scale() &&
            to.precision() - to.scale() >= from.precision() - from.scale()) {
          const auto factor = static_cast<R>(Pow10(to.scale() - from.scale()));
          return CastLoop<A, R>(from, to, try_cast, [factor](A a, R& r) {
            r = static_cast<R>(a) * factor;
            return true;
          });
        }
      }
      NumericCastSpec spec;
      spec.from_scale = from.id() == TypeId::kDecimal ? from.scale() : 0;
      spec.to = to.id();
      spec.to_precision = to.precision();
      spec.to_scale = to.scale();
      if (to.id() == TypeId::kDecimal && spec.to_scale >= spec.from_scale) {
        spec.factor = Pow10(spec.to_scale - spec.from_scale);
        spec.bound = MaxDecimalValue(spec.to_precision) / spec.factor;
      }
      if (to.IsInteger()) {
        spec.lo = IntegerTypeMin(to.id());
        spec.hi = IntegerTypeMax(to.id());
      }
      return CastLoop<A, R>(from, to, try_cast,
                            [spec](const A& a, R& r) { return NumericCast<A, R>(spec, a, r); });
    });
  });
}

ScalarKernel FromStringKernel(const LogicalType& to, bool try_cast) {
  const LogicalType from = TypeId::kVarchar;
  switch (to.id()) {
    case TypeId::kBoolean:
      return CastLoop<StringView, uint8_t>(from, to, try_cast, [](const StringView& s, uint8_t& r) {
        bool b = false;
        const bool ok = TryParseBool(s.view(), &b);
        r = b;
        return ok;
      });
    case TypeId::kTinyInt:
    case TypeId::kSmallInt:
    case TypeId::kInteger:
    case TypeId::kBigInt:
      return kernel::DispatchInteger(to.id(), [&](auto tag) {
        using R = decltype(tag);
        const TypeId id = to.id();
        return CastLoop<StringView, R>(from, to, try_cast, [id](const StringView& s, R& r) {
          int64_t v = 0;
          const bool ok = TryParseInt64(s.view(), &v) && IntegerFits(v, id);
          r = static_cast<R>(v);
          return ok;
        });
      });
    case TypeId::kDouble:
      return CastLoop<StringView, double>(from, to, try_cast, [](const StringView& s, double& r) {
        return TryParseDouble(s.view(), &r);
      });
    case TypeId::kDecimal: {
      const int p = to.precision(), sc = to.scale();
      if (to.IsWideDecimal()) {
        return CastLoop<StringView, int128_t>(from, to, try_cast,
                                              [p, sc](const StringView& s, int128_t& r) {
                                                auto v = ParseDecimal(s.view(), p, sc);
                                                r = v.value_or(0);
                                                return v.has_value();
                                              });
      }
      return CastLoop<StringView, int64_t>(from, to, try_cast,
                                           [p, sc](const StringView& s, int64_t& r) {
                                             auto v = ParseDecimal(s.view(), p, sc);
                                             r = static_cast<int64_t>(v.value_or(0));
                                             return v.has_value();
                                           });
    }
    case TypeId::kDate:
      return CastLoop<StringView, int32_t>(from, to, try_cast, [](const StringView& s, int32_t& r) {
        auto v = ParseDate(s.view());
        r = v.value_or(0);
        return v.has_value();
      });
    case TypeId::kTimestamp:
      return CastLoop<StringView, int64_t>(from, to, try_cast, [](const StringView& s, int64_t& r) {
        auto v = ParseTimestamp(s.view());
        r = v.value_or(0);
        return v.has_value();
      });
    case TypeId::kTimestampTz:
      return CastLoop<StringView, int64_t>(from, to, try_cast, [](const StringView& s, int64_t& r) {
        auto v = ParseTimestampTz(s.view(), CurrentTimeZone());
        r = v.value_or(0);
        return v.has_value();
      });
    case TypeId::kBlob:
      return [try_cast](const std::vector<ColumnPtr>& args, size_t n) {
        kernel::ArgReader in(*args[0]);
        std::string bytes, error;
        return kernel::RowExec(TypeId::kBlob, args, n, [&](size_t i, Column& out) {
          if (!ParseBlob(in.Get<StringView>(i).view(), bytes, try_cast ? nullptr : &error)) {
            if (!try_cast) throw ConversionError(error);
            return false;
          }
          out.data<StringView>()[i] = out.AddString(bytes);
          return true;
        });
      };
    case TypeId::kTime:
      return CastLoop<StringView, int64_t>(from, to, try_cast, [](const StringView& s, int64_t& r) {
        auto v = ParseTime(s.view());
        r = v.value_or(0);
        return v.has_value();
      });
    case TypeId::kInterval:
      return CastLoop<StringView, Interval>(from, to, try_cast,
                                            [](const StringView& s, Interval& r) {
                                              auto v = ParseInterval(s.view());
                                              r = v.value_or(Interval{});
                                              return v.has_value();
                                            });
    default:
      break;
  }
  throw BindError(fmt::format("Unimplemented type for cast (VARCHAR -> {})", to.ToString()));
}

// Formats every row with `format(value, buffer) -> string_view`.
template <typename A, typename Format>
ScalarKernel ToStringLoop(Format format) {
  return [format](const std::vector<ColumnPtr>& args, size_t n) {
    kernel::ArgReader in(*args[0]);
    std::string buffer;
    return kernel::RowExec(TypeId::kVarchar, args, n, [&](size_t i, Column& out) {
      out.data<StringView>()[i] = out.AddString(format(in.Get<A>(i), buffer));
      return true;
    });
  };
}

ScalarKernel ToStringKernel(const LogicalType& from) {
  switch (from.id()) {
    case TypeId::kBoolean:
      return ToStringLoop<uint8_t>(
          [](uint8_t v, std::string&) { return std::string_view(v ? "true" : "false"); });
    case TypeId::kTinyInt:
    case TypeId::kSmallInt:
    case TypeId::kInteger:
    case TypeId::kBigInt:
      return kernel::DispatchInteger(from.id(), [](auto tag) {
        using A = decltype(tag);
        return ToStringLoop<A>([](A v, std::string& buf) {
          buf.resize(24);
          auto res = std::to_chars(buf.data(), buf.data() + buf.size(), static_cast<int64_t>(v));
          return std::string_view(buf.data(), res.ptr - buf.data());
        });
      });
    case TypeId::kDouble:
      return ToStringLoop<double>([](double v, std::string& buf) {
        buf = FormatDouble(v);
        return std::string_view(buf);
      });
    case TypeId::kDecimal: {
      const int scale = from.scale();
      if (from.IsWideDecimal()) {
        return ToStringLoop<int128_t>([scale](int128_t v, std::string& buf) {
          buf = FormatDecimal(v, scale);
          return std::string_view(buf);
        });
      }
      return ToStringLoop<int64_t>([scale](int64_t v, std::string& buf) {
        buf = FormatDecimal(v, scale);
        return std::string_view(buf);
      });
    }
    case TypeId::kDate:
      return ToStringLoop<int32_t>([](int32_t v, std::string& buf) {
        buf = FormatDate(v);
        return std::string_view(buf);
      });
    case TypeId::kTimestamp:
      return ToStringLoop<int64_t>([](int64_t v, std::string& buf) {
        buf = FormatTimestamp(v);
        return std::string_view(buf);
      });
    case TypeId::kTime:
      return ToStringLoop<int64_t>([](int64_t v, std::string& buf) {
        buf = FormatTime(v);
        return std::string_view(buf);
      });
    case TypeId::kTimestampTz:
      return ToStringLoop<int64_t>([](int64_t v, std::string& buf) {
        buf = FormatTimestampTz(v, CurrentTimeZone());
        return std::string_view(buf);
      });
    case TypeId::kBlob:
      return ToStringLoop<StringView>([](const StringView& v, std::string& buf) {
        buf = FormatBlob(v.view());
        return std::string_view(buf);
      });
    case TypeId::kInterval:
      return ToStringLoop<Interval>([](const Interval& v, std::string& buf) {
        buf = FormatInterval(v);
        return std::string_view(buf);
      });
    default:
      break;
  }
  throw BindError(fmt::format("Unimplemented type for cast ({} -> VARCHAR)", from.ToString()));
}

// Casts to or from LIST and STRUCT go value by value (Value::CastTo casts each element).
ScalarKernel NestedCastKernel(const LogicalType& to, bool try_cast) {
  return [to, try_cast](const std::vector<ColumnPtr>& args, size_t n) -> ColumnPtr {
    const Column& in = *args[0];
    const size_t m = in.is_constant() ? 1 : n;
    auto out = Column::Make(to, m);
    for (size_t i = 0; i < m; i++) {
      try {
        out->SetValue(i, in.GetValue(i).CastTo(to));
      } catch (const ConversionError&) {
        if (!try_cast) throw;
        out->SetValue(i, Value::Null(to));
      }
    }
    out->set_size(m);
    if (in.is_constant()) return kernel::ToConstant(*out, n);
    return out;
  };
}

// Casts between TIMESTAMPTZ and DATE, TIMESTAMP, TIME in the session zone.
ScalarKernel TimestampTzCastKernel(const LogicalType& from, const LogicalType& to,
                                   bool try_cast) {
  auto tz_to = [&](auto convert) -> ScalarKernel {
    using R = typename decltype(convert(int64_t{}))::value_type;
    return CastLoop<int64_t, R>(from, to, try_cast, [convert](int64_t t, R& r) {
      const auto v = convert(t);
      r = v.value_or(0);
      return v.has_value();
    });
  };
  if (from.id() == TypeId::kTimestampTz) {
    if (to.id() == TypeId::kTimestamp) return tz_to(TzToTimestamp);
    if (to.id() == TypeId::kDate) return tz_to(TzToDate);
  } else if (from.id() == TypeId::kTimestamp) {
    return tz_to(TimestampToTz);
  } else if (from.id() == TypeId::kDate) {
    return CastLoop<int32_t, int64_t>(from, to, try_cast, [](int32_t d, int64_t& r) {
      const std::optional<int64_t> v = DateToTz(d);
      r = v.value_or(0);
      return v.has_value();
    });
  }
  throw BindError(
      fmt::format("Unimplemented type for cast ({} -> {})", from.ToString(), to.ToString()));
}

}  // namespace

ScalarKernel MakeCastKernel(const LogicalType& from, const LogicalType& to, bool try_cast) {
  if (from == to) {
    return [](const std::vector<ColumnPtr>& args, size_t) { return args[0]; };
  }
  if (from.id() == TypeId::kNull) {
    return [to](const std::vector<ColumnPtr>&, size_t n) { return kernel::NullConstant(to, n); };
  }
  if (from.IsNested() || to.IsNested()) return NestedCastKernel(to, try_cast);
  if (to.id() == TypeId::kVarchar) return ToStringKernel(from);
  if (from.id() == TypeId::kVarchar) return FromStringKernel(to, try_cast);
  const bool from_num = from.IsNumeric() || from.id() == TypeId::kBoolean;
  const bool to_num = to.IsNumeric() || to.id() == TypeId::kBoolean;
  if (from_num && to_num) return NumericCastKernel(from, to, try_cast);
  if (from.id() == TypeId::kDate && to.id() == TypeId::kTimestamp) {
    return CastLoop<int32_t, int64_t>(from, to, try_cast, [](int32_t d, int64_t& r) {
      const std::optional<int64_t> v = DateToTimestamp(d);
      r = v.value_or(0);
      return v.has_value();
    });
  }
  if (from.id() == TypeId::kTimestamp && to.id() == TypeId::kTime) {
    return CastLoop<int64_t, int64_t>(from, to, try_cast, [](int64_t t, int64_t& r) {
      r = FloorMod(t, kMicrosPerDay);
      return true;
    });
  }
  if (from.id() == TypeId::kTimestamp && to.id() == TypeId::kDate) {
    return CastLoop<int64_t, int32_t>(from, to, try_cast, [](int64_t t, int32_t& r) {
      r = static_cast<int32_t>(FloorDiv(t, kMicrosPerDay));
      return true;
    });
  }
  if (from.id() == TypeId::kTimestampTz || to.id() == TypeId::kTimestampTz) {
    return TimestampTzCastKernel(from, to, try_cast);
  }
  throw BindError(
      fmt::format("Unimplemented type for cast ({} -> {})", from.ToString(), to.ToString()));
}

}  // namespace sluice
