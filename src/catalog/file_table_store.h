#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "catalog/table_source.h"
#include "catalog/table_store.h"

namespace sluice {

// A table stored in a directory:
//   <dir>/data/part-<id>.parquet     data files (immutable once written)
//   <dir>/_snapshots/v<N>.json       snapshot N: schema, files, row count
//   <dir>/_current                   "N": the committed snapshot
// A write writes new data files and the next snapshot file, then replaces `_current` by an
// atomic rename: that rename is the commit. Files of the current and the previous snapshot
// are kept (a reader in another process may still be reading the previous one); older
// files, and anything an interrupted write left behind, are removed on commit and on open.
class FileTableStore : public TableStore {
 public:
  // Opens the table at `dir` and cleans leftovers. Throws IOError when `dir` holds no
  // committed snapshot or it is corrupt.
  static std::unique_ptr<FileTableStore> Open(const std::string& dir, const std::string& name);
  // Creates the table at `dir` (which must not hold a table) and commits `rows` as snapshot 1.
  static std::unique_ptr<FileTableStore> Create(const std::string& dir, const std::string& name,
                                                const Schema& schema,
                                                const std::vector<Batch>& rows);
  // True when `dir` holds a committed table.
  static bool IsTable(const std::string& dir);

  Snapshot Current() const override;
  std::shared_ptr<const DataSource> Source() const override;
  void Append(const std::vector<Batch>& rows) override;
  void Overwrite(const Schema& schema, const std::vector<Batch>& rows) override;

  // Rows per Parquet row group (a scan split).
  static constexpr int64_t kRowGroupRows = 122880;

 private:
  FileTableStore(std::string dir, std::string name)
      : dir_(std::move(dir)), name_(std::move(name)) {}

  // Writes `rows` as new data files; returns them (relative paths). Nothing is committed.
  std::vector<Snapshot::DataFile> WriteFiles(const Schema& schema, const std::vector<Batch>& rows);
  // Commits `next` (version = current + 1) and makes it visible to readers.
  void Commit(Snapshot next);
  void PublishCurrent();
  // Removes data and snapshot files belonging to neither the current nor the previous
  // snapshot, and temporary files of interrupted writes.
  void CollectGarbage();

  std::string dir_;
  std::string name_;
  mutable std::mutex mutex_;
  Snapshot current_;
  std::shared_ptr<TableSource> source_;
};

}  // namespace sluice
