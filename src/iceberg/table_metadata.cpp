#include "iceberg/table_metadata.h"


#include <fmt/format.h>

#include "common/error.h"

namespace sluice::iceberg {

using Json = nlohmann::ordered_json;

namespace {

// Reads the members of one JSON object, failing with the file and the field's name.
class Reader {
 public:
  Reader(const Json& j, std::string where, std::string what)
      : j_(j), where_(std::move(where)), what_(std::move(what)) {
    if (!j_.is_object()) Fail(fmt::format("{} is not an object", what_));
  }

  bool Has(const char* key) const {
    auto it = j_.find(key);
    return it != j_.end() && !it->is_null();
  }
  const Json& At(const char* key) const {
    if (!Has(key)) Fail(fmt::format("{} has no \"{}\"", what_, key));
    return j_.at(key);
  }
  template <typename T>
  T Get(const char* key) const {
    try {
      return At(key).get<T>();
    } catch (const nlohmann::json::exception&) {
      Fail(fmt::format("\"{}\" of {} has the wrong type: {}", key, what_, At(key).dump()));
    }
  }
  template <typename T>
  T Get(const char* key, T fallback) const {
    return Has(key) ? Get<T>(key) : fallback;
  }
  template <typename T>
  std::optional<T> Optional(const char* key) const {
    if (!Has(key)) return std::nullopt;
    return Get<T>(key);
  }
  std::map<std::string, std::string> StringMap(const char* key) const {
    std::map<std::string, std::string> out;
    if (!Has(key)) return out;
    for (const auto& [k, v] : At(key).items()) out[k] = v.is_string() ? v.get<std::string>() : v.dump();
    return out;
  }
  [[noreturn]] void Fail(const std::string& why) const {
    throw InvalidInputError(fmt::format("{}: invalid Iceberg table metadata: {}", where_, why));
  }
  const std::string& where() const { return where_; }

 private:
  const Json& j_;
  std::string where_;
  std::string what_;
};

Json SortOrderToJson(const SortOrder& order) {
  Json fields = Json::array();
  for (const auto& f : order.fields) {
    fields.push_back(Json{{"transform", f.transform.ToString()},
                          {"source-id", f.source_id},
                          {"direction", f.ascending ? "asc" : "desc"},
                          {"null-order", f.nulls_first ? "nulls-first" : "nulls-last"}});
  }
  return Json{{"order-id", order.order_id}, {"fields", fields}};
}

SortOrder SortOrderFromJson(const Json& j, const std::string& where) {
  Reader r(j, where, "a sort order");
  SortOrder order;
  order.order_id = r.Get<int>("order-id");
  for (const auto& f : r.At("fields")) {
    Reader fr(f, where, "a sort field");
    SortField s;
    s.transform = Transform::Parse(fr.Get<std::string>("transform"));
    s.source_id = fr.Get<int>("source-id");
    s.ascending = fr.Get<std::string>("direction") != "desc";
    s.nulls_first = fr.Get<std::string>("null-order") == "nulls-first";
    order.fields.push_back(std::move(s));
  }
  return order;
}

Json SnapshotToJson(const Snapshot& s) {
  Json j = Json::object();
  j["snapshot-id"] = s.snapshot_id;
  if (s.parent_snapshot_id) j["parent-snapshot-id"] = *s.parent_snapshot_id;
  j["sequence-number"] = s.sequence_number;
  j["timestamp-ms"] = s.timestamp_ms;
  j["manifest-list"] = s.manifest_list;
  j["summary"] = s.summary;
  if (s.schema_id) j["schema-id"] = *s.schema_id;
  return j;
}

Snapshot SnapshotFromJson(const Json& j, const std::string& where) {
  Reader r(j, where, "a snapshot");
  Snapshot s;
  s.snapshot_id = r.Get<int64_t>("snapshot-id");
  s.parent_snapshot_id = r.Optional<int64_t>("parent-snapshot-id");
  s.sequence_number = r.Get<int64_t>("sequence-number", 0);
  s.timestamp_ms = r.Get<int64_t>("timestamp-ms");
  if (r.Has("manifest-list")) {
    s.manifest_list = r.Get<std::string>("manifest-list");
  } else {
    r.Fail(fmt::format("snapshot {} has no \"manifest-list\" (v1 \"manifests\" lists are not supported)", s.snapshot_id));
  }
  s.summary = r.StringMap("summary");
  if (s.summary.count("operation") == 0) s.summary["operation"] = "append";
  s.schema_id = r.Optional<int>("schema-id");
  return s;
}

}  // namespace

TypePtr PartitionSpec::PartitionType(const IcebergSchema& schema) const {
  auto t = std::make_shared<Type>();
  t->kind = TypeKind::kStruct;
  for (const auto& f : fields) {
    const NestedField* source = schema.FindField(f.source_id);
    NestedField out;
    out.id = f.field_id;
    out.name = f.name;
    out.required = false;
    out.type = source != nullptr ? f.transform.ResultType(source->type) : PrimitiveType(TypeKind::kInt);
    t->fields.push_back(std::move(out));
  }
  return t;
}

Json PartitionSpecToJson(const PartitionSpec& spec) {
  Json fields = Json::array();
  for (const auto& f : spec.fields) {
    fields.push_back(Json{{"name", f.name},
                          {"transform", f.transform.ToString()},
                          {"source-id", f.source_id},
                          {"field-id", f.field_id}});
  }
  return Json{{"spec-id", spec.spec_id}, {"fields", fields}};
}

PartitionSpec PartitionSpecFromJson(const Json& json, const std::string& where) {
  Reader r(json, where, "a partition spec");
  PartitionSpec spec;
  spec.spec_id = r.Get<int>("spec-id", 0);
  int next_id = 1000;
  for (const auto& f : r.At("fields")) {
    Reader fr(f, where, "a partition field");
    PartitionField p;
    p.name = fr.Get<std::string>("name");
    p.transform = Transform::Parse(fr.Get<std::string>("transform"));
    p.source_id = fr.Get<int>("source-id");
    p.field_id = fr.Get<int>("field-id", next_id);  // v1 specs may omit ids: 1000, 1001, ...
    next_id = p.field_id + 1;
    spec.fields.push_back(std::move(p));
  }
  return spec;
}

const IcebergSchema* TableMetadata::FindSchema(int schema_id) const {
  for (const auto& s : schemas) {
    if (s.schema_id == schema_id) return &s;
  }
  return nullptr;
}

const IcebergSchema& TableMetadata::current_schema() const { return *FindSchema(current_schema_id); }

const PartitionSpec* TableMetadata::FindSpec(int spec_id) const {
  for (const auto& s : partition_specs) {
    if (s.spec_id == spec_id) return &s;
  }
  return nullptr;
}

const PartitionSpec& TableMetadata::default_spec() const { return *FindSpec(default_spec_id); }

const Snapshot* TableMetadata::FindSnapshot(int64_t snapshot_id) const {
  for (const auto& s : snapshots) {
    if (s.snapshot_id == snapshot_id) return &s;
  }
  return nullptr;
}

const Snapshot* TableMetadata::current_snapshot() const {
  auto main = refs.find("main");
  if (main != refs.end()) return FindSnapshot(main->second.snapshot_id);
  return current_snapshot_id ? FindSnapshot(*current_snapshot_id) : nullptr;
}

std::string TableMetadata::property(const std::string& key, const std::string& fallback) const {
  auto it = properties.find(key);
  return it == properties.end() ? fallback : it->second;
}

TableMetadata NewTableMetadata(IcebergSchema schema, PartitionSpec spec, SortOrder order, std::string location,
                               std::string uuid, std::map<std::string, std::string> properties, int64_t now_ms) {
  TableMetadata m;
  m.table_uuid = std::move(uuid);
  m.location = std::move(location);
  m.last_updated_ms = now_ms;
  m.last_column_id = schema.HighestFieldId();
  m.current_schema_id = schema.schema_id;
  m.schemas.push_back(std::move(schema));
  for (const auto& f : spec.fields) m.last_partition_id = std::max(m.last_partition_id, f.field_id);
  m.default_spec_id = spec.spec_id;
  m.partition_specs.push_back(std::move(spec));
  m.default_sort_order_id = order.order_id;
  m.sort_orders.push_back(std::move(order));
  m.properties = std::move(properties);
  return m;
}

Json MetadataToJson(const TableMetadata& m) {
  Json j = Json::object();
  j["format-version"] = m.format_version;
  j["table-uuid"] = m.table_uuid;
  j["location"] = m.location;
  j["last-sequence-number"] = m.last_sequence_number;
  j["last-updated-ms"] = m.last_updated_ms;
  j["last-column-id"] = m.last_column_id;
  j["current-schema-id"] = m.current_schema_id;
  Json schemas = Json::array();
  for (const auto& s : m.schemas) schemas.push_back(SchemaToJson(s));
  j["schemas"] = std::move(schemas);
  j["default-spec-id"] = m.default_spec_id;
  Json specs = Json::array();
  for (const auto& s : m.partition_specs) specs.push_back(PartitionSpecToJson(s));
  j["partition-specs"] = std::move(specs);
  j["last-partition-id"] = m.last_partition_id;
  j["default-sort-order-id"] = m.default_sort_order_id;
  Json orders = Json::array();
  for (const auto& o : m.sort_orders) orders.push_back(SortOrderToJson(o));
  j["sort-orders"] = std::move(orders);
  j["properties"] = m.properties;
  j["current-snapshot-id"] = m.current_snapshot_id.value_or(-1);
  Json refs = Json::object();
  for (const auto& [name, ref] : m.refs) {
    Json r = Json::object();
    r["snapshot-id"] = ref.snapshot_id;
    r["type"] = ref.is_tag ? "tag" : "branch";
    if (ref.max_ref_age_ms) r["max-ref-age-ms"] = *ref.max_ref_age_ms;
    if (ref.max_snapshot_age_ms) r["max-snapshot-age-ms"] = *ref.max_snapshot_age_ms;
    if (ref.min_snapshots_to_keep) r["min-snapshots-to-keep"] = *ref.min_snapshots_to_keep;
    refs[name] = std::move(r);
  }
  j["refs"] = std::move(refs);
  Json snapshots = Json::array();
  for (const auto& s : m.snapshots) snapshots.push_back(SnapshotToJson(s));
  j["snapshots"] = std::move(snapshots);
  Json snapshot_log = Json::array();
  for (const auto& e : m.snapshot_log) {
    snapshot_log.push_back(Json{{"timestamp-ms", e.timestamp_ms}, {"snapshot-id", e.snapshot_id}});
  }
  j["snapshot-log"] = std::move(snapshot_log);
  Json metadata_log = Json::array();
  for (const auto& e : m.metadata_log) {
    metadata_log.push_back(Json{{"timestamp-ms", e.timestamp_ms}, {"metadata-file", e.metadata_file}});
  }
  j["metadata-log"] = std::move(metadata_log);
  return j;
}

TableMetadata MetadataFromJson(const std::string& text, const std::string& where) {
  Json j;
  try {
    j = Json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw InvalidInputError(fmt::format("{}: table metadata is not valid JSON: {}", where, e.what()));
  }
  Reader r(j, where, "the metadata");
  TableMetadata m;
  m.format_version = r.Get<int>("format-version");
  if (m.format_version < 1 || m.format_version > 2) {
    r.Fail(fmt::format("format-version {} is not supported (1 and 2 are)", m.format_version));
  }
  const bool v2 = m.format_version == 2;
  m.table_uuid = v2 ? r.Get<std::string>("table-uuid") : r.Get<std::string>("table-uuid", "");
  m.location = r.Get<std::string>("location");
  m.last_sequence_number = v2 ? r.Get<int64_t>("last-sequence-number") : 0;
  m.last_updated_ms = r.Get<int64_t>("last-updated-ms");
  m.last_column_id = r.Get<int>("last-column-id");
  if (r.Has("schemas")) {
    for (const auto& s : r.At("schemas")) m.schemas.push_back(SchemaFromJson(s, where));
    m.current_schema_id = r.Get<int>("current-schema-id");
  } else if (!v2) {
    m.schemas.push_back(SchemaFromJson(r.At("schema"), where));
    m.current_schema_id = m.schemas[0].schema_id;
  } else {
    r.At("schemas");
  }
  if (m.FindSchema(m.current_schema_id) == nullptr) {
    r.Fail(fmt::format("current-schema-id {} names no schema", m.current_schema_id));
  }
  if (r.Has("partition-specs")) {
    for (const auto& s : r.At("partition-specs")) m.partition_specs.push_back(PartitionSpecFromJson(s, where));
    m.default_spec_id = r.Get<int>("default-spec-id");
  } else if (!v2) {
    PartitionSpec spec = PartitionSpecFromJson(Json{{"spec-id", 0}, {"fields", r.At("partition-spec")}}, where);
    m.partition_specs.push_back(std::move(spec));
  } else {
    r.At("partition-specs");
  }
  if (m.FindSpec(m.default_spec_id) == nullptr) r.Fail(fmt::format("default-spec-id {} names no spec", m.default_spec_id));
  m.last_partition_id = r.Get<int>("last-partition-id", 999);
  if (r.Has("sort-orders")) {
    for (const auto& o : r.At("sort-orders")) m.sort_orders.push_back(SortOrderFromJson(o, where));
    m.default_sort_order_id = r.Get<int>("default-sort-order-id");
  } else if (v2) {
    r.At("sort-orders");
  } else {
    m.sort_orders.push_back(SortOrder{});
  }
  m.properties = r.StringMap("properties");
  if (auto id = r.Optional<int64_t>("current-snapshot-id"); id && *id != -1) m.current_snapshot_id = id;
  if (r.Has("snapshots")) {
    for (const auto& s : r.At("snapshots")) m.snapshots.push_back(SnapshotFromJson(s, where));
  }
  if (r.Has("refs")) {
    for (const auto& [name, ref] : r.At("refs").items()) {
      Reader rr(ref, where, "ref " + name);
      SnapshotRef out;
      out.snapshot_id = rr.Get<int64_t>("snapshot-id");
      const std::string type = rr.Get<std::string>("type");
      if (type != "branch" && type != "tag") rr.Fail(fmt::format("ref {} has type \"{}\"", name, type));
      out.is_tag = type == "tag";
      out.max_ref_age_ms = rr.Optional<int64_t>("max-ref-age-ms");
      out.max_snapshot_age_ms = rr.Optional<int64_t>("max-snapshot-age-ms");
      out.min_snapshots_to_keep = rr.Optional<int>("min-snapshots-to-keep");
      m.refs[name] = out;
    }
  }
  if (m.refs.count("main") == 0 && m.current_snapshot_id) m.refs["main"] = SnapshotRef{*m.current_snapshot_id};
  for (const auto& [name, ref] : m.refs) {
    if (m.FindSnapshot(ref.snapshot_id) == nullptr) {
      r.Fail(fmt::format("ref {} points at snapshot {}, which the metadata does not list", name, ref.snapshot_id));
    }
  }
  if (r.Has("snapshot-log")) {
    for (const auto& e : r.At("snapshot-log")) {
      Reader er(e, where, "a snapshot-log entry");
      m.snapshot_log.push_back({er.Get<int64_t>("snapshot-id"), er.Get<int64_t>("timestamp-ms")});
    }
  }
  if (r.Has("metadata-log")) {
    for (const auto& e : r.At("metadata-log")) {
      Reader er(e, where, "a metadata-log entry");
      m.metadata_log.push_back({er.Get<std::string>("metadata-file"), er.Get<int64_t>("timestamp-ms")});
    }
  }
  return m;
}

}  // namespace sluice::iceberg
