#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "io/data_source.h"
#include "io/json_record_reader.h"

namespace sluice {

struct JsonReadOptions {
  // Lines read (over all files, at least 100 per file) to infer the columns and their types.
  int64_t sample_rows = 20480;
  // Byte-range split size; a file smaller than this is one split.
  int64_t target_split_bytes = 32 << 20;
  // A line longer than this is an error (guards against a file that is not JSON lines).
  int64_t max_line_size = 64 << 20;
  // Given: these columns (keys) and types, no inference; other keys are ignored.
  std::optional<Schema> schema;
  // How records are laid out; kAuto decides per file (DetectJsonRecordFormat).
  JsonRecordFormat format = JsonRecordFormat::kAuto;
  // read_json_objects: one column `json` holding each record's text as written.
  bool records_as_text = false;
};

// One file of a JSON lines scan.
struct JsonScanFile {
  std::string path;
  int64_t size = 0;
  JsonRecordFormat format = JsonRecordFormat::kNewlineDelimited;  // never kAuto
};

// A reader of the records of `file` whose first byte lies in [begin, end) (the whole file for
// formats other than newline-delimited).
std::unique_ptr<JsonRecordReader> OpenJsonRecords(const JsonScanFile& file, int64_t begin,
                                                  int64_t end, int64_t max_object_size);

// The lines of one file whose first byte lies in [begin, end).
struct JsonSplit {
  int file = 0;
  int64_t begin = 0;
  int64_t end = 0;
};

// JSON objects (a path, directory or glob; newline-delimited, a top-level array or
// pretty-printed, see JsonRecordFormat) as a DataSource. Each key is a
// column, in order of first appearance in the sample; types are inferred from the sample:
// BOOLEAN, BIGINT, DOUBLE, DATE / TIMESTAMP (strings that all parse as such), else VARCHAR;
// nested objects and arrays are VARCHAR holding their JSON text. A missing key or null is
// NULL; keys not in the schema are ignored. Files are cut into byte-range splits of about
// target_split_bytes (JSON lines cannot hold a raw newline, so any line start is a row start);
// files of the other formats are one split each.
// Thread-safe after Open; the streams it returns must not outlive it.
class JsonSource : public DataSource {
 public:
  // Throws IOError (no file), InvalidInputError (bad JSON in the sample, naming file, line and
  // column; no columns found).
  static std::unique_ptr<JsonSource> Open(const std::string& path_or_glob,
                                          const JsonReadOptions& options = {});

  const Schema& schema() const override { return schema_; }
  int num_splits() const override { return static_cast<int>(splits_.size()); }
  std::unique_ptr<BatchStream> Open(int split, const std::vector<int>& columns) const override;
  // "json 'x/*.jsonl' (3 files, 1.2 GiB)".
  std::string Describe() const override;
  int64_t EstimatedBytes() const override { return total_bytes_; }

  const std::vector<JsonScanFile>& files() const { return files_; }

 private:
  JsonSource() = default;
  void BuildSplits(int64_t target_split_bytes);

  std::string pattern_;
  std::vector<JsonScanFile> files_;
  std::vector<JsonSplit> splits_;
  Schema schema_;
  int64_t max_line_size_ = 0;
  int64_t total_bytes_ = 0;
  bool records_as_text_ = false;
};

}  // namespace sluice
