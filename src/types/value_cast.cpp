#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <optional>
#include <vector>

#include "common/error.h"
#include "types/blob.h"
#include "types/cast_ops.h"
#include "types/date_time.h"
#include "types/decimal.h"
#include "types/interval.h"
#include "types/timestamp_tz.h"
#include "types/value.h"

namespace sluice {

namespace {

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); i++) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != b[i]) return false;
  }
  return true;
}

}  // namespace

bool TryParseBool(std::string_view text, bool* out) {
  text = TrimSpaces(text);
  for (const char* t : {"true", "t", "yes", "y", "1"}) {
    if (EqualsNoCase(text, t)) {
      *out = true;
      return true;
    }
  }
  for (const char* f : {"false", "f", "no", "n", "0"}) {
    if (EqualsNoCase(text, f)) {
      *out = false;
      return true;
    }
  }
  return false;
}

bool TryParseInt64(std::string_view text, int64_t* out) {
  text = TrimSpaces(text);
  if (text.empty()) return false;
  std::string_view digits = text;
  if (digits.front() == '+') digits.remove_prefix(1);
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), *out);
  if (ec == std::errc() && end == digits.data() + digits.size()) return true;
  if (ec == std::errc::result_out_of_range) return false;
  // Fractions and exponents round to the nearest integer; go through an exact decimal when
  // possible so that "0.5" rounds like DECIMAL does.
  if (auto dec = ParseDecimal(text, 38, 0)) {
    if (*dec < INT64_MIN || *dec > INT64_MAX) return false;
    *out = static_cast<int64_t>(*dec);
    return true;
  }
  return false;
}

bool TryParseDouble(std::string_view text, double* out) {
  text = TrimSpaces(text);
  if (text.empty()) return false;
  std::string_view body = text;
  if (body.front() == '+') body.remove_prefix(1);
  auto [end, ec] = std::from_chars(body.data(), body.data() + body.size(), *out);
  return ec == std::errc() && end == body.data() + body.size();
}

int64_t IntegerTypeMin(TypeId id) {
  switch (id) {
    case TypeId::kTinyInt:
      return INT8_MIN;
    case TypeId::kSmallInt:
      return INT16_MIN;
    case TypeId::kInteger:
      return INT32_MIN;
    default:
      return INT64_MIN;
  }
}

int64_t IntegerTypeMax(TypeId id) {
  switch (id) {
    case TypeId::kTinyInt:
      return INT8_MAX;
    case TypeId::kSmallInt:
      return INT16_MAX;
    case TypeId::kInteger:
      return INT32_MAX;
    default:
      return INT64_MAX;
  }
}

bool TryDoubleToDecimal(double d, int precision, int scale, int128_t* out) {
  if (!std::isfinite(d)) return false;
  const double scaled = d * static_cast<double>(Pow10(scale));
  const double limit = static_cast<double>(Pow10(precision));
  // Round half away from zero; std::round does exactly that.
  const double r = std::round(scaled);
  if (!(r > -limit && r < limit)) return false;
  *out = static_cast<int128_t>(r);
  return true;
}

bool TryRescaleDecimal(int128_t v, int from_scale, int to_scale, int precision, int128_t* out) {
  const int128_t limit = MaxDecimalValue(precision);
  if (to_scale > from_scale) {
    // Check before multiplying so that the product cannot overflow int128.
    const int128_t factor = Pow10(to_scale - from_scale);
    const int128_t bound = limit / factor;
    if (v > bound || v < -bound) return false;
    *out = v * factor;
    return true;
  }
  const int128_t r = RescaleDecimal(v, from_scale, to_scale);
  if (r > limit || r < -limit) return false;
  *out = r;
  return true;
}

std::string FormatDouble(double d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  // The shortest text that reads back to the same double; as in DuckDB, a whole number keeps
  // a ".0" so that it still reads as a DOUBLE (1.0, -0.0, 1e+20).
  std::string text = fmt::format("{}", d);
  if (text.find_first_of(".e") == std::string::npos) text += ".0";
  return text;
}

bool CanCast(const LogicalType& from, const LogicalType& to) {
  const TypeId f = from.id(), t = to.id();
  if (f == TypeId::kList && t == TypeId::kList) return CanCast(from.ListChild(), to.ListChild());
  if (f == TypeId::kStruct && t == TypeId::kStruct) {
    if (from.StructFields().size() != to.StructFields().size()) return false;
    for (size_t i = 0; i < from.StructFields().size(); i++) {
      if (!CanCast(from.StructFields()[i].type, to.StructFields()[i].type)) return false;
    }
    return true;
  }
  if (f == TypeId::kMap && t == TypeId::kMap) return CanCast(from.ListChild(), to.ListChild());
  if (f == TypeId::kVarchar && t == TypeId::kStruct) return false;
  if (f == TypeId::kBlob || t == TypeId::kBlob) {
    return f == t || f == TypeId::kNull || f == TypeId::kVarchar || t == TypeId::kVarchar;
  }
  if (to.IsNested() && f != TypeId::kNull && f != TypeId::kVarchar) return false;
  if (from.IsNested() && t != TypeId::kVarchar) return false;
  if (f == t || f == TypeId::kNull || f == TypeId::kVarchar || t == TypeId::kVarchar) return true;
  const bool f_num = from.IsNumeric() || f == TypeId::kBoolean;
  const bool t_num = to.IsNumeric() || t == TypeId::kBoolean;
  if (f_num && t_num) return true;
  const auto date_or_timestamp = [](TypeId id) {
    return id == TypeId::kDate || id == TypeId::kTimestamp || id == TypeId::kTimestampTz;
  };
  if (date_or_timestamp(f) && date_or_timestamp(t)) return true;
  if (f == TypeId::kTimestamp && t == TypeId::kTime) return true;
  return false;
}

std::string StringCastMessage(std::string_view text, const LogicalType& to) {
  return fmt::format("Could not convert string '{}' to {}", text, to.ToString());
}

std::string OutOfRangeCastMessage(const std::string& value_text, const LogicalType& from,
                                  const LogicalType& to) {
  return fmt::format(
      "Type {} with value {} can't be cast because the value is out of range for the "
      "destination type {}",
      from.ToString(), value_text, to.ToString());
}

namespace {

// The source as an exact integer, for casts from integer-like values.
Value IntegerTo(int128_t v, const Value& source, const LogicalType& target) {
  const LogicalType& from = source.type();
  switch (target.id()) {
    case TypeId::kBoolean:
      return Value::Boolean(v != 0);
    case TypeId::kTinyInt:
    case TypeId::kSmallInt:
    case TypeId::kInteger:
    case TypeId::kBigInt: {
      if (v < IntegerTypeMin(target.id()) || v > IntegerTypeMax(target.id())) {
        throw ConversionError(OutOfRangeCastMessage(source.ToString(), from, target));
      }
      const int64_t x = static_cast<int64_t>(v);
      switch (target.id()) {
        case TypeId::kTinyInt:
          return Value::TinyInt(static_cast<int8_t>(x));
        case TypeId::kSmallInt:
          return Value::SmallInt(static_cast<int16_t>(x));
        case TypeId::kInteger:
          return Value::Integer(static_cast<int32_t>(x));
        default:
          return Value::BigInt(x);
      }
    }
    case TypeId::kDouble:
      return Value::Double(static_cast<double>(v));
    case TypeId::kDecimal: {
      int128_t out;
      if (!TryRescaleDecimal(v, 0, target.scale(), target.precision(), &out)) {
        throw ConversionError(OutOfRangeCastMessage(source.ToString(), from, target));
      }
      return Value::Decimal(out, target.precision(), target.scale());
    }
    default:
      break;
  }
  throw ConversionError(
      fmt::format("Unimplemented cast from {} to {}", from.ToString(), target.ToString()));
}

Value FromString(const std::string& s, const LogicalType& target) {
  auto fail = [&]() -> Value { throw ConversionError(StringCastMessage(s, target)); };
  switch (target.id()) {
    case TypeId::kBoolean: {
      bool b;
      return TryParseBool(s, &b) ? Value::Boolean(b) : fail();
    }
    case TypeId::kTinyInt:
    case TypeId::kSmallInt:
    case TypeId::kInteger:
    case TypeId::kBigInt: {
      int64_t v;
      if (!TryParseInt64(s, &v) || !IntegerFits(v, target.id())) return fail();
      return IntegerTo(v, Value::BigInt(v), target);
    }
    case TypeId::kDouble: {
      double d;
      return TryParseDouble(s, &d) ? Value::Double(d) : fail();
    }
    case TypeId::kDecimal: {
      auto v = ParseDecimal(s, target.precision(), target.scale());
      return v ? Value::Decimal(*v, target.precision(), target.scale()) : fail();
    }
    case TypeId::kDate: {
      auto d = ParseDate(s);
      return d ? Value::Date(*d) : fail();
    }
    case TypeId::kTimestamp: {
      auto t = ParseTimestamp(s);
      return t ? Value::Timestamp(*t) : fail();
    }
    case TypeId::kTime: {
      auto t = ParseTime(s);
      return t ? Value::Time(*t) : fail();
    }
    case TypeId::kTimestampTz: {
      auto t = ParseTimestampTz(s, CurrentTimeZone());
      return t ? Value::TimestampTz(*t) : fail();
    }
    case TypeId::kBlob: {
      std::string bytes, error;
      if (!ParseBlob(s, bytes, &error)) throw ConversionError(error);
      return Value::Blob(std::move(bytes));
    }
    case TypeId::kInterval: {
      auto i = ParseInterval(s);
      return i ? Value::IntervalValue(*i) : fail();
    }
    default:
      return fail();
  }
}

}  // namespace

namespace {

// Splits the inside of "[a, 'b, c', [d]]" at top-level commas, dropping quotes around an
// element. nullopt when the text is not bracketed. With `map`, splits "{k=v, 'k 2'=w}" into
// k, v, k 2, w instead (nullopt unless keys and values alternate).
std::optional<std::vector<std::optional<std::string>>> SplitListText(std::string_view text,
                                                                     bool map = false) {
  text = TrimSpaces(text);
  const char open = map ? '{' : '[', close = map ? '}' : ']';
  if (text.size() < 2 || text.front() != open || text.back() != close) return std::nullopt;
  text = TrimSpaces(text.substr(1, text.size() - 2));
  std::vector<std::optional<std::string>> out;
  if (text.empty()) return out;
  bool alternates = true;
  std::string cur;
  bool was_quoted = false;
  int depth = 0;
  char quote = 0;
  auto flush = [&] {
    std::string_view item = was_quoted ? std::string_view(cur) : TrimSpaces(cur);
    if (!was_quoted && EqualsNoCase(item, "null")) {
      out.push_back(std::nullopt);
    } else {
      out.push_back(std::string(item));
    }
    cur.clear();
    was_quoted = false;
  };
  for (size_t i = 0; i < text.size(); i++) {
    const char c = text[i];
    if (quote != 0) {
      if (c == quote && i + 1 < text.size() && text[i + 1] == quote) {
        cur += c;
        i++;
      } else if (c == quote) {
        quote = 0;
      } else {
        cur += c;
      }
      continue;
    }
    if ((c == '\'' || c == '"') && depth == 0 && TrimSpaces(cur).empty()) {
      quote = c;
      was_quoted = true;
      cur.clear();
      continue;
    }
    if (c == '[' || c == '{') depth++;
    if (c == ']' || c == '}') depth--;
    if ((c == ',' || (map && c == '=')) && depth == 0) {
      alternates &= !map || (c == '=') == (out.size() % 2 == 0);
      flush();
      continue;
    }
    if (!was_quoted) cur += c;
  }
  flush();
  if (map && (!alternates || out.size() % 2 != 0)) return std::nullopt;
  return out;
}

}  // namespace

Value Value::CastTo(const LogicalType& target) const {
  if (type_ == target) return *this;
  if (is_null_) return Value::Null(target);
  if (target.id() == TypeId::kVarchar) return Value::Varchar(ToString());
  if (target.id() == TypeId::kList) {
    const LogicalType& child = target.ListChild();
    std::vector<Value> elements;
    if (type_.id() == TypeId::kList) {
      for (const auto& e : children_) elements.push_back(e.CastTo(child));
      return Value::List(target, std::move(elements));
    }
    if (type_.id() == TypeId::kVarchar) {
      auto items = SplitListText(string_);
      if (!items) {
        throw ConversionError(fmt::format("Could not convert string '{}' to {}", string_,
                                          target.ToString()));
      }
      for (const auto& item : *items) {
        elements.push_back(item ? Value::Varchar(*item).CastTo(child) : Value::Null(child));
      }
      return Value::List(target, std::move(elements));
    }
  }
  if (target.id() == TypeId::kMap) {
    if (type_.id() == TypeId::kMap) {
      std::vector<Value> entries;
      for (const auto& e : children_) entries.push_back(e.CastTo(target.ListChild()));
      return Value::List(target, std::move(entries));
    }
    if (type_.id() == TypeId::kVarchar) {
      // '{a=1, b=NULL}', the text form maps print as.
      auto items = SplitListText(string_, true);
      if (!items) {
        throw ConversionError(fmt::format(
            "Type VARCHAR with value '{}' can't be cast to the destination type {}", string_,
            target.ToString()));
      }
      std::vector<Value> keys, values;
      for (size_t i = 0; i < items->size(); i += 2) {
        const auto& k = (*items)[i];
        const auto& v = (*items)[i + 1];
        keys.push_back(k ? Value::Varchar(*k).CastTo(target.MapKey()) : Value::Null(target.MapKey()));
        values.push_back(v ? Value::Varchar(*v).CastTo(target.MapValue())
                           : Value::Null(target.MapValue()));
      }
      return Value::Map(target, keys, values);
    }
  }
  if (target.id() == TypeId::kStruct && type_.id() == TypeId::kStruct &&
      target.StructFields().size() == children_.size()) {
    std::vector<Value> fields;
    for (size_t i = 0; i < children_.size(); i++) {
      fields.push_back(children_[i].CastTo(target.StructFields()[i].type));
    }
    return Value::Struct(target, std::move(fields));
  }
  const TypeId from = type_.id();
  auto unsupported = [&]() -> Value {
    throw ConversionError(
        fmt::format("Unimplemented cast from {} to {}", type_.ToString(), target.ToString()));
  };
  switch (from) {
    case TypeId::kVarchar:
      return FromString(string_, target);
    case TypeId::kBoolean:
    case TypeId::kTinyInt:
    case TypeId::kSmallInt:
    case TypeId::kInteger:
    case TypeId::kBigInt:
      return IntegerTo(int_, *this, target);
    case TypeId::kDouble: {
      if (target.id() == TypeId::kBoolean) return Value::Boolean(double_ != 0);
      if (target.IsInteger()) {
        int64_t v;
        if (!TryDoubleToInt64(double_, &v) || !IntegerFits(v, target.id())) {
          throw ConversionError(OutOfRangeCastMessage(ToString(), type_, target));
        }
        return IntegerTo(v, *this, target);
      }
      if (target.id() == TypeId::kDecimal) {
        int128_t v;
        if (!TryDoubleToDecimal(double_, target.precision(), target.scale(), &v)) {
          throw ConversionError(OutOfRangeCastMessage(ToString(), type_, target));
        }
        return Value::Decimal(v, target.precision(), target.scale());
      }
      return unsupported();
    }
    case TypeId::kDecimal: {
      if (target.id() == TypeId::kDouble)
        return Value::Double(DecimalToDouble(int_, type_.scale()));
      if (target.id() == TypeId::kBoolean) return Value::Boolean(int_ != 0);
      if (target.IsInteger())
        return IntegerTo(DecimalToInteger(int_, type_.scale()), *this, target);
      if (target.id() == TypeId::kDecimal) {
        int128_t v;
        if (!TryRescaleDecimal(int_, type_.scale(), target.scale(), target.precision(), &v)) {
          throw ConversionError(OutOfRangeCastMessage(ToString(), type_, target));
        }
        return Value::Decimal(v, target.precision(), target.scale());
      }
      return unsupported();
    }
    case TypeId::kDate:
      if (target.id() == TypeId::kTimestamp) {
        const std::optional<int64_t> v = DateToTimestamp(GetInt());
        if (!v) throw ConversionError(OutOfRangeCastMessage(ToString(), type_, target));
        return Value::Timestamp(*v);
      }
      if (target.id() == TypeId::kTimestampTz) {
        const std::optional<int64_t> v = DateToTz(static_cast<int32_t>(GetInt()));
        if (!v) throw ConversionError(OutOfRangeCastMessage(ToString(), type_, target));
        return Value::TimestampTz(*v);
      }
      return unsupported();
    case TypeId::kTimestampTz: {
      const std::optional<int64_t> local = TzToTimestamp(GetInt());
      if (!local) throw ConversionError(OutOfRangeCastMessage(ToString(), type_, target));
      return Value::Timestamp(*local).CastTo(target);
    }
    case TypeId::kTimestamp:
      if (target.id() == TypeId::kDate) {
        return Value::Date(static_cast<int32_t>(FloorDiv(GetInt(), kMicrosPerDay)));
      }
      if (target.id() == TypeId::kTime) return Value::Time(FloorMod(GetInt(), kMicrosPerDay));
      if (target.id() == TypeId::kTimestampTz) {
        const std::optional<int64_t> v = TimestampToTz(GetInt());
        if (!v) throw ConversionError(OutOfRangeCastMessage(ToString(), type_, target));
        return Value::TimestampTz(*v);
      }
      return unsupported();
    default:
      return unsupported();
  }
}

}  // namespace sluice
