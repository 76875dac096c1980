#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "iceberg/manifest.h"
#include "iceberg/table_metadata.h"

namespace sluice::iceberg {

// Reading a table's files from its location: the metadata file, a snapshot's manifests.

// The path a location in metadata is opened by: a local path for "file:/x", "file:///x" or
// "/x", an s3:// URL as it is (io/stored_files.h and FileReader open both). Throws
// NotImplementedError for other schemes (gs://, abfs://).
std::string LocalPath(const std::string& location);

// The whole file at `path` (local or s3://); IOError naming it when it cannot be read.
std::string ReadWholeFile(const std::string& path);

// The metadata file of a table: `path` itself when it names a *.metadata.json file; for a
// table directory, the version metadata/version-hint.text names, else the metadata file with
// the highest version. Throws IOError when there is none.
std::string FindMetadataFile(const std::string& path);

TableMetadata LoadTableMetadata(const std::string& metadata_file);

// Which snapshot a scan reads: the current one, one by id, or the last one committed at or
// before a time.
struct SnapshotSelector {
  std::optional<int64_t> snapshot_id;
  std::optional<int64_t> as_of_ms;
  std::optional<std::string> ref;  // a branch or tag name
};

// The selected snapshot, or null for a table without snapshots (an empty scan). Throws
// InvalidInputError when the selector names nothing.
const Snapshot* SelectSnapshot(const TableMetadata& metadata, const SnapshotSelector& selector);

// The live files of a snapshot: data files, and delete files (position and equality).
struct SnapshotFiles {
  std::vector<ManifestEntry> data;
  std::vector<ManifestEntry> deletes;
  std::vector<ManifestFile> manifests;
};
// `keep` (null: every one) chooses the manifests read; the others are left out of `manifests`
// too.
SnapshotFiles ReadSnapshotFiles(const TableMetadata& metadata, const Snapshot& snapshot,
                                const std::function<bool(const ManifestFile&)>& keep = nullptr);

}  // namespace sluice::iceberg
