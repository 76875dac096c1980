#include "iceberg/table_files.h"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "common/error.h"
#include "io/stored_files.h"
#include "objstore/s3_location.h"

namespace sluice::iceberg {

namespace fs = std::filesystem;

std::string LocalPath(const std::string& location) {
  if (location.rfind("file://", 0) == 0) return location.substr(7);
  if (location.rfind("file:", 0) == 0) return location.substr(5);
  if (IsS3Path(location)) return location;
  if (location.find("://") != std::string::npos) {
    throw NotImplementedError(fmt::format(
        "Iceberg file '{}': only local paths and s3:// URLs are supported so far", location));
  }
  return location;
}

std::string ReadWholeFile(const std::string& path) { return ReadStoredFile(path); }

namespace {

// The version of "v12.metadata.json" or "00012-<uuid>.metadata.json", or -1.
int64_t MetadataVersion(const std::string& name) {
  const std::string suffix = ".metadata.json";
  if (name.size() <= suffix.size() || name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) return -1;
  const std::string stem = name.substr(0, name.size() - suffix.size());
  size_t i = stem[0] == 'v' ? 1 : 0;
  size_t end = i;
  while (end < stem.size() && std::isdigit(static_cast<unsigned char>(stem[end]))) end++;
  if (end == i || (end < stem.size() && stem[end] != '-')) return -1;
  return std::stoll(stem.substr(i, end - i));
}

}  // namespace

std::string FindMetadataFile(const std::string& path) {
  std::string local = LocalPath(path);
  while (local.size() > 1 && local.ends_with('/')) local.pop_back();
  const std::string name = local.substr(local.rfind('/') + 1);
  if (MetadataVersion(name) >= 0 || (!IsS3Path(local) && fs::is_regular_file(local))) {
    if (!StoredFileExists(local)) {
      throw IOError(fmt::format("Iceberg metadata file '{}' does not exist", path));
    }
    return local;
  }
  const std::string dir = local + "/metadata";
  const std::vector<StoredFile> files = ListStoredFiles(dir, /*recursive=*/false);
  if (files.empty()) {
    throw IOError(fmt::format("'{}' is not an Iceberg table: it has no metadata directory", path));
  }
  auto has = [&](const std::string& file) {
    return std::any_of(files.begin(), files.end(),
                       [&](const StoredFile& f) { return f.relative == file; });
  };
  if (has("version-hint.text")) {
    std::string text = ReadWholeFile(dir + "/version-hint.text");
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
    for (const std::string& file : {"v" + text + ".metadata.json", text}) {
      if (!text.empty() && has(file)) return dir + "/" + file;
    }
  }
  std::string best;
  int64_t best_version = -1;
  for (const StoredFile& f : files) {
    const int64_t v = MetadataVersion(f.relative);
    if (v > best_version) {
      best_version = v;
      best = f.path;
    }
  }
  if (best.empty()) throw IOError(fmt::format("Iceberg table '{}' has no metadata file", path));
  return best;
}

TableMetadata LoadTableMetadata(const std::string& metadata_file) {
  return MetadataFromJson(ReadWholeFile(metadata_file), metadata_file);
}

const Snapshot* SelectSnapshot(const TableMetadata& m, const SnapshotSelector& selector) {
  if (selector.snapshot_id) {
    const Snapshot* s = m.FindSnapshot(*selector.snapshot_id);
    if (s == nullptr) throw InvalidInputError(fmt::format("the table has no snapshot {}", *selector.snapshot_id));
    return s;
  }
  if (selector.ref) {
    auto it = m.refs.find(*selector.ref);
    if (it == m.refs.end()) throw InvalidInputError(fmt::format("the table has no branch or tag '{}'", *selector.ref));
    return m.FindSnapshot(it->second.snapshot_id);
  }
  if (selector.as_of_ms) {
    // The snapshot that was current at that time: the last entry of the snapshot log at or
    // before it (the log records what `main` pointed at, rollbacks included).
    const Snapshot* found = nullptr;
    for (const auto& e : m.snapshot_log) {
      if (e.timestamp_ms <= *selector.as_of_ms) found = m.FindSnapshot(e.snapshot_id);
    }
    if (m.snapshot_log.empty()) {
      for (const auto& s : m.snapshots) {
        if (s.timestamp_ms <= *selector.as_of_ms && (found == nullptr || s.timestamp_ms >= found->timestamp_ms)) found = &s;
      }
    }
    if (found == nullptr) throw InvalidInputError("the table has no snapshot at or before that time");
    return found;
  }
  return m.current_snapshot();
}

SnapshotFiles ReadSnapshotFiles(const TableMetadata& m, const Snapshot& snapshot,
                                const std::function<bool(const ManifestFile&)>& keep) {
  SnapshotFiles out;
  const std::string list_path = LocalPath(snapshot.manifest_list);
  out.manifests = ReadManifestList(ReadWholeFile(list_path), list_path);
  if (keep) std::erase_if(out.manifests, [&](const ManifestFile& f) { return !keep(f); });
  const IcebergSchema& schema = m.current_schema();
  for (const auto& manifest : out.manifests) {
    const PartitionSpec* spec = m.FindSpec(manifest.partition_spec_id);
    if (spec == nullptr) {
      throw InvalidInputError(fmt::format("{}: manifest {} uses partition spec {}, which the metadata lacks",
                                          list_path, manifest.manifest_path, manifest.partition_spec_id));
    }
    const std::string path = LocalPath(manifest.manifest_path);
    for (auto& e : ReadManifest(ReadWholeFile(path), path, manifest, schema, *spec)) {
      if (e.status == EntryStatus::kDeleted) continue;
      (e.data_file.content == FileContent::kData ? out.data : out.deletes).push_back(std::move(e));
    }
  }
  return out;
}

}  // namespace sluice::iceberg
