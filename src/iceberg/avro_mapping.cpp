#include "iceberg/avro_mapping.h"

#include <fmt/format.h>

#include "common/error.h"
#include "iceberg/single_value.h"

namespace sluice::iceberg {

namespace {

using avro::AvroType;

int DecimalFixedSize(int precision) {
  int size = 1;
  // The fewest bytes whose signed range holds 10^precision - 1.
  long double max = 1;
  for (int i = 0; i < precision; i++) max *= 10;
  while (std::ldexp(1.0L, 8 * size - 1) < max) size++;
  return size;
}

std::string PadDecimal(int128_t unscaled, int size) {
  std::string minimal = DecimalBytes(unscaled);
  const char pad = unscaled < 0 ? '\xff' : '\0';
  return std::string(size - static_cast<int>(minimal.size()), pad) + minimal;
}

}  // namespace

avro::SchemaPtr AvroSchemaOf(const Type& type, const std::string& record_name) {
  switch (type.kind) {
    case TypeKind::kBoolean: return avro::Primitive(AvroType::kBoolean);
    case TypeKind::kInt: return avro::Primitive(AvroType::kInt);
    case TypeKind::kLong: return avro::Primitive(AvroType::kLong);
    case TypeKind::kFloat: return avro::Primitive(AvroType::kFloat);
    case TypeKind::kDouble: return avro::Primitive(AvroType::kDouble);
    case TypeKind::kDate: return avro::Primitive(AvroType::kInt, "date");
    case TypeKind::kTime: return avro::Primitive(AvroType::kLong, "time-micros");
    case TypeKind::kTimestamp:
    case TypeKind::kTimestampTz: {
      auto s = std::make_shared<avro::Schema>(*avro::Primitive(AvroType::kLong, "timestamp-micros"));
      s->attributes["adjust-to-utc"] = type.kind == TypeKind::kTimestampTz;
      return s;
    }
    case TypeKind::kString: return avro::Primitive(AvroType::kString);
    case TypeKind::kBinary: return avro::Primitive(AvroType::kBytes);
    case TypeKind::kUuid:
    case TypeKind::kFixed:
    case TypeKind::kDecimal: {
      auto s = std::make_shared<avro::Schema>();
      s->type = AvroType::kFixed;
      if (type.kind == TypeKind::kDecimal) {
        s->fixed_size = static_cast<size_t>(DecimalFixedSize(type.precision));
        s->name = fmt::format("decimal_{}_{}", type.precision, type.scale);
        s->logical_type = "decimal";
        s->attributes["precision"] = type.precision;
        s->attributes["scale"] = type.scale;
      } else if (type.kind == TypeKind::kUuid) {
        s->fixed_size = 16;
        s->name = "uuid_fixed";
        s->logical_type = "uuid";
      } else {
        s->fixed_size = static_cast<size_t>(type.length);
        s->name = fmt::format("fixed_{}", type.length);
      }
      return s;
    }
    case TypeKind::kStruct: {
      std::vector<avro::Field> fields;
      for (const auto& f : type.fields) {
        avro::SchemaPtr t = AvroSchemaOf(*f.type, fmt::format("r{}", f.id));
        if (!f.required) {
          fields.push_back(avro::MakeField(f.name, avro::Optional(t), f.id, nlohmann::ordered_json(nullptr)));
        } else {
          fields.push_back(avro::MakeField(f.name, t, f.id));
        }
      }
      return avro::Record(record_name, std::move(fields));
    }
    default:
      throw NotImplementedError(fmt::format("Iceberg {} in an Avro manifest", type.ToString()));
  }
}

avro::Value ToAvroValue(const Type& type, const Value& v) {
  if (v.is_null()) return avro::Value();
  switch (type.kind) {
    case TypeKind::kBoolean: return avro::Value(v.GetBool());
    case TypeKind::kInt:
    case TypeKind::kDate: return avro::Value(static_cast<int32_t>(v.GetInt()));
    case TypeKind::kLong:
    case TypeKind::kTime:
    case TypeKind::kTimestamp:
    case TypeKind::kTimestampTz: return avro::Value(static_cast<int64_t>(v.GetInt()));
    case TypeKind::kFloat: return avro::Value(static_cast<float>(v.GetDouble()));
    case TypeKind::kDouble: return avro::Value(v.GetDouble());
    case TypeKind::kString:
    case TypeKind::kBinary:
    case TypeKind::kUuid:
    case TypeKind::kFixed: return avro::Value(v.GetString());
    case TypeKind::kDecimal: return avro::Value(PadDecimal(v.GetDecimal(), DecimalFixedSize(type.precision)));
    default: throw NotImplementedError(fmt::format("Iceberg {} value in an Avro manifest", type.ToString()));
  }
}

Value FromAvroValue(const Type& type, const avro::Value& v, const std::string& where) {
  if (v.is_null()) return Value::Null(ToLogicalType(type, "partition"));
  try {
    switch (type.kind) {
      case TypeKind::kBoolean: return Value::Boolean(v.boolean());
      case TypeKind::kInt: return Value::Integer(v.int32());
      case TypeKind::kDate: return Value::Date(v.int32());
      case TypeKind::kLong: return Value::BigInt(v.int64());
      case TypeKind::kTimestamp: return Value::Timestamp(v.int64());
      case TypeKind::kFloat:
      case TypeKind::kDouble: return Value::Double(v.float64());
      case TypeKind::kString: return Value::Varchar(v.str());
      case TypeKind::kDecimal: return DeserializeValue(type, v.str(), where);
      default: break;
    }
  } catch (const std::bad_variant_access&) {
    throw InvalidInputError(fmt::format("{}: a partition value does not have Iceberg type {}", where, type.ToString()));
  }
  throw NotImplementedError(fmt::format("{}: partition values of Iceberg type {}", where, type.ToString()));
}

RecordFields::RecordFields(const avro::Schema& record) : record_(record) {
  for (size_t i = 0; i < record_.fields.size(); i++) {
    if (auto id = record_.fields[i].IntAttribute("field-id")) by_id_.emplace(*id, static_cast<int>(i));
  }
}

int RecordFields::Index(int field_id, const std::string& name) const {
  auto it = by_id_.find(field_id);
  return it != by_id_.end() ? it->second : record_.FieldIndex(name);
}

const avro::Value& RecordFields::Get(const avro::Value& record, int field_id, const std::string& name) const {
  static const avro::Value kNull;
  const int i = Index(field_id, name);
  return i < 0 ? kNull : record.items()[i];
}

const avro::Schema& RecordFields::SchemaOf(int field_id, const std::string& name) const {
  return *record_.fields[Index(field_id, name)].type;
}

}  // namespace sluice::iceberg
