#pragma once

// Helpers for shuffle/ unit tests: batches from rows of Values, rows back from batches, and
// a ShuffleWriter fake that records what a map task wrote.

#include <algorithm>
#include <string>
#include <vector>

#include "shuffle/shuffle_writer.h"
#include "types/value.h"
#include "vector/batch.h"
#include "vector/batch_stream.h"
#include "vector/schema.h"

namespace sluice::shuffle_test {

using Row = std::vector<Value>;

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

// A batch of `rows` in columns with room for `capacity` rows (at least rows.size()).
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

// Rows 0..n-1 of one BIGINT column holding `first`, `first`+1, ...
inline std::vector<Row> Sequence(int64_t first, int n) {
  std::vector<Row> rows;
  for (int i = 0; i < n; i++) rows.push_back({Value::BigInt(first + i)});
  return rows;
}

inline std::vector<std::string> RowsOf(const Batch& batch) {
  std::vector<std::string> out;
  for (size_t r = 0; r < batch.num_rows(); r++) {
    std::string line;
    for (const auto& v : batch.GetRow(r)) line += v.ToString() + "|";
    out.push_back(line);
  }
  return out;
}

inline std::vector<std::string> Drain(BatchStream& stream) {
  std::vector<std::string> out;
  Batch b;
  while (stream.Next(&b)) {
    for (auto& r : RowsOf(b)) out.push_back(std::move(r));
  }
  return out;
}

// Records every Write, and whether the writer was committed or aborted.
class RecordingWriter : public ShuffleWriter {
 public:
  struct Written {
    int partition;
    Batch batch;
  };
  void Write(int partition, Batch batch) override {
    writes.push_back({partition, std::move(batch)});
  }
  void Commit() override { committed = true; }
  void Abort() override {
    aborted = true;
    writes.clear();
  }

  std::vector<Written> writes;
  bool committed = false;
  bool aborted = false;
};

}  // namespace sluice::shuffle_test
