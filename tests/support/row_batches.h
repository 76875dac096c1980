#pragma once

// Batches from rows of Values and rows back from batches, for unit tests of any module at or
// above vector/ (plan, shuffle, exec, physical). Header-only; include as
// "tests/support/row_batches.h" (test targets put the project root on their include path).

#include <algorithm>
#include <string>
#include <vector>

#include "types/value.h"
#include "vector/batch.h"
#include "vector/batch_stream.h"
#include "vector/schema.h"

namespace sluice::test_support {

using Row = std::vector<Value>;

// Columns c0, c1, ... of the given types, all nullable.
inline Schema MakeSchema(const std::vector<LogicalType>& types) {
  Schema schema;
  for (size_t i = 0; i < types.size(); i++) {
    Field f;
    f.name = "c" + std::to_string(i);
    f.type = types[i];
    schema.Add(f);
  }
  return schema;
}

// A batch of `rows` (NULL Values allowed) in columns with room for `capacity` rows (at least
// rows.size()).
inline Batch MakeBatch(const std::vector<LogicalType>& types, const std::vector<Row>& rows,
                       size_t capacity = 0) {
  std::vector<ColumnPtr> columns;
  for (size_t c = 0; c < types.size(); c++) {
    auto col = Column::Make(types[c], std::max({rows.size(), capacity, size_t{1}}));
    for (size_t r = 0; r < rows.size(); r++) col->SetValue(r, rows[r][c]);
    col->set_size(rows.size());
    columns.push_back(std::move(col));
  }
  return Batch(std::move(columns), rows.size());
}

// Splits rows into batches of at most `batch_rows`.
inline std::vector<Batch> MakeBatches(const std::vector<LogicalType>& types,
                                      const std::vector<Row>& rows, size_t batch_rows = 1000) {
  std::vector<Batch> batches;
  for (size_t start = 0; start < rows.size(); start += batch_rows) {
    const size_t end = std::min(rows.size(), start + batch_rows);
    batches.push_back(MakeBatch(types, std::vector<Row>(rows.begin() + start, rows.begin() + end)));
  }
  return batches;
}

// One row as "v1|v2|...|".
inline std::string RowString(const Row& row) {
  std::string line;
  for (const auto& v : row) line += v.ToString() + "|";
  return line;
}

inline std::vector<std::string> RowsOf(const Batch& batch) {
  std::vector<std::string> out;
  for (size_t r = 0; r < batch.num_rows(); r++) out.push_back(RowString(batch.GetRow(r)));
  return out;
}

// Every row `stream` yields, as RowString lines, in order.
inline std::vector<std::string> Drain(BatchStream& stream) {
  std::vector<std::string> out;
  Batch b;
  while (stream.Next(&b)) {
    for (auto& r : RowsOf(b)) out.push_back(std::move(r));
  }
  return out;
}

// Rows as sorted RowString lines, for order-insensitive comparisons.
inline std::vector<std::string> Canonical(const std::vector<Row>& rows) {
  std::vector<std::string> out;
  for (const auto& row : rows) out.push_back(RowString(row));
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace sluice::test_support
