#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "io/csv_options.h"
#include "io/csv_scan.h"
#include "io/data_source.h"

namespace sluice {

// CSV files (a path, directory or glob) as a DataSource. Open sniffs every file (dialect and
// header from the first non-empty one, names and types from each, which must agree) and
// cuts each file into byte-range splits of about options.target_split_bytes (one split for a
// file whose sample has quoted newlines). Each split reads the rows that start inside it,
// so every row is read exactly once whatever the split size.
// Thread-safe after Open; the streams it returns must not outlive it.
class CsvSource : public DataSource {
 public:
  // Throws IOError (no file, unreadable), InvalidInputError (options that do not fit).
  static std::unique_ptr<CsvSource> Open(const std::string& path_or_glob,
                                         const CsvOptions& options);

  const Schema& schema() const override { return context_.schema; }
  int num_splits() const override { return static_cast<int>(splits_.size()); }
  std::unique_ptr<BatchStream> Open(int split, const std::vector<int>& columns) const override;
  std::string Describe() const override;
  int64_t EstimatedBytes() const override { return total_bytes_; }

  // Rows skipped under ignore_errors so far, over all splits.
  int64_t rejected_rows() const { return rejects_->count(); }
  // What was detected (or given) for the files' format.
  const CsvDialect& dialect() const { return dialect_; }
  bool header() const { return header_; }
  const std::vector<std::string>& files() const { return paths_; }

 private:
  CsvSource() = default;
  void BuildSplits(int64_t target_split_bytes);

  std::string pattern_;
  std::vector<std::string> paths_;
  std::vector<CsvScanFile> files_;
  std::vector<CsvSplit> splits_;
  std::unique_ptr<CsvRejects> rejects_;
  CsvScanContext context_;
  CsvDialect dialect_;
  bool header_ = false;
  int64_t total_bytes_ = 0;
};

}  // namespace sluice
