#include "iceberg/transform.h"

#include <cstdio>

#include <fmt/format.h>

#include "common/error.h"
#include "iceberg/single_value.h"
#include "vector/iceberg_hash.h"

namespace sluice::iceberg {

namespace {

constexpr int64_t kMicrosPerHour = int64_t{3600} * 1000000;
constexpr int64_t kMicrosPerDay = 24 * kMicrosPerHour;

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Civil date of a day count (Howard Hinnant's algorithm, public domain arithmetic).
void CivilFromDays(int64_t z, int64_t* y, unsigned* m) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2);
}

int64_t DaysOf(const Value& v) {
  return v.type().id() == TypeId::kDate ? v.GetInt() : FloorDiv(v.GetInt(), kMicrosPerDay);
}

// The first `width` code points of UTF-8 `s`.
std::string TruncateUtf8(const std::string& s, int width) {
  size_t i = 0;
  for (int n = 0; n < width && i < s.size(); n++) {
    i++;
    while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xc0) == 0x80) i++;
  }
  return s.substr(0, i);
}

}  // namespace

Transform Transform::Parse(const std::string& text) {
  if (text == "identity") return Identity();
  if (text == "year") return Transform(Kind::kYear, 0);
  if (text == "month") return Transform(Kind::kMonth, 0);
  if (text == "day") return Transform(Kind::kDay, 0);
  if (text == "hour") return Transform(Kind::kHour, 0);
  if (text == "void") return Transform(Kind::kVoid, 0);
  int n = 0;
  char end = 0;
  if (std::sscanf(text.c_str(), "bucket[%d%c", &n, &end) == 2 && end == ']' && n > 0) return Bucket(n);
  if (std::sscanf(text.c_str(), "truncate[%d%c", &n, &end) == 2 && end == ']' && n > 0) return Truncate(n);
  throw InvalidInputError(fmt::format(
      "unknown partition transform \"{}\" (identity, bucket[N], truncate[W], year, month, day, hour, void)", text));
}

std::string Transform::ToString() const {
  switch (kind_) {
    case Kind::kIdentity: return "identity";
    case Kind::kBucket: return fmt::format("bucket[{}]", param_);
    case Kind::kTruncate: return fmt::format("truncate[{}]", param_);
    case Kind::kYear: return "year";
    case Kind::kMonth: return "month";
    case Kind::kDay: return "day";
    case Kind::kHour: return "hour";
    case Kind::kVoid: return "void";
  }
  return "?";
}

bool Transform::CanApply(const Type& source) const {
  const TypeKind k = source.kind;
  const bool temporal_day = k == TypeKind::kDate || k == TypeKind::kTimestamp || k == TypeKind::kTimestampTz;
  switch (kind_) {
    case Kind::kIdentity: return source.is_primitive();
    case Kind::kVoid: return true;
    case Kind::kBucket:
      return k == TypeKind::kInt || k == TypeKind::kLong || k == TypeKind::kDecimal || k == TypeKind::kDate ||
             k == TypeKind::kTime || k == TypeKind::kTimestamp || k == TypeKind::kTimestampTz ||
             k == TypeKind::kString || k == TypeKind::kUuid || k == TypeKind::kFixed || k == TypeKind::kBinary;
    case Kind::kTruncate:
      return k == TypeKind::kInt || k == TypeKind::kLong || k == TypeKind::kDecimal || k == TypeKind::kString ||
             k == TypeKind::kBinary;
    case Kind::kYear:
    case Kind::kMonth:
    case Kind::kDay: return temporal_day;
    case Kind::kHour: return k == TypeKind::kTimestamp || k == TypeKind::kTimestampTz;
  }
  return false;
}

TypePtr Transform::ResultType(const TypePtr& source) const {
  switch (kind_) {
    case Kind::kBucket:
    case Kind::kYear:
    case Kind::kMonth:
    case Kind::kHour: return PrimitiveType(TypeKind::kInt);
    case Kind::kDay: return PrimitiveType(TypeKind::kDate);
    default: return source;
  }
}

bool Transform::IntegerLike(TypeId id) {
  switch (id) {
    case TypeId::kTinyInt:
    case TypeId::kSmallInt:
    case TypeId::kInteger:
    case TypeId::kBigInt:
    case TypeId::kDate:
    case TypeId::kTimestamp:
    case TypeId::kTime: return true;
    default: return false;
  }
}

int32_t Transform::Hash(const Value& v) {
  if (IntegerLike(v.type().id()) || v.type().id() == TypeId::kTimestampTz) {
    return IcebergHashLong(v.GetInt());
  }
  switch (v.type().id()) {
    case TypeId::kVarchar:
    case TypeId::kBlob: return IcebergHashBytes(v.GetString());
    case TypeId::kDecimal: return IcebergHashDecimal(v.GetDecimal());
    default:
      throw NotImplementedError(fmt::format("bucket of a {} value", v.type().ToString()));
  }
}

Value Transform::Apply(const Value& v) const {
  if (kind_ == Kind::kVoid) return Value::Null(v.type());
  if (v.is_null()) {
    if (kind_ == Kind::kIdentity || kind_ == Kind::kTruncate) return v;
    return Value::Null(kind_ == Kind::kDay ? LogicalType(TypeId::kDate) : LogicalType(TypeId::kInteger));
  }
  switch (kind_) {
    case Kind::kIdentity: return v;
    case Kind::kBucket: return Value::Integer(IcebergBucketOf(Hash(v), param_));
    case Kind::kTruncate: {
      const int64_t w = param_;
      switch (v.type().id()) {
        case TypeId::kInteger: return Value::Integer(static_cast<int32_t>(v.GetInt() - (((v.GetInt() % w) + w) % w)));
        case TypeId::kBigInt: return Value::BigInt(v.GetInt() - (((v.GetInt() % w) + w) % w));
        case TypeId::kDecimal: {
          const int128_t u = v.GetDecimal();
          return Value::Decimal(u - (((u % w) + w) % w), v.type().precision(), v.type().scale());
        }
        case TypeId::kVarchar: return Value::Varchar(TruncateUtf8(v.GetString(), param_));
        default: throw NotImplementedError(fmt::format("truncate of a {} value", v.type().ToString()));
      }
    }
    case Kind::kYear:
    case Kind::kMonth: {
      int64_t y;
      unsigned m;
      CivilFromDays(DaysOf(v), &y, &m);
      const int64_t years = y - 1970;
      return Value::Integer(static_cast<int32_t>(kind_ == Kind::kYear ? years : years * 12 + (m - 1)));
    }
    case Kind::kDay: return Value::Date(static_cast<int32_t>(DaysOf(v)));
    case Kind::kHour: return Value::Integer(static_cast<int32_t>(FloorDiv(v.GetInt(), kMicrosPerHour)));
    case Kind::kVoid: break;
  }
  return Value::Null(v.type());
}

}  // namespace sluice::iceberg
