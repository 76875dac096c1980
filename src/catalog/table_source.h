#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "catalog/partitioning.h"
#include "io/data_source.h"
#include "io/parquet_reader.h"

namespace sluice {

// The data files of one snapshot, opened (footers read): the splits are the row groups of
// every file, in file order. Immutable.
class SnapshotFiles {
 public:
  // Opens `paths` (absolute); a file `reuse` (null: none) already opened is not read again
  // (data files are immutable). Throws IOError when a file is missing or corrupt.
  explicit SnapshotFiles(const std::vector<std::string>& paths,
                         const SnapshotFiles* reuse = nullptr);

  // Sets each file's partition and column bounds (parallel to the paths; conjuncts are bound
  // over `schema`), so WithFilters and FilesMaybeMatching skip the files whose partition
  // values, then bounds, no row satisfying the conjuncts can have. REQUIRES: called before
  // the object is shared.
  void SetPartitions(Schema schema, std::vector<FilePartition> partitions);

  int num_splits() const { return static_cast<int>(splits_.size()); }
  std::unique_ptr<BatchStream> Open(int split, const std::vector<int>& columns) const;
  int64_t bytes() const { return bytes_; }
  // The same files with row groups (and whole files) pruned by the statistics in their
  // footers, each applying the conjuncts as it decodes (ParquetSource::WithFilters);
  // nullptr when no conjunct prunes or filters anything.
  std::shared_ptr<const SnapshotFiles> WithFilters(const std::vector<ExprPtr>& conjuncts) const;
  // The indices (in file order) of the files some row group of which may satisfy every
  // conjunct by its statistics: the files a write changing only such rows must rewrite.
  std::vector<int> FilesMaybeMatching(const std::vector<ExprPtr>& conjuncts) const;
  // The files at `indices` (all their row groups), in that order.
  std::shared_ptr<const SnapshotFiles> Subset(const std::vector<int>& indices) const;
  int num_files() const { return static_cast<int>(files_.size()); }
  // The smallest and largest value of `column` over every file's footer statistics
  // (ParquetSource::NumericRange); nullopt when a file has none.
  std::optional<std::pair<double, double>> NumericRange(int column) const;
  int64_t row_groups_total() const { return row_groups_total_; }
  int64_t row_groups_pruned() const { return row_groups_total_ - num_splits(); }
  int64_t files_skipped() const { return files_skipped_; }
  // Files left out by their partition values, and by their column bounds (WithFilters).
  int64_t partition_files_skipped() const { return partition_files_skipped_; }
  int64_t bounds_files_skipped() const { return bounds_files_skipped_; }

 private:
  SnapshotFiles() = default;
  void AddFile(std::shared_ptr<const ParquetSource> file, FilePartition partition = {});
  // Whether file `f`'s partition values may satisfy every conjunct.
  bool PartitionMayMatch(size_t f, const std::vector<ExprPtr>& conjuncts) const;
  // Whether file `f`'s column bounds may.
  bool BoundsMayMatch(size_t f, const std::vector<ExprPtr>& conjuncts) const;

  std::vector<std::shared_ptr<const ParquetSource>> files_;
  std::vector<std::pair<int, int>> splits_;  // (file, split of that file)
  int64_t bytes_ = 0;
  int64_t row_groups_total_ = 0;
  int64_t files_skipped_ = 0;
  int64_t partition_files_skipped_ = 0;
  int64_t bounds_files_skipped_ = 0;
  std::shared_ptr<const Schema> schema_;  // set with partitions_
  std::vector<FilePartition> partitions_;  // per file; empty: none partitioned
};

// A warehouse table as a DataSource, by reference: each scan reads the snapshot published
// last (Publish is the commit point for readers in this process). The split count is that
// of the snapshot current at planning; a split beyond the current snapshot reads nothing.
// Thread-safe.
class TableSource : public DataSource {
 public:
  TableSource(std::string name, Schema schema)
      : name_(std::move(name)), schema_(std::move(schema)) {}

  void Publish(std::shared_ptr<const SnapshotFiles> files, int64_t rows);

  const Schema& schema() const override { return schema_; }
  int num_splits() const override;
  std::unique_ptr<BatchStream> Open(int split, const std::vector<int>& columns) const override;
  std::string Describe() const override;
  int64_t EstimatedBytes() const override;
  std::optional<int64_t> EstimatedRows() const override;
  std::optional<std::pair<double, double>> NumericRange(int column) const override;
  // The snapshot current now, pinned, with its row groups and files pruned by `conjuncts`
  // (see SnapshotFiles::WithFilters); nullptr when nothing is pruned.
  std::shared_ptr<const DataSource> WithFilters(
      const std::vector<ExprPtr>& conjuncts) const override;

 private:
  std::shared_ptr<const SnapshotFiles> Files() const;

  std::string name_;
  Schema schema_;
  mutable std::mutex mutex_;
  std::shared_ptr<const SnapshotFiles> files_;  // null: no rows
  int64_t rows_ = 0;
};

}  // namespace sluice
