#include "iceberg/manifest.h"

#include <fmt/format.h>

#include "avro/avro_file.h"
#include "common/error.h"
#include "iceberg/avro_mapping.h"
#include "iceberg/single_value.h"

namespace sluice::iceberg {

namespace {

using avro::AvroType;
using avro::MakeField;
using avro::Optional;
using avro::Primitive;
using Json = nlohmann::ordered_json;

const Json kNullDefault(nullptr);

avro::SchemaPtr Int() { return Primitive(AvroType::kInt); }
avro::SchemaPtr Long() { return Primitive(AvroType::kLong); }
avro::SchemaPtr Bytes() { return Primitive(AvroType::kBytes); }

// An Iceberg map<int, V> in Avro: an array of key/value records marked logicalType "map".
avro::SchemaPtr IntMap(int key_id, int value_id, avro::SchemaPtr value) {
  auto entry = avro::Record(fmt::format("k{}_v{}", key_id, value_id),
                            {MakeField("key", Int(), key_id), MakeField("value", std::move(value), value_id)});
  auto array = std::make_shared<avro::Schema>(*avro::ArrayOf(entry));
  array->logical_type = "map";
  return array;
}

avro::SchemaPtr DataFileSchema(const Type& partition_type) {
  return avro::Record(
      "r2",
      {MakeField("content", Int(), 134),
       MakeField("file_path", Primitive(AvroType::kString), 100),
       MakeField("file_format", Primitive(AvroType::kString), 101),
       MakeField("partition", AvroSchemaOf(partition_type, "r102"), 102),
       MakeField("record_count", Long(), 103),
       MakeField("file_size_in_bytes", Long(), 104),
       MakeField("column_sizes", Optional(IntMap(117, 118, Long())), 108, kNullDefault),
       MakeField("value_counts", Optional(IntMap(119, 120, Long())), 109, kNullDefault),
       MakeField("null_value_counts", Optional(IntMap(121, 122, Long())), 110, kNullDefault),
       MakeField("nan_value_counts", Optional(IntMap(138, 139, Long())), 137, kNullDefault),
       MakeField("lower_bounds", Optional(IntMap(126, 127, Bytes())), 125, kNullDefault),
       MakeField("upper_bounds", Optional(IntMap(129, 130, Bytes())), 128, kNullDefault),
       MakeField("key_metadata", Optional(Bytes()), 131, kNullDefault),
       MakeField("split_offsets", Optional(avro::ArrayOf(Long(), {{"element-id", 133}})), 132, kNullDefault),
       MakeField("equality_ids", Optional(avro::ArrayOf(Int(), {{"element-id", 136}})), 135, kNullDefault),
       MakeField("sort_order_id", Optional(Int()), 140, kNullDefault)});
}

avro::SchemaPtr ManifestEntrySchema(const Type& partition_type) {
  return avro::Record("manifest_entry", {MakeField("status", Int(), 0),
                                         MakeField("snapshot_id", Optional(Long()), 1, kNullDefault),
                                         MakeField("sequence_number", Optional(Long()), 3, kNullDefault),
                                         MakeField("file_sequence_number", Optional(Long()), 4, kNullDefault),
                                         MakeField("data_file", DataFileSchema(partition_type), 2)});
}

avro::SchemaPtr ManifestFileSchema() {
  auto summary = avro::Record("r508", {MakeField("contains_null", Primitive(AvroType::kBoolean), 509),
                                       MakeField("contains_nan", Optional(Primitive(AvroType::kBoolean)), 518, kNullDefault),
                                       MakeField("lower_bound", Optional(Bytes()), 510, kNullDefault),
                                       MakeField("upper_bound", Optional(Bytes()), 511, kNullDefault)});
  return avro::Record(
      "manifest_file",
      {MakeField("manifest_path", Primitive(AvroType::kString), 500), MakeField("manifest_length", Long(), 501),
       MakeField("partition_spec_id", Int(), 502), MakeField("content", Int(), 517),
       MakeField("sequence_number", Long(), 515), MakeField("min_sequence_number", Long(), 516),
       MakeField("added_snapshot_id", Long(), 503), MakeField("added_files_count", Int(), 504),
       MakeField("existing_files_count", Int(), 505), MakeField("deleted_files_count", Int(), 506),
       MakeField("added_rows_count", Long(), 512), MakeField("existing_rows_count", Long(), 513),
       MakeField("deleted_rows_count", Long(), 514),
       MakeField("partitions", Optional(avro::ArrayOf(summary, {{"element-id", 508}})), 507, kNullDefault),
       MakeField("key_metadata", Optional(Bytes()), 519, kNullDefault)});
}

template <typename V>
avro::Value MapValue(const std::map<int, V>& m) {
  if (m.empty()) return avro::Value();
  avro::Items entries;
  for (const auto& [k, v] : m) entries.emplace_back(avro::Items{avro::Value(int32_t{k}), avro::Value(v)});
  return avro::Value(std::move(entries));
}

template <typename T>
avro::Value ListValue(const std::vector<T>& list) {
  if (list.empty()) return avro::Value();
  avro::Items items;
  for (const auto& x : list) items.emplace_back(x);
  return avro::Value(std::move(items));
}

avro::Value OptionalLong(const std::optional<int64_t>& v) { return v ? avro::Value(*v) : avro::Value(); }

// Reads an Iceberg map<int, long|bytes> stored as an array of records (or an Avro map with
// string keys, as some writers did).
template <typename V, typename Get>
std::map<int, V> ReadIntMap(const avro::Value& v, Get get) {
  std::map<int, V> out;
  if (v.is_null()) return out;
  if (std::holds_alternative<avro::Entries>(v.v)) {
    for (const auto& [k, x] : v.entries()) out[std::stoi(k)] = get(x);
    return out;
  }
  for (const auto& e : v.items()) out[static_cast<int>(e.items()[0].int64())] = get(e.items()[1]);
  return out;
}

// Orders two non-NULL values of one partition type (strings as unsigned bytes, as Iceberg's
// bounds compare).
bool Less(const Value& a, const Value& b) {
  switch (a.type().id()) {
    case TypeId::kDouble: return a.GetDouble() < b.GetDouble();
    case TypeId::kDecimal: return a.GetDecimal() < b.GetDecimal();
    case TypeId::kVarchar: return a.GetString() < b.GetString();
    default: return a.GetInt() < b.GetInt();
  }
}

// Running bounds of one partition field over a manifest's entries.
struct SummaryBuilder {
  FieldSummary summary;
  std::optional<Value> lower, upper;

  void Add(const Value& v) {
    if (v.is_null()) {
      summary.contains_null = true;
      return;
    }
    if (v.type().id() == TypeId::kDouble && v.GetDouble() != v.GetDouble()) {
      summary.contains_nan = true;
      return;
    }
    if (!lower || Less(v, *lower)) lower = v;
    if (!upper || Less(*upper, v)) upper = v;
  }
};

}  // namespace

std::string WriteManifest(const ManifestContext& context, bool deletes, const std::vector<ManifestEntry>& entries,
                          ManifestFile* summary) {
  const TypePtr partition_type = context.spec->PartitionType(*context.schema);
  const avro::SchemaPtr schema = ManifestEntrySchema(*partition_type);
  std::map<std::string, std::string> meta = {
      {"schema", SchemaToJson(*context.schema).dump()},
      {"schema-id", std::to_string(context.schema->schema_id)},
      {"partition-spec", PartitionSpecToJson(*context.spec)["fields"].dump()},
      {"partition-spec-id", std::to_string(context.spec->spec_id)},
      {"format-version", "2"},
      {"content", deletes ? "deletes" : "data"}};
  avro::FileWriter writer(schema, avro::Codec::kDeflate, std::move(meta));
  *summary = ManifestFile{};
  summary->partition_spec_id = context.spec->spec_id;
  summary->deletes = deletes;
  summary->sequence_number = context.sequence_number;
  summary->min_sequence_number = context.sequence_number;
  summary->added_snapshot_id = context.snapshot_id;
  std::vector<SummaryBuilder> builders(context.spec->fields.size());
  for (const auto& e : entries) {
    const DataFile& f = e.data_file;
    if (f.partition.size() != context.spec->fields.size()) {
      throw InternalError(fmt::format("data file {} has {} partition values for a spec of {} fields", f.file_path,
                                      f.partition.size(), context.spec->fields.size()));
    }
    avro::Items partition;
    for (size_t i = 0; i < f.partition.size(); i++) {
      partition.push_back(ToAvroValue(*partition_type->fields[i].type, f.partition[i]));
      builders[i].Add(f.partition[i]);
    }
    avro::Value data_file(avro::Items{
        avro::Value(static_cast<int32_t>(f.content)), avro::Value(f.file_path), avro::Value(f.file_format),
        avro::Value(std::move(partition)), avro::Value(f.record_count), avro::Value(f.file_size_in_bytes),
        MapValue(f.column_sizes), MapValue(f.value_counts), MapValue(f.null_value_counts), MapValue(f.nan_value_counts),
        MapValue(f.lower_bounds), MapValue(f.upper_bounds), avro::Value(), ListValue(f.split_offsets),
        ListValue(f.equality_ids),
        f.sort_order_id ? avro::Value(static_cast<int32_t>(*f.sort_order_id)) : avro::Value()});
    // Added files leave their sequence number null: readers inherit it from the manifest
    // list, whose entry gets the commit's number.
    const bool added = e.status == EntryStatus::kAdded;
    writer.Append(avro::Value(avro::Items{
        avro::Value(static_cast<int32_t>(e.status)),
        avro::Value(e.snapshot_id.value_or(context.snapshot_id)),
        added ? avro::Value() : OptionalLong(e.sequence_number),
        added ? avro::Value() : OptionalLong(e.file_sequence_number), std::move(data_file)}));
    switch (e.status) {
      case EntryStatus::kAdded:
        summary->added_files_count++;
        summary->added_rows_count += f.record_count;
        break;
      case EntryStatus::kExisting:
        summary->existing_files_count++;
        summary->existing_rows_count += f.record_count;
        break;
      case EntryStatus::kDeleted:
        summary->deleted_files_count++;
        summary->deleted_rows_count += f.record_count;
        break;
    }
    if (!added && e.sequence_number) {
      summary->min_sequence_number = std::min(summary->min_sequence_number, *e.sequence_number);
    }
  }
  for (size_t i = 0; i < builders.size(); i++) {
    FieldSummary s = builders[i].summary;
    const Type& type = *partition_type->fields[i].type;
    if (type.kind == TypeKind::kFloat || type.kind == TypeKind::kDouble) s.contains_nan = s.contains_nan.value_or(false);
    if (builders[i].lower) s.lower_bound = SerializeValue(type, *builders[i].lower);
    if (builders[i].upper) s.upper_bound = SerializeValue(type, *builders[i].upper);
    summary->partitions.push_back(std::move(s));
  }
  return writer.Finish();
}

std::vector<ManifestEntry> ReadManifest(const std::string& bytes, const std::string& where,
                                        const ManifestFile& manifest, const IcebergSchema& schema,
                                        const PartitionSpec& spec) {
  avro::FileReader reader(bytes, where);
  const avro::Schema& entry_schema = reader.schema();
  if (entry_schema.type != AvroType::kRecord) {
    throw InvalidInputError(fmt::format("{}: a manifest's records must be manifest_entry records", where));
  }
  const RecordFields entry(entry_schema);
  if (entry.Index(2, "data_file") < 0) throw InvalidInputError(fmt::format("{}: manifest entries have no data_file", where));
  const RecordFields file(entry.SchemaOf(2, "data_file"));
  const TypePtr partition_type = spec.PartitionType(schema);
  const avro::Schema* partition_schema = file.Index(102, "partition") >= 0 ? &file.SchemaOf(102, "partition") : nullptr;
  std::optional<RecordFields> partition_fields;
  if (partition_schema != nullptr && partition_schema->type == AvroType::kRecord) partition_fields.emplace(*partition_schema);
  auto as_long = [](const avro::Value& v) { return v.int64(); };
  auto as_bytes = [](const avro::Value& v) { return v.str(); };

  std::vector<ManifestEntry> out;
  avro::Value record;
  while (reader.Next(&record)) {
    ManifestEntry e;
    const int status = entry.Get(record, 0, "status").int32();
    if (status < 0 || status > 2) throw InvalidInputError(fmt::format("{}: manifest entry status {}", where, status));
    e.status = static_cast<EntryStatus>(status);
    const avro::Value& snapshot = entry.Get(record, 1, "snapshot_id");
    const avro::Value& seq = entry.Get(record, 3, "sequence_number");
    const avro::Value& file_seq = entry.Get(record, 4, "file_sequence_number");
    // Inheritance (spec: "Sequence Number Inheritance"): null means the manifest's values.
    e.snapshot_id = snapshot.is_null() ? manifest.added_snapshot_id : snapshot.int64();
    const bool inherit = e.status == EntryStatus::kAdded;
    e.sequence_number = !seq.is_null() ? seq.int64() : inherit ? std::optional<int64_t>(manifest.sequence_number) : std::nullopt;
    e.file_sequence_number =
        !file_seq.is_null() ? file_seq.int64() : inherit ? std::optional<int64_t>(manifest.sequence_number) : std::nullopt;
    const avro::Value& df = entry.Get(record, 2, "data_file");
    DataFile& f = e.data_file;
    const avro::Value& content = file.Get(df, 134, "content");
    f.content = content.is_null() ? FileContent::kData : static_cast<FileContent>(content.int32());
    f.file_path = file.Get(df, 100, "file_path").str();
    f.file_format = file.Get(df, 101, "file_format").str();
    f.record_count = file.Get(df, 103, "record_count").int64();
    f.file_size_in_bytes = file.Get(df, 104, "file_size_in_bytes").int64();
    f.spec_id = manifest.partition_spec_id;
    if (partition_fields) {
      const avro::Value& p = file.Get(df, 102, "partition");
      for (const auto& pf : partition_type->fields) {
        f.partition.push_back(FromAvroValue(*pf.type, partition_fields->Get(p, pf.id, pf.name), where));
      }
    }
    f.column_sizes = ReadIntMap<int64_t>(file.Get(df, 108, "column_sizes"), as_long);
    f.value_counts = ReadIntMap<int64_t>(file.Get(df, 109, "value_counts"), as_long);
    f.null_value_counts = ReadIntMap<int64_t>(file.Get(df, 110, "null_value_counts"), as_long);
    f.nan_value_counts = ReadIntMap<int64_t>(file.Get(df, 137, "nan_value_counts"), as_long);
    f.lower_bounds = ReadIntMap<std::string>(file.Get(df, 125, "lower_bounds"), as_bytes);
    f.upper_bounds = ReadIntMap<std::string>(file.Get(df, 128, "upper_bounds"), as_bytes);
    if (const avro::Value& s = file.Get(df, 132, "split_offsets"); !s.is_null()) {
      for (const auto& x : s.items()) f.split_offsets.push_back(x.int64());
    }
    if (const avro::Value& s = file.Get(df, 135, "equality_ids"); !s.is_null()) {
      for (const auto& x : s.items()) f.equality_ids.push_back(static_cast<int>(x.int64()));
    }
    if (const avro::Value& s = file.Get(df, 140, "sort_order_id"); !s.is_null()) f.sort_order_id = s.int32();
    out.push_back(std::move(e));
  }
  return out;
}

std::string WriteManifestList(int64_t snapshot_id, std::optional<int64_t> parent_snapshot_id, int64_t sequence_number,
                              const std::vector<ManifestFile>& manifests) {
  std::map<std::string, std::string> meta = {
      {"snapshot-id", std::to_string(snapshot_id)},
      {"parent-snapshot-id", parent_snapshot_id ? std::to_string(*parent_snapshot_id) : "null"},
      {"sequence-number", std::to_string(sequence_number)},
      {"format-version", "2"}};
  avro::FileWriter writer(ManifestFileSchema(), avro::Codec::kDeflate, std::move(meta));
  for (const auto& m : manifests) {
    avro::Items partitions;
    for (const auto& p : m.partitions) {
      partitions.emplace_back(avro::Items{
          avro::Value(p.contains_null), p.contains_nan ? avro::Value(*p.contains_nan) : avro::Value(),
          p.lower_bound ? avro::Value(*p.lower_bound) : avro::Value(),
          p.upper_bound ? avro::Value(*p.upper_bound) : avro::Value()});
    }
    writer.Append(avro::Value(avro::Items{
        avro::Value(m.manifest_path), avro::Value(m.manifest_length), avro::Value(int32_t{m.partition_spec_id}),
        avro::Value(int32_t{m.deletes ? 1 : 0}), avro::Value(m.sequence_number), avro::Value(m.min_sequence_number),
        avro::Value(m.added_snapshot_id), avro::Value(int32_t{m.added_files_count}),
        avro::Value(int32_t{m.existing_files_count}), avro::Value(int32_t{m.deleted_files_count}),
        avro::Value(m.added_rows_count), avro::Value(m.existing_rows_count), avro::Value(m.deleted_rows_count),
        partitions.empty() ? avro::Value() : avro::Value(std::move(partitions)), avro::Value()}));
  }
  return writer.Finish();
}

std::vector<ManifestFile> ReadManifestList(const std::string& bytes, const std::string& where) {
  avro::FileReader reader(bytes, where);
  const RecordFields m(reader.schema());
  if (m.Index(500, "manifest_path") < 0) {
    throw InvalidInputError(fmt::format("{}: not a manifest list (no manifest_path field)", where));
  }
  auto get_int = [&](const avro::Value& r, int id, const char* name, int64_t fallback) {
    const avro::Value& v = m.Get(r, id, name);
    return v.is_null() ? fallback : v.int64();
  };
  std::vector<ManifestFile> out;
  avro::Value r;
  while (reader.Next(&r)) {
    ManifestFile f;
    f.manifest_path = m.Get(r, 500, "manifest_path").str();
    f.manifest_length = get_int(r, 501, "manifest_length", 0);
    f.partition_spec_id = static_cast<int>(get_int(r, 502, "partition_spec_id", 0));
    f.deletes = get_int(r, 517, "content", 0) == 1;
    f.sequence_number = get_int(r, 515, "sequence_number", 0);
    f.min_sequence_number = get_int(r, 516, "min_sequence_number", 0);
    f.added_snapshot_id = get_int(r, 503, "added_snapshot_id", 0);
    f.added_files_count = static_cast<int>(get_int(r, 504, "added_files_count", 0));
    f.existing_files_count = static_cast<int>(get_int(r, 505, "existing_files_count", 0));
    f.deleted_files_count = static_cast<int>(get_int(r, 506, "deleted_files_count", 0));
    f.added_rows_count = get_int(r, 512, "added_rows_count", 0);
    f.existing_rows_count = get_int(r, 513, "existing_rows_count", 0);
    f.deleted_rows_count = get_int(r, 514, "deleted_rows_count", 0);
    if (const avro::Value& parts = m.Get(r, 507, "partitions"); !parts.is_null()) {
      for (const auto& p : parts.items()) {
        FieldSummary s;
        s.contains_null = p.items()[0].boolean();
        if (p.items().size() == 4) {
          if (!p.items()[1].is_null()) s.contains_nan = p.items()[1].boolean();
          if (!p.items()[2].is_null()) s.lower_bound = p.items()[2].str();
          if (!p.items()[3].is_null()) s.upper_bound = p.items()[3].str();
        } else if (p.items().size() == 3) {  // v1 summaries have no contains_nan
          if (!p.items()[1].is_null()) s.lower_bound = p.items()[1].str();
          if (!p.items()[2].is_null()) s.upper_bound = p.items()[2].str();
        }
        f.partitions.push_back(std::move(s));
      }
    }
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace sluice::iceberg
