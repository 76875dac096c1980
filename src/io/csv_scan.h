#pragma once

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "io/csv_convert.h"
#include "io/csv_sniffer.h"
#include "vector/schema.h"

namespace sluice {

// Where rows skipped under ignore_errors go: a counter, and optionally a CSV file with one
// line per row (file, line, column, error, raw_line). Thread-safe: splits report at once.
class CsvRejects {
 public:
  // `path` empty: only count. Otherwise creates (truncates) the file and writes its header.
  explicit CsvRejects(const std::string& path);
  ~CsvRejects();
  CsvRejects(const CsvRejects&) = delete;
  CsvRejects& operator=(const CsvRejects&) = delete;

  // `column` is 1-based, 0 when the error is not about one column.
  void Add(const std::string& file, int64_t line, int64_t column, const std::string& error,
           std::string_view raw_line);
  int64_t count() const { return count_.load(std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> count_{0};
  std::mutex mutex_;
  std::FILE* out_ = nullptr;
  std::string path_;
};

// What every split of one CSV scan shares. Immutable during the scan except `rejects`.
struct CsvScanContext {
  Schema schema;
  std::vector<std::string> null_strings;
  bool ignore_errors = false;
  int64_t max_line_size = 0;
  TemporalFormat date_format;
  TemporalFormat timestamp_format;
  CsvRejects* rejects = nullptr;
};

// One file of a scan.
struct CsvScanFile {
  std::string path;
  int64_t size = 0;
  CsvFileLayout layout;
};

// A byte range of one file. The split owns the rows whose first byte lies in (begin, end],
// or [begin, end] for the first split of a file (begin == layout.data_start).
struct CsvSplit {
  int file = 0;
  int64_t begin = 0;
  int64_t end = 0;
  bool first_in_file = true;
};

}  // namespace sluice
