#include "types/logical_type.h"

#include <fmt/format.h>

#include "common/error.h"
#include "common/strings.h"
#include "types/interval.h"
#include "types/string_view.h"

namespace sluice {

int LogicalType::PhysicalSize() const {
  switch (id_) {
    case TypeId::kNull:
    case TypeId::kBoolean:
    case TypeId::kTinyInt:
      return 1;
    case TypeId::kSmallInt:
      return 2;
    case TypeId::kInteger:
    case TypeId::kDate:
      return 4;
    case TypeId::kBigInt:
    case TypeId::kDouble:
    case TypeId::kTimestamp:
    case TypeId::kTime:
      return 8;
    case TypeId::kDecimal:
      return precision_ > 18 ? 16 : 8;
    case TypeId::kVarchar:
      return sizeof(StringView);
    case TypeId::kInterval:
      return sizeof(Interval);
  }
  return 8;
}

std::string LogicalType::ToString() const {
  switch (id_) {
    case TypeId::kNull: return "NULL";
    case TypeId::kBoolean: return "BOOLEAN";
    case TypeId::kTinyInt: return "TINYINT";
    case TypeId::kSmallInt: return "SMALLINT";
    case TypeId::kInteger: return "INTEGER";
    case TypeId::kBigInt: return "BIGINT";
    case TypeId::kDouble: return "DOUBLE";
    case TypeId::kDecimal: return fmt::format("DECIMAL({},{})", precision_, scale_);
    case TypeId::kVarchar: return "VARCHAR";
    case TypeId::kDate: return "DATE";
    case TypeId::kTimestamp: return "TIMESTAMP";
    case TypeId::kInterval: return "INTERVAL";
    case TypeId::kTime: return "TIME";
  }
  return "?";
}

LogicalType ParseTypeName(const std::string& text) {
  std::string t = ToLower(text);
  while (!t.empty() && t.back() == ' ') t.pop_back();
  while (!t.empty() && t.front() == ' ') t.erase(t.begin());
  std::string base = t;
  std::vector<int> params;
  const size_t paren = t.find('(');
  if (paren != std::string::npos) {
    base = t.substr(0, paren);
    while (!base.empty() && base.back() == ' ') base.pop_back();
    const size_t close = t.find(')', paren);
    if (close == std::string::npos) throw InvalidInputError(fmt::format("invalid type '{}'", text));
    for (const auto& part : Split(t.substr(paren + 1, close - paren - 1), ',')) {
      try {
        params.push_back(std::stoi(part));
      } catch (const std::exception&) {
        throw InvalidInputError(fmt::format("invalid type '{}'", text));
      }
    }
  }
  if (base == "boolean" || base == "bool") return TypeId::kBoolean;
  if (base == "tinyint" || base == "int1") return TypeId::kTinyInt;
  if (base == "smallint" || base == "int2" || base == "short") return TypeId::kSmallInt;
  if (base == "integer" || base == "int" || base == "int4" || base == "signed") return TypeId::kInteger;
  if (base == "bigint" || base == "int8" || base == "long") return TypeId::kBigInt;
  if (base == "double" || base == "float" || base == "real" || base == "float8" ||
      base == "float4" || base == "double precision") {
    return TypeId::kDouble;
  }
  if (base == "decimal" || base == "numeric" || base == "dec") {
    const int p = params.empty() ? 18 : params[0];
    const int s = params.size() > 1 ? params[1] : (params.empty() ? 3 : 0);
    if (p < 1 || p > kMaxDecimalPrecision || s < 0 || s > p) {
      throw InvalidInputError(fmt::format(
          "invalid type '{}': DECIMAL precision must be 1..38 and scale 0..precision", text));
    }
    return LogicalType::Decimal(p, s);
  }
  if (base == "varchar" || base == "text" || base == "string" || base == "char" ||
      base == "bpchar" || base == "character varying" || base == "json") {
    return TypeId::kVarchar;
  }
  if (base == "date") return TypeId::kDate;
  if (base == "timestamp" || base == "datetime" || base == "timestamp without time zone") {
    return TypeId::kTimestamp;
  }
  if (base == "interval") return TypeId::kInterval;
  if (base == "time" || base == "time without time zone") return TypeId::kTime;
  throw InvalidInputError(fmt::format(
      "unknown type '{}'{}", text,
      DidYouMean(base, {"boolean", "tinyint", "smallint", "integer", "bigint", "double",
                        "decimal", "varchar", "date", "time", "timestamp", "interval"})));
}

namespace {
int IntegerRank(TypeId id) {
  switch (id) {
    case TypeId::kTinyInt: return 1;
    case TypeId::kSmallInt: return 2;
    case TypeId::kInteger: return 3;
    case TypeId::kBigInt: return 4;
    default: return 0;
  }
}
int IntegerDigits(TypeId id) {
  switch (id) {
    case TypeId::kTinyInt: return 3;
    case TypeId::kSmallInt: return 5;
    case TypeId::kInteger: return 10;
    default: return 19;
  }
}
}  // namespace

LogicalType CommonNumericType(const LogicalType& a, const LogicalType& b) {
  if (a.id() == TypeId::kNull) return b;
  if (b.id() == TypeId::kNull) return a;
  if (!a.IsNumeric() || !b.IsNumeric()) return TypeId::kNull;
  if (a.id() == TypeId::kDouble || b.id() == TypeId::kDouble) return TypeId::kDouble;
  if (a.IsInteger() && b.IsInteger()) {
    return IntegerRank(a.id()) >= IntegerRank(b.id()) ? a : b;
  }
  // At least one decimal: keep enough integer digits and the larger scale.
  auto int_digits = [](const LogicalType& t) {
    return t.id() == TypeId::kDecimal ? t.precision() - t.scale() : IntegerDigits(t.id());
  };
  auto scale = [](const LogicalType& t) { return t.id() == TypeId::kDecimal ? t.scale() : 0; };
  const int s = std::max(scale(a), scale(b));
  const int digits = std::max(int_digits(a), int_digits(b));
  return LogicalType::Decimal(std::min(kMaxDecimalPrecision, digits + s), s);
}

}  // namespace sluice
