#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "catalog/bucketed_source.h"
#include "catalog/commit_lock.h"
#include "catalog/iceberg_commit.h"
#include "catalog/table_pointer.h"
#include "catalog/table_source.h"
#include "catalog/table_store.h"

namespace sluice {

// A table stored in a directory as an Apache Iceberg v2 table (layout: catalog/
// iceberg_commit.h): Parquet data files with field ids, Avro manifests and manifest lists, and
// metadata/v<N>.metadata.json. Its TablePointer records the current metadata file: the
// warehouse's SQL catalog row, or metadata/version-hint.text for a table of a directory alone.
// A write (a Writer: rows stream in through sinks) writes new data files (a new file every
// target_file_rows rows of a sink), then commits: under an flock on the directory it writes
// the manifests, the manifest list and the next metadata file, and swaps the pointer from the
// metadata file the write started from to the new one. That compare-and-swap is the commit: a
// crash before it leaves the old snapshot current (its files become garbage), after it the new.
// When another writer committed meanwhile, an Append is rebased onto its snapshot and retried
// (appends never conflict); any other write fails with WriteConflictError.
// UPDATE, DELETE and MERGE copy on write per file (PlanRewrite/Rewrite): the next snapshot
// keeps listing the files a statement did not change. The snapshots kept (the current and the
// previous one unless the table property history.expire.min-snapshots-to-keep says more) keep
// their files; older files, and anything an interrupted write left behind, are removed on
// commit and on open. Data files are written without the commit lock, each write holding a
// shared DataFilesLock until it ends, so that no other process collects them meanwhile.
class FileTableStore : public TableStore {
 public:
  // Opens the table at `dir` whose current metadata file `pointer` records (null: the
  // directory's version hint) and cleans leftovers. Throws IOError when there is no committed
  // snapshot or it is corrupt.
  static std::unique_ptr<FileTableStore> Open(const std::string& dir, const std::string& name,
                                              int64_t target_file_rows = kTargetFileRows,
                                              std::unique_ptr<TablePointer> pointer = nullptr);
  // The table at `dir` (which must not hold a table; anything there is removed unless
  // `joined`: another process prepared it for the same write) with no snapshot yet: the first
  // commit (a BeginReplace writer) creates it.
  static std::unique_ptr<FileTableStore> Prepare(const std::string& dir, const std::string& name,
                                                 const Schema& schema,
                                                 const BucketSpec& buckets = {},
                                                 int64_t target_file_rows = kTargetFileRows,
                                                 std::unique_ptr<TablePointer> pointer = nullptr,
                                                 bool joined = false);
  // Creates the table at `dir` (which must not hold a table) and commits `rows` as snapshot 1.
  static std::unique_ptr<FileTableStore> Create(const std::string& dir, const std::string& name,
                                                const Schema& schema,
                                                const std::vector<Batch>& rows,
                                                const BucketSpec& buckets = {},
                                                int64_t target_file_rows = kTargetFileRows);
  // Converts the table at `dir` stored in the format of Sluice before Iceberg (`_current`,
  // `_snapshots/v<N>.json`) into an Iceberg table recorded by `pointer`, keeping its data
  // files (a bucketed table's gain a second name carrying their bucket; files without field
  // ids are read by the table property schema.name-mapping.default), then opens it. A crash
  // midway leaves the old table, which the next open converts again. Throws IOError.
  static std::unique_ptr<FileTableStore> ConvertLegacy(const std::string& dir,
                                                       const std::string& name,
                                                       int64_t target_file_rows,
                                                       std::unique_ptr<TablePointer> pointer);
  // True when `dir` holds a table in the format of Sluice before Iceberg.
  static bool IsLegacyTable(const std::string& dir);
  // Removes what a conversion that committed left of the format before Iceberg.
  static void RemoveLegacyFiles(const std::string& dir);
  // True when `dir` holds a committed table of a directory alone (a version hint).
  static bool IsTable(const std::string& dir);
  // The current metadata file (nullopt before the first commit).
  std::optional<std::string> MetadataLocation() const;

  // The committed state this process knows: the metadata, the current snapshot's files.
  CommittedTable Committed() const;
  // Commits a change of the table's metadata alone (its refs, properties, current snapshot,
  // the snapshots it keeps; file_table_metadata.cpp): `change` edits the latest committed
  // metadata and may throw (InvalidInputError: nothing is committed); the result becomes the
  // next metadata file through the same compare-and-swap as a write (retried when a writer
  // outside the flock won), then files no snapshot kept needs any more are collected.
  // Returns the state before and after the change. Throws WriteConflictError when the
  // compare-and-swap keeps failing.
  std::pair<CommittedTable, CommittedTable> CommitMetadata(
      const std::function<void(iceberg::TableMetadata&)>& change);
  // The files the latest committed state needs (ReferencedFiles: metadata, manifests and
  // data files of every snapshot kept), relative to the directory.
  std::set<std::string> NeededFiles() const;
  const std::string& dir() const { return dir_; }
  // The local directory whose flocks guard the table's commits and data files (CommitLock,
  // DataFilesLock on its data/): dir() for a local table, one beside the catalog for an
  // s3:// table (TablePointer::LockDirectory).
  const std::string& lock_dir() const { return lock_dir_; }

  Snapshot Current() const override;
  // Unpartitioned tables: partition tuples do not travel between processes.
  bool WritableByEveryProcess() const override;
  std::shared_ptr<const DataSource> Source() const override;
  std::unique_ptr<DataWriter> BeginAppend() override;
  std::unique_ptr<DataWriter> BeginAppendWithSummary(
      std::map<std::string, std::string> summary) override;
  using TableStore::BeginReplace;
  std::unique_ptr<DataWriter> BeginReplace(const Schema& schema, const BucketSpec& buckets,
                                            const TableConstraints& constraints) override;
  void ChangeSchema(const Schema& schema, const TableConstraints& constraints) override;
  TableRewrite PlanRewrite(const std::vector<ExprPtr>& conjuncts) const override;
  std::unique_ptr<DataWriter> BeginRewrite(const TableRewrite& rewrite) override;
  // The rewrite of the data files `paths` of the published snapshot (those it lists; others
  // are ignored): rewrite_data_files' compaction. The caller sets target_file_rows and
  // operation.
  TableRewrite PlanFileRewrite(const std::vector<std::string>& paths) const;
  void SetTargetFileRows(int64_t rows) override;

  // Rows per Parquet row group (a scan split).
  static constexpr int64_t kRowGroupRows = 122880;
  // Rows per data file by default: a write starts a new file after this many rows.
  static constexpr int64_t kTargetFileRows = int64_t{1} << 20;

 private:
  // The data files of one write not yet committed (absolute paths): removed unless the
  // commit succeeds. `in_flight` is held from before the first file of a committed table
  // until the write ends, so that no garbage collection takes them.
  struct PendingWrite {
    std::vector<std::string> written;
    std::unique_ptr<DataFilesLock> in_flight;
  };

  FileTableStore(std::string dir, std::string name, std::unique_ptr<TablePointer> pointer);

  class Writer;  // file_table_writer.cpp

  // A new data file of `write` (relative path "data/part-<id>.parquet", "-b<bucket>" before
  // the extension for a bucket >= 0), under the write's DataFilesLock so that no garbage
  // collection takes it (a table not committed yet needs none: no one else collects it).
  // The caller writes it.
  std::string NewDataFile(PendingWrite* write, int bucket);
  // Commits `next` as the successor of snapshot `base` and makes it visible to readers. When
  // another writer committed since `base`, rebases onto its snapshot if `appended` (the
  // files `next` adds) is given, else throws WriteConflictError; on any failure the files
  // of `write` are removed. With `replaced` too (a compaction: the files its rows came
  // from), the rebase drops those files from the other snapshot, and conflicts when one of
  // them is no longer there (another writer rewrote or deleted its rows).
  void Commit(Snapshot next, int64_t base, const std::vector<Snapshot::DataFile>* appended,
              PendingWrite* write, const std::vector<std::string>* replaced = nullptr);
  // Removes the data files of `write` and ends it.
  static void DiscardWrites(PendingWrite* write);
  void PublishCurrent();
  // Publishes the files of each bucket of a bucketed current_ to bucketed_source_.
  void PublishBuckets();
  // Each file of `current` (this store's committed snapshot) with its partition spec's
  // layout and its tuple; empty when the table has no partitioned spec.
  std::vector<FilePartition> PartitionsOf(const Snapshot& current) const;
  // Removes data and metadata files that no snapshot kept needs, and temporary files of
  // interrupted writes; the files of `known`'s snapshot (a state read before) are not read
  // again. REQUIRES: the CommitLock is held.
  void CollectGarbage(const CommittedTable* known = nullptr);
  // The path of a data file listed in a snapshot (relative to dir_, or absolute).
  std::string PathOf(const std::string& file) const;

  std::string dir_;
  std::string name_;
  std::unique_ptr<TablePointer> pointer_;
  std::string lock_dir_;
  std::atomic<int64_t> target_file_rows_ = kTargetFileRows;
  // Serializes the commits of this process (the flock serializes processes), so that
  // snapshots are published in commit order.
  std::mutex commit_mutex_;
  mutable std::mutex mutex_;  // guards what follows
  // The committed state this process knows (current_.snapshot is the current snapshot).
  CommittedTable current_;
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
