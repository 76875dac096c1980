#include "io/parquet_schema.h"

#include <fmt/format.h>

#include "common/error.h"

namespace sluice {

namespace {

using parquet::ConvertedType;
using parquet::LogicalTypeInfo;
using parquet::Type;

struct LeafMapping {
  LogicalType type;
  ParquetConversion conversion;
  bool unsigned_order = false;
};

LogicalType DecimalType(int precision, int scale, const std::string& where) {
  if (precision < 1 || precision > kMaxDecimalPrecision || scale < 0 || scale > precision) {
    throw IOError(fmt::format("{}: invalid DECIMAL({}, {})", where, precision, scale));
  }
  return LogicalType::Decimal(precision, scale);
}

LeafMapping MapLeaf(const parquet::SchemaElement& e, const std::string& where) {
  const LogicalTypeInfo& lt = e.logical_type;
  const ConvertedType ct = e.converted_type;
  const bool is_decimal = lt.kind == LogicalTypeInfo::kDecimal || ct == ConvertedType::kDecimal;
  const int precision = lt.kind == LogicalTypeInfo::kDecimal ? lt.precision : e.precision;
  const int scale = lt.kind == LogicalTypeInfo::kDecimal ? lt.scale : e.scale;
  auto not_supported = [&](const char* what) -> LeafMapping {
    throw NotImplementedError(fmt::format("{}: Parquet type {} is not supported", where, what));
  };
  if (lt.kind == LogicalTypeInfo::kTime || ct == ConvertedType::kTimeMillis ||
      ct == ConvertedType::kTimeMicros) {
    return not_supported("TIME");
  }
  switch (*e.type) {
    case Type::kBoolean: return {TypeId::kBoolean, ParquetConversion::kBoolean};
    case Type::kInt32: {
      if (is_decimal) {
        const LogicalType t = DecimalType(precision, scale, where);
        return {t, t.IsWideDecimal() ? ParquetConversion::kInt32ToInt128
                                     : ParquetConversion::kInt32ToInt64};
      }
      if (lt.kind == LogicalTypeInfo::kDate || ct == ConvertedType::kDate) {
        return {TypeId::kDate, ParquetConversion::kInt32};
      }
      int width = 32;
      bool is_signed = true;
      if (lt.kind == LogicalTypeInfo::kInteger) {
        width = lt.bit_width;
        is_signed = lt.is_signed;
      } else if (ct >= ConvertedType::kUint8 && ct <= ConvertedType::kInt64) {
        static constexpr int kWidths[] = {8, 16, 32, 64, 8, 16, 32, 64};
        width = kWidths[static_cast<int>(ct) - static_cast<int>(ConvertedType::kUint8)];
        is_signed = ct >= ConvertedType::kInt8;
      }
      if (is_signed && width == 8) return {TypeId::kTinyInt, ParquetConversion::kInt32ToInt8};
      if ((is_signed && width == 16) || (!is_signed && width == 8)) {
        return {TypeId::kSmallInt, ParquetConversion::kInt32ToInt16, !is_signed};
      }
      if (!is_signed && width == 16) return {TypeId::kInteger, ParquetConversion::kInt32, true};
      if (!is_signed) return {TypeId::kBigInt, ParquetConversion::kUint32ToInt64, true};
      return {TypeId::kInteger, ParquetConversion::kInt32};
    }
    case Type::kInt64: {
      if (is_decimal) {
        const LogicalType t = DecimalType(precision, scale, where);
        return {t, t.IsWideDecimal() ? ParquetConversion::kInt64ToInt128 : ParquetConversion::kInt64};
      }
      parquet::TimeUnit unit = lt.kind == LogicalTypeInfo::kTimestamp ? lt.unit : parquet::TimeUnit::kNone;
      if (ct == ConvertedType::kTimestampMillis && unit == parquet::TimeUnit::kNone) {
        unit = parquet::TimeUnit::kMillis;
      }
      if (ct == ConvertedType::kTimestampMicros && unit == parquet::TimeUnit::kNone) {
        unit = parquet::TimeUnit::kMicros;
      }
      switch (unit) {
        case parquet::TimeUnit::kMillis: return {TypeId::kTimestamp, ParquetConversion::kTimestampMillis};
        case parquet::TimeUnit::kMicros: return {TypeId::kTimestamp, ParquetConversion::kInt64};
        case parquet::TimeUnit::kNanos: return {TypeId::kTimestamp, ParquetConversion::kTimestampNanos};
        case parquet::TimeUnit::kNone: break;
      }
      const bool is_unsigned = (lt.kind == LogicalTypeInfo::kInteger && !lt.is_signed) ||
                               ct == ConvertedType::kUint64;
      if (is_unsigned) return {LogicalType::Decimal(20, 0), ParquetConversion::kUint64ToInt128, true};
      return {TypeId::kBigInt, ParquetConversion::kInt64};
    }
    case Type::kInt96: return {TypeId::kTimestamp, ParquetConversion::kInt96Timestamp};
    case Type::kFloat: return {TypeId::kDouble, ParquetConversion::kFloat};
    case Type::kDouble: return {TypeId::kDouble, ParquetConversion::kDouble};
    case Type::kByteArray:
    case Type::kFixedLenByteArray: {
      if (*e.type == Type::kFixedLenByteArray && (e.type_length < 1 || e.type_length > (1 << 20))) {
        throw IOError(fmt::format("{}: invalid FIXED_LEN_BYTE_ARRAY length {}", where, e.type_length));
      }
      if (is_decimal) {
        const LogicalType t = DecimalType(precision, scale, where);
        return {t, t.IsWideDecimal() ? ParquetConversion::kBytesToDecimal128
                                     : ParquetConversion::kBytesToDecimal64};
      }
      if (ct == ConvertedType::kInterval) {
        if (e.type_length != 12) throw IOError(fmt::format("{}: INTERVAL must be 12 bytes", where));
        return {TypeId::kInterval, ParquetConversion::kInterval};
      }
      if (lt.kind == LogicalTypeInfo::kFloat16) return not_supported("FLOAT16");
      if (lt.kind == LogicalTypeInfo::kUuid) return not_supported("UUID");
      return {TypeId::kVarchar, ParquetConversion::kString, true};
    }
  }
  throw IOError(fmt::format("{}: unknown physical type {}", where, static_cast<int>(*e.type)));
}

struct Walker {
  const std::vector<parquet::SchemaElement>& schema;
  const std::string& path;
  std::vector<ParquetLeaf> leaves;
  size_t next = 1;

  // Visits the subtree at `next`.
  void Visit(const std::string& prefix, int16_t def, int16_t rep, int depth) {
    if (next >= schema.size()) throw IOError(fmt::format("Parquet file '{}': schema is truncated", path));
    if (depth > 64) throw IOError(fmt::format("Parquet file '{}': schema nested too deeply", path));
    const int index = static_cast<int>(next++);
    const parquet::SchemaElement& e = schema[index];
    const std::string name = prefix.empty() ? e.name : prefix + "." + e.name;
    if (e.repetition == parquet::Repetition::kOptional) def++;
    if (e.repetition == parquet::Repetition::kRepeated) {
      def++;
      rep++;
    }
    if (!e.type) {
      if (e.num_children < 0 || static_cast<size_t>(e.num_children) > schema.size()) {
        throw IOError(fmt::format("Parquet file '{}': bad child count in schema", path));
      }
      for (int i = 0; i < e.num_children; i++) Visit(name, def, rep, depth + 1);
      return;
    }
    const std::string where = fmt::format("Parquet file '{}' column '{}'", path, name);
    if (rep > 0) {
      throw NotImplementedError(
          fmt::format("{}: repeated (LIST/MAP) columns are not supported yet", where));
    }
    const LeafMapping m = MapLeaf(e, where);
    ParquetLeaf leaf;
    leaf.name = name;
    leaf.schema_index = index;
    leaf.physical = *e.type;
    leaf.type_length = e.type_length;
    leaf.max_def = def;
    leaf.max_rep = rep;
    leaf.type = m.type;
    leaf.conversion = m.conversion;
    leaf.unsigned_order = m.unsigned_order;
    leaves.push_back(std::move(leaf));
  }
};

}  // namespace

std::vector<ParquetLeaf> ParquetLeaves(const parquet::FileMetaData& metadata,
                                       const std::string& path) {
  const auto& schema = metadata.schema;
  if (schema.empty() || schema[0].num_children < 0) {
    throw IOError(fmt::format("Parquet file '{}': the schema is empty", path));
  }
  Walker walker{schema, path, {}};
  for (int i = 0; i < schema[0].num_children; i++) walker.Visit("", 0, 0, 0);
  if (walker.next != schema.size()) {
    throw IOError(fmt::format("Parquet file '{}': schema has {} elements but its tree uses {}",
                              path, schema.size(), walker.next));
  }
  return std::move(walker.leaves);
}

std::vector<parquet::SchemaElement> ParquetSchemaFor(const Schema& schema) {
  std::vector<parquet::SchemaElement> out(1);
  out[0].name = "schema";
  out[0].num_children = static_cast<int32_t>(schema.size());
  for (const Field& f : schema.fields()) {
    parquet::SchemaElement e;
    e.name = f.name;
    e.repetition = parquet::Repetition::kOptional;
    LogicalTypeInfo& lt = e.logical_type;
    auto integer = [&](int bits, ConvertedType ct) {
      e.type = bits == 64 ? Type::kInt64 : Type::kInt32;
      e.converted_type = ct;
      lt.kind = LogicalTypeInfo::kInteger;
      lt.bit_width = static_cast<int8_t>(bits);
      lt.is_signed = true;
    };
    switch (f.type.id()) {
      case TypeId::kNull:  // untyped NULLs: an all-NULL INTEGER column
      case TypeId::kInteger: integer(32, ConvertedType::kInt32); break;
      case TypeId::kBoolean: e.type = Type::kBoolean; break;
      case TypeId::kTinyInt: integer(8, ConvertedType::kInt8); break;
      case TypeId::kSmallInt: integer(16, ConvertedType::kInt16); break;
      case TypeId::kBigInt: integer(64, ConvertedType::kInt64); break;
      case TypeId::kDouble: e.type = Type::kDouble; break;
      case TypeId::kDecimal: {
        const int p = f.type.precision();
        e.type = p <= 9 ? Type::kInt32 : p <= 18 ? Type::kInt64 : Type::kFixedLenByteArray;
        e.type_length = 16;
        e.converted_type = ConvertedType::kDecimal;
        e.precision = p;
        e.scale = f.type.scale();
        lt.kind = LogicalTypeInfo::kDecimal;
        lt.precision = p;
        lt.scale = f.type.scale();
        break;
      }
      case TypeId::kVarchar:
        e.type = Type::kByteArray;
        e.converted_type = ConvertedType::kUtf8;
        lt.kind = LogicalTypeInfo::kString;
        break;
      case TypeId::kDate:
        e.type = Type::kInt32;
        e.converted_type = ConvertedType::kDate;
        lt.kind = LogicalTypeInfo::kDate;
        break;
      case TypeId::kTimestamp:
        // No converted type: TIMESTAMP_MICROS would claim the values are UTC-adjusted.
        e.type = Type::kInt64;
        lt.kind = LogicalTypeInfo::kTimestamp;
        lt.unit = parquet::TimeUnit::kMicros;
        lt.utc_adjusted = false;
        break;
      case TypeId::kInterval:
        e.type = Type::kFixedLenByteArray;
        e.type_length = 12;
        e.converted_type = ConvertedType::kInterval;
        break;
    }
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace sluice
