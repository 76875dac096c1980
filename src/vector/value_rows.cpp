#include "vector/value_rows.h"

#include <algorithm>

namespace sluice {

std::vector<Batch> BatchesFromRows(const Schema& schema, const std::vector<std::vector<Value>>& rows) {
  std::vector<Batch> batches;
  for (size_t start = 0; start < rows.size(); start += kBatchSize) {
    const size_t n = std::min(kBatchSize, rows.size() - start);
    std::vector<ColumnPtr> columns;
    for (size_t c = 0; c < schema.size(); c++) {
      auto column = Column::Make(schema.field(c).type, n);
      for (size_t r = 0; r < n; r++) column->SetValue(r, rows[start + r][c]);
      column->set_size(n);
      columns.push_back(std::move(column));
    }
    batches.emplace_back(std::move(columns), n);
  }
  return batches;
}

std::vector<std::vector<Value>> RowsFromBatches(const std::vector<Batch>& batches) {
  std::vector<std::vector<Value>> rows;
  for (const auto& b : batches) {
    for (size_t r = 0; r < b.num_rows(); r++) {
      std::vector<Value> row;
      row.reserve(b.num_columns());
      for (size_t c = 0; c < b.num_columns(); c++) row.push_back(b.column(c)->GetValue(r));
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

}  // namespace sluice
