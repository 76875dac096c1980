#pragma once

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
// A write writes new data files and the next snapshot file, then replaces `_current` by an
// atomic rename: that rename is the commit. Files of the current and the previous snapshot
// are kept (a reader in another process may still be reading the previous one); older
// files, and anything an interrupted write left behind, are removed on commit and on open.
// Several processes may write one table: a commit holds an flock on the directory, checks
// that `_current` is still the snapshot the write started from (else rebases an Append or
// fails with WriteConflictError), and data files not yet committed are marked
// `data/part-<id>.pending` so that no other process collects them.
class FileTableStore : public TableStore {
 public:
  // Opens the table at `dir` and cleans leftovers. Throws IOError when `dir` holds no
  // committed snapshot or it is corrupt.
  static std::unique_ptr<FileTableStore> Open(const std::string& dir, const std::string& name);
  // Creates the table at `dir` (which must not hold a table) and commits `rows` as snapshot 1.
  static std::unique_ptr<FileTableStore> Create(const std::string& dir, const std::string& name,
                                                const Schema& schema,
                                                const std::vector<Batch>& rows,
                                                const BucketSpec& buckets = {});
  // True when `dir` holds a committed table.
  static bool IsTable(const std::string& dir);

  Snapshot Current() const override;
  std::shared_ptr<const DataSource> Source() const override;
  void Append(const std::vector<Batch>& rows) override;
  void Overwrite(const Schema& schema, const std::vector<Batch>& rows) override;
  void Replace(const Schema& schema, const BucketSpec& buckets,
               const std::vector<Batch>& rows) override;

  // Rows per Parquet row group (a scan split).
  static constexpr int64_t kRowGroupRows = 122880;

 private:
  FileTableStore(std::string dir, std::string name)
      : dir_(std::move(dir)), name_(std::move(name)) {}

  // Writes `rows` as new data files; returns them (relative paths). Nothing is committed.
  std::vector<Snapshot::DataFile> WriteFiles(const Schema& schema, const std::vector<Batch>& rows);
  // Commits `next` (version = current + 1) and makes it visible to readers. When another
  // process committed since current_ was read, rebases onto its snapshot if `appended` (the
  // files `next` adds) is given, else throws WriteConflictError; on any failure the files
  // written for `next` are removed.
  void Commit(Snapshot next, const std::vector<Snapshot::DataFile>* appended);
  // Removes the data files (and pending markers) written and not committed.
  void DiscardWrites();
  // Writes `rows` as new data files of `next`'s layout: WriteFiles per bucket of a bucketed
  // table, each file tagged with its bucket. Nothing is committed.
  std::vector<Snapshot::DataFile> WriteSnapshotFiles(const Snapshot& next,
                                                     const std::vector<Batch>& rows);
  void PublishCurrent();
  // Publishes the files of each bucket of a bucketed current_ to bucketed_source_.
  void PublishBuckets();
  // Removes data and snapshot files belonging to neither the current nor the previous
  // snapshot, and temporary files of interrupted writes. REQUIRES: the CommitLock is held.
  void CollectGarbage();

  std::string dir_;
  std::string name_;
  mutable std::mutex mutex_;
  Snapshot current_;
  std::shared_ptr<TableSource> source_;
  // Bucketed tables: what Source() returns, one TableSource per bucket inside.
  std::shared_ptr<BucketedSource> bucketed_source_;
  std::vector<std::shared_ptr<TableSource>> bucket_sources_;
  // Absolute paths of the data files and pending markers of the write in progress.
  std::vector<std::string> written_;
  std::vector<std::string> pending_;
};

}  // namespace sluice
