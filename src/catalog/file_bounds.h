#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "catalog/snapshot.h"
#include "expr/expr.h"
#include "iceberg/iceberg_type.h"
#include "types/value.h"

namespace sluice {

// A data file's column metrics (its manifest entry's, FileMetrics) decoded for the columns
// of a scan's schema, so a scan skips the files whose bounds no row matching its predicates
// lies within, before it reads their Parquet footers.
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
  static FileBounds Of(const FileMetrics& metrics, const Schema& schema,
                       const std::vector<int32_t>& field_ids, const iceberg::IcebergSchema& fields);
  bool empty() const;
};

// Whether a file with `bounds` may hold a row satisfying every conjunct (bound over
// `schema`): `column op literal`, `column IN (...)`, `column IS [NOT] NULL` are checked
// against the column's bounds and counts (iceberg/partition_filter.h ColumnPredicateOf);
// other conjuncts, and columns without metrics, say nothing.
bool BoundsMayMatch(const FileBounds& bounds, const std::vector<ExprPtr>& conjuncts,
                    const Schema& schema);

}  // namespace sluice
