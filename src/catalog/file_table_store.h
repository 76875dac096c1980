#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "catalog/bucketed_source.h"
#include "catalog/table_source.h"
#include "catalog/table_store.h"

namespace sluice {

// A table stored in a directory:
//   <dir>/data/part-<id>.parquet     data files (immutable once written; a bucketed table's
//                                    files hold one bucket each, named in the snapshot)
//   <dir>/_snapshots/v<N>.json       snapshot N: schema, files, row count
//   <dir>/_current                   "N": the committed snapshot
// A write (a Writer: rows stream in through sinks) writes new data files (a new file every
// target_file_rows rows of a sink) and the next snapshot file, then replaces `_current` by
// an atomic rename: that rename is the commit.
// UPDATE, DELETE and MERGE copy on write per file (PlanRewrite/Rewrite): the next snapshot
// keeps listing the files a statement did not change. Files of the current and the previous
// snapshot are kept (a reader in another process may still be reading the previous one);
// older files, and anything an interrupted write left behind, are removed on commit and on
// open. Data files are written without any lock. Several processes (and threads) may write
// one table: a commit holds an flock on the directory, checks that `_current` is still the
// snapshot the write started from (else rebases an Append or fails with
// WriteConflictError), and data files not yet committed are marked
// `data/part-<id>.pending` so that no other process collects them.
class FileTableStore : public TableStore {
 public:
  // Opens the table at `dir` and cleans leftovers. Throws IOError when `dir` holds no
  // committed snapshot or it is corrupt.
  static std::unique_ptr<FileTableStore> Open(const std::string& dir, const std::string& name,
                                              int64_t target_file_rows = kTargetFileRows);
  // The table at `dir` (which must not hold a table; anything there is removed) with no
  // snapshot yet: the first commit (a BeginReplace writer) creates it.
  static std::unique_ptr<FileTableStore> Prepare(const std::string& dir, const std::string& name,
                                                 const Schema& schema,
                                                 const BucketSpec& buckets = {},
                                                 int64_t target_file_rows = kTargetFileRows);
  // Creates the table at `dir` (which must not hold a table) and commits `rows` as snapshot 1.
  static std::unique_ptr<FileTableStore> Create(const std::string& dir, const std::string& name,
                                                const Schema& schema,
                                                const std::vector<Batch>& rows,
                                                const BucketSpec& buckets = {},
                                                int64_t target_file_rows = kTargetFileRows);
  // True when `dir` holds a committed table.
  static bool IsTable(const std::string& dir);

  Snapshot Current() const override;
  std::shared_ptr<const DataSource> Source() const override;
  std::unique_ptr<DataWriter> BeginAppend() override;
  std::unique_ptr<DataWriter> BeginReplace(const Schema& schema,
                                            const BucketSpec& buckets) override;
  TableRewrite PlanRewrite(const std::vector<ExprPtr>& conjuncts) const override;
  std::unique_ptr<DataWriter> BeginRewrite(const TableRewrite& rewrite) override;
  void SetTargetFileRows(int64_t rows) override;

  // Rows per Parquet row group (a scan split).
  static constexpr int64_t kRowGroupRows = 122880;
  // Rows per data file by default: a write starts a new file after this many rows.
  static constexpr int64_t kTargetFileRows = int64_t{1} << 20;

 private:
  // The data files of one write not yet committed (absolute paths of the files and of
  // their pending markers): removed unless the commit succeeds.
  struct PendingWrite {
    std::vector<std::string> written;
    std::vector<std::string> pending;
  };

  FileTableStore(std::string dir, std::string name)
      : dir_(std::move(dir)), name_(std::move(name)) {}

  class Writer;  // file_table_writer.cpp

  // A new data file of `write` (relative path "data/part-<id>.parquet"), marked pending
  // under the flock so that no garbage collection takes it. The caller writes it.
  std::string NewDataFile(PendingWrite* write);
  // Commits `next` as the successor of snapshot `base` and makes it visible to readers. When
  // another writer committed since `base`, rebases onto its snapshot if `appended` (the
  // files `next` adds) is given, else throws WriteConflictError; on any failure the files
  // of `write` are removed.
  void Commit(Snapshot next, int64_t base, const std::vector<Snapshot::DataFile>* appended,
              PendingWrite* write);
  // Removes the data files (and pending markers) of `write`.
  static void DiscardWrites(PendingWrite* write);
  void PublishCurrent();
  // Publishes the files of each bucket of a bucketed current_ to bucketed_source_.
  void PublishBuckets();
  // Removes data and snapshot files belonging to neither the current nor the previous
  // snapshot, and temporary files of interrupted writes. REQUIRES: the CommitLock is held.
  void CollectGarbage();

  std::string dir_;
  std::string name_;
  std::atomic<int64_t> target_file_rows_ = kTargetFileRows;
  // Serializes the commits of this process (the flock serializes processes), so that
  // snapshots are published in commit order.
  std::mutex commit_mutex_;
  mutable std::mutex mutex_;  // guards what follows
  Snapshot current_;
  // The snapshot published to readers last (current_ once a commit has published it), and
  // its data files, opened, in published_.files order (null: none).
  Snapshot published_;
  std::shared_ptr<const SnapshotFiles> current_files_;
  std::shared_ptr<TableSource> source_;
  // Bucketed tables: what Source() returns, one TableSource per bucket inside.
  std::shared_ptr<BucketedSource> bucketed_source_;
  std::vector<std::shared_ptr<TableSource>> bucket_sources_;
};

}  // namespace sluice
