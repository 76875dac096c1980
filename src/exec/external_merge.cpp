#include "exec/external_merge.h"

#include <algorithm>

#include "common/error.h"
#include "exec/sorted_run_merger.h"

namespace sluice {

ExternalMerge::ExternalMerge(std::vector<std::unique_ptr<SpillFile>> runs,
                             std::vector<SortKey> keys, std::vector<LogicalType> types,
                             std::optional<int64_t> limit, MemoryManager* memory,
                             TempDirectory* temp, std::atomic<int64_t>* spilled_bytes)
    : runs_(std::move(runs)),
      keys_(std::move(keys)),
      types_(std::move(types)),
      limit_(limit),
      temp_(temp),
      spilled_bytes_(spilled_bytes),
      buffers_(memory, "sort merge") {
  SLUICE_CHECK(!runs_.empty(), "external merge of no runs");
}

bool ExternalMerge::Next(Batch* out) {
  if (final_ == nullptr) {
    while (ReserveFanIn(0) < runs_.size()) MergePass();
    final_ = OpenMerger(0, runs_.size());
  }
  return final_->Next(out);
}

size_t ExternalMerge::ReserveFanIn(size_t first) {
  buffers_.Resize(0);
  const size_t available = runs_.size() - first;
  size_t fan_in = std::min(available, kMaxFanIn);
  for (;;) {
    int64_t largest = 0;
    for (size_t i = first; i < first + fan_in; i++) {
      largest = std::max(largest, runs_[i]->max_batch_bytes());
    }
    if (buffers_.TryResize(3 * largest * static_cast<int64_t>(fan_in))) return fan_in;
    if (fan_in <= 2) return fan_in;
    fan_in = std::max<size_t>(2, fan_in / 2);
  }
}

std::unique_ptr<BatchStream> ExternalMerge::OpenMerger(size_t first, size_t count) const {
  std::vector<std::unique_ptr<BatchStream>> readers;
  for (size_t i = first; i < first + count; i++) readers.push_back(runs_[i]->OpenReader());
  return std::make_unique<SortedRunMerger>(std::move(readers), keys_, types_, limit_);
}

void ExternalMerge::MergePass() {
  std::vector<std::unique_ptr<SpillFile>> merged;
  for (size_t first = 0; first < runs_.size();) {
    const size_t count = ReserveFanIn(first);
    if (count == 1) {
      merged.push_back(std::move(runs_[first]));
      first++;
      continue;
    }
    auto run = std::make_unique<SpillFile>(temp_->NewPath("sort"), types_);
    {
      auto merger = OpenMerger(first, count);
      Batch batch;
      while (merger->Next(&batch)) {
        const int64_t written = run->Write(batch);
        if (spilled_bytes_ != nullptr) *spilled_bytes_ += written;
      }
    }
    // The merged runs' disk space goes back before the next group is written.
    for (size_t i = first; i < first + count; i++) runs_[i].reset();
    merged.push_back(std::move(run));
    first += count;
  }
  buffers_.Resize(0);
  runs_ = std::move(merged);
  passes_++;
}

}  // namespace sluice
