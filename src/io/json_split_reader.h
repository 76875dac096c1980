#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "io/json_lines.h"
#include "io/json_reader.h"
#include "io/json_tokenizer.h"
#include "vector/batch_stream.h"

namespace sluice {

// Reads the lines of one JsonSplit into batches of up to kBatchSize rows holding the
// projected columns: each line is tokenized (no allocation), then its members are converted
// straight into the typed column buffers; keys are matched to columns by remembering the
// previous line's key order (usually the same) before falling back to a hash lookup.
// Errors name the file, line and column (byte offset in the line, or the key).
// REQUIRES: `schema` outlives the reader. One thread at a time (BatchStream).
class JsonSplitReader : public BatchStream {
 public:
  JsonSplitReader(const Schema& schema, const JsonScanFile& file, const JsonSplit& split,
                  std::vector<int> columns, int64_t max_line_size, bool records_as_text = false);
  bool Next(Batch* out) override;

 private:
  // Column of the schema for a member key, or -1.
  int Lookup(const JsonMember& member, size_t position);
  void ConvertMember(const JsonMember& member, int column, size_t row, int64_t line_offset);
  [[noreturn]] void ThrowConversion(const JsonMember& member, int column, int64_t line_offset);

  const Schema& schema_;
  // Emits each record's text (trimmed) as the one column (read_json_objects).
  bool NextRecordsAsText(Batch* out);

  std::unique_ptr<JsonRecordReader> lines_;
  bool records_as_text_;
  std::vector<int> columns_;
  std::vector<int> output_of_;  // schema column -> output position, or -1
  std::unordered_map<std::string, int> by_name_;
  std::vector<int> order_;  // column of the i-th member of the previous line
  std::vector<JsonMember> members_;
  std::vector<std::shared_ptr<Column>> batch_;
  std::vector<int64_t> stamp_;  // per output: last row (global count) that set it
  int64_t rows_seen_ = 0;
  std::string scratch_;
};

}  // namespace sluice
