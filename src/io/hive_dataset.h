#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "io/data_source.h"

namespace sluice {

// Whether directories named key=value become columns: auto (when every file lies under
// such directories below the pattern's fixed prefix), always, or never.
enum class HivePartitioning { kAuto, kOn, kOff };

// Opens one file (or the whole pattern) of some format as a DataSource.
using SourceOpener = std::function<std::unique_ptr<DataSource>(const std::string& path)>;

// The key=value directory segments of `path` below `root`, values unescaped (%XX); the value
// __HIVE_DEFAULT_PARTITION__ (NULL) is returned as is.
std::vector<std::pair<std::string, std::string>> HivePartitionsOf(const std::string& root,
                                                                  const std::string& path);
// `key=value` with the characters a path cannot hold (and '%', '=') escaped as %XX; a NULL
// value is __HIVE_DEFAULT_PARTITION__. Inverse of the parsing above.
std::string HivePathSegment(const std::string& key, const Value& value);
inline constexpr char kHiveNullPartition[] = "__HIVE_DEFAULT_PARTITION__";

// Files in Hive-style partition directories (root/date=2026-01-01/region=eu/part-0.parquet)
// as one DataSource: the columns of the files (types widened across files when they were
// inferred differently), then one column per partition key with the file's value, typed by
// inference over all values (BIGINT, DATE, else VARCHAR). Each file is its own source;
// WithFilters drops the files whose partition values fail a conjunct on partition columns
// alone and hands the conjuncts on file columns to the remaining files' sources (row-group
// pruning). Thread-safe after Open; the streams it returns must not outlive it.
class HiveDataset : public DataSource {
 public:
  // Throws what `open` throws; InvalidInputError when the files' partition keys or columns
  // differ.
  static std::unique_ptr<HiveDataset> Open(const std::string& pattern, const std::string& root,
                                           const std::vector<std::string>& paths,
                                           const SourceOpener& open);

  const Schema& schema() const override { return schema_; }
  int num_splits() const override { return static_cast<int>(splits_.size()); }
  std::unique_ptr<BatchStream> Open(int split, const std::vector<int>& columns) const override;
  // "parquet 'out' (hive partitions date DATE, region VARCHAR; 6 files, 4 pruned by partition
  // filters; 3 row groups, 1 pruned by statistics)".
  std::string Describe() const override;
  int64_t EstimatedBytes() const override;
  std::optional<int64_t> EstimatedRows() const override;
  std::shared_ptr<const DataSource> WithFilters(
      const std::vector<ExprPtr>& conjuncts) const override;

  int64_t files_total() const { return files_total_; }
  int64_t files_pruned() const { return files_total_ - static_cast<int64_t>(files_.size()); }

 private:
  HiveDataset() = default;
  void BuildSplits();

  struct File {
    std::string path;
    std::shared_ptr<const DataSource> source;
    std::vector<Value> partition;  // per partition key, of the partition column's type
  };
  struct Split {
    int file;
    int split;
  };

  std::string pattern_;
  std::string format_;  // first word of a file source's Describe()
  std::vector<File> files_;
  std::vector<Split> splits_;
  Schema schema_;
  size_t num_file_columns_ = 0;
  int64_t files_total_ = 0;
};

// Opens `pattern` (path, directory or glob): one source over all files from `open`, or — when
// `mode` asks for it and the files lie in key=value directories — a HiveDataset over one
// source per file. Throws IOError when nothing matches.
std::unique_ptr<DataSource> OpenDataset(const std::string& pattern, HivePartitioning mode,
                                        const SourceOpener& open);

}  // namespace sluice
