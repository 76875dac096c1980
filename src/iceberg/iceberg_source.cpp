#include "iceberg/iceberg_source.h"

#include "iceberg/partition_filter.h"

#include <algorithm>

#include <fmt/format.h>

#include "common/error.h"
#include "expr/binder.h"
#include "expr/evaluator.h"
#include "iceberg/file_bounds.h"
#include "io/parquet_reader.h"

namespace sluice::iceberg {

namespace {

// Reserved field ids of position delete files (spec: "Position Delete Files").
constexpr int kDeleteFilePath = 2147483546;
constexpr int kDeletePos = 2147483545;

// The index of the file column holding field `id` (by id when the file has ids, else by
// `name`), or -1.
int FileColumn(const ParquetSource::File& file, int id, const std::string& name) {
  bool has_ids = false;
  for (size_t i = 0; i < file.columns.size(); i++) {
    if (file.columns[i].field_id) {
      has_ids = true;
      if (*file.columns[i].field_id == id) return static_cast<int>(i);
    }
  }
  if (has_ids) return -1;
  for (size_t i = 0; i < file.columns.size(); i++) {
    if (file.columns[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

// Every row of the Parquet file at `path`, in the columns holding field ids `ids` (or named
// `names` in a file without ids).
std::vector<std::vector<Value>> ReadRows(const std::string& path, const std::vector<int>& ids,
                                         const std::vector<std::string>& names) {
  auto source = ParquetSource::Open(path);
  const ParquetSource::File& file = source->files().at(0);
  std::vector<int> columns;
  for (size_t i = 0; i < ids.size(); i++) {
    const int c = FileColumn(file, ids[i], names[i]);
    if (c < 0) throw InvalidInputError(fmt::format("Iceberg delete file '{}' has no column {} (field id {})", path, names[i], ids[i]));
    columns.push_back(c);
  }
  std::vector<std::vector<Value>> rows;
  for (int split = 0; split < source->num_splits(); split++) {
    auto stream = source->Open(split, columns);
    Batch b;
    while (stream->Next(&b)) {
      for (size_t r = 0; r < b.num_rows(); r++) rows.push_back(b.GetRow(r));
    }
  }
  return rows;
}

std::string KeyPart(const Value& v) { return v.is_null() ? std::string("\x00N", 2) : v.ToString(); }

// Streams one data file: reads the row groups in order (so row positions are known),
// drops deleted rows, and maps the file's columns to the table's.
class DataFileStream : public BatchStream {
 public:
  DataFileStream(std::unique_ptr<ParquetSource> source, std::vector<int> file_columns, std::vector<ExprPtr> outputs,
                 std::shared_ptr<const IcebergSource::Deletes> deletes,
                 std::vector<std::pair<std::vector<int>, const std::set<std::vector<std::string>>*>> equality)
      : source_(std::move(source)), file_columns_(std::move(file_columns)), outputs_(std::move(outputs)),
        deletes_(std::move(deletes)), equality_(std::move(equality)) {}

  bool Next(Batch* out) override {
    while (true) {
      if (stream_ == nullptr) {
        if (split_ >= source_->num_splits()) return false;
        stream_ = source_->Open(split_++, file_columns_);
      }
      Batch b;
      if (!stream_->Next(&b)) {
        stream_.reset();
        continue;
      }
      const int64_t first = position_;
      position_ += static_cast<int64_t>(b.num_rows());
      if (deletes_ != nullptr) b = DropDeleted(b, first);
      if (b.num_rows() == 0) continue;
      std::vector<ColumnPtr> columns;
      for (const auto& e : outputs_) columns.push_back(Evaluate(*e, b));
      *out = Batch(std::move(columns), b.num_rows());
      return true;
    }
  }

 private:
  Batch DropDeleted(const Batch& b, int64_t first) {
    std::vector<uint32_t> keep;
    keep.reserve(b.num_rows());
    const auto& pos = deletes_->positions;
    auto it = std::lower_bound(pos.begin(), pos.end(), first);
    std::vector<std::string> key;
    for (size_t r = 0; r < b.num_rows(); r++) {
      const int64_t p = first + static_cast<int64_t>(r);
      while (it != pos.end() && *it < p) ++it;
      if (it != pos.end() && *it == p) continue;
      bool deleted = false;
      for (const auto& [cols, keys] : equality_) {
        key.clear();
        for (int c : cols) key.push_back(c < 0 ? std::string("\x00N", 2) : KeyPart(b.column(c)->GetValue(r)));
        if (keys->count(key)) {
          deleted = true;
          break;
        }
      }
      if (!deleted) keep.push_back(static_cast<uint32_t>(r));
    }
    return keep.size() == b.num_rows() ? b : b.Gather(keep.data(), keep.size());
  }

  std::unique_ptr<ParquetSource> source_;
  std::vector<int> file_columns_;
  std::vector<ExprPtr> outputs_;
  std::shared_ptr<const IcebergSource::Deletes> deletes_;
  std::vector<std::pair<std::vector<int>, const std::set<std::vector<std::string>>*>> equality_;
  int split_ = 0;
  std::unique_ptr<BatchStream> stream_;
  int64_t position_ = 0;
};

}  // namespace

std::unique_ptr<IcebergSource> IcebergSource::Open(const std::string& path, const SnapshotSelector& selector) {
  return Plan(path, selector, std::nullopt, {});
}

std::shared_ptr<const DataSource> IcebergSource::WithFilters(const std::vector<ExprPtr>& conjuncts) const {
  if (conjuncts.empty() || snapshot_id_ < 0) return nullptr;
  std::shared_ptr<IcebergSource> pruned;
  try {
    pruned = Plan(table_path_, selector_, snapshot_id_, conjuncts);
  } catch (const UserError&) {
    return nullptr;  // the snapshot expired meanwhile: the unpruned plan stands
  }
  if (pruned->manifests_skipped_ == 0 && pruned->files_skipped_ == 0 &&
      pruned->bounds_files_skipped_ == 0) {
    return nullptr;
  }
  return pruned;
}

std::unique_ptr<IcebergSource> IcebergSource::Plan(const std::string& path, const SnapshotSelector& selector,
                                                   std::optional<int64_t> pin,
                                                   const std::vector<ExprPtr>& conjuncts) {
  const std::string metadata_file = FindMetadataFile(path);
  const TableMetadata m = LoadTableMetadata(metadata_file);
  std::unique_ptr<IcebergSource> source(new IcebergSource());
  source->table_path_ = path;
  source->selector_ = selector;
  const Snapshot* snapshot = SelectSnapshot(m, selector);
  if (pin) {
    snapshot = m.FindSnapshot(*pin);
    if (snapshot == nullptr) throw InvalidInputError(fmt::format("the table has no snapshot {}", *pin));
  }
  const IcebergSchema* schema = &m.current_schema();
  // Time travel reads with the schema of the snapshot's time, as Spark and DuckDB do.
  if (snapshot != nullptr && (selector.snapshot_id || selector.as_of_ms || selector.ref) && snapshot->schema_id) {
    if (const IcebergSchema* s = m.FindSchema(*snapshot->schema_id)) schema = s;
  }
  source->table_schema_ = *schema;
  source->schema_ = ToSluiceSchema(*schema);
  if (snapshot == nullptr) return source;
  source->snapshot_id_ = snapshot->snapshot_id;
  // Partition pruning: manifests by the manifest list's summaries, then data files by their
  // partition values. Delete manifests are always read.
  const IcebergSchema& fields = source->table_schema_;
  auto keep = [&](const ManifestFile& manifest) {
    if (conjuncts.empty() || manifest.deletes) return true;
    const PartitionSpec* spec = m.FindSpec(manifest.partition_spec_id);
    if (spec == nullptr || ManifestMayMatch(manifest, *spec, fields, conjuncts, source->schema_)) return true;
    source->manifests_skipped_++;
    return false;
  };
  const SnapshotFiles files = ReadSnapshotFiles(m, *snapshot, keep);
  source->delete_files_ = files.deletes.size();
  std::map<int, PartitionLayout> layouts;
  std::vector<int32_t> field_ids;
  for (const auto& f : fields.fields) field_ids.push_back(f.id);
  // Then by the column bounds of their manifest entries.
  auto bounds_may_match = [&](const DataFile& f) {
    if (conjuncts.empty()) return true;
    const FileBounds bounds = FileBounds::Of(MetricsOf(f), source->schema_, field_ids, fields);
    return BoundsMayMatch(bounds, conjuncts, source->schema_);
  };
  auto file_may_match = [&](const DataFile& f) {
    if (conjuncts.empty()) return true;
    const PartitionSpec* spec = m.FindSpec(f.spec_id);
    if (spec == nullptr || spec->unpartitioned()) return true;
    auto it = layouts.find(f.spec_id);
    if (it == layouts.end()) it = layouts.emplace(f.spec_id, PartitionLayout::Of(*spec, fields)).first;
    return PartitionMayMatch(it->second, f.partition, conjuncts, source->schema_);
  };

  // Position deletes by data file path, with the sequence number of the delete file.
  std::map<std::string, std::vector<std::pair<int64_t, int64_t>>> positions;  // path -> (seq, pos)
  struct EqualityDelete {
    int64_t sequence_number;
    std::vector<int> ids;
    std::set<std::vector<std::string>> keys;
  };
  std::vector<EqualityDelete> equality;
  for (const auto& e : files.deletes) {
    const std::string delete_path = LocalPath(e.data_file.file_path);
    const int64_t seq = e.sequence_number.value_or(0);
    if (e.data_file.content == FileContent::kPositionDeletes) {
      for (const auto& row : ReadRows(delete_path, {kDeleteFilePath, kDeletePos}, {"file_path", "pos"})) {
        positions[LocalPath(row[0].GetString())].emplace_back(seq, row[1].GetInt());
      }
    } else {
      EqualityDelete d{seq, e.data_file.equality_ids, {}};
      std::vector<std::string> names;
      for (int id : d.ids) {
        const NestedField* f = m.current_schema().FindField(id);
        names.push_back(f != nullptr ? f->name : std::to_string(id));
      }
      for (const auto& row : ReadRows(delete_path, d.ids, names)) {
        std::vector<std::string> key;
        for (const auto& v : row) key.push_back(KeyPart(v));
        d.keys.insert(std::move(key));
      }
      equality.push_back(std::move(d));
    }
  }
  for (const auto& e : files.data) {
    if (!file_may_match(e.data_file)) {
      source->files_skipped_++;
      continue;
    }
    if (!bounds_may_match(e.data_file)) {
      source->bounds_files_skipped_++;
      continue;
    }
    DataFileRef ref;
    ref.path = LocalPath(e.data_file.file_path);
    ref.sequence_number = e.sequence_number.value_or(0);
    auto deletes = std::make_shared<Deletes>();
    // A position delete applies to data files of a sequence number <= its own; an equality
    // delete to those strictly older (spec: "Scan Planning").
    if (auto it = positions.find(ref.path); it != positions.end()) {
      for (const auto& [seq, pos] : it->second) {
        if (seq >= ref.sequence_number) deletes->positions.push_back(pos);
      }
      std::sort(deletes->positions.begin(), deletes->positions.end());
      deletes->positions.erase(std::unique(deletes->positions.begin(), deletes->positions.end()),
                               deletes->positions.end());
    }
    for (const auto& d : equality) {
      if (d.sequence_number > ref.sequence_number) {
        auto& keys = deletes->keys[d.ids];
        keys.insert(d.keys.begin(), d.keys.end());
      }
    }
    if (!deletes->positions.empty() || !deletes->keys.empty()) ref.deletes = std::move(deletes);
    source->bytes_ += e.data_file.file_size_in_bytes;
    source->rows_ += e.data_file.record_count;
    source->files_.push_back(std::move(ref));
  }
  return source;
}

std::unique_ptr<BatchStream> IcebergSource::Open(int split, const std::vector<int>& columns) const {
  const DataFileRef& ref = files_.at(split);
  auto source = ParquetSource::Open(ref.path);
  const ParquetSource::File& file = source->files().at(0);
  std::vector<int> file_columns;
  auto slot = [&](int c) {
    auto it = std::find(file_columns.begin(), file_columns.end(), c);
    if (it != file_columns.end()) return static_cast<int>(it - file_columns.begin());
    file_columns.push_back(c);
    return static_cast<int>(file_columns.size()) - 1;
  };
  std::vector<int> output_slots;
  for (int c : columns) {
    const NestedField& f = table_schema_.fields.at(c);
    const int fc = FileColumn(file, f.id, f.name);
    output_slots.push_back(fc < 0 ? -1 : slot(fc));
  }
  std::vector<std::pair<std::vector<int>, const std::set<std::vector<std::string>>*>> equality;
  if (ref.deletes != nullptr) {
    for (const auto& [ids, keys] : ref.deletes->keys) {
      std::vector<int> slots;
      for (int id : ids) {
        const NestedField* f = table_schema_.FindField(id);
        const int fc = FileColumn(file, id, f != nullptr ? f->name : "");
        slots.push_back(fc < 0 ? -1 : slot(fc));
      }
      equality.emplace_back(std::move(slots), &keys);
    }
  }
  Schema read_schema;
  for (int fc : file_columns) read_schema.Add(source->schema().field(fc));
  std::vector<ExprPtr> outputs;
  for (size_t i = 0; i < columns.size(); i++) {
    const LogicalType& type = schema_.field(columns[i]).type;
    if (output_slots[i] < 0) {
      outputs.push_back(BindExpression(Lit(Value::Null(type)), Schema()));
    } else {
      outputs.push_back(CastIfNeeded(BoundColumnRef(read_schema, output_slots[i]), type));
    }
  }
  return std::make_unique<DataFileStream>(std::move(source), std::move(file_columns), std::move(outputs), ref.deletes,
                                          std::move(equality));
}

std::string IcebergSource::Describe() const {
  std::string pruned;
  if (manifests_skipped_ > 0) {
    pruned += fmt::format(", {} manifest{} skipped by partition summaries", manifests_skipped_,
                          manifests_skipped_ == 1 ? "" : "s");
  }
  if (files_skipped_ > 0) {
    pruned += fmt::format(", {} file{} skipped by partition", files_skipped_, files_skipped_ == 1 ? "" : "s");
  }
  if (bounds_files_skipped_ > 0) {
    pruned += fmt::format(", {} file{} skipped by bounds", bounds_files_skipped_,
                          bounds_files_skipped_ == 1 ? "" : "s");
  }
  return fmt::format("iceberg '{}' (snapshot {}, {} data files, {} delete files{})", table_path_, snapshot_id_,
                     files_.size(), delete_files_, pruned);
}

}  // namespace sluice::iceberg
