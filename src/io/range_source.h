#pragma once

#include <cstdint>

#include "io/data_source.h"

namespace sluice {

// Generated rows: one BIGINT column `range` with start, start+step, ... < end (DuckDB's
// range(); generate_series includes `end`, the caller adjusts). Split in fixed-size chunks
// so the split count depends only on the row count.
class RangeSource : public DataSource {
 public:
  RangeSource(int64_t start, int64_t end, int64_t step, std::string column_name = "range");

  const Schema& schema() const override { return schema_; }
  int num_splits() const override;
  std::unique_ptr<BatchStream> Open(int split, const std::vector<int>& columns) const override;
  std::string Describe() const override;
  int64_t EstimatedBytes() const override { return rows_ * 8; }
  std::optional<int64_t> EstimatedRows() const override { return rows_; }

  static constexpr int64_t kRowsPerSplit = 1 << 20;

 private:
  Schema schema_;
  int64_t start_;
  int64_t step_;
  int64_t rows_;
};

}  // namespace sluice
