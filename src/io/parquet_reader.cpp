#include "io/parquet_reader.h"

#include <fmt/format.h>

#include <cstring>

#include "common/error.h"
#include "common/memory.h"
#include "io/file.h"
#include "io/parquet_filters.h"
#include "io/parquet_split_stream.h"
#include "io/thrift_compact.h"

namespace sluice {

namespace {

constexpr char kMagic[] = "PAR1";

}  // namespace

ParquetSource::File ReadParquetFooter(const std::string& path) {
  const FileReader reader(path);
  ParquetSource::File file;
  file.path = path;
  file.size = reader.size();
  auto fail = [&](const std::string& message) -> IOError {
    return IOError(fmt::format("Parquet file '{}': {}", path, message));
  };
  if (file.size < 12) throw fail(fmt::format("file is too small ({} bytes) to be Parquet", file.size));
  char head[4], tail[8];
  if (reader.ReadAt(0, head, 4) != 4 || reader.ReadAt(file.size - 8, tail, 8) != 8) {
    throw fail("file is truncated");
  }
  if (std::memcmp(head, kMagic, 4) != 0 || std::memcmp(tail + 4, kMagic, 4) != 0) {
    if (std::memcmp(tail + 4, "PARE", 4) == 0) throw fail("encrypted Parquet files are not supported");
    throw fail("not a Parquet file (bad magic bytes)");
  }
  uint32_t footer_len;
  std::memcpy(&footer_len, tail, 4);
  if (footer_len == 0 || footer_len > static_cast<uint64_t>(file.size - 12)) {
    throw fail(fmt::format("footer length {} does not fit the file ({} bytes); is it truncated?",
                           footer_len, file.size));
  }
  PooledBuffer buffer(footer_len);
  if (reader.ReadAt(file.size - 8 - footer_len, buffer.data(), footer_len) != footer_len) {
    throw fail("file is truncated");
  }
  try {
    file.metadata =
        parquet::ParseFileMetaData(reinterpret_cast<const uint8_t*>(buffer.data()), footer_len);
  } catch (const ThriftError& e) {
    throw fail("corrupt footer (" + e.message + ")");
  }
  ParquetFileSchema schema = ReadParquetSchema(file.metadata, path);
  file.leaves = std::move(schema.leaves);
  file.columns = std::move(schema.columns);
  int64_t rows = 0;
  for (size_t g = 0; g < file.metadata.row_groups.size(); g++) {
    const parquet::RowGroup& group = file.metadata.row_groups[g];
    if (group.columns.size() != file.leaves.size()) {
      throw fail(fmt::format("row group {} has {} columns but the schema has {}", g,
                             group.columns.size(), file.leaves.size()));
    }
    if (group.num_rows < 0) throw fail(fmt::format("row group {} has a negative row count", g));
    rows += group.num_rows;
    for (size_t c = 0; c < group.columns.size(); c++) {
      const parquet::ColumnChunk& chunk = group.columns[c];
      const std::string where = fmt::format("column '{}' in row group {}", file.leaves[c].name, g);
      if (!chunk.meta_data) throw fail(where + " has no metadata");
      if (!chunk.file_path.empty()) {
        throw NotImplementedError(fmt::format(
            "Parquet file '{}': {} is stored in another file, which is not supported", path, where));
      }
      if (chunk.meta_data->type != file.leaves[c].physical) {
        throw fail(where + " has a physical type different from the schema");
      }
    }
  }
  file.metadata.num_rows = rows;
  return file;
}

std::unique_ptr<ParquetSource> ParquetSource::Open(const std::string& path_or_glob,
                                                   const ParquetReadOptions& options) {
  std::unique_ptr<ParquetSource> source(new ParquetSource());
  source->pattern_ = path_or_glob;
  for (const std::string& path : ExpandPaths(path_or_glob)) {
    File file = ReadParquetFooter(path);
    if (source->files_.empty()) {
      for (const ParquetColumn& column : file.columns) {
        Field field;
        field.name = column.name;
        field.type = column.type;
        source->schema_.Add(std::move(field));
      }
    } else {
      const File& first = source->files_[0];
      bool same = file.columns.size() == first.columns.size();
      for (size_t i = 0; same && i < file.columns.size(); i++) {
        same = file.columns[i].name == first.columns[i].name &&
               file.columns[i].type == first.columns[i].type;
      }
      if (!same) {
        std::string columns;
        for (const ParquetColumn& column : file.columns) {
          columns += (columns.empty() ? "" : ", ") + column.name + " " + column.type.ToString();
        }
        throw IOError(fmt::format("Parquet file '{}' has columns ({}) different from '{}' ({})", path,
                                  columns, first.path, source->schema_.ToString()));
      }
    }
    source->total_bytes_ += file.size;
    source->rows_ += file.metadata.num_rows;
    source->files_.push_back(std::move(file));
  }
  source->BuildSplits(options.predicates);
  return source;
}

void ParquetSource::BuildSplits(const std::vector<ParquetPredicate>& predicate_list) {
  splits_.clear();
  row_groups_total_ = 0;
  files_skipped_ = 0;
  // Resolve predicates to columns once; unknown columns prune nothing.
  std::vector<std::pair<int, const ParquetPredicate*>> predicates;
  for (const ParquetPredicate& p : predicate_list) {
    const int c = schema_.Find(p.column);
    // A nested column's leaves have statistics of its elements, not of its JSON text.
    if (c >= 0 && !files_.empty() && !files_[0].columns[c].is_nested()) predicates.emplace_back(c, &p);
  }
  for (int f = 0; f < static_cast<int>(files_.size()); f++) {
    const File& file = files_[f];
    const size_t before = splits_.size();
    bool pruned_some = false;
    for (int g = 0; g < static_cast<int>(file.metadata.row_groups.size()); g++) {
      const parquet::RowGroup& group = file.metadata.row_groups[g];
      row_groups_total_++;
      if (group.num_rows == 0) continue;
      bool excluded = false;
      for (const auto& [c, p] : predicates) {
        const int leaf = file.columns[c].first_leaf;
        const ParquetColumnStats stats =
            DecodeParquetStats(file.leaves[leaf], *group.columns[leaf].meta_data);
        if (ParquetStatsExclude(stats, group.num_rows, *p, file.leaves[leaf].type)) {
          excluded = true;
          break;
        }
      }
      if (excluded) {
        pruned_some = true;
      } else {
        splits_.push_back({f, g});
      }
    }
    if (pruned_some && splits_.size() == before) files_skipped_++;
  }
}

std::shared_ptr<const DataSource> ParquetSource::WithFilters(
    const std::vector<ExprPtr>& conjuncts) const {
  const std::vector<ParquetPredicate> predicates =
      ParquetPredicatesFromConjuncts(conjuncts, schema_);
  if (predicates.empty()) return nullptr;
  std::shared_ptr<ParquetSource> pruned(new ParquetSource(*this));
  pruned->BuildSplits(predicates);
  for (ParquetRowFilter& f : ParquetRowFiltersFromConjuncts(conjuncts, schema_)) {
    // A nested column's JSON text is built from all its leaves; it is not read first.
    if (!files_.empty() && !files_[0].columns[f.column].is_nested()) {
      pruned->row_filters_.push_back(std::move(f));
    }
  }
  return pruned;
}

std::unique_ptr<BatchStream> ParquetSource::Open(int split, const std::vector<int>& columns) const {
  SLUICE_CHECK(split >= 0 && split < num_splits(), "split={} splits={}", split, num_splits());
  for (const int c : columns) {
    SLUICE_CHECK(c >= 0 && c < static_cast<int>(schema_.size()), "column={}", c);
  }
  const Split& s = splits_[split];
  return OpenParquetRowGroup(files_[s.file], s.row_group, columns, schema_, row_filters_);
}

std::optional<std::pair<double, double>> ParquetSource::NumericRange(int column) const {
  if (splits_.empty() || column < 0 || column >= static_cast<int>(schema_.size())) {
    return std::nullopt;
  }
  double lo = 0, hi = 0;
  for (size_t s = 0; s < splits_.size(); s++) {
    const ParquetColumnStats stats = SplitStats(static_cast<int>(s), column);
    const std::optional<double> min = stats.min ? RangeNumber(*stats.min) : std::nullopt;
    const std::optional<double> max = stats.max ? RangeNumber(*stats.max) : std::nullopt;
    if (!min || !max) return std::nullopt;
    lo = s == 0 ? *min : std::min(lo, *min);
    hi = s == 0 ? *max : std::max(hi, *max);
  }
  return std::make_pair(lo, hi);
}

ParquetColumnStats ParquetSource::SplitStats(int split, int column) const {
  const Split& s = splits_.at(split);
  const File& file = files_[s.file];
  const ParquetColumn& c = file.columns.at(column);
  if (c.is_nested()) return ParquetColumnStats{};
  return DecodeParquetStats(file.leaves[c.first_leaf],
                            *file.metadata.row_groups[s.row_group].columns[c.first_leaf].meta_data);
}

std::string ParquetSource::Describe() const {
  std::string pruned;
  if (row_groups_pruned() > 0) pruned = fmt::format(", {} pruned by statistics", row_groups_pruned());
  if (files_skipped_ > 0) {
    pruned += fmt::format(", {} file{} skipped", files_skipped_, files_skipped_ == 1 ? "" : "s");
  }
  return fmt::format("parquet '{}' ({} file{}, {} row group{}{}, {})", pattern_, files_.size(),
                     files_.size() == 1 ? "" : "s", row_groups_total_,
                     row_groups_total_ == 1 ? "" : "s", pruned, FormatBytes(total_bytes_));
}

}  // namespace sluice
