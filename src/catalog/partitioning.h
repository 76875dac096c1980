#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "catalog/snapshot.h"
#include "expr/expr.h"
#include "iceberg/file_bounds.h"
#include "iceberg/partition_filter.h"
#include "iceberg/transform.h"
#include "vector/batch.h"

namespace sluice {

// Hidden partitioning of warehouse tables (PARTITIONED BY (day(ts), bucket(16, id))): how
// rows are split into data files by partition tuple, how a field is named in the Iceberg
// partition spec, and how a scan's conjuncts prune files by their partition values.

// Why `field` cannot partition a table with columns `schema` ("" when it can): an unknown
// column, a transform that does not apply to the column's type, a bad bucket count or width.
// `field.column` is matched case-insensitively.
std::string PartitionFieldError(const Schema& schema, const PartitionColumn& field);

// `fields` with each column spelled as `schema` spells it. REQUIRES: no PartitionFieldError.
std::vector<PartitionColumn> ResolvePartitioning(const Schema& schema,
                                                 const std::vector<PartitionColumn>& fields);

// The partitioning an overwrite under `schema` keeps: `current` while its columns remain.
std::vector<PartitionColumn> KeptPartitioning(const std::vector<PartitionColumn>& current,
                                              const Schema& schema);

// Iceberg's name for a partition field: the column for identity, else column_bucket,
// column_trunc, column_year, column_month, column_day, column_hour.
std::string PartitionFieldName(const std::string& column, const iceberg::Transform& transform);

// "day(ts), bucket(16, id)": the SQL spelling of a partitioning, for DESCRIBE and EXPLAIN.
std::string DescribePartitioning(const std::vector<PartitionColumn>& fields);

// A partitioning bound to a schema (iceberg/partition_filter.h).
using iceberg::BoundsMayMatch;
using iceberg::ColumnPredicateOf;
using iceberg::FileBounds;
using iceberg::PartitionLayout;
using iceberg::PartitionMayMatch;

// `fields` bound to `schema` (a column no longer in it gets -1). REQUIRES: fields' transforms
// parse.
PartitionLayout PartitionLayoutOf(const Schema& schema, const std::vector<PartitionColumn>& fields);

// A string equal for equal partition tuples and different otherwise (a map key).
std::string PartitionKey(const std::vector<Value>& tuple);

// One data file's partition, for pruning: its spec's layout over the table schema (shared by
// the files of one spec) and its tuple, and its column bounds.
struct FilePartition {
  std::shared_ptr<const PartitionLayout> layout;  // null: the file is not partitioned
  std::vector<Value> values;
  std::shared_ptr<const FileBounds> bounds;  // null: none known
};

// The rows of one partition tuple.
struct PartitionedRows {
  std::vector<Value> partition;
  Batch rows;
};

// Splits `batch` by partition tuple, in the order each tuple first occurs (rows keep their
// order within a tuple).
std::vector<PartitionedRows> SplitIntoPartitions(const Schema& schema,
                                                 const PartitionLayout& layout,
                                                 const Batch& batch);

}  // namespace sluice
