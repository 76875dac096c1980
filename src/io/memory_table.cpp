#include "io/memory_table.h"

#include <algorithm>

#include <fmt/format.h>

namespace sluice {

MemoryTable::MemoryTable(Schema schema, std::vector<Batch> rows)
    : schema_(std::move(schema)),
      rows_(std::make_shared<const std::vector<Batch>>(std::move(rows))) {}

std::shared_ptr<const std::vector<Batch>> MemoryTable::Snapshot() const {
  std::lock_guard lock(mutex_);
  return rows_;
}

void MemoryTable::Replace(std::vector<Batch> rows) {
  auto next = std::make_shared<const std::vector<Batch>>(std::move(rows));
  std::lock_guard lock(mutex_);
  rows_ = std::move(next);
}

int MemoryTable::num_splits() const {
  const size_t batches = Snapshot()->size();
  return static_cast<int>(std::max<size_t>(1, (batches + kBatchesPerSplit - 1) / kBatchesPerSplit));
}

namespace {

class SplitStream : public BatchStream {
 public:
  SplitStream(std::shared_ptr<const std::vector<Batch>> rows, size_t first, size_t last,
              std::vector<int> columns)
      : rows_(std::move(rows)), next_(first), last_(last), columns_(std::move(columns)) {}

  bool Next(Batch* out) override {
    while (next_ < last_) {
      const Batch& b = (*rows_)[next_++];
      if (b.num_rows() == 0) continue;
      *out = b.Project(columns_);
      return true;
    }
    return false;
  }

 private:
  std::shared_ptr<const std::vector<Batch>> rows_;
  size_t next_;
  size_t last_;
  std::vector<int> columns_;
};

}  // namespace

std::unique_ptr<BatchStream> MemoryTable::Open(int split, const std::vector<int>& columns) const {
  auto rows = Snapshot();
  const size_t first = std::min(rows->size(), static_cast<size_t>(split) * kBatchesPerSplit);
  const size_t last = std::min(rows->size(), first + kBatchesPerSplit);
  return std::make_unique<SplitStream>(std::move(rows), first, last, columns);
}

std::string MemoryTable::Describe() const {
  auto rows = Snapshot();
  size_t n = 0;
  for (const auto& b : *rows) n += b.num_rows();
  return fmt::format("memory table ({} rows)", n);
}

int64_t MemoryTable::EstimatedBytes() const {
  int64_t bytes = 0;
  for (const auto& b : *Snapshot()) bytes += static_cast<int64_t>(b.MemoryBytes());
  return bytes;
}

std::optional<int64_t> MemoryTable::EstimatedRows() const {
  int64_t n = 0;
  for (const auto& b : *Snapshot()) n += static_cast<int64_t>(b.num_rows());
  return n;
}

}  // namespace sluice
