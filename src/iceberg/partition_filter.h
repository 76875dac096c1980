#pragma once

#include <memory>
#include <vector>

#include "expr/expr.h"
#include "iceberg/manifest.h"
#include "iceberg/partition_projection.h"
#include "iceberg/transform.h"
#include "vector/schema.h"

namespace sluice::iceberg {

// Partition pruning of a scan: its conjuncts (bound expressions) read as predicates on
// source columns, projected through a spec's transforms, and checked against a data file's
// partition tuple or a manifest's partition summaries.

// A partition spec bound to a scan's schema: the source column and transform of each field.
struct PartitionLayout {
  std::vector<int> columns;  // index in the schema; -1 when the column is not in it
  std::vector<Transform> transforms;

  // `spec`'s fields with each source column found by field id among `fields` (the scan's
  // schema's columns, in order).
  static PartitionLayout Of(const PartitionSpec& spec, const IcebergSchema& fields);
  bool empty() const { return columns.empty(); }
};

// A scan conjunct (bound over `schema`) as a predicate on one column: `column op literal`
// (either side; through a widening integer cast), `column IN (literals)`, `column IS [NOT]
// NULL`; the literals get the column's type. Sets *column; false for any other shape.
bool ColumnPredicateOf(const Expr& conjunct, const Schema& schema, int* column,
                       ColumnPredicate* predicate);

// Whether a data file with partition tuple `values` under `layout` may hold a row
// satisfying every conjunct (inclusive projection of each through its field's transform).
bool PartitionMayMatch(const PartitionLayout& layout, const std::vector<Value>& values,
                       const std::vector<ExprPtr>& conjuncts, const Schema& schema);

// Whether a manifest of `spec` whose manifest-list entry is `manifest` may list a file
// holding a row satisfying every conjunct, by the entry's partition field summaries (bounds
// decoded as the fields' types over `fields`). True when the entry has no summaries.
bool ManifestMayMatch(const ManifestFile& manifest, const PartitionSpec& spec,
                      const IcebergSchema& fields, const std::vector<ExprPtr>& conjuncts,
                      const Schema& schema);

}  // namespace sluice::iceberg
