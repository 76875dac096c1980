#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "vector/batch.h"
#include "vector/schema.h"

namespace sluice {

// Writes batches into one file of some format (CsvWriter, JsonWriter, ParquetWriter, or a
// registered FileFormat's own). The file appears at its path only on Finish(); a writer
// destroyed without Finish leaves any previous file intact. Not thread-safe: one per task.
class FileWriter {
 public:
  virtual ~FileWriter() = default;
  // REQUIRES: batch has the writer's schema (column types).
  virtual void Append(const Batch& batch) = 0;
  // Completes the file and moves it into place. REQUIRES: called once, last.
  virtual void Finish() = 0;
  virtual int64_t rows_written() const = 0;
};

// Files of one format with its options chosen: the ending of the files a directory write
// names (".parquet") and how to open the writer of one file. `open` must be thread-safe.
struct FileTarget {
  std::string extension;
  std::function<std::unique_ptr<FileWriter>(const std::string& path, const Schema& schema)> open;
};

}  // namespace sluice
