#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "catalog/file_table_store.h"

namespace sluice {

// A write to a FileTableStore: each sink writes Parquet data files of up to the store's
// target_file_rows rows (one open file per bucket of a bucketed table), cut at batch
// boundaries, and Commit commits the snapshot with the files of every sink in index order;
// sinks of few rows are written together at commit, so small writes make few files.
// The files are pending (invisible to readers, safe from garbage collection) until then;
// the destructor removes them when the write never committed.
// A sink destroyed without Close (a failed task attempt) contributes nothing; an index opened
// again (a retry) replaces what its earlier sink wrote, whose files are then collected as
// garbage after the commit. REQUIRES: every sink is destroyed before its writer.
class FileTableStore::Writer : public DataWriter {
 public:
  // `next`: the snapshot to commit, without the files this write adds (schema, buckets and
  // the files it keeps); `base`: the version its rows were computed from. With `append`, a
  // commit that finds another writer's snapshot after `base` appends to it instead of
  // failing.
  Writer(FileTableStore& store, Snapshot next, int64_t base, bool append);
  ~Writer() override;

  std::unique_ptr<DataSink> OpenSink(int index) override;
  void Commit() override;
  int64_t rows_written() const override { return rows_.load(); }
  // JSON: each closed sink's data files, and the rows of small sinks in Parquet files of
  // their own (read back and removed by the importer, which writes them at commit as one
  // process would). The importer reads each file's column metrics from its footer. Files of partitioned tables carry partition tuples, which do not
  // travel: REQUIRES an unpartitioned table (FileTableStore::WritableByEveryProcess).
  std::string ExportSinks() override;
  void ImportSinks(const std::string& exported) override;
  // Rows per data file of sinks opened from now on (instead of the store's setting).
  void SetTargetFileRows(int64_t rows) { target_file_rows_ = rows; }
  // Makes the write a compaction of the files `paths` (same rows, new files), which Commit
  // rebases over other writers' commits that kept those files.
  void SetReplaced(std::vector<std::string> paths) { replaced_ = std::move(paths); }

 private:
  class Sink;

  FileTableStore& store_;
  Snapshot next_;
  const int64_t base_;
  const bool append_;
  int64_t target_file_rows_;
  std::optional<std::vector<std::string>> replaced_;
  std::atomic<int64_t> rows_{0};
  std::mutex mutex_;  // guards what follows
  PendingWrite write_;
  // The files of each closed sink (tagged with their bucket), in the order written.
  std::map<int, std::vector<Snapshot::DataFile>> files_;
  // The rows of closed sinks too small to write files of their own, written at commit.
  std::map<int, std::vector<Batch>> small_;
  // The sink index of those rows: after every task's.
  static constexpr int kSmallRowsIndex = 1 << 30;
  bool committed_ = false;
  bool exported_ = false;  // another process's writer owns this one's files
};

}  // namespace sluice
