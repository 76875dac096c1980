#include "iceberg/file_bounds.h"

#include "common/error.h"
#include "iceberg/manifest.h"
#include "iceberg/partition_filter.h"
#include "iceberg/partition_projection.h"
#include "iceberg/single_value.h"

namespace sluice::iceberg {

namespace {

template <typename T>
std::optional<T> Lookup(const std::map<int, T>& map, int id) {
  auto it = map.find(id);
  if (it == map.end()) return std::nullopt;
  return it->second;
}

}  // namespace

ColumnMetrics MetricsOf(const DataFile& file) {
  return ColumnMetrics{file.value_counts, file.null_value_counts, file.nan_value_counts,
                       file.lower_bounds, file.upper_bounds};
}

FileBounds FileBounds::Of(const ColumnMetrics& metrics, const Schema& schema,
                          const std::vector<int32_t>& field_ids, const IcebergSchema& fields) {
  FileBounds out;
  out.columns.resize(schema.size());
  for (size_t i = 0; i < schema.size() && i < field_ids.size(); i++) {
    const int id = field_ids[i];
    Column& c = out.columns[i];
    c.values = Lookup(metrics.value_counts, id);
    c.nulls = Lookup(metrics.null_value_counts, id);
    c.nans = Lookup(metrics.nan_value_counts, id);
    const auto lower = Lookup(metrics.lower_bounds, id);
    const auto upper = Lookup(metrics.upper_bounds, id);
    const NestedField* field = fields.FindField(id);
    if (!lower || !upper || field == nullptr || !field->type->is_primitive()) continue;
    try {
      Value lo = DeserializeValue(*field->type, *lower, "a column bound");
      Value hi = DeserializeValue(*field->type, *upper, "a column bound");
      const LogicalType& type = schema.field(i).type;
      if (lo.type() == type && hi.type() == type) {
        c.lower = std::move(lo);
        c.upper = std::move(hi);
      }
    } catch (const UserError&) {
      // A bound this reader cannot decode prunes nothing.
    }
  }
  return out;
}

bool FileBounds::empty() const {
  for (const auto& c : columns) {
    if (c.lower || c.values || c.nulls) return false;
  }
  return true;
}

bool BoundsMayMatch(const FileBounds& bounds, const std::vector<ExprPtr>& conjuncts,
                    const Schema& schema) {
  using Op = ColumnPredicate::Op;
  for (const auto& conjunct : conjuncts) {
    int column = -1;
    ColumnPredicate predicate;
    if (!ColumnPredicateOf(*conjunct, schema, &column, &predicate)) continue;
    if (column < 0 || static_cast<size_t>(column) >= bounds.columns.size()) continue;
    const FileBounds::Column& c = bounds.columns[static_cast<size_t>(column)];
    if (predicate.op == Op::kIsNull) {
      if (c.nulls && *c.nulls == 0) return false;
      continue;
    }
    // Every other predicate is false on NULL: a file of NULLs only holds no match.
    if (c.values && c.nulls && *c.nulls >= *c.values) return false;
    if (!c.lower || !c.upper) continue;
    const bool contains_null = !c.nulls || *c.nulls > 0;
    const bool contains_nan =
        schema.field(static_cast<size_t>(column)).type.id() == TypeId::kDouble &&
        (!c.nans || *c.nans > 0);
    if (!MayMatchRange(predicate, c.lower, c.upper, contains_null, contains_nan)) {
      return false;
    }
  }
  return true;
}

}  // namespace sluice::iceberg
