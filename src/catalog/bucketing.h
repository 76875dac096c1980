#pragma once

#include <string>
#include <vector>

#include "catalog/snapshot.h"
#include "vector/batch.h"

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

// "8 buckets by (k, d)" for EXPLAIN.
std::string DescribeBuckets(const BucketSpec& spec);

}  // namespace sluice
