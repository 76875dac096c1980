#pragma once

#include <cstdint>
#include <vector>

#include "vector/column.h"
#include "vector/schema.h"

namespace sluice {

// Rows per batch that operators aim for; a batch may hold fewer (never zero from a stream).
inline constexpr size_t kBatchSize = 2048;

// A horizontal slice of a relation: equally long columns. Batches are values that share
// their (immutable) columns, so copying one is cheap.
class Batch {
 public:
  Batch() = default;
  Batch(std::vector<ColumnPtr> columns, size_t num_rows)
      : columns_(std::move(columns)), num_rows_(num_rows) {}

  size_t num_rows() const { return num_rows_; }
  size_t num_columns() const { return columns_.size(); }
  const ColumnPtr& column(size_t i) const { return columns_[i]; }
  const std::vector<ColumnPtr>& columns() const { return columns_; }
  std::vector<ColumnPtr>& mutable_columns() { return columns_; }

  // The columns at `indices`, in that order (no data copied).
  Batch Project(const std::vector<int>& indices) const;
  // The rows sel[0..n), copied into new columns.
  Batch Gather(const uint32_t* sel, size_t n) const;
  Batch Slice(size_t offset, size_t n) const;
  // Bytes held by the columns, for exchange statistics and memory accounting.
  size_t MemoryBytes() const;

  // Rows as Values (slow; tests and collect()).
  std::vector<Value> GetRow(size_t row) const;

 private:
  std::vector<ColumnPtr> columns_;
  size_t num_rows_ = 0;
};

// Builds batches of up to kBatchSize rows from appended rows of other batches (used by
// operators that emit rows in an order of their own: exchange readers, sorts, joins).
class BatchBuilder {
 public:
  explicit BatchBuilder(const Schema& schema, size_t target_rows = kBatchSize);
  // Appends rows [offset, offset+n) of `batch` (same schema).
  void Append(const Batch& batch, size_t offset, size_t n);
  // Appends rows sel[0..n) of `batch`.
  void AppendSelected(const Batch& batch, const uint32_t* sel, size_t n);
  size_t num_rows() const { return rows_; }
  bool Full() const { return rows_ >= target_rows_; }
  // Returns the accumulated rows as a batch and starts a new one.
  Batch Finish();

 private:
  void Start();
  std::vector<LogicalType> types_;
  size_t target_rows_;
  std::vector<std::shared_ptr<Column>> columns_;
  size_t rows_ = 0;
};

}  // namespace sluice
