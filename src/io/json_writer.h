#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "io/file.h"
#include "io/data_writer.h"
#include "vector/batch.h"
#include "vector/schema.h"

namespace sluice {

// The layout of a JSON array file as DuckDB writes it (COPY ... (FORMAT json, ARRAY true)):
// head, the objects joined by the separator, tail ("[\n\t\n]\n" when there are no rows).
inline constexpr std::string_view kJsonArrayHead = "[\n\t";
inline constexpr std::string_view kJsonArraySeparator = ",\n\t";
inline constexpr std::string_view kJsonArrayTail = "\n]\n";

// Writes batches as JSON lines (or, with `array`, one top-level array of them, see above):
// one object per row with the columns as keys in order; NULL as
// null, numbers and booleans unquoted (decimals in plain notation; non-finite doubles as
// null, which JSON cannot express), strings, dates, timestamps and intervals as strings.
// Atomic like CsvWriter: the file appears at `path` only on Close().
// Not thread-safe.
class JsonWriter : public DataSink {
 public:
  // Throws IOError when the temporary file cannot be created.
  JsonWriter(std::string path, Schema schema, bool array = false);
  ~JsonWriter();
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;

  // REQUIRES: batch has the writer's schema (column types).
  void Write(const Batch& batch) override;
  // Flushes, syncs and renames the file into place. REQUIRES: called once, last.
  void Close() override;
  int64_t rows_written() const { return rows_; }

 private:
  void AppendValue(const Column& column, size_t row);

  Schema schema_;
  std::vector<std::string> keys_;  // `"name":` per column, pre-escaped
  std::unique_ptr<AtomicFileWriter> file_;
  std::string buffer_;
  int64_t rows_ = 0;
  bool finished_ = false;
  bool array_;
};

// Appends the value at `row` of `column` to `out` as JsonWriter writes it (see above).
void AppendJsonValue(const Column& column, size_t row, std::string* out);

}  // namespace sluice
