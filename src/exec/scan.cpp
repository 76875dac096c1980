#include "exec/scan.h"

#include <fmt/format.h>

namespace sluice {

std::string InMemoryScan::details() const {
  size_t rows = 0;
  for (const auto& p : *partitions_) {
    for (const auto& b : p) rows += b.num_rows();
  }
  return fmt::format("{} rows in {} partitions", rows, partitions_->size());
}

int64_t Scan::ExpectedInputRows(ExecContext&) const {
  if (std::optional<int64_t> rows = source_->EstimatedRows()) return *rows;
  int64_t row_bytes = 0;
  for (const Field& f : source_->schema().fields()) {
    row_bytes += f.type.id() == TypeId::kVarchar ? 12 : 6;
  }
  return source_->EstimatedBytes() / std::max<int64_t>(1, row_bytes);
}

int64_t InMemoryScan::ExpectedInputRows(ExecContext&) const {
  int64_t rows = 0;
  for (const auto& p : *partitions_) {
    for (const auto& b : p) rows += static_cast<int64_t>(b.num_rows());
  }
  return rows;
}

}  // namespace sluice
