#include "io/parquet_schema.h"

#include "io/parquet_nested_writer.h"

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
    // TIME(MILLIS) is INT32, TIME(MICROS|NANOS) INT64; a UTC-adjusted one is read as its UTC
    // time of day (Sluice has no TIME WITH TIME ZONE).
    const parquet::TimeUnit unit = lt.kind == LogicalTypeInfo::kTime ? lt.unit
                                   : ct == ConvertedType::kTimeMillis ? parquet::TimeUnit::kMillis
                                                                      : parquet::TimeUnit::kMicros;
    if (*e.type == Type::kInt32 && unit == parquet::TimeUnit::kMillis) {
      return {TypeId::kTime, ParquetConversion::kTimeMillis};
    }
    if (*e.type == Type::kInt64 && unit == parquet::TimeUnit::kMicros) {
      return {TypeId::kTime, ParquetConversion::kInt64};
    }
    if (*e.type == Type::kInt64 && unit == parquet::TimeUnit::kNanos) {
      return {TypeId::kTime, ParquetConversion::kTimestampNanos};
    }
    return not_supported("TIME with this physical type or unit");
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
      // TIMESTAMP(isAdjustedToUTC=true) is an instant, as in DuckDB; the legacy converted types
      // stay TIMESTAMP.
      const TypeId ts = lt.kind == LogicalTypeInfo::kTimestamp && lt.utc_adjusted
                            ? TypeId::kTimestampTz
                            : TypeId::kTimestamp;
      switch (unit) {
        case parquet::TimeUnit::kMillis: return {ts, ParquetConversion::kTimestampMillis};
        case parquet::TimeUnit::kMicros: return {ts, ParquetConversion::kInt64};
        case parquet::TimeUnit::kNanos: return {ts, ParquetConversion::kTimestampNanos};
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
      // Text only when annotated as such; other byte arrays are BLOBs, as DuckDB reads them.
      const bool text = lt.kind == LogicalTypeInfo::kString || lt.kind == LogicalTypeInfo::kEnum ||
                        lt.kind == LogicalTypeInfo::kJson || ct == ConvertedType::kUtf8 ||
                        ct == ConvertedType::kEnum || ct == ConvertedType::kJson;
      return {text ? TypeId::kVarchar : TypeId::kBlob, ParquetConversion::kString, true};
    }
  }
  throw IOError(fmt::format("{}: unknown physical type {}", where, static_cast<int>(*e.type)));
}

bool IsAnnotated(const parquet::SchemaElement& e, ConvertedType converted,
                 LogicalTypeInfo::Kind logical) {
  return e.converted_type == converted || e.logical_type.kind == logical;
}

// Walks the schema tree (depth first, the order of the column chunks) into leaves and
// top-level columns.
struct Walker {
  const std::vector<parquet::SchemaElement>& schema;
  const std::string& path;
  ParquetFileSchema out;
  size_t next = 1;

  [[noreturn]] void Malformed(const std::string& name, const std::string& what) const {
    throw IOError(fmt::format("Parquet file '{}' column '{}': {}", path, name, what));
  }

  // Takes the next element; checks what every element needs.
  int Take(int depth) {
    if (next >= schema.size()) throw IOError(fmt::format("Parquet file '{}': schema is truncated", path));
    if (depth > 64) throw IOError(fmt::format("Parquet file '{}': schema nested too deeply", path));
    const parquet::SchemaElement& e = schema[next];
    if (!e.type && (e.num_children < 0 || static_cast<size_t>(e.num_children) > schema.size())) {
      throw IOError(fmt::format("Parquet file '{}': bad child count in schema", path));
    }
    return static_cast<int>(next++);
  }

  int AddLeaf(int index, const std::string& name, int16_t def, int16_t rep) {
    const parquet::SchemaElement& e = schema[index];
    const LeafMapping m = MapLeaf(e, fmt::format("Parquet file '{}' column '{}'", path, name));
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
    out.leaves.push_back(std::move(leaf));
    return static_cast<int>(out.leaves.size()) - 1;
  }

  // The next field of a group whose levels are (def, rep).
  ParquetNestedNode Field(const std::string& prefix, int16_t def, int16_t rep, int depth) {
    const int index = Take(depth);
    const parquet::SchemaElement& e = schema[index];
    const std::string name = prefix + "." + e.name;
    if (e.repetition == parquet::Repetition::kRepeated) {
      // A repeated field outside a LIST or MAP: a list of required elements, never NULL.
      ParquetNestedNode list;
      list.kind = ParquetNestedNode::Kind::kList;
      list.name = e.name;
      list.def = def;
      list.elements_def = static_cast<int16_t>(def + 1);
      list.rep = static_cast<int16_t>(rep + 1);
      list.children.push_back(Value(index, name, list.elements_def, list.rep, depth));
      list.leaf_begin = list.children[0].leaf_begin;
      list.leaf_end = list.children[0].leaf_end;
      return list;
    }
    if (e.repetition == parquet::Repetition::kOptional) def++;
    return Value(index, name, def, rep, depth);
  }

  // The value of element `index` (taken), whose own repetition is counted in (def, rep).
  ParquetNestedNode Value(int index, const std::string& name, int16_t def, int16_t rep, int depth) {
    const parquet::SchemaElement& e = schema[index];
    ParquetNestedNode node;
    node.name = e.name;
    node.def = def;
    node.leaf_begin = static_cast<int>(out.leaves.size());
    if (e.type) {
      AddLeaf(index, name, def, rep);
    } else if (IsAnnotated(e, ConvertedType::kList, LogicalTypeInfo::kList)) {
      node.kind = ParquetNestedNode::Kind::kList;
      Repeated(e, name, rep, &node);
      const int r = Take(depth + 1);
      const parquet::SchemaElement& repeated = schema[r];
      const std::string r_name = name + "." + repeated.name;
      // Legacy two-level lists: the repeated field is the element itself.
      const bool two_level = repeated.type || repeated.num_children != 1 ||
                             repeated.name == "array" || repeated.name == e.name + "_tuple";
      if (two_level) {
        node.children.push_back(Value(r, r_name, node.elements_def, node.rep, depth + 1));
      } else {
        node.children.push_back(Field(r_name, node.elements_def, node.rep, depth + 2));
      }
    } else if (IsAnnotated(e, ConvertedType::kMap, LogicalTypeInfo::kMap) ||
               e.converted_type == ConvertedType::kMapKeyValue) {
      node.kind = ParquetNestedNode::Kind::kMap;
      Repeated(e, name, rep, &node);
      const int r = Take(depth + 1);
      const parquet::SchemaElement& kv = schema[r];
      if (kv.type || kv.num_children < 1 || kv.num_children > 2) {
        Malformed(name, "a MAP's repeated group must hold a key and a value");
      }
      const std::string kv_name = name + "." + kv.name;
      for (int i = 0; i < kv.num_children; i++) {
        node.children.push_back(Field(kv_name, node.elements_def, node.rep, depth + 2));
      }
    } else {
      node.kind = ParquetNestedNode::Kind::kStruct;
      for (int i = 0; i < e.num_children; i++) node.children.push_back(Field(name, def, rep, depth + 1));
    }
    node.leaf_end = static_cast<int>(out.leaves.size());
    if (node.leaf_end == node.leaf_begin) Malformed(name, "a group without leaf columns");
    return node;
  }

  // Checks that the LIST/MAP group `e` has one repeated child and sets the levels of
  // `node`'s elements.
  void Repeated(const parquet::SchemaElement& e, const std::string& name, int16_t rep,
                ParquetNestedNode* node) {
    if (e.num_children != 1 || next >= schema.size() ||
        schema[next].repetition != parquet::Repetition::kRepeated) {
      Malformed(name, "a LIST or MAP group must have exactly one repeated field");
    }
    node->elements_def = static_cast<int16_t>(node->def + 1);
    node->rep = static_cast<int16_t>(rep + 1);
  }

  // A top-level column: primitive fields stay flat, anything else becomes JSON text.
  void TopLevelColumn(int depth) {
    const parquet::SchemaElement& e = schema[std::min(next, schema.size() - 1)];
    const std::optional<int32_t> field_id = next < schema.size() ? e.field_id : std::nullopt;
    if (next < schema.size() && e.type && e.repetition != parquet::Repetition::kRepeated) {
      const int index = Take(depth);
      const int16_t def = e.repetition == parquet::Repetition::kOptional ? 1 : 0;
      const int leaf = AddLeaf(index, e.name, def, 0);
      out.columns.push_back({e.name, out.leaves[leaf].type, leaf, 1, nullptr, field_id});
      return;
    }
    const int first = static_cast<int>(out.leaves.size());
    auto node = std::make_shared<ParquetNestedNode>(Field("", 0, 0, depth));
    // Leaf names and node leaf ranges are relative to the column.
    for (int l = first; l < static_cast<int>(out.leaves.size()); l++) {
      out.leaves[l].name = out.leaves[l].name.substr(1);
    }
    Rebase(node.get(), first);
    const LogicalType type = NestedType(*node, first).value_or(LogicalType(TypeId::kVarchar));
    out.columns.push_back({node->name, type, first,
                           static_cast<int>(out.leaves.size()) - first, std::move(node), field_id});
  }

  // LIST, STRUCT and MAP columns read as those types; a column with a map that has no value
  // field reads as JSON text (nullopt).
  std::optional<LogicalType> NestedType(const ParquetNestedNode& node, int first) const {
    switch (node.kind) {
      case ParquetNestedNode::Kind::kLeaf:
        return out.leaves[static_cast<size_t>(first + node.leaf_begin)].type;
      case ParquetNestedNode::Kind::kList: {
        auto element = NestedType(node.children[0], first);
        if (!element) return std::nullopt;
        return LogicalType::List(*element);
      }
      case ParquetNestedNode::Kind::kStruct: {
        std::vector<StructField> fields;
        for (const auto& c : node.children) {
          auto t = NestedType(c, first);
          if (!t) return std::nullopt;
          for (const auto& f : fields) {
            if (f.name == c.name) return std::nullopt;
          }
          fields.push_back(StructField{c.name, *t});
        }
        return LogicalType::Struct(fields);
      }
      case ParquetNestedNode::Kind::kMap: {
        if (node.children.size() != 2) return std::nullopt;
        auto key = NestedType(node.children[0], first);
        auto value = NestedType(node.children[1], first);
        if (!key || !value) return std::nullopt;
        return LogicalType::Map(*key, *value);
      }
    }
    return std::nullopt;
  }

  static void Rebase(ParquetNestedNode* node, int first) {
    node->leaf_begin -= first;
    node->leaf_end -= first;
    for (auto& child : node->children) Rebase(&child, first);
  }
};

}  // namespace

ParquetFileSchema ReadParquetSchema(const parquet::FileMetaData& metadata, const std::string& path) {
  const auto& schema = metadata.schema;
  if (schema.empty() || schema[0].num_children < 0) {
    throw IOError(fmt::format("Parquet file '{}': the schema is empty", path));
  }
  Walker walker{schema, path, {}};
  for (int i = 0; i < schema[0].num_children; i++) walker.TopLevelColumn(0);
  if (walker.next != schema.size()) {
    throw IOError(fmt::format("Parquet file '{}': schema has {} elements but its tree uses {}",
                              path, schema.size(), walker.next));
  }
  return std::move(walker.out);
}

std::vector<parquet::SchemaElement> ParquetSchemaFor(const Schema& schema,
                                                   const std::vector<int32_t>& field_ids) {
  std::vector<parquet::SchemaElement> out(1);
  out[0].name = "schema";
  out[0].num_children = static_cast<int32_t>(schema.size());
  for (const Field& f : schema.fields()) {
    if (f.type.IsNested()) {
      std::optional<int32_t> id;
      if (!field_ids.empty()) id = field_ids.at(static_cast<size_t>(&f - schema.fields().data()));
      AppendNestedSchemaElements(f.name, f.type, id, &out);
      continue;
    }
    parquet::SchemaElement e;
    e.name = f.name;
    if (!field_ids.empty()) e.field_id = field_ids.at(static_cast<size_t>(&f - schema.fields().data()));
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
      case TypeId::kTimestampTz:
        e.type = Type::kInt64;
        e.converted_type = ConvertedType::kTimestampMicros;
        lt.kind = LogicalTypeInfo::kTimestamp;
        lt.unit = parquet::TimeUnit::kMicros;
        lt.utc_adjusted = true;
        break;
      case TypeId::kBlob: e.type = Type::kByteArray; break;
      case TypeId::kTime:
        // Like TIMESTAMP, no converted type: TIME_MICROS would claim UTC-adjusted values.
        e.type = Type::kInt64;
        lt.kind = LogicalTypeInfo::kTime;
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
