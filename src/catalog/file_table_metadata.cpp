// FileTableStore's commits of metadata alone: tags and branches, properties, rollbacks,
// expired snapshots.
#include <fmt/format.h>

#include "catalog/commit_lock.h"
#include "catalog/file_table_store.h"
#include "common/error.h"
#include "io/stored_files.h"

namespace sluice {

namespace {

constexpr int kCommitAttempts = 20;

}  // namespace

CommittedTable FileTableStore::Committed() const {
  std::lock_guard lock(mutex_);
  return current_;
}

std::set<std::string> FileTableStore::NeededFiles() const {
  // The latest commit's (another process's may be newer than this store's).
  CommittedTable latest = Committed();
  const std::optional<std::string> location = pointer_->Load();
  if (location && location != latest.location) latest = LoadCommittedTable(dir_, *location);
  return sluice::ReferencedFiles(dir_, latest);
}

std::pair<CommittedTable, CommittedTable> FileTableStore::CommitMetadata(
    const std::function<void(iceberg::TableMetadata&)>& change) {
  std::lock_guard commit_guard(commit_mutex_);
  std::pair<CommittedTable, CommittedTable> out;
  {
    CommitLock lock(lock_dir_);
    for (int attempt = 1;; attempt++) {
      const std::optional<std::string> location = pointer_->Load();
      if (!location) throw IOError(fmt::format("table '{}' has no committed snapshot", name_));
      CommittedTable latest;
      {
        std::lock_guard guard(mutex_);
        if (location == current_.location) latest = current_;
      }
      if (location != latest.location) latest = LoadCommittedTable(dir_, *location);
      iceberg::TableMetadata metadata = latest.metadata;
      change(metadata);
      PreparedCommit prepared = WriteMetadataCommit(dir_, latest, std::move(metadata), NowMs());
      if (!pointer_->Swap(location, *prepared.table.location)) {
        for (const auto& file : prepared.written) RemoveStoredFile(file);
        if (attempt >= kCommitAttempts) {
          throw WriteConflictError(fmt::format(
              "table '{}' was changed by another writer {} times in a row; nothing was changed",
              name_, attempt));
        }
        continue;
      }
      try {
        WriteVersionHint(dir_, *prepared.table.location, /*sync=*/false);
      } catch (const IOError&) {
        // The hint only helps path-based readers; the catalog row is the commit.
      }
      out.first = std::move(latest);
      {
        std::lock_guard guard(mutex_);
        current_ = prepared.table;
      }
      out.second = std::move(prepared.table);
      break;
    }
    CollectGarbage();
  }
  PublishCurrent();
  return out;
}

}  // namespace sluice
