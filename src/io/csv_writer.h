#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "io/file.h"
#include "io/data_writer.h"
#include "vector/batch.h"
#include "vector/schema.h"

namespace sluice {

struct CsvWriteOptions {
  char delimiter = ',';
  char quote = '"';
  bool header = true;
  // Written (unquoted) for NULL. Strings equal to it, and empty strings, are quoted so that
  // CsvSource reads them back as strings and not as NULL.
  std::string null_string;
};

// Writes batches as an RFC 4180 CSV file: fields quoted when they hold the delimiter, the
// quote or a line break (quotes doubled), dates and timestamps ISO, doubles in shortest
// round-trip form, decimals plain, booleans true/false. The file appears at `path` only on
// Close(): until then rows go to a temporary file beside it, which is removed if the writer
// is destroyed without Close (so a failed query leaves any previous file intact).
// Not thread-safe.
class CsvWriter : public DataSink {
 public:
  // Throws IOError when the temporary file cannot be created.
  CsvWriter(std::string path, Schema schema, CsvWriteOptions options = {});
  ~CsvWriter();
  CsvWriter(const CsvWriter&) = delete;
  CsvWriter& operator=(const CsvWriter&) = delete;

  // REQUIRES: batch has the writer's schema (column types).
  void Write(const Batch& batch) override;
  // Flushes, syncs and renames the file into place. REQUIRES: called once, last.
  void Close() override;
  int64_t rows_written() const { return rows_; }

  // The first line a writer with `options` writes for `schema` ("" without a header).
  static std::string HeaderLine(const Schema& schema, const CsvWriteOptions& options);

 private:
  void AppendValue(const Column& column, size_t row);
  void AppendString(std::string_view text);
  void FlushIfFull();

  Schema schema_;
  CsvWriteOptions options_;
  std::unique_ptr<AtomicFileWriter> file_;
  std::string buffer_;
  int64_t rows_ = 0;
  bool finished_ = false;
};

}  // namespace sluice
