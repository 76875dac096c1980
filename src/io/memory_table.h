#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "io/data_source.h"

namespace sluice {

// A table held in memory (CREATE TABLE in a session without a warehouse). Plans scan it
// by reference, so views and later queries see rows inserted after they were bound, as
// they would in DuckDB. Replacing the rows swaps an immutable snapshot: a running scan
// keeps reading the snapshot it opened. Thread-safe.
class MemoryTable : public DataSource {
 public:
  MemoryTable(Schema schema, std::vector<Batch> rows);

  const Schema& schema() const override { return schema_; }
  int num_splits() const override;
  std::unique_ptr<BatchStream> Open(int split, const std::vector<int>& columns) const override;
  std::string Describe() const override;
  int64_t EstimatedBytes() const override;
  std::optional<int64_t> EstimatedRows() const override;

  void Replace(std::vector<Batch> rows);

  // Batches per split: small tables are one split; larger ones are scanned in parallel.
  static constexpr size_t kBatchesPerSplit = 64;

 private:
  std::shared_ptr<const std::vector<Batch>> Snapshot() const;

  Schema schema_;
  mutable std::mutex mutex_;
  std::shared_ptr<const std::vector<Batch>> rows_;
};

}  // namespace sluice
