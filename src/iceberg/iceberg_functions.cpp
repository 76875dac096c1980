#include "iceberg/iceberg_functions.h"

#include <fmt/format.h>

#include <functional>
#include <map>
#include <set>

#include "common/error.h"
#include "iceberg/iceberg_source.h"
#include "io/memory_table.h"
#include "types/date_time.h"
#include "vector/value_rows.h"

namespace sluice::iceberg {

namespace {

const std::vector<OptionSpec>& SnapshotOptions() {
  static const std::vector<OptionSpec> options = {
      {"snapshot_from_id", OptionType::kInteger, "", "read this snapshot instead of the current one", {}, {}},
      {"snapshot_from_timestamp", OptionType::kString, "",
       "read the snapshot that was current at this time ('2024-01-02 03:04:05')", {}, {}},
      {"ref", OptionType::kString, "", "read the snapshot this branch or tag points at", {}, {}},
  };
  return options;
}

SnapshotSelector SelectorOf(const TableFunctionCall& call) {
  SnapshotSelector s;
  if (call.named.Has("snapshot_from_id")) s.snapshot_id = call.named.Int("snapshot_from_id");
  if (call.named.Has("ref")) s.ref = call.named.String("ref");
  if (call.named.Has("snapshot_from_timestamp")) {
    const std::string text = call.named.String("snapshot_from_timestamp");
    const std::optional<int64_t> micros = ParseTimestamp(text);
    if (!micros) throw InvalidInputError(fmt::format("snapshot_from_timestamp: '{}' is not a timestamp", text));
    s.as_of_ms = *micros / 1000;
  }
  return s;
}

const OptionSpec kPath{"path", OptionType::kString, "", "a table directory or a metadata file", {}, {}};

// Rows of values as an in-memory table.
std::shared_ptr<const DataSource> Table(const Schema& schema, const std::vector<std::vector<Value>>& rows) {
  return std::make_shared<MemoryTable>(schema, BatchesFromRows(schema, rows));
}

Field F(const char* name, LogicalType type) { return Field{name, type, true, ""}; }

TableFunctionOutput Snapshots(const TableFunctionCall& call) {
  const std::string path = call.positional[0].GetString();
  const TableMetadata m = LoadTableMetadata(FindMetadataFile(path));
  Schema schema({F("sequence_number", TypeId::kBigInt), F("snapshot_id", TypeId::kBigInt),
                 F("timestamp_ms", TypeId::kTimestamp), F("manifest_list", TypeId::kVarchar),
                 F("operation", TypeId::kVarchar), F("parent_id", TypeId::kBigInt),
                 F("is_current", TypeId::kBoolean)});
  const Snapshot* current = m.current_snapshot();
  std::vector<std::vector<Value>> rows;
  for (const auto& s : m.snapshots) {
    rows.push_back({Value::BigInt(s.sequence_number), Value::BigInt(s.snapshot_id), Value::Timestamp(s.timestamp_ms * 1000),
                    Value::Varchar(s.manifest_list), Value::Varchar(s.summary.count("operation") ? s.summary.at("operation") : ""),
                    s.parent_snapshot_id ? Value::BigInt(*s.parent_snapshot_id) : Value::Null(TypeId::kBigInt),
                    Value::Boolean(current != nullptr && current->snapshot_id == s.snapshot_id)});
  }
  return {Table(schema, rows), ""};
}

Value OptionalInt(const std::optional<int64_t>& v) { return v ? Value::BigInt(*v) : Value::Null(TypeId::kBigInt); }

// Spark's `t.history`: when each snapshot became current (the snapshot log).
TableFunctionOutput History(const TableFunctionCall& call) {
  const TableMetadata m = LoadTableMetadata(FindMetadataFile(call.positional[0].GetString()));
  Schema schema({F("made_current_at", TypeId::kTimestamp), F("snapshot_id", TypeId::kBigInt),
                 F("parent_id", TypeId::kBigInt), F("is_current_ancestor", TypeId::kBoolean)});
  std::set<int64_t> ancestors;
  for (const Snapshot* s = m.current_snapshot(); s != nullptr && ancestors.insert(s->snapshot_id).second;
       s = s->parent_snapshot_id ? m.FindSnapshot(*s->parent_snapshot_id) : nullptr) {
  }
  std::vector<std::vector<Value>> rows;
  for (const auto& e : m.snapshot_log) {
    const Snapshot* s = m.FindSnapshot(e.snapshot_id);
    rows.push_back({Value::Timestamp(e.timestamp_ms * 1000), Value::BigInt(e.snapshot_id),
                    OptionalInt(s != nullptr ? s->parent_snapshot_id : std::nullopt),
                    Value::Boolean(ancestors.count(e.snapshot_id) > 0)});
  }
  return {Table(schema, rows), ""};
}

// Spark's `t.refs`: the branches and tags.
TableFunctionOutput Refs(const TableFunctionCall& call) {
  const TableMetadata m = LoadTableMetadata(FindMetadataFile(call.positional[0].GetString()));
  Schema schema({F("name", TypeId::kVarchar), F("type", TypeId::kVarchar), F("snapshot_id", TypeId::kBigInt),
                 F("max_reference_age_in_ms", TypeId::kBigInt), F("min_snapshots_to_keep", TypeId::kInteger),
                 F("max_snapshot_age_in_ms", TypeId::kBigInt)});
  std::vector<std::vector<Value>> rows;
  for (const auto& [name, ref] : m.refs) {
    rows.push_back({Value::Varchar(name), Value::Varchar(ref.is_tag ? "TAG" : "BRANCH"), Value::BigInt(ref.snapshot_id),
                    OptionalInt(ref.max_ref_age_ms),
                    ref.min_snapshots_to_keep ? Value::Integer(*ref.min_snapshots_to_keep) : Value::Null(TypeId::kInteger),
                    OptionalInt(ref.max_snapshot_age_ms)});
  }
  return {Table(schema, rows), ""};
}

// A data file's partition as "{ts_day=2024-01-01, id_bucket=3}" (its spec's field names;
// "{}" for an unpartitioned file).
std::string PartitionText(const TableMetadata& m, const DataFile& f) {
  const PartitionSpec* spec = m.FindSpec(f.spec_id);
  std::string out = "{";
  for (size_t i = 0; i < f.partition.size(); i++) {
    if (i > 0) out += ", ";
    out += spec != nullptr && i < spec->fields.size() ? spec->fields[i].name : std::to_string(i);
    out += "=" + f.partition[i].ToString();
  }
  return out + "}";
}

// Spark's `t.files`: the live data and delete files of the current (or chosen) snapshot.
TableFunctionOutput Files(const TableFunctionCall& call) {
  const TableMetadata m = LoadTableMetadata(FindMetadataFile(call.positional[0].GetString()));
  Schema schema({F("content", TypeId::kInteger), F("file_path", TypeId::kVarchar), F("file_format", TypeId::kVarchar),
                 F("record_count", TypeId::kBigInt),
                 F("file_size_in_bytes", TypeId::kBigInt), F("spec_id", TypeId::kInteger),
                 F("partition", TypeId::kVarchar)});
  std::vector<std::vector<Value>> rows;
  if (const Snapshot* snapshot = SelectSnapshot(m, SelectorOf(call))) {
    const SnapshotFiles files = ReadSnapshotFiles(m, *snapshot);
    for (const auto* list : {&files.data, &files.deletes}) {
      for (const auto& e : *list) {
        const DataFile& f = e.data_file;
        rows.push_back({Value::Integer(static_cast<int32_t>(f.content)), Value::Varchar(f.file_path),
                        Value::Varchar(f.file_format), Value::BigInt(f.record_count),
                        Value::BigInt(f.file_size_in_bytes), Value::Integer(f.spec_id),
                        Value::Varchar(PartitionText(m, f))});
      }
    }
  }
  return {Table(schema, rows), ""};
}

// Spark's `t.partitions`: the partitions of the live data files, with their row and file
// counts (files of different specs are different partitions).
TableFunctionOutput Partitions(const TableFunctionCall& call) {
  const TableMetadata m = LoadTableMetadata(FindMetadataFile(call.positional[0].GetString()));
  Schema schema({F("partition", TypeId::kVarchar), F("spec_id", TypeId::kInteger),
                 F("record_count", TypeId::kBigInt), F("file_count", TypeId::kInteger)});
  std::map<std::pair<int, std::string>, std::pair<int64_t, int32_t>> partitions;
  if (const Snapshot* snapshot = SelectSnapshot(m, SelectorOf(call))) {
    for (const auto& e : ReadSnapshotFiles(m, *snapshot).data) {
      auto& [records, count] = partitions[{e.data_file.spec_id, PartitionText(m, e.data_file)}];
      records += e.data_file.record_count;
      count++;
    }
  }
  std::vector<std::vector<Value>> rows;
  for (const auto& [key, counts] : partitions) {
    rows.push_back({Value::Varchar(key.second), Value::Integer(key.first), Value::BigInt(counts.first),
                    Value::Integer(counts.second)});
  }
  return {Table(schema, rows), ""};
}

const char* ContentName(FileContent c) {
  switch (c) {
    case FileContent::kData: return "EXISTING";
    case FileContent::kPositionDeletes: return "POSITION_DELETES";
    case FileContent::kEqualityDeletes: return "EQUALITY_DELETES";
  }
  return "?";
}

const char* StatusName(EntryStatus s) {
  switch (s) {
    case EntryStatus::kExisting: return "EXISTING";
    case EntryStatus::kAdded: return "ADDED";
    case EntryStatus::kDeleted: return "DELETED";
  }
  return "?";
}

TableFunctionOutput Metadata(const TableFunctionCall& call) {
  const std::string path = call.positional[0].GetString();
  const TableMetadata m = LoadTableMetadata(FindMetadataFile(path));
  Schema schema({F("manifest_path", TypeId::kVarchar), F("manifest_sequence_number", TypeId::kBigInt),
                 F("manifest_content", TypeId::kVarchar), F("status", TypeId::kVarchar),
                 F("content", TypeId::kVarchar), F("file_path", TypeId::kVarchar), F("file_format", TypeId::kVarchar),
                 F("record_count", TypeId::kBigInt), F("file_size_in_bytes", TypeId::kBigInt)});
  std::vector<std::vector<Value>> rows;
  if (const Snapshot* snapshot = SelectSnapshot(m, SelectorOf(call))) {
    const SnapshotFiles files = ReadSnapshotFiles(m, *snapshot);
    for (const auto& manifest : files.manifests) {
      const std::string mpath = LocalPath(manifest.manifest_path);
      for (const auto& e : ReadManifest(ReadWholeFile(mpath), mpath, manifest, m.current_schema(),
                                        *m.FindSpec(manifest.partition_spec_id))) {
        const DataFile& f = e.data_file;
        rows.push_back({Value::Varchar(manifest.manifest_path), Value::BigInt(manifest.sequence_number),
                        Value::Varchar(manifest.deletes ? "DELETE" : "DATA"), Value::Varchar(StatusName(e.status)),
                        Value::Varchar(f.content == FileContent::kData ? "DATA" : ContentName(f.content)),
                        Value::Varchar(f.file_path), Value::Varchar(f.file_format), Value::BigInt(f.record_count),
                        Value::BigInt(f.file_size_in_bytes)});
      }
    }
  }
  return {Table(schema, rows), ""};
}

}  // namespace

void RegisterIcebergTableFunctions(TableFunctionRegistry& registry) {
  TableFunction scan;
  scan.name = "iceberg_scan";
  scan.description = "the rows of an Iceberg table (a table directory or a metadata file)";
  scan.positional = {kPath};
  scan.required_positional = 1;
  scan.named = SnapshotOptions();
  scan.bind = [](const TableFunctionCall& call) {
    return TableFunctionOutput{IcebergSource::Open(call.positional[0].GetString(), SelectorOf(call)), ""};
  };
  registry.Register(std::move(scan));

  TableFunction snapshots;
  snapshots.name = "iceberg_snapshots";
  snapshots.description = "the snapshots of an Iceberg table";
  snapshots.positional = {kPath};
  snapshots.required_positional = 1;
  snapshots.bind = Snapshots;
  registry.Register(std::move(snapshots));

  TableFunction metadata;
  metadata.name = "iceberg_metadata";
  metadata.description = "the data and delete files of an Iceberg table's snapshot";
  metadata.positional = {kPath};
  metadata.required_positional = 1;
  metadata.named = SnapshotOptions();
  metadata.bind = Metadata;
  registry.Register(std::move(metadata));

  const std::pair<const char*, const char*> kListings[] = {
      {"iceberg_history", "when each snapshot of an Iceberg table became current (t$history)"},
      {"iceberg_refs", "the branches and tags of an Iceberg table (t$refs)"},
      {"iceberg_files", "the live data and delete files of an Iceberg table's snapshot (t$files)"},
      {"iceberg_partitions",
       "the partitions of an Iceberg table's live data files, with row and file counts (t$partitions)"},
  };
  const std::function<TableFunctionOutput(const TableFunctionCall&)> kBinds[] = {History, Refs, Files,
                                                                                 Partitions};
  for (size_t i = 0; i < std::size(kListings); i++) {
    TableFunction listing;
    listing.name = kListings[i].first;
    listing.description = kListings[i].second;
    listing.positional = {kPath};
    listing.required_positional = 1;
    if (std::string(listing.name) == "iceberg_files" || std::string(listing.name) == "iceberg_partitions") {
      listing.named = SnapshotOptions();
    }
    listing.bind = kBinds[i];
    registry.Register(std::move(listing));
  }
}

}  // namespace sluice::iceberg
