#include "iceberg/single_value.h"

#include <cstring>

#include <fmt/format.h>

#include "common/error.h"

namespace sluice::iceberg {

namespace {

template <typename T>
std::string LittleEndian(T v) {
  std::string out(sizeof(T), '\0');
  std::memcpy(out.data(), &v, sizeof(T));
  return out;
}

template <typename T>
T FromLittleEndian(const std::string& bytes, const Type& type, const std::string& where) {
  if (bytes.size() != sizeof(T)) {
    throw InvalidInputError(fmt::format("{}: a {} bound of {} bytes (expected {})", where, type.ToString(),
                                        bytes.size(), sizeof(T)));
  }
  T v;
  std::memcpy(&v, bytes.data(), sizeof(T));
  return v;
}

}  // namespace

std::string SerializeValue(const Type& type, const Value& v) {
  switch (type.kind) {
    case TypeKind::kBoolean: return std::string(1, v.GetBool() ? '\1' : '\0');
    case TypeKind::kInt:
    case TypeKind::kDate: return LittleEndian(static_cast<int32_t>(v.GetInt()));
    case TypeKind::kLong:
    case TypeKind::kTime:
    case TypeKind::kTimestamp:
    case TypeKind::kTimestampTz: return LittleEndian(static_cast<int64_t>(v.GetInt()));
    case TypeKind::kFloat: return LittleEndian(static_cast<float>(v.GetDouble()));
    case TypeKind::kDouble: return LittleEndian(v.GetDouble());
    case TypeKind::kString:
    case TypeKind::kBinary:
    case TypeKind::kFixed:
    case TypeKind::kUuid: return v.GetString();
    case TypeKind::kDecimal: return DecimalBytes(v.GetDecimal());
    default: throw NotImplementedError(fmt::format("a bound of Iceberg type {}", type.ToString()));
  }
}

Value DeserializeValue(const Type& type, const std::string& bytes, const std::string& where) {
  switch (type.kind) {
    case TypeKind::kBoolean: return Value::Boolean(FromLittleEndian<uint8_t>(bytes, type, where) != 0);
    case TypeKind::kInt: return Value::Integer(FromLittleEndian<int32_t>(bytes, type, where));
    case TypeKind::kDate: return Value::Date(FromLittleEndian<int32_t>(bytes, type, where));
    case TypeKind::kLong: return Value::BigInt(FromLittleEndian<int64_t>(bytes, type, where));
    case TypeKind::kTimestamp: return Value::Timestamp(FromLittleEndian<int64_t>(bytes, type, where));
    case TypeKind::kTime: return Value::Time(FromLittleEndian<int64_t>(bytes, type, where));
    case TypeKind::kFloat: return Value::Double(FromLittleEndian<float>(bytes, type, where));
    case TypeKind::kDouble: return Value::Double(FromLittleEndian<double>(bytes, type, where));
    case TypeKind::kString: return Value::Varchar(bytes);
    case TypeKind::kDecimal: {
      if (bytes.empty() || bytes.size() > 16) {
        throw InvalidInputError(fmt::format("{}: a decimal bound of {} bytes", where, bytes.size()));
      }
      int128_t u = (static_cast<unsigned char>(bytes[0]) & 0x80) ? -1 : 0;
      for (unsigned char b : bytes) u = static_cast<int128_t>((static_cast<__uint128_t>(u) << 8) | b);
      return Value::Decimal(u, type.precision, type.scale);
    }
    default: throw NotImplementedError(fmt::format("a bound of Iceberg type {}", type.ToString()));
  }
}

}  // namespace sluice::iceberg
