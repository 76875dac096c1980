#include "io/parquet_statistics.h"

#include <cmath>
#include <string_view>

#include "common/error.h"
#include "io/parquet_convert.h"
#include "io/parquet_encoding.h"

namespace sluice {

namespace {

using parquet::Type;

std::optional<Value> DecodeStat(const ParquetLeaf& leaf, const std::string& bytes) {
  if (leaf.physical == Type::kInt96 || leaf.type.id() == TypeId::kInterval) return std::nullopt;
  std::string_view view(bytes);
  const void* physical = bytes.data();
  uint8_t boolean = 0;
  switch (leaf.physical) {
    case Type::kBoolean:
      if (bytes.size() != 1) return std::nullopt;
      boolean = bytes[0] != 0;
      physical = &boolean;
      break;
    case Type::kInt32:
    case Type::kFloat:
      if (bytes.size() != 4) return std::nullopt;
      break;
    case Type::kInt64:
    case Type::kDouble:
      if (bytes.size() != 8) return std::nullopt;
      break;
    case Type::kFixedLenByteArray:
      if (bytes.size() != static_cast<size_t>(leaf.type_length)) return std::nullopt;
      physical = &view;
      break;
    case Type::kByteArray: physical = &view; break;
    case Type::kInt96: return std::nullopt;
  }
  Column column(leaf.type, 1);
  try {
    ParquetConvert(leaf, physical, 1, nullptr, 1, &column, 0);
  } catch (const ParquetCorruption&) {
    return std::nullopt;
  }
  column.set_size(1);
  Value v = column.GetValue(0);
  if (leaf.type.id() == TypeId::kDouble && std::isnan(v.GetDouble())) return std::nullopt;
  return v;
}

// -1, 0, 1 for two non-NULL values of the same type.
int Compare(const Value& a, const Value& b) {
  auto sign = [](auto x, auto y) { return x < y ? -1 : (y < x ? 1 : 0); };
  switch (a.type().id()) {
    case TypeId::kDouble: return sign(a.GetDouble(), b.GetDouble());
    case TypeId::kDecimal: return sign(a.GetDecimal(), b.GetDecimal());
    case TypeId::kVarchar:
    case TypeId::kBlob: {
      const int c = a.GetString().compare(b.GetString());
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    case TypeId::kBoolean: return sign(a.GetBool(), b.GetBool());
    default: return sign(a.GetInt(), b.GetInt());
  }
}

}  // namespace

ParquetColumnStats DecodeParquetStats(const ParquetLeaf& leaf, const parquet::ColumnMetaData& meta) {
  ParquetColumnStats out;
  if (!meta.statistics) return out;
  const parquet::Statistics& s = *meta.statistics;
  out.null_count = s.null_count;
  const std::optional<std::string>* min = &s.min_value;
  const std::optional<std::string>* max = &s.max_value;
  if (!min->has_value() && !max->has_value() && !leaf.unsigned_order) {
    min = &s.min;
    max = &s.max;
  }
  if (min->has_value() && max->has_value()) {
    out.min = DecodeStat(leaf, **min);
    out.max = DecodeStat(leaf, **max);
    if (!out.min || !out.max) out.min = out.max = std::nullopt;
  }
  return out;
}

std::vector<ParquetColumnStats> ParquetFileStats(const parquet::FileMetaData& metadata,
                                                 const std::string& path) {
  const ParquetFileSchema schema = ReadParquetSchema(metadata, path);
  std::vector<ParquetColumnStats> out(schema.columns.size());
  for (size_t c = 0; c < schema.columns.size(); c++) {
    const ParquetColumn& column = schema.columns[c];
    if (column.is_nested()) continue;
    const ParquetLeaf& leaf = schema.leaves[static_cast<size_t>(column.first_leaf)];
    ParquetColumnStats file;
    file.null_count = 0;
    bool bounds_known = true;
    for (const auto& group : metadata.row_groups) {
      const auto& chunk = group.columns.at(static_cast<size_t>(column.first_leaf));
      const ParquetColumnStats s =
          chunk.meta_data ? DecodeParquetStats(leaf, *chunk.meta_data) : ParquetColumnStats{};
      if (!s.null_count || !file.null_count) {
        file.null_count = std::nullopt;
      } else {
        *file.null_count += *s.null_count;
      }
      const bool all_null = s.null_count && *s.null_count >= group.num_rows;
      if (all_null) continue;
      if (!s.min || !s.max) {
        bounds_known = false;
        continue;
      }
      if (!file.min || Compare(*s.min, *file.min) < 0) file.min = s.min;
      if (!file.max || Compare(*s.max, *file.max) > 0) file.max = s.max;
    }
    if (!bounds_known) file.min = file.max = std::nullopt;
    out[c] = std::move(file);
  }
  return out;
}

bool ParquetStatsExclude(const ParquetColumnStats& stats, int64_t num_rows,
                         const ParquetPredicate& predicate, const LogicalType& type) {
  using Op = ParquetPredicate::Op;
  if (predicate.op == Op::kIsNull) return stats.null_count && *stats.null_count == 0;
  const bool all_null = stats.null_count && *stats.null_count >= num_rows;
  if (predicate.op == Op::kIsNotNull) return all_null;
  if (all_null) return true;  // a comparison with NULL is never true
  if (predicate.constant.is_null()) return true;
  if (!stats.min || !stats.max) return false;
  Value c;
  try {
    c = predicate.constant.CastTo(type);
    // Only an exact conversion keeps the comparison's meaning (x > 1.5 is not x > 2).
    if (!(c.CastTo(predicate.constant.type()) == predicate.constant)) return false;
  } catch (const UserError&) {
    return false;
  }
  const int lo = Compare(c, *stats.min);  // c vs min
  const int hi = Compare(c, *stats.max);  // c vs max
  switch (predicate.op) {
    case Op::kEq: return lo < 0 || hi > 0;
    case Op::kNe: return lo == 0 && hi == 0 && stats.null_count.has_value();
    case Op::kLt: return lo <= 0;  // every value >= c
    case Op::kLe: return lo < 0;
    case Op::kGt: return hi >= 0;  // every value <= c
    case Op::kGe: return hi > 0;
    default: return false;
  }
}

}  // namespace sluice
