#pragma once

#include <string>
#include <vector>

#include "common/error.h"
#include "io/parquet_reader.h"
#include "io/parquet_writer.h"
#include "vector/batch.h"

namespace sluice::testing {

// Every column of every split of `source`, as rows of Values in split order.
inline std::vector<std::vector<Value>> ReadAllRows(const DataSource& source,
                                                   std::vector<int> columns = {}) {
  if (columns.empty()) {
    for (size_t i = 0; i < source.schema().size(); i++) columns.push_back(static_cast<int>(i));
  }
  std::vector<std::vector<Value>> rows;
  for (int s = 0; s < source.num_splits(); s++) {
    auto stream = source.Open(s, columns);
    Batch b;
    while (stream->Next(&b)) {
      for (size_t r = 0; r < b.num_rows(); r++) rows.push_back(b.GetRow(r));
    }
  }
  return rows;
}

// The message of the IOError that reading every row of the Parquet file at `path` throws,
// or "no error".
inline std::string ErrorOf(const std::string& path) {
  try {
    ReadAllRows(*ParquetSource::Open(path));
  } catch (const IOError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace sluice::testing
