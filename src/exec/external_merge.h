#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "common/memory.h"
#include "exec/sort_order.h"
#include "shuffle/spill_file.h"
#include "shuffle/temp_directory.h"
#include "vector/batch_stream.h"

namespace sluice {

// The output of an external sort: its sorted runs on disk (in input order) merged into one
// sorted stream, in passes of bounded fan-in. While more runs remain than one merge may
// read at once, each group of adjacent runs is merged into one new run (groups in order,
// so ties still go to the earlier run and the sort stays stable); the last pass streams
// through a SortedRunMerger. With `limit`, every merge keeps only its best `limit` rows.
//
// Memory: an open run holds about three of its largest batches (decoded batch, raw and
// compressed frame). The fan-in is as many runs (2 to kMaxFanIn) as the MemoryManager
// grants buffers for; when even two are refused, two are read anyway (a fixed overhead of
// two batches per merge rather than a failure). Not thread-safe: one owner.
class ExternalMerge : public BatchStream {
 public:
  static constexpr size_t kMaxFanIn = 16;

  // `temp`, `memory` and `spilled_bytes` (a metrics counter, may be null) outlive this.
  // REQUIRES: runs is not empty.
  ExternalMerge(std::vector<std::unique_ptr<SpillFile>> runs, std::vector<SortKey> keys,
                std::vector<LogicalType> types, std::optional<int64_t> limit,
                MemoryManager* memory, TempDirectory* temp,
                std::atomic<int64_t>* spilled_bytes);

  // The first call runs the intermediate passes, then the final merge streams.
  bool Next(Batch* out) override;

  // Intermediate passes run so far (0 when every run fit one merge).
  int passes() const { return passes_; }

 private:
  // Reserves read buffers for as many of `runs_[first..)` as the budget grants (at least 2,
  // at most kMaxFanIn) and returns that count.
  size_t ReserveFanIn(size_t first);
  // A merger over runs_[first, first + count).
  std::unique_ptr<BatchStream> OpenMerger(size_t first, size_t count) const;
  // Merges groups of adjacent runs into new runs until one merge can read them all.
  void MergePass();

  std::vector<std::unique_ptr<SpillFile>> runs_;
  std::vector<SortKey> keys_;
  std::vector<LogicalType> types_;
  std::optional<int64_t> limit_;
  TempDirectory* temp_;
  std::atomic<int64_t>* spilled_bytes_;
  MemoryReservation buffers_;  // read buffers of the runs being merged
  std::unique_ptr<BatchStream> final_;
  int passes_ = 0;
};

}  // namespace sluice
