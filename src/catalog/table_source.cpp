#include "catalog/table_source.h"

#include <fmt/format.h>

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

SnapshotFiles::SnapshotFiles(const std::vector<std::string>& paths) {
  for (const auto& path : paths) {
    files_.push_back(ParquetSource::Open(path));
    const int f = static_cast<int>(files_.size()) - 1;
    for (int s = 0; s < files_.back()->num_splits(); s++) splits_.emplace_back(f, s);
    bytes_ += files_.back()->EstimatedBytes();
  }
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

std::string TableSource::Describe() const {
  auto files = Files();
  return fmt::format("table {} ({} rows, {} row groups)", name_, EstimatedRows().value_or(0),
                     files == nullptr ? 0 : files->num_splits());
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
