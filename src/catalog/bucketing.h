#pragma once

#include <string>
#include <vector>

#include "catalog/snapshot.h"
#include "vector/batch.h"
#include "vector/column_hash.h"

namespace sluice {

// The most buckets a table may have: each bucket is at least one file and one scan task.
inline constexpr int kMaxBuckets = 4096;

// Checks `spec` against the table `table` with columns `schema` and returns it with the
// column names spelled as in the schema. Throws BindError naming a column that is not in
// the schema (or is listed twice) and InvalidInputError for a bucket count out of
// [1, kMaxBuckets].
BucketSpec ResolveBucketSpec(const Schema& schema, const BucketSpec& spec,
                             const std::string& table);

// The indices in `schema` of the bucket columns. REQUIRES: spec was resolved against schema.
std::vector<int> BucketColumnIndices(const Schema& schema, const BucketSpec& spec);

// Splits `rows` (of `schema`) into spec.num_buckets groups: out[b] holds, in input order,
// the rows whose bucket columns hash to partition b (HashColumn, HashPartitionOf), exactly
// where a hash Exchange on those columns into num_buckets partitions would send them.
std::vector<std::vector<Batch>> SplitIntoBuckets(const Schema& schema, const BucketSpec& spec,
                                                 const std::vector<Batch>& rows);

// The layout an overwrite under `schema` keeps: `current` while its columns remain in the
// schema, else none.
BucketSpec KeptBuckets(const BucketSpec& current, const Schema& schema);

// The layout a warehouse (Iceberg) table keeps for `spec` (resolved against `schema`):
// bucketing by one column that Iceberg can bucket (vector/iceberg_hash.h IcebergHashable)
// becomes the partition field bucket[n](column), Iceberg's own bucketing, which other engines
// read and write too; bucketing by several columns, or by a column of another type, stays
// Sluice's layout (its hash, kept in the sluice.bucket-* table properties), because Iceberg
// has no bucket transform of several columns. Anything else is returned as it is.
BucketSpec WarehouseLayout(const Schema& schema, const BucketSpec& spec);

// The Iceberg bucketing of a table partitioned by `partition_by` (columns of `schema`): its
// column and bucket count when the partitioning is exactly one bucket[n] field of a column
// Iceberg can bucket, whoever wrote the table (CLUSTERED BY (k) INTO n BUCKETS, PARTITIONED
// BY (bucket(n, k)), another engine); not bucketed otherwise. Its rows are placed by
// Iceberg's bucket hash (PartitionHash::kIcebergBucket).
BucketSpec IcebergBucketsOf(const Schema& schema, const std::vector<PartitionColumn>& partition_by);

// "8 buckets by (k, d)" for EXPLAIN; "8 Iceberg buckets by (k)" for kIcebergBucket.
std::string DescribeBuckets(const BucketSpec& spec, PartitionHash hash = PartitionHash::kSluice);

}  // namespace sluice
