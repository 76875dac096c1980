#include "catalog/iceberg_commit.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <random>

#include "catalog/bucketing.h"
#include "common/error.h"
#include "common/uuid.h"
#include "iceberg/single_value.h"
#include "iceberg/table_files.h"
#include "io/stored_files.h"
#include "objstore/s3_location.h"

namespace sluice {

namespace fs = std::filesystem;
namespace ib = iceberg;

namespace {

// Table properties Sluice writes (the Iceberg ones are read by other engines' maintenance).
constexpr const char* kColumnTypes = "sluice.column-types";
constexpr const char* kBucketColumns = "sluice.bucket-columns";
constexpr const char* kBucketCount = "sluice.bucket-count";
// Constraints as SQL text: a JSON array of each column's DEFAULT ("" for none), and one of
// the CHECK expressions.
constexpr const char* kColumnDefaults = "sluice.column-defaults";
constexpr const char* kChecks = "sluice.checks";
// PRIMARY KEY / UNIQUE: [{"columns": [...], "primary": bool}, ...].
constexpr const char* kKeys = "sluice.keys";
constexpr const char* kKeepSnapshots = "history.expire.min-snapshots-to-keep";
constexpr const char* kPreviousVersionsMax = "write.metadata.previous-versions-max";
// A table keeps its current and previous snapshot (a reader in another process may still be
// reading the previous one) unless its properties ask for more.
constexpr int64_t kDefaultKeepSnapshots = 2;
constexpr int64_t kDefaultPreviousVersions = 1;
// An append adds a manifest; past this many the snapshot's manifests are merged into one.
constexpr size_t kMaxManifests = 100;

std::string Absolute(const std::string& table_dir) {
  if (IsS3Path(table_dir)) {
    std::string url = table_dir;
    while (url.ends_with('/')) url.pop_back();
    return url;
  }
  return fs::absolute(table_dir).lexically_normal().string();
}

// `path` relative to the table directory `root` (absolute, with a final '/') when it lies
// inside it.
std::string RelativeTo(const std::string& root, const std::string& path) {
  const std::string local = ib::LocalPath(path);
  if (local.rfind(root, 0) == 0) return local.substr(root.size());
  return local;
}

int64_t PropertyInt(const ib::TableMetadata& m, const char* key, int64_t fallback) {
  const std::string text = m.property(key);
  if (text.empty()) return fallback;
  try {
    return std::stoll(text);
  } catch (const std::exception&) {
    return fallback;
  }
}

int64_t NewSnapshotId() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  return static_cast<int64_t>(rng() >> 1);
}

// The Iceberg type a Sluice column is stored as (the exact type goes to kColumnTypes).
// Fields and elements of LIST and STRUCT columns are numbered *next_id, ...
ib::TypePtr StoredType(const LogicalType& type, int* next_id) {
  switch (type.id()) {
    case TypeId::kInterval: {
      auto fixed = std::make_shared<ib::Type>();
      fixed->kind = ib::TypeKind::kFixed;
      fixed->length = 12;  // Parquet's INTERVAL: months, days, milliseconds
      return fixed;
    }
    case TypeId::kNull: return ib::PrimitiveType(ib::TypeKind::kString);
    default: return ib::FromLogicalType(type, next_id);
  }
}

ib::IcebergSchema IcebergSchemaOf(const Snapshot& s, int schema_id) {
  SLUICE_CHECK(s.field_ids.size() == s.schema.size(), "{} field ids for {} columns",
               s.field_ids.size(), s.schema.size());
  ib::IcebergSchema out;
  out.schema_id = schema_id;
  int next_id = 1;
  for (int id : s.field_ids) next_id = std::max(next_id, id + 1);
  for (size_t i = 0; i < s.schema.size(); i++) {
    const Field& f = s.schema.field(i);
    out.fields.push_back(
        ib::NestedField{s.field_ids[i], f.name, !f.nullable, StoredType(f.type, &next_id), ""});
  }
  return out;
}

bool SameSchema(const ib::IcebergSchema& a, const ib::IcebergSchema& b) {
  if (a.fields.size() != b.fields.size()) return false;
  for (size_t i = 0; i < a.fields.size(); i++) {
    const auto& x = a.fields[i];
    const auto& y = b.fields[i];
    if (x.id != y.id || x.name != y.name || x.required != y.required ||
        x.type->ToString() != y.type->ToString()) {
      return false;
    }
  }
  return true;
}

// The Sluice schema of the current Iceberg schema: the exact types from kColumnTypes when
// they describe it, else the Iceberg types' Sluice equivalents.
Schema SluiceSchemaOf(const ib::TableMetadata& m) {
  const ib::IcebergSchema& schema = m.current_schema();
  std::vector<std::string> types;
  try {
    const std::string text = m.property(kColumnTypes);
    if (!text.empty()) types = nlohmann::json::parse(text).get<std::vector<std::string>>();
  } catch (const nlohmann::json::exception&) {
    types.clear();
  }
  Schema out;
  for (size_t i = 0; i < schema.fields.size(); i++) {
    const ib::NestedField& f = schema.fields[i];
    LogicalType type = types.size() == schema.fields.size()
                           ? ParseTypeName(types[i])
                           : ib::ToLogicalType(*f.type, f.name);
    out.Add(Field{f.name, type, !f.required, ""});
  }
  return out;
}

// `table_root`: the table directory, absolute.
ib::DataFile IcebergDataFile(const std::string& table_root, const Snapshot::DataFile& f) {
  ib::DataFile out;
  out.file_path = (!f.path.empty() && f.path[0] == '/') || IsS3Path(f.path) ? f.path : table_root + "/" + f.path;
  out.record_count = f.rows;
  out.file_size_in_bytes = f.bytes;
  out.partition = f.partition;
  out.spec_id = f.spec_id;
  out.value_counts = f.metrics.value_counts;
  out.null_value_counts = f.metrics.null_value_counts;
  out.nan_value_counts = f.metrics.nan_value_counts;
  out.lower_bounds = f.metrics.lower_bounds;
  out.upper_bounds = f.metrics.upper_bounds;
  return out;
}

// A table partitioned by one bucket[n] field (IcebergBucketsOf): each file of a spec that is
// that same field alone gets the bucket of its partition tuple (a NULL bucket: 0, where the
// exchange sends NULL keys too); the other files keep -1, and the table is read unbucketed.
void SetIcebergBuckets(const ib::TableMetadata& m, Snapshot& s) {
  if (s.buckets.bucketed() || !IcebergBucketsOf(s.schema, s.buckets.partition_by).bucketed()) {
    return;
  }
  const ib::PartitionSpec& current = m.default_spec();
  if (current.fields.size() != 1) return;
  for (auto& f : s.files) {
    f.bucket = -1;
    const ib::PartitionSpec* spec = m.FindSpec(f.spec_id);
    if (spec == nullptr || spec->fields.size() != 1 || f.partition.size() != 1 ||
        spec->fields[0].source_id != current.fields[0].source_id ||
        !(spec->fields[0].transform == current.fields[0].transform)) {
      continue;
    }
    f.bucket = f.partition[0].is_null() ? 0 : static_cast<int>(f.partition[0].GetInt());
  }
}

// Writes `bytes` as the file `name` of the table's metadata directory, synced to disk (an
// object: one PUT). No rename is needed: nothing reads the file before the commit names it
// (a file of that name is what an interrupted commit left). The caller syncs the directory
// once for all.
std::string WriteMetadataFile(const std::string& table_dir, const std::string& name,
                              const std::string& bytes, std::vector<std::string>* written) {
  const std::string path = Absolute(table_dir) + "/metadata/" + name;
  written->push_back(path);
  WriteStoredFile(path, bytes);
  return path;
}

// Makes the names of the files just written durable (an object store's are at once).
void SyncDirectory(const std::string& dir) {
  if (IsS3Path(dir)) return;
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

}  // namespace

int64_t MetadataVersionOf(const std::optional<std::string>& location) {
  if (!location) return 0;
  std::string name = fs::path(*location).filename().string();
  size_t i = !name.empty() && name[0] == 'v' ? 1 : 0;
  size_t end = i;
  while (end < name.size() && std::isdigit(static_cast<unsigned char>(name[end]))) end++;
  if (end == i) throw IOError(fmt::format("'{}' is not a versioned Iceberg metadata file", *location));
  return std::stoll(name.substr(i, end - i));
}

namespace {

// Bounds of strings and binaries keep their first kBoundPrefix characters (bytes), as
// Iceberg's default metrics mode truncate(16) does, so long values do not bloat manifests.
constexpr size_t kBoundPrefix = 16;

// The length of the first kBoundPrefix code points of UTF-8 `s` (bytes when `binary`).
size_t PrefixLength(const std::string& s, bool binary) {
  if (binary) return std::min(s.size(), kBoundPrefix);
  size_t i = 0;
  for (size_t n = 0; n < kBoundPrefix && i < s.size(); n++) {
    i++;
    while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xc0) == 0x80) i++;
  }
  return i;
}

// A lower bound of every value starting with `lower`: its prefix.
std::string TruncatedLower(const std::string& lower, bool binary) {
  return lower.substr(0, PrefixLength(lower, binary));
}

// An upper bound of every value at most `upper`, no longer than the prefix: the prefix with
// its last byte (binary) or code point (UTF-8, whose byte order is code point order)
// incremented, dropping those that cannot be; nullopt when none can.
std::optional<std::string> TruncatedUpper(const std::string& upper, bool binary) {
  std::string s = upper.substr(0, PrefixLength(upper, binary));
  if (s.size() == upper.size()) return s;
  while (!s.empty()) {
    if (binary) {
      if (static_cast<unsigned char>(s.back()) != 0xff) {
        s.back() = static_cast<char>(static_cast<unsigned char>(s.back()) + 1);
        return s;
      }
      s.pop_back();
      continue;
    }
    size_t start = s.size() - 1;
    while (start > 0 && (static_cast<unsigned char>(s[start]) & 0xc0) == 0x80) start--;
    char32_t cp = 0;
    const auto lead = static_cast<unsigned char>(s[start]);
    const size_t len = s.size() - start;
    cp = len == 1 ? lead : len == 2 ? lead & 0x1f : len == 3 ? lead & 0x0f : lead & 0x07;
    for (size_t i = start + 1; i < s.size(); i++) cp = (cp << 6) | (s[i] & 0x3f);
    s.resize(start);
    cp++;
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xe000;  // past the surrogates
    if (cp > 0x10ffff) continue;
    if (cp < 0x80) {
      s.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      s.push_back(static_cast<char>(0xc0 | (cp >> 6)));
      s.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    } else if (cp < 0x10000) {
      s.push_back(static_cast<char>(0xe0 | (cp >> 12)));
      s.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
      s.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    } else {
      s.push_back(static_cast<char>(0xf0 | (cp >> 18)));
      s.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
      s.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
      s.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    }
    return s;
  }
  return std::nullopt;
}

}  // namespace

FileMetrics MetricsOf(const Schema& schema, const std::vector<int32_t>& field_ids,
                      const std::vector<ParquetColumnStats>& stats, int64_t rows) {
  FileMetrics out;
  for (size_t i = 0; i < schema.size() && i < field_ids.size() && i < stats.size(); i++) {
    const LogicalType& type = schema.field(i).type;
    if (type.IsNested() || type.id() == TypeId::kNull) continue;
    const int id = field_ids[i];
    out.value_counts[id] = rows;
    if (stats[i].null_count) out.null_value_counts[id] = *stats[i].null_count;
    if (type.id() == TypeId::kDouble || type.id() == TypeId::kInterval || !stats[i].min ||
        !stats[i].max) {
      continue;
    }
    int next_id = 0;
    const ib::TypePtr stored = StoredType(type, &next_id);
    std::string lower, upper;
    try {
      lower = ib::SerializeValue(*stored, *stats[i].min);
      upper = ib::SerializeValue(*stored, *stats[i].max);
    } catch (const NotImplementedError&) {
      continue;
    }
    if (type.IsStringLike()) {
      const bool binary = type.id() == TypeId::kBlob;
      const std::optional<std::string> truncated = TruncatedUpper(upper, binary);
      if (!truncated) continue;
      lower = TruncatedLower(lower, binary);
      upper = *truncated;
    }
    out.lower_bounds[id] = std::move(lower);
    out.upper_bounds[id] = std::move(upper);
  }
  return out;
}

int BucketOfDataFile(const std::string& path) {
  const std::string name = fs::path(path).filename().string();
  const std::string stem = name.substr(0, name.find('.'));
  const size_t b = stem.rfind("-b");
  if (b == std::string::npos || b + 2 >= stem.size()) return -1;
  for (size_t i = b + 2; i < stem.size(); i++) {
    if (!std::isdigit(static_cast<unsigned char>(stem[i]))) return -1;
  }
  return std::stoi(stem.substr(b + 2));
}

CommittedTable LoadCommittedTable(const std::string& table_dir, const std::string& location) {
  CommittedTable t;
  t.location = location;
  t.metadata = ib::LoadTableMetadata(ib::LocalPath(location));
  const ib::TableMetadata& m = t.metadata;
  Snapshot& s = t.snapshot;
  s.version = MetadataVersionOf(location);
  s.schema = SluiceSchemaOf(m);
  for (const auto& f : m.current_schema().fields) s.field_ids.push_back(f.id);
  if (const std::string columns = m.property(kBucketColumns); !columns.empty()) {
    s.buckets.columns = nlohmann::json::parse(columns).get<std::vector<std::string>>();
    s.buckets.num_buckets = static_cast<int>(PropertyInt(m, kBucketCount, 0));
  }
  s.buckets.partition_by = PartitionColumnsOf(m, m.default_spec());
  // A field whose source column another engine dropped partitions nothing Sluice writes: the
  // next write commits a spec without it.
  std::erase_if(s.buckets.partition_by, [](const PartitionColumn& f) { return f.column.empty(); });
  try {
    if (const std::string defaults = m.property(kColumnDefaults); !defaults.empty()) {
      s.constraints.defaults = nlohmann::json::parse(defaults).get<std::vector<std::string>>();
    }
    if (const std::string checks = m.property(kChecks); !checks.empty()) {
      s.constraints.checks = nlohmann::json::parse(checks).get<std::vector<std::string>>();
    }
    if (const std::string keys = m.property(kKeys); !keys.empty()) {
      for (const auto& k : nlohmann::json::parse(keys)) {
        s.constraints.keys.push_back({k.at("columns").get<std::vector<std::string>>(),
                                      k.at("primary").get<bool>()});
      }
    }
  } catch (const nlohmann::json::exception& e) {
    throw IOError(fmt::format("table '{}': corrupt constraint properties: {}", table_dir, e.what()));
  }
  const ib::Snapshot* current = m.current_snapshot();
  if (current == nullptr) return t;
  s.snapshot_id = current->snapshot_id;
  const ib::SnapshotFiles files = ib::ReadSnapshotFiles(m, *current);
  if (!files.deletes.empty()) {
    throw NotImplementedError(fmt::format(
        "Iceberg table '{}' has delete files; the warehouse reads copy-on-write tables only so "
        "far (read it with iceberg_scan)",
        table_dir));
  }
  t.manifests = files.manifests;
  const std::string root = Absolute(table_dir) + "/";
  for (const auto& e : files.data) {
    Snapshot::DataFile f;
    f.path = RelativeTo(root, e.data_file.file_path);
    f.rows = e.data_file.record_count;
    f.bytes = e.data_file.file_size_in_bytes;
    f.bucket = s.buckets.bucketed() ? BucketOfDataFile(f.path) : -1;
    if (s.buckets.bucketed() && (f.bucket < 0 || f.bucket >= s.buckets.num_buckets)) {
      throw IOError(fmt::format("table '{}': data file '{}' names no bucket of {}", table_dir,
                                f.path, s.buckets.num_buckets));
    }
    f.snapshot_id = e.snapshot_id.value_or(0);
    f.sequence_number = e.sequence_number.value_or(0);
    f.spec_id = e.data_file.spec_id;
    f.partition = e.data_file.partition;
    f.metrics = ib::MetricsOf(e.data_file);
    s.row_count += f.rows;
    s.files.push_back(std::move(f));
  }
  SetIcebergBuckets(m, s);
  return t;
}

std::vector<int32_t> AssignFieldIds(const Schema& schema, const CommittedTable& base) {
  std::map<std::string, int32_t> known;
  int32_t next = 1;
  if (base.location) {
    for (const auto& f : base.metadata.current_schema().fields) known[f.name] = f.id;
    next = base.metadata.last_column_id + 1;
  }
  std::vector<int32_t> ids;
  for (const auto& f : schema.fields()) {
    auto it = known.find(f.name);
    ids.push_back(it != known.end() ? it->second : next++);
  }
  return ids;
}

PreparedCommit WriteCommit(const std::string& table_dir, const CommittedTable& base,
                           Snapshot next, int64_t now_ms,
                           const std::map<std::string, std::string>& properties) {
  PreparedCommit out;
  const std::string location = Absolute(table_dir);
  CreateStoredDirectory(location + "/metadata");
  ib::TableMetadata m;
  if (base.location) {
    m = base.metadata;
    ib::IcebergSchema schema = IcebergSchemaOf(next, m.current_schema_id);
    if (!SameSchema(schema, m.current_schema())) {
      int highest = 0;
      for (const auto& s : m.schemas) highest = std::max(highest, s.schema_id);
      schema.schema_id = highest + 1;
      m.current_schema_id = schema.schema_id;
      m.schemas.push_back(std::move(schema));
    }
  } else {
    int last_partition_id = 999;
    m = ib::NewTableMetadata(IcebergSchemaOf(next, 0),
                             PartitionSpecOf(next.buckets.partition_by, next.schema,
                                             next.field_ids, 0, {}, &last_partition_id),
                             ib::SortOrder{}, location, NewUuid(), {}, now_ms);
    m.properties[kKeepSnapshots] = std::to_string(kDefaultKeepSnapshots);
    m.properties[kPreviousVersionsMax] = std::to_string(kDefaultPreviousVersions);
    m.properties["write.metadata.delete-after-commit.enabled"] = "true";
    m.properties["write.format.default"] = "parquet";
  }
  for (const auto& [key, value] : properties) m.properties[key] = value;
  for (int32_t id : next.field_ids) m.last_column_id = std::max(m.last_column_id, id);
  nlohmann::json types = nlohmann::json::array();
  for (const auto& f : next.schema.fields()) types.push_back(f.type.ToString());
  m.properties[kColumnTypes] = types.dump();
  if (!next.constraints.empty()) {
    std::vector<std::string> defaults(next.schema.size());
    for (size_t i = 0; i < defaults.size(); i++) defaults[i] = next.constraints.DefaultOf(i);
    m.properties[kColumnDefaults] = nlohmann::json(defaults).dump();
    m.properties[kChecks] = nlohmann::json(next.constraints.checks).dump();
    nlohmann::json keys = nlohmann::json::array();
    for (const auto& k : next.constraints.keys) {
      keys.push_back({{"columns", k.columns}, {"primary", k.primary}});
    }
    m.properties[kKeys] = keys.dump();
  } else {
    m.properties.erase(kColumnDefaults);
    m.properties.erase(kChecks);
    m.properties.erase(kKeys);
  }
  if (base.location) SetDefaultPartitionSpec(m, next);
  if (next.buckets.bucketed()) {
    m.properties[kBucketColumns] = nlohmann::json(next.buckets.columns).dump();
    m.properties[kBucketCount] = std::to_string(next.buckets.num_buckets);
  } else {
    m.properties.erase(kBucketColumns);
    m.properties.erase(kBucketCount);
  }

  const int64_t snapshot_id = NewSnapshotId();
  const int64_t sequence = m.last_sequence_number + 1;
  const std::string uuid = NewUuid();
  std::map<std::string, const Snapshot::DataFile*> before;
  for (const auto& f : base.snapshot.files) before[f.path] = &f;
  std::vector<ib::ManifestEntry> added, existing, removed;
  int64_t added_rows = 0, added_bytes = 0, removed_rows = 0, removed_bytes = 0, total_bytes = 0;
  std::set<std::string> kept;
  next.row_count = 0;
  for (auto& f : next.files) {
    next.row_count += f.rows;
    total_bytes += f.bytes;
    ib::ManifestEntry e;
    e.data_file = IcebergDataFile(location, f);
    if (auto it = before.find(f.path); it != before.end()) {
      kept.insert(f.path);
      f.snapshot_id = it->second->snapshot_id;
      f.sequence_number = it->second->sequence_number;
      if (f.spec_id < 0) {
        f.spec_id = it->second->spec_id;
        f.partition = it->second->partition;
      }
      e.data_file.spec_id = f.spec_id;
      e.data_file.partition = f.partition;
      e.status = ib::EntryStatus::kExisting;
      e.snapshot_id = f.snapshot_id;
      e.sequence_number = f.sequence_number;
      e.file_sequence_number = f.sequence_number;
      existing.push_back(std::move(e));
    } else {
      f.snapshot_id = snapshot_id;
      f.sequence_number = sequence;
      f.spec_id = m.default_spec_id;
      e.data_file.spec_id = f.spec_id;
      e.status = ib::EntryStatus::kAdded;
      added_rows += f.rows;
      added_bytes += f.bytes;
      added.push_back(std::move(e));
    }
  }
  for (const auto& f : base.snapshot.files) {
    if (kept.count(f.path)) continue;
    ib::ManifestEntry e;
    e.status = ib::EntryStatus::kDeleted;
    e.snapshot_id = snapshot_id;
    e.sequence_number = f.sequence_number;
    e.file_sequence_number = f.sequence_number;
    e.data_file = IcebergDataFile(location, f);
    removed_rows += f.rows;
    removed_bytes += f.bytes;
    removed.push_back(std::move(e));
  }

  const ib::IcebergSchema& schema = m.current_schema();
  std::vector<ib::ManifestFile> manifests;
  // One manifest per partition spec: a manifest's files share its spec.
  auto write_manifest = [&](const std::vector<ib::ManifestEntry>& entries) {
    std::map<int, std::vector<ib::ManifestEntry>> by_spec;
    for (const auto& e : entries) by_spec[e.data_file.spec_id].push_back(e);
    for (const auto& [spec_id, group] : by_spec) {
      const ib::PartitionSpec* spec = m.FindSpec(spec_id);
      SLUICE_CHECK(spec != nullptr, "table {}: a data file has partition spec {}, which the metadata lacks",
                   table_dir, spec_id);
      const ib::ManifestContext context{&schema, spec, snapshot_id, sequence};
      ib::ManifestFile summary;
      const std::string bytes = ib::WriteManifest(context, false, group, &summary);
      summary.manifest_path = WriteMetadataFile(
          table_dir, fmt::format("{}-m{}.avro", uuid, manifests.size()), bytes, &out.written);
      summary.manifest_length = static_cast<int64_t>(bytes.size());
      manifests.push_back(std::move(summary));
    }
  };
  const bool schema_kept = base.location && base.metadata.current_schema_id == m.current_schema_id;
  if (removed.empty() && schema_kept && base.manifests.size() < kMaxManifests) {
    // An append keeps its parent's manifests and adds one.
    manifests = base.manifests;
    if (!added.empty()) write_manifest(added);
  } else {
    std::vector<ib::ManifestEntry> all = std::move(existing);
    all.insert(all.end(), added.begin(), added.end());
    all.insert(all.end(), removed.begin(), removed.end());
    if (!all.empty()) write_manifest(all);
  }

  ib::Snapshot snap;
  snap.snapshot_id = snapshot_id;
  if (const ib::Snapshot* parent = m.current_snapshot()) snap.parent_snapshot_id = parent->snapshot_id;
  snap.sequence_number = sequence;
  snap.timestamp_ms = now_ms;
  snap.schema_id = m.current_schema_id;
  const std::string operation = !next.operation.empty() ? next.operation
                                : removed.empty()       ? "append"
                                : added.empty()         ? "delete"
                                                        : "overwrite";
  snap.summary = {{"operation", operation},
                  {"added-data-files", std::to_string(added.size())},
                  {"added-records", std::to_string(added_rows)},
                  {"added-files-size", std::to_string(added_bytes)},
                  {"deleted-data-files", std::to_string(removed.size())},
                  {"deleted-records", std::to_string(removed_rows)},
                  {"removed-files-size", std::to_string(removed_bytes)},
                  {"total-data-files", std::to_string(next.files.size())},
                  {"total-records", std::to_string(next.row_count)},
                  {"total-files-size", std::to_string(total_bytes)},
                  {"total-delete-files", "0"},
                  {"total-position-deletes", "0"},
                  {"total-equality-deletes", "0"}};
  // A high-water mark stays with the table until a commit records another, so expiring the
  // snapshot that set it does not lose it.
  if (const ib::Snapshot* parent = m.current_snapshot()) {
    auto mark = parent->summary.find(kHighWaterMarkKey);
    if (mark != parent->summary.end()) snap.summary[kHighWaterMarkKey] = mark->second;
  }
  for (const auto& [key, value] : next.summary) snap.summary[key] = value;
  next.summary.clear();
  const std::string list = ib::WriteManifestList(snapshot_id, snap.parent_snapshot_id, sequence, manifests);
  snap.manifest_list = WriteMetadataFile(
      table_dir, fmt::format("snap-{}-1-{}.avro", snapshot_id, uuid), list, &out.written);

  // Snapshots past the ones kept are expired (their files are collected after the commit).
  m.snapshots.push_back(snap);
  const size_t keep = static_cast<size_t>(std::max<int64_t>(1, PropertyInt(m, kKeepSnapshots, kDefaultKeepSnapshots)));
  std::set<int64_t> tagged;
  for (const auto& [name, ref] : m.refs) {
    if (name != "main") tagged.insert(ref.snapshot_id);
  }
  std::vector<ib::Snapshot> retained;
  for (size_t i = 0; i < m.snapshots.size(); i++) {
    if (i + keep >= m.snapshots.size() || tagged.count(m.snapshots[i].snapshot_id)) {
      retained.push_back(m.snapshots[i]);
    }
  }
  m.snapshots = std::move(retained);
  m.refs["main"] = ib::SnapshotRef{snapshot_id, false, std::nullopt, std::nullopt, std::nullopt};
  m.current_snapshot_id = snapshot_id;
  m.snapshot_log.push_back({snapshot_id, now_ms});
  std::erase_if(m.snapshot_log, [&](const ib::SnapshotLogEntry& e) { return m.FindSnapshot(e.snapshot_id) == nullptr; });
  if (base.location) m.metadata_log.push_back({*base.location, base.metadata.last_updated_ms});
  const size_t versions = static_cast<size_t>(std::max<int64_t>(0, PropertyInt(m, kPreviousVersionsMax, kDefaultPreviousVersions)));
  if (m.metadata_log.size() > versions) {
    m.metadata_log.erase(m.metadata_log.begin(), m.metadata_log.end() - static_cast<std::ptrdiff_t>(versions));
  }
  m.last_sequence_number = sequence;
  m.last_updated_ms = now_ms;

  next.version = base.snapshot.version + 1;
  next.snapshot_id = snapshot_id;
  SetIcebergBuckets(m, next);
  const std::string metadata_file = WriteMetadataFile(
      table_dir, fmt::format("v{}.metadata.json", next.version), ib::MetadataToJson(m).dump(2) + "\n",
      &out.written);
  SyncDirectory(location + "/metadata");
  out.table.location = metadata_file;
  out.table.metadata = std::move(m);
  out.table.snapshot = std::move(next);
  out.table.manifests = std::move(manifests);
  return out;
}

PreparedCommit WriteMetadataCommit(const std::string& table_dir, const CommittedTable& base,
                                   ib::TableMetadata m, int64_t now_ms) {
  SLUICE_CHECK(base.location.has_value(), "table {} has no metadata to change", table_dir);
  PreparedCommit out;
  const ib::Snapshot* before = base.metadata.current_snapshot();
  auto main = m.refs.find("main");
  m.current_snapshot_id.reset();
  if (main != m.refs.end()) m.current_snapshot_id = main->second.snapshot_id;
  if (m.current_snapshot_id && (before == nullptr || before->snapshot_id != *m.current_snapshot_id)) {
    m.snapshot_log.push_back({*m.current_snapshot_id, now_ms});
  }
  std::erase_if(m.snapshot_log, [&](const ib::SnapshotLogEntry& e) { return m.FindSnapshot(e.snapshot_id) == nullptr; });
  m.metadata_log.push_back({*base.location, base.metadata.last_updated_ms});
  const size_t versions = static_cast<size_t>(std::max<int64_t>(0, PropertyInt(m, kPreviousVersionsMax, kDefaultPreviousVersions)));
  if (m.metadata_log.size() > versions) {
    m.metadata_log.erase(m.metadata_log.begin(), m.metadata_log.end() - static_cast<std::ptrdiff_t>(versions));
  }
  m.last_updated_ms = now_ms;
  const std::string metadata_file = WriteMetadataFile(
      table_dir, fmt::format("v{}.metadata.json", base.snapshot.version + 1),
      ib::MetadataToJson(m).dump(2) + "\n", &out.written);
  SyncDirectory(Absolute(table_dir) + "/metadata");
  out.table = LoadCommittedTable(table_dir, metadata_file);
  return out;
}

std::set<std::string> ReferencedFiles(const std::string& table_dir, const CommittedTable& table,
                                      const CommittedTable* known) {
  std::set<std::string> out;
  if (!table.location) return out;
  const std::string root = Absolute(table_dir) + "/";
  auto add = [&](const std::string& path) { out.insert(RelativeTo(root, path)); };
  // A committed state's own snapshot: its data files and manifests are at hand.
  auto add_current = [&](const CommittedTable& t) {
    for (const auto& f : t.snapshot.files) out.insert(f.path);
    for (const auto& m : t.manifests) add(m.manifest_path);
  };
  add(*table.location);
  for (const auto& e : table.metadata.metadata_log) add(e.metadata_file);
  add_current(table);
  std::set<std::string> manifests_read;
  for (const auto& s : table.metadata.snapshots) {
    add(s.manifest_list);
    if (s.snapshot_id == table.snapshot.snapshot_id) continue;
    if (known != nullptr && known->location && s.snapshot_id == known->snapshot.snapshot_id) {
      add_current(*known);
      continue;
    }
    const std::string list_path = ib::LocalPath(s.manifest_list);
    if (!StoredFileExists(list_path)) continue;
    for (const auto& m : ib::ReadManifestList(ib::ReadWholeFile(list_path), list_path)) {
      add(m.manifest_path);
      if (!manifests_read.insert(m.manifest_path).second) continue;
      const ib::PartitionSpec* spec = table.metadata.FindSpec(m.partition_spec_id);
      const std::string path = ib::LocalPath(m.manifest_path);
      if (spec == nullptr || !StoredFileExists(path)) continue;
      for (const auto& e : ib::ReadManifest(ib::ReadWholeFile(path), path, m,
                                            table.metadata.current_schema(), *spec)) {
        if (e.status != ib::EntryStatus::kDeleted) add(e.data_file.file_path);
      }
    }
  }
  return out;
}

}  // namespace sluice
