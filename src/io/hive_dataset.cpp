#include "io/hive_dataset.h"

#include <climits>
#include <filesystem>

#include <fmt/format.h>

#include "common/error.h"
#include "common/memory.h"
#include "common/strings.h"
#include "expr/binder.h"
#include "expr/evaluator.h"
#include "io/csv_convert.h"
#include "io/parquet_reader.h"
#include "types/date_time.h"

namespace sluice {

namespace {

// The part of a pattern before its first wildcard, cut back to a directory: partition
// directories are looked for only below it. `paths`: what the pattern expanded to (a
// pattern without wildcards names one file, or a directory of them; the test works for
// object store prefixes too, which are no directories).
std::string FixedRoot(const std::string& pattern, const std::vector<std::string>& paths) {
  const size_t wildcard = pattern.find_first_of("*?[");
  if (wildcard == std::string::npos) {
    if (paths.size() != 1 || paths[0] != pattern) return pattern;
    return std::filesystem::path(pattern).parent_path().string();
  }
  const size_t slash = pattern.rfind('/', wildcard);
  return slash == std::string::npos ? "" : pattern.substr(0, slash);
}

int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string Unescape(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); i++) {
    if (text[i] == '%' && i + 2 < text.size() && Hex(text[i + 1]) >= 0 && Hex(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(Hex(text[i + 1]) * 16 + Hex(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

// BIGINT when every value is an integer, DATE when every one is an ISO date, else VARCHAR.
LogicalType InferPartitionType(const std::vector<const std::string*>& values) {
  bool integers = true;
  bool dates = true;
  for (const std::string* v : values) {
    if (*v == kHiveNullPartition) continue;
    int64_t i;
    if (integers && !ParseCsvInteger(*v, &i)) integers = false;
    if (dates && !(v->size() == 10 && ParseDate(*v))) dates = false;
  }
  if (integers) return TypeId::kBigInt;
  if (dates) return TypeId::kDate;
  return TypeId::kVarchar;
}

LogicalType WidenTypes(const LogicalType& a, const LogicalType& b) {
  if (a == b) return a;
  auto is = [&](TypeId x, TypeId y) {
    return (a.id() == x && b.id() == y) || (a.id() == y && b.id() == x);
  };
  if (is(TypeId::kBigInt, TypeId::kDouble)) return TypeId::kDouble;
  if (is(TypeId::kDate, TypeId::kTimestamp)) return TypeId::kTimestamp;
  return TypeId::kVarchar;
}

// Smallest and largest column index referenced ({INT_MAX, -1} for none).
void ColumnRefs(const Expr& e, int* lo, int* hi) {
  if (e.kind == ExprKind::kColumnRef) {
    *lo = std::min(*lo, e.column_index);
    *hi = std::max(*hi, e.column_index);
  }
  for (const ExprPtr& a : e.args) ColumnRefs(*a, lo, hi);
}

// A file's stream with its columns cast to the dataset's types and the partition values
// appended as columns.
class HiveFileStream : public BatchStream {
 public:
  struct Slot {
    int inner = -1;         // column of the inner batch, or -1 for a partition value
    ExprPtr cast;           // over the inner batch, when the file's type differs
    LogicalType type;       // partition slot
    Value value;            // partition slot
  };

  HiveFileStream(std::unique_ptr<BatchStream> inner, std::vector<Slot> slots)
      : inner_(std::move(inner)), slots_(std::move(slots)) {}

  bool Next(Batch* out) override {
    Batch in;
    if (!inner_->Next(&in)) return false;
    std::vector<ColumnPtr> columns;
    columns.reserve(slots_.size());
    for (const Slot& s : slots_) {
      if (s.inner >= 0) {
        columns.push_back(s.cast ? Evaluate(*s.cast, in) : in.column(s.inner));
      } else {
        ColumnPtr constant = Column::MakeConstant(s.type, s.value, in.num_rows());
        columns.push_back(constant->Flatten(constant));
      }
    }
    *out = Batch(std::move(columns), in.num_rows());
    return true;
  }

 private:
  std::unique_ptr<BatchStream> inner_;
  std::vector<Slot> slots_;
};

}  // namespace

std::vector<std::pair<std::string, std::string>> HivePartitionsOf(const std::string& root,
                                                                  const std::string& path) {
  std::string_view rest(path);
  if (!root.empty() && rest.substr(0, root.size()) == root) rest.remove_prefix(root.size());
  std::vector<std::pair<std::string, std::string>> out;
  const size_t last = rest.rfind('/');
  if (last == std::string_view::npos) return out;
  rest = rest.substr(0, last);  // directories only
  size_t start = 0;
  while (start <= rest.size()) {
    size_t end = rest.find('/', start);
    if (end == std::string_view::npos) end = rest.size();
    const std::string_view segment = rest.substr(start, end - start);
    const size_t eq = segment.find('=');
    if (eq != std::string_view::npos && eq > 0) {
      out.emplace_back(Unescape(segment.substr(0, eq)), Unescape(segment.substr(eq + 1)));
    }
    start = end + 1;
  }
  return out;
}

std::string HivePathSegment(const std::string& key, const Value& value) {
  auto escape = [](const std::string& text) {
    std::string out;
    for (const char c : text) {
      const unsigned char u = static_cast<unsigned char>(c);
      if (u < 0x20 || c == '/' || c == '\\' || c == '=' || c == '%' || c == ':' || c == '*' ||
          c == '?' || c == '"' || c == '<' || c == '>' || c == '|' || c == '#' || u == 0x7f) {
        out += fmt::format("%{:02X}", u);
      } else {
        out.push_back(c);
      }
    }
    return out;
  };
  const std::string text = value.is_null() ? kHiveNullPartition : escape(value.ToString());
  return escape(key) + "=" + (text.empty() ? kHiveNullPartition : text);
}

std::unique_ptr<HiveDataset> HiveDataset::Open(const std::string& pattern,
                                               const std::string& root,
                                               const std::vector<std::string>& paths,
                                               const SourceOpener& open) {
  std::unique_ptr<HiveDataset> dataset(new HiveDataset());
  dataset->pattern_ = pattern;
  std::vector<std::vector<std::pair<std::string, std::string>>> parts;
  for (const std::string& path : paths) parts.push_back(HivePartitionsOf(root, path));
  const auto& keys = parts.at(0);
  for (size_t f = 1; f < parts.size(); f++) {
    bool same = parts[f].size() == keys.size();
    for (size_t k = 0; same && k < keys.size(); k++) same = parts[f][k].first == keys[k].first;
    if (!same) {
      throw InvalidInputError(fmt::format(
          "Hive partitioned files '{}' and '{}' have different partition keys", paths[0],
          paths[f]));
    }
  }

  // The files' own columns: names must agree; inferred types are widened.
  std::vector<LogicalType> types;
  Schema first_schema;
  for (size_t f = 0; f < paths.size(); f++) {
    File file;
    file.path = paths[f];
    file.source = open(paths[f]);
    const Schema& s = file.source->schema();
    if (f == 0) {
      first_schema = s;
      for (const Field& field : s.fields()) types.push_back(field.type);
      const std::string describe = file.source->Describe();
      dataset->format_ = describe.substr(0, describe.find(' '));
    } else {
      bool same = s.size() == first_schema.size();
      for (size_t c = 0; same && c < s.size(); c++) {
        same = EqualsIgnoreCase(s.field(c).name, first_schema.field(c).name);
      }
      if (!same) {
        throw InvalidInputError(fmt::format("File '{}' has columns ({}) different from '{}' ({})",
                                            paths[f], s.ToString(), paths[0],
                                            first_schema.ToString()));
      }
      for (size_t c = 0; c < s.size(); c++) types[c] = WidenTypes(types[c], s.field(c).type);
    }
    dataset->files_.push_back(std::move(file));
  }
  for (size_t c = 0; c < first_schema.size(); c++) {
    Field field = first_schema.field(c);
    field.type = types[c];
    dataset->schema_.Add(std::move(field));
  }
  dataset->num_file_columns_ = first_schema.size();

  // Partition columns (a key the files also hold as a column keeps the file's column).
  for (size_t k = 0; k < keys.size(); k++) {
    if (first_schema.Find(keys[k].first) >= 0) continue;
    std::vector<const std::string*> values;
    for (const auto& p : parts) values.push_back(&p[k].second);
    const LogicalType type = InferPartitionType(values);
    Field field;
    field.name = keys[k].first;
    field.type = type;
    dataset->schema_.Add(std::move(field));
    for (size_t f = 0; f < parts.size(); f++) {
      const std::string& text = parts[f][k].second;
      dataset->files_[f].partition.push_back(text == kHiveNullPartition
                                                 ? Value::Null(type)
                                                 : Value::Varchar(text).CastTo(type));
    }
  }
  dataset->files_total_ = static_cast<int64_t>(paths.size());
  dataset->BuildSplits();
  return dataset;
}

void HiveDataset::BuildSplits() {
  splits_.clear();
  for (int f = 0; f < static_cast<int>(files_.size()); f++) {
    for (int s = 0; s < files_[f].source->num_splits(); s++) splits_.push_back({f, s});
  }
}

std::unique_ptr<BatchStream> HiveDataset::Open(int split, const std::vector<int>& columns) const {
  SLUICE_CHECK(split >= 0 && split < num_splits(), "split={} splits={}", split, num_splits());
  const File& file = files_[splits_[split].file];
  const Schema& file_schema = file.source->schema();
  std::vector<int> inner_columns;
  Schema inner_schema;
  std::vector<HiveFileStream::Slot> slots;
  for (const int c : columns) {
    SLUICE_CHECK(c >= 0 && c < static_cast<int>(schema_.size()), "column={}", c);
    HiveFileStream::Slot slot;
    if (c < static_cast<int>(num_file_columns_)) {
      slot.inner = static_cast<int>(inner_columns.size());
      inner_columns.push_back(c);
      inner_schema.Add(file_schema.field(c));
      if (!(file_schema.field(c).type == schema_.field(c).type)) {
        slot.cast = BindExpression(
            CastTo(BoundColumnRef(inner_schema, slot.inner), schema_.field(c).type), inner_schema);
      }
    } else {
      slot.type = schema_.field(c).type;
      slot.value = file.partition[c - num_file_columns_];
    }
    slots.push_back(std::move(slot));
  }
  return std::make_unique<HiveFileStream>(file.source->Open(splits_[split].split, inner_columns),
                                          std::move(slots));
}

std::shared_ptr<const DataSource> HiveDataset::WithFilters(
    const std::vector<ExprPtr>& conjuncts) const {
  const int num_file = static_cast<int>(num_file_columns_);
  std::vector<ExprPtr> on_partitions;
  std::vector<ExprPtr> on_files;
  for (const ExprPtr& c : conjuncts) {
    int lo = INT_MAX, hi = -1;
    ColumnRefs(*c, &lo, &hi);
    if (hi < 0) continue;
    if (lo >= num_file) {
      on_partitions.push_back(RemapColumns(c, [&](int i) { return i - num_file; }));
    } else if (hi < num_file) {
      on_files.push_back(c);
    }
  }
  if (on_partitions.empty() && on_files.empty()) return nullptr;

  std::shared_ptr<HiveDataset> pruned(new HiveDataset(*this));
  pruned->files_.clear();
  uint32_t sel[1];
  for (const File& file : files_) {
    bool keep = true;
    if (!on_partitions.empty()) {
      std::vector<ColumnPtr> values;
      for (size_t k = 0; k < file.partition.size(); k++) {
        auto column = Column::Make(schema_.field(num_file_columns_ + k).type, 1);
        column->SetValue(0, file.partition[k]);
        column->set_size(1);
        values.push_back(std::move(column));
      }
      const Batch batch(std::move(values), 1);
      for (const ExprPtr& p : on_partitions) {
        try {
          if (EvaluateFilter(*p, batch, sel) == 0) {
            keep = false;
            break;
          }
        } catch (const UserError&) {
          // Not decidable here (a cast that fails, say): keep the file; the filter above
          // the scan evaluates the predicate on its rows and reports the error itself.
        }
      }
    }
    if (!keep) continue;
    File kept = file;
    // Row-group pruning below the partition level; types that were widened across files
    // would make the file's own indices and types disagree with the conjuncts, so only
    // files read without casts take them.
    if (!on_files.empty() && file.source->schema().size() == num_file_columns_) {
      bool same_types = true;
      for (size_t c = 0; c < num_file_columns_; c++) {
        same_types = same_types && file.source->schema().field(c).type == schema_.field(c).type;
      }
      if (same_types) {
        std::shared_ptr<const DataSource> inner = file.source->WithFilters(on_files);
        if (inner) kept.source = std::move(inner);
      }
    }
    pruned->files_.push_back(std::move(kept));
  }
  pruned->BuildSplits();
  return pruned;
}

std::string HiveDataset::Describe() const {
  std::string partitions;
  for (size_t c = num_file_columns_; c < schema_.size(); c++) {
    partitions += (partitions.empty() ? "" : ", ") + schema_.field(c).name + " " +
                  schema_.field(c).type.ToString();
  }
  std::string row_groups;
  int64_t total = 0, pruned = 0;
  bool parquet = !files_.empty();
  for (const File& f : files_) {
    const auto* p = dynamic_cast<const ParquetSource*>(f.source.get());
    if (p == nullptr) {
      parquet = false;
      break;
    }
    total += p->row_groups_total();
    pruned += p->row_groups_pruned();
  }
  if (parquet) {
    row_groups = fmt::format("; {} row group{}{}", total, total == 1 ? "" : "s",
                             pruned > 0 ? fmt::format(", {} pruned by statistics", pruned) : "");
  }
  return fmt::format("{} '{}' (hive partitions {}; {} file{}{}{}, {})", format_, pattern_,
                     partitions, files_total_, files_total_ == 1 ? "" : "s",
                     files_pruned() > 0
                         ? fmt::format(", {} pruned by partition filters", files_pruned())
                         : "",
                     row_groups, FormatBytes(EstimatedBytes()));
}

int64_t HiveDataset::EstimatedBytes() const {
  int64_t bytes = 0;
  for (const File& f : files_) bytes += f.source->EstimatedBytes();
  return bytes;
}

std::optional<int64_t> HiveDataset::EstimatedRows() const {
  int64_t rows = 0;
  for (const File& f : files_) {
    const std::optional<int64_t> r = f.source->EstimatedRows();
    if (!r) return std::nullopt;
    rows += *r;
  }
  return rows;
}

std::unique_ptr<DataSource> OpenDataset(const std::string& pattern, HivePartitioning mode,
                                        const SourceOpener& open) {
  if (mode == HivePartitioning::kOff) return open(pattern);
  const std::vector<std::string> paths = ExpandPaths(pattern);
  const std::string root = FixedRoot(pattern, paths);
  std::vector<std::pair<std::string, std::string>> first = HivePartitionsOf(root, paths[0]);
  bool partitioned = !first.empty();
  for (size_t f = 1; partitioned && f < paths.size(); f++) {
    const auto parts = HivePartitionsOf(root, paths[f]);
    partitioned = parts.size() == first.size();
    for (size_t k = 0; partitioned && k < parts.size(); k++) {
      partitioned = parts[k].first == first[k].first;
    }
  }
  if (!partitioned) {
    if (mode == HivePartitioning::kOn) {
      throw InvalidInputError(fmt::format(
          "hive_partitioning: the files of '{}' are not all in the same key=value directories",
          pattern));
    }
    return open(pattern);
  }
  return HiveDataset::Open(pattern, root, paths, open);
}

}  // namespace sluice
