#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "expr/expr.h"
#include "iceberg/iceberg_type.h"
#include "types/value.h"
#include "vector/schema.h"

namespace sluice::iceberg {

struct DataFile;

// A data file's column metrics as its manifest entry holds them (spec: data_file's
// value_counts ... upper_bounds), keyed by field id, bounds in the single-value binary form
// of the column's Iceberg type (single_value.h).
struct ColumnMetrics {
  std::map<int, int64_t> value_counts;
  std::map<int, int64_t> null_value_counts;
  std::map<int, int64_t> nan_value_counts;
  std::map<int, std::string> lower_bounds;
  std::map<int, std::string> upper_bounds;
};

// The metrics of a manifest entry's file.
ColumnMetrics MetricsOf(const DataFile& file);

// A data file's column metrics decoded for the columns of a scan's schema, so a scan skips
// the files whose bounds no row matching its predicates lies within, before it opens them.
struct FileBounds {
  struct Column {
    std::optional<Value> lower;  // of the column's type; absent: unknown
    std::optional<Value> upper;
    std::optional<int64_t> values;  // rows, NULLs included
    std::optional<int64_t> nulls;
    std::optional<int64_t> nans;
  };
  std::vector<Column> columns;  // parallel to the schema

  // `metrics` of a file, for columns `schema` whose field ids are `field_ids`; bounds are
  // decoded as the types the fields have in `fields` (the table's Iceberg schema) and kept
  // only when they give values of the column's type. Bounds that cannot be decoded are
  // unknown.
  static FileBounds Of(const ColumnMetrics& metrics, const Schema& schema,
                       const std::vector<int32_t>& field_ids, const IcebergSchema& fields);
  bool empty() const;
};

// Whether a file with `bounds` may hold a row satisfying every conjunct (bound over
// `schema`): `column op literal`, `column IN (...)`, `column IS [NOT] NULL` are checked
// against the column's bounds and counts (partition_filter.h ColumnPredicateOf);
// other conjuncts, and columns without metrics, say nothing.
bool BoundsMayMatch(const FileBounds& bounds, const std::vector<ExprPtr>& conjuncts,
                    const Schema& schema);

}  // namespace sluice::iceberg
