#pragma once

#include <algorithm>
#include <memory>
#include <vector>

#include "exec/input_progress.h"
#include "exec/operator.h"
#include "io/data_source.h"

namespace sluice {

// Reads a DataSource: one partition per split, only the projected columns.
class Scan : public PhysicalOperator {
 public:
  Scan(std::shared_ptr<const DataSource> source, std::vector<int> columns, Schema schema)
      : PhysicalOperator(std::move(schema), std::vector<PhysicalOperatorPtr>{}), source_(std::move(source)),
        columns_(std::move(columns)) {}

  std::string name() const override { return "Scan"; }
  std::string details() const override { return source_->Describe(); }
  // A bucketed source whose bucket columns are all read is hash-partitioned on them.
  Partitioning output_partitioning() const override {
    const int splits = std::max(1, source_->num_splits());
    const std::vector<int> bucket_columns = source_->hash_partition_columns();
    if (bucket_columns.empty()) return Partitioning::Unknown(splits);
    std::vector<int> keys;
    for (int column : bucket_columns) {
      const auto it = std::find(columns_.begin(), columns_.end(), column);
      if (it == columns_.end()) return Partitioning::Unknown(splits);
      keys.push_back(static_cast<int>(it - columns_.begin()));
    }
    return Partitioning::Hash(std::move(keys), splits, source_->hash_partition_function());
  }
  std::unique_ptr<BatchStream> Execute(int partition, ExecContext& ctx) const override {
    if (source_->num_splits() == 0) return std::make_unique<EmptyStream>();
    return ReportInputRows(source_->Open(partition, columns_), ctx);
  }
  // The source's row count, else its bytes over a guess of a row's bytes (text files).
  int64_t ExpectedInputRows(ExecContext& ctx) const override;

 private:
  std::shared_ptr<const DataSource> source_;
  std::vector<int> columns_;
};

// Serves batches held in memory (VALUES, cached results, in-memory tables) as one
// partition per stored partition.
class InMemoryScan : public PhysicalOperator {
 public:
  InMemoryScan(Schema schema, std::shared_ptr<const std::vector<std::vector<Batch>>> partitions)
      : PhysicalOperator(std::move(schema), std::vector<PhysicalOperatorPtr>{}), partitions_(std::move(partitions)) {}

  std::string name() const override { return "InMemoryScan"; }
  std::string details() const override;
  Partitioning output_partitioning() const override {
    return Partitioning::Unknown(std::max<int>(1, static_cast<int>(partitions_->size())));
  }
  std::unique_ptr<BatchStream> Execute(int partition, ExecContext& ctx) const override {
    if (partitions_->empty()) return std::make_unique<EmptyStream>();
    return ReportInputRows(std::make_unique<VectorStream>((*partitions_)[partition]), ctx);
  }
  int64_t ExpectedInputRows(ExecContext& ctx) const override;

 private:
  std::shared_ptr<const std::vector<std::vector<Batch>>> partitions_;
};

}  // namespace sluice
