#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "iceberg/iceberg_type.h"
#include "iceberg/transform.h"

namespace sluice::iceberg {

// One field of a partition spec: `transform` of column `source_id`, stored as partition
// field `field_id` (1000 and up) named `name`.
struct PartitionField {
  int source_id = 0;
  int field_id = 0;
  std::string name;
  Transform transform = Transform::Identity();
};

struct PartitionSpec {
  int spec_id = 0;
  std::vector<PartitionField> fields;

  bool unpartitioned() const { return fields.empty(); }
  // The partition tuple's type: a struct of each field's result type (optional).
  TypePtr PartitionType(const IcebergSchema& schema) const;
};

struct SortField {
  Transform transform = Transform::Identity();
  int source_id = 0;
  bool ascending = true;
  bool nulls_first = true;
};

struct SortOrder {
  int order_id = 0;  // 0 is reserved for "unsorted"
  std::vector<SortField> fields;
};

struct Snapshot {
  int64_t snapshot_id = 0;
  std::optional<int64_t> parent_snapshot_id;
  int64_t sequence_number = 0;
  int64_t timestamp_ms = 0;
  std::string manifest_list;
  // "operation" (append, replace, overwrite, delete) and the counts ("added-data-files", ...).
  std::map<std::string, std::string> summary;
  std::optional<int> schema_id;
};

// A named reference to a snapshot: a branch ("main" is the table's current state) or a tag.
struct SnapshotRef {
  int64_t snapshot_id = 0;
  bool is_tag = false;
  std::optional<int64_t> max_ref_age_ms;
  std::optional<int64_t> max_snapshot_age_ms;
  std::optional<int> min_snapshots_to_keep;
};

struct SnapshotLogEntry {
  int64_t snapshot_id = 0;
  int64_t timestamp_ms = 0;
};

struct MetadataLogEntry {
  std::string metadata_file;
  int64_t timestamp_ms = 0;
};

// A table's metadata file (vN.metadata.json), format version 2 as written; version 1 files
// are read too. Plain data: a commit makes a new value and writes it as the next file.
struct TableMetadata {
  int format_version = 2;
  std::string table_uuid;
  std::string location;
  int64_t last_sequence_number = 0;
  int64_t last_updated_ms = 0;
  int last_column_id = 0;
  std::vector<IcebergSchema> schemas;
  int current_schema_id = 0;
  std::vector<PartitionSpec> partition_specs;
  int default_spec_id = 0;
  int last_partition_id = 999;  // partition field ids start at 1000
  std::map<std::string, std::string> properties;
  std::optional<int64_t> current_snapshot_id;
  std::vector<Snapshot> snapshots;
  std::vector<SnapshotLogEntry> snapshot_log;
  std::vector<MetadataLogEntry> metadata_log;
  std::vector<SortOrder> sort_orders;
  int default_sort_order_id = 0;
  std::map<std::string, SnapshotRef> refs;

  // REQUIRES (all): the ids name existing entries (MetadataFromJson checks it).
  const IcebergSchema& current_schema() const;
  const IcebergSchema* FindSchema(int schema_id) const;
  const PartitionSpec& default_spec() const;
  const PartitionSpec* FindSpec(int spec_id) const;
  // The snapshot `main` points at, or null for a table without one.
  const Snapshot* current_snapshot() const;
  const Snapshot* FindSnapshot(int64_t snapshot_id) const;
  // The property's value, or `fallback`.
  std::string property(const std::string& key, const std::string& fallback = "") const;
};

// The metadata of a new, empty table. `uuid` is the table-uuid (see common/uuid.h).
TableMetadata NewTableMetadata(IcebergSchema schema, PartitionSpec spec, SortOrder order,
                               std::string location, std::string uuid,
                               std::map<std::string, std::string> properties, int64_t now_ms);

nlohmann::ordered_json MetadataToJson(const TableMetadata& metadata);
// Parses and checks a metadata file: every field the spec requires, ids that resolve.
// Throws InvalidInputError naming `where` and the missing or wrong field.
TableMetadata MetadataFromJson(const std::string& text, const std::string& where);

nlohmann::ordered_json PartitionSpecToJson(const PartitionSpec& spec);
PartitionSpec PartitionSpecFromJson(const nlohmann::ordered_json& json, const std::string& where);

}  // namespace sluice::iceberg
