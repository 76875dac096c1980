#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "iceberg/table_metadata.h"
#include "types/value.h"

namespace sluice::iceberg {

enum class FileContent { kData = 0, kPositionDeletes = 1, kEqualityDeletes = 2 };
enum class EntryStatus { kExisting = 0, kAdded = 1, kDeleted = 2 };

// A data or delete file as a manifest lists it (spec: "Manifests", data_file struct). Column
// statistics are keyed by field id; bounds are single-value serialized (single_value.h).
struct DataFile {
  FileContent content = FileContent::kData;
  std::string file_path;
  std::string file_format = "PARQUET";
  std::vector<Value> partition;  // one per field of the manifest's spec (NULL allowed)
  int64_t record_count = 0;
  int64_t file_size_in_bytes = 0;
  std::map<int, int64_t> column_sizes;
  std::map<int, int64_t> value_counts;
  std::map<int, int64_t> null_value_counts;
  std::map<int, int64_t> nan_value_counts;
  std::map<int, std::string> lower_bounds;
  std::map<int, std::string> upper_bounds;
  std::vector<int64_t> split_offsets;
  std::vector<int> equality_ids;
  std::optional<int> sort_order_id;
  // The partition spec of the manifest the file was read from (not a field of the file's
  // entry: a manifest's files share its spec).
  int spec_id = 0;
};

struct ManifestEntry {
  EntryStatus status = EntryStatus::kAdded;
  // Null in a file means "inherited from the manifest list entry" (added files of the
  // snapshot that wrote the manifest); ReadManifest fills them in.
  std::optional<int64_t> snapshot_id;
  std::optional<int64_t> sequence_number;
  std::optional<int64_t> file_sequence_number;
  DataFile data_file;
};

struct FieldSummary {
  bool contains_null = false;
  std::optional<bool> contains_nan;
  std::optional<std::string> lower_bound;  // single-value serialized
  std::optional<std::string> upper_bound;
};

// One entry of a manifest list (spec: manifest_file struct).
struct ManifestFile {
  std::string manifest_path;
  int64_t manifest_length = 0;
  int partition_spec_id = 0;
  bool deletes = false;  // content: 0 data, 1 deletes
  int64_t sequence_number = 0;
  int64_t min_sequence_number = 0;
  int64_t added_snapshot_id = 0;
  int added_files_count = 0;
  int existing_files_count = 0;
  int deleted_files_count = 0;
  int64_t added_rows_count = 0;
  int64_t existing_rows_count = 0;
  int64_t deleted_rows_count = 0;
  std::vector<FieldSummary> partitions;  // one per partition field
};

// What a manifest is written for: the table schema and the partition spec its files use.
struct ManifestContext {
  const IcebergSchema* schema;
  const PartitionSpec* spec;
  int64_t snapshot_id;      // the snapshot adding the manifest
  int64_t sequence_number;  // that snapshot's sequence number
};

// Writes a v2 manifest (Avro, deflate) of `entries` and returns its bytes; `summary` gets
// every field of its manifest-list entry except the path and length.
std::string WriteManifest(const ManifestContext& context, bool deletes,
                          const std::vector<ManifestEntry>& entries, ManifestFile* summary);

// Reads a manifest written by any Iceberg v1 or v2 writer (fields found by field id).
// `manifest` is its manifest-list entry: entries inherit its snapshot id and sequence number
// where the file leaves them null. Partition values are typed by `spec` over `schema`.
std::vector<ManifestEntry> ReadManifest(const std::string& bytes, const std::string& where,
                                        const ManifestFile& manifest, const IcebergSchema& schema,
                                        const PartitionSpec& spec);

std::string WriteManifestList(int64_t snapshot_id, std::optional<int64_t> parent_snapshot_id,
                              int64_t sequence_number, const std::vector<ManifestFile>& manifests);
std::vector<ManifestFile> ReadManifestList(const std::string& bytes, const std::string& where);

}  // namespace sluice::iceberg
