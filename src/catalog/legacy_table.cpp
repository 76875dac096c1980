#include <fmt/format.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "catalog/commit_lock.h"
#include "catalog/file_table_store.h"
#include "common/error.h"
#include "iceberg/table_files.h"

// Converting a table of the format of Sluice before Iceberg (FileTableStore::ConvertLegacy).

namespace sluice {

namespace fs = std::filesystem;

namespace {

// The table format of Sluice before Iceberg: `_current` held "N", `_snapshots/v<N>.json`
// the snapshot (SnapshotToJson), data files were data/part-<id>.parquet.
constexpr const char* kLegacyCurrentFile = "_current";
constexpr const char* kLegacySnapshotDir = "_snapshots";
constexpr const char* kDataDir = "data";
constexpr const char* kMetadataDir = "metadata";

}  // namespace

bool FileTableStore::IsLegacyTable(const std::string& dir) {
  return fs::is_regular_file(fs::path(dir) / kLegacyCurrentFile);
}

void FileTableStore::RemoveLegacyFiles(const std::string& dir) {
  std::error_code ec;
  fs::remove(fs::path(dir) / kLegacyCurrentFile, ec);
  fs::remove_all(fs::path(dir) / kLegacySnapshotDir, ec);
}

std::unique_ptr<FileTableStore> FileTableStore::ConvertLegacy(
    const std::string& dir, const std::string& name, int64_t target_file_rows,
    std::unique_ptr<TablePointer> pointer) {
  {
    CommitLock lock(dir);
    if (!pointer->Load()) {
      const std::string current = (fs::path(dir) / kLegacyCurrentFile).string();
      const std::string text = iceberg::ReadWholeFile(current);
      int64_t version = 0;
      try {
        version = std::stoll(text);
      } catch (const std::exception&) {
        throw IOError(fmt::format("corrupt snapshot pointer '{}'", current));
      }
      const std::string path =
          fmt::format("{}/{}/v{}.json", dir, kLegacySnapshotDir, version);
      Snapshot next = ParseSnapshot(iceberg::ReadWholeFile(path), path);
      next.field_ids = AssignFieldIds(next.schema, CommittedTable{});
      for (auto& f : next.files) {
        if (f.bucket >= 0 && BucketOfDataFile(f.path) != f.bucket) {
          // The bucket goes into the file's name (a hard link: the old table stays whole).
          const std::string named =
              fmt::format("{}/{}-b{}.parquet", kDataDir, DataFileStem(fs::path(f.path).filename().string()), f.bucket);
          std::error_code ec;
          if (!fs::exists(fs::path(dir) / named)) {
            fs::create_hard_link(fs::path(dir) / f.path, fs::path(dir) / named, ec);
          }
          if (ec) {
            throw IOError(fmt::format("cannot convert table '{}': linking '{}': {}", dir, f.path,
                                      ec.message()));
          }
          f.path = named;
        }
        f.bytes = static_cast<int64_t>(fs::file_size(fs::path(dir) / f.path));
      }
      // The old data files carry no field ids: other engines map their columns by name.
      nlohmann::json mapping = nlohmann::json::array();
      for (size_t i = 0; i < next.schema.size(); i++) {
        mapping.push_back({{"field-id", next.field_ids[i]}, {"names", {next.schema.field(i).name}}});
      }
      fs::create_directories(fs::path(dir) / kMetadataDir);
      PreparedCommit prepared = WriteCommit(dir, CommittedTable{}, std::move(next), NowMs(),
                                            {{"schema.name-mapping.default", mapping.dump()}});
      if (!pointer->Swap(std::nullopt, *prepared.table.location)) {
        throw IOError(fmt::format("cannot convert table '{}': {} already has a table of its name",
                                  dir, pointer->Describe()));
      }
      WriteVersionHint(dir, *prepared.table.location, /*sync=*/false);
    }
  }
  RemoveLegacyFiles(dir);
  return Open(dir, name, target_file_rows, std::move(pointer));
}

}  // namespace sluice
