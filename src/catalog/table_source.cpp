#include "catalog/table_source.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

#include "common/error.h"

namespace sluice {

namespace {

// Keeps the snapshot's files open while a stream over one of them is read (ParquetSource
// streams must not outlive their source).
class SnapshotStream : public BatchStream {
 public:
  SnapshotStream(std::shared_ptr<const SnapshotFiles> files, std::unique_ptr<BatchStream> inner)
      : files_(std::move(files)), inner_(std::move(inner)) {}
  bool Next(Batch* out) override { return inner_->Next(out); }

 private:
  std::shared_ptr<const SnapshotFiles> files_;
  std::unique_ptr<BatchStream> inner_;
};

}  // namespace

SnapshotFiles::SnapshotFiles(const std::vector<std::string>& paths, const SnapshotFiles* reuse) {
  // A commit adds a few files to many: the footers of the others were read before.
  std::unordered_map<std::string, std::shared_ptr<const ParquetSource>> opened;
  if (reuse != nullptr) {
    for (const auto& file : reuse->files_) {
      if (file->files().size() == 1) opened.emplace(file->files()[0].path, file);
    }
  }
  for (const auto& path : paths) {
    auto it = opened.find(path);
    AddFile(it != opened.end() ? it->second : ParquetSource::Open(path));
  }
}

void SnapshotFiles::SetPartitions(Schema schema, std::vector<FilePartition> partitions) {
  SLUICE_CHECK(partitions.size() == files_.size(), "{} partitions for {} files", partitions.size(),
               files_.size());
  schema_ = std::make_shared<const Schema>(std::move(schema));
  partitions_ = std::move(partitions);
}

bool SnapshotFiles::PartitionMayMatch(size_t f, const std::vector<ExprPtr>& conjuncts) const {
  if (partitions_.empty() || partitions_[f].layout == nullptr) return true;
  return sluice::PartitionMayMatch(*partitions_[f].layout, partitions_[f].values, conjuncts,
                                   *schema_);
}

bool SnapshotFiles::BoundsMayMatch(size_t f, const std::vector<ExprPtr>& conjuncts) const {
  if (partitions_.empty() || partitions_[f].bounds == nullptr) return true;
  return sluice::BoundsMayMatch(*partitions_[f].bounds, conjuncts, *schema_);
}

void SnapshotFiles::AddFile(std::shared_ptr<const ParquetSource> file, FilePartition partition) {
  if (partition.layout != nullptr || partition.bounds != nullptr || !partitions_.empty()) {
    partitions_.resize(files_.size());
    partitions_.push_back(std::move(partition));
  }
  const int f = static_cast<int>(files_.size());
  for (int s = 0; s < file->num_splits(); s++) splits_.emplace_back(f, s);
  bytes_ += file->EstimatedBytes();
  row_groups_total_ += file->row_groups_total();
  files_skipped_ += file->files_skipped();
  files_.push_back(std::move(file));
}

std::shared_ptr<const SnapshotFiles> SnapshotFiles::WithFilters(
    const std::vector<ExprPtr>& conjuncts) const {
  std::shared_ptr<SnapshotFiles> pruned(new SnapshotFiles());
  pruned->schema_ = schema_;
  pruned->partition_files_skipped_ = partition_files_skipped_;
  pruned->bounds_files_skipped_ = bounds_files_skipped_;
  bool changed = false;
  for (size_t f = 0; f < files_.size(); f++) {
    const auto& file = files_[f];
    FilePartition partition = partitions_.empty() ? FilePartition{} : partitions_[f];
    // Partition values first, then column bounds (both the manifest's), then the footer's
    // statistics.
    if (!PartitionMayMatch(f, conjuncts)) {
      pruned->partition_files_skipped_++;
      continue;
    }
    if (!BoundsMayMatch(f, conjuncts)) {
      pruned->bounds_files_skipped_++;
      continue;
    }
    auto filtered = std::static_pointer_cast<const ParquetSource>(file->WithFilters(conjuncts));
    // A file's filtered source prunes row groups or, without pruning any, applies the
    // conjuncts while it decodes (the filter columns first, the others only for rows that
    // pass): either way the filtered files are what the scan reads.
    changed = changed || filtered != nullptr;
    pruned->AddFile(filtered != nullptr ? std::move(filtered) : file, std::move(partition));
  }
  if (!changed && pruned->partition_files_skipped_ == partition_files_skipped_ &&
      pruned->bounds_files_skipped_ == bounds_files_skipped_) {
    return nullptr;
  }
  return pruned;
}

std::optional<std::pair<double, double>> SnapshotFiles::NumericRange(int column) const {
  std::optional<std::pair<double, double>> range;
  for (const auto& file : files_) {
    const std::optional<std::pair<double, double>> r = file->NumericRange(column);
    if (!r) return std::nullopt;
    range = range ? std::make_pair(std::min(range->first, r->first), std::max(range->second, r->second))
                  : *r;
  }
  return range;
}

std::vector<int> SnapshotFiles::FilesMaybeMatching(const std::vector<ExprPtr>& conjuncts) const {
  std::vector<int> out;
  for (int f = 0; f < num_files(); f++) {
    if (!PartitionMayMatch(static_cast<size_t>(f), conjuncts) ||
        !BoundsMayMatch(static_cast<size_t>(f), conjuncts)) {
      continue;
    }
    // nullptr: no conjunct can be checked against the footer, so any row may match.
    const auto filtered = files_[static_cast<size_t>(f)]->WithFilters(conjuncts);
    if (filtered == nullptr || filtered->num_splits() > 0) out.push_back(f);
  }
  return out;
}

std::shared_ptr<const SnapshotFiles> SnapshotFiles::Subset(const std::vector<int>& indices) const {
  std::shared_ptr<SnapshotFiles> subset(new SnapshotFiles());
  subset->schema_ = schema_;
  for (const int f : indices) {
    subset->AddFile(files_.at(static_cast<size_t>(f)),
                    partitions_.empty() ? FilePartition{} : partitions_[static_cast<size_t>(f)]);
  }
  return subset;
}

std::unique_ptr<BatchStream> SnapshotFiles::Open(int split, const std::vector<int>& columns) const {
  const auto [file, local] = splits_.at(split);
  return files_[file]->Open(local, columns);
}

void TableSource::Publish(std::shared_ptr<const SnapshotFiles> files, int64_t rows) {
  std::lock_guard lock(mutex_);
  files_ = std::move(files);
  rows_ = rows;
}

std::shared_ptr<const SnapshotFiles> TableSource::Files() const {
  std::lock_guard lock(mutex_);
  return files_;
}

int TableSource::num_splits() const {
  auto files = Files();
  return files == nullptr ? 1 : std::max(1, files->num_splits());
}

std::unique_ptr<BatchStream> TableSource::Open(int split, const std::vector<int>& columns) const {
  auto files = Files();
  if (files == nullptr || split >= files->num_splits()) return std::make_unique<EmptyStream>();
  auto inner = files->Open(split, columns);
  return std::make_unique<SnapshotStream>(std::move(files), std::move(inner));
}

std::optional<std::pair<double, double>> TableSource::NumericRange(int column) const {
  auto files = Files();
  if (files == nullptr) return std::nullopt;
  return files->NumericRange(column);
}

std::shared_ptr<const DataSource> TableSource::WithFilters(
    const std::vector<ExprPtr>& conjuncts) const {
  auto files = Files();
  if (files == nullptr) return nullptr;
  auto pruned_files = files->WithFilters(conjuncts);
  if (pruned_files == nullptr) return nullptr;
  auto pruned = std::make_shared<TableSource>(name_, schema_);
  pruned->Publish(std::move(pruned_files), EstimatedRows().value_or(0));
  return pruned;
}

std::string TableSource::Describe() const {
  auto files = Files();
  if (files == nullptr) return fmt::format("table {} (0 rows, 0 row groups)", name_);
  std::string pruned;
  if (files->row_groups_pruned() > 0) {
    pruned = fmt::format(", {} pruned by statistics", files->row_groups_pruned());
  }
  if (files->partition_files_skipped() > 0) {
    pruned += fmt::format(", {} file{} skipped by partition", files->partition_files_skipped(),
                          files->partition_files_skipped() == 1 ? "" : "s");
  }
  if (files->bounds_files_skipped() > 0) {
    pruned += fmt::format(", {} file{} skipped by bounds", files->bounds_files_skipped(),
                          files->bounds_files_skipped() == 1 ? "" : "s");
  }
  if (files->files_skipped() > 0) {
    pruned += fmt::format(", {} file{} skipped", files->files_skipped(),
                          files->files_skipped() == 1 ? "" : "s");
  }
  return fmt::format("table {} ({} rows, {} row groups{})", name_, EstimatedRows().value_or(0),
                     files->row_groups_total(), pruned);
}

int64_t TableSource::EstimatedBytes() const {
  auto files = Files();
  return files == nullptr ? 0 : files->bytes();
}

std::optional<int64_t> TableSource::EstimatedRows() const {
  std::lock_guard lock(mutex_);
  return rows_;
}

}  // namespace sluice
