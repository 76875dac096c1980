#pragma once

#include <memory>
#include <string>
#include <vector>

#include "catalog/snapshot.h"
#include "io/data_source.h"

namespace sluice {

// A bucketed table as a DataSource: one split per bucket, split b reading every split of
// the source that holds bucket b's rows (a TableSource over the bucket's files, or a
// MemoryTable). It declares hash_partition_columns(), so a scan of it is hash-partitioned on
// the bucket columns and joins and aggregates on them need no exchange. `hash` says which
// function placed the rows: Sluice's, or Iceberg's bucket transform (a table partitioned by
// bucket[n](k), whose NULL keys are read in bucket 0). Reads by reference like the bucket
// sources it wraps. Immutable; thread-safe.
class BucketedSource : public DataSource {
 public:
  // REQUIRES: buckets.size() == spec.num_buckets, each of `schema`; spec resolved against it.
  BucketedSource(std::string name, Schema schema, BucketSpec spec,
                 std::vector<std::shared_ptr<const DataSource>> buckets,
                 PartitionHash hash = PartitionHash::kSluice);

  const Schema& schema() const override { return schema_; }
  int num_splits() const override { return static_cast<int>(buckets_.size()); }
  std::unique_ptr<BatchStream> Open(int split, const std::vector<int>& columns) const override;
  // "table t (1000 rows, 8 buckets by (k))", ", 7 buckets skipped" when filters left nothing
  // to read in them; "memory table (...)" when `name` is empty.
  std::string Describe() const override;
  int64_t EstimatedBytes() const override;
  std::optional<int64_t> EstimatedRows() const override;
  std::vector<int> hash_partition_columns() const override { return columns_; }
  PartitionHash hash_partition_function() const override { return hash_; }
  const BucketSpec& spec() const { return spec_; }
  // Each bucket pruned by `conjuncts`; the bucket layout is kept. nullptr when no bucket
  // prunes anything.
  std::shared_ptr<const DataSource> WithFilters(
      const std::vector<ExprPtr>& conjuncts) const override;

 private:
  std::string name_;
  Schema schema_;
  BucketSpec spec_;
  std::vector<int> columns_;  // indices of spec_.columns in schema_
  std::vector<std::shared_ptr<const DataSource>> buckets_;
  PartitionHash hash_;
  int skipped_buckets_ = 0;  // buckets with files that WithFilters left none of
};

}  // namespace sluice
