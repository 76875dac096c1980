#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "exec/sort_order.h"
#include "vector/batch.h"
#include "vector/batch_stream.h"

namespace sluice {

// The k-way merge of an external sort: merges runs (streams of batches, each sorted by
// `keys`) into one sorted stream, stopping after `limit` rows when set. A binary heap holds
// the current row of each run; ties go to the run with the lower index, so runs written in
// input order give a stable sort, like ComputeSortOrder. Memory: one batch per run plus
// the output batch being built.
class SortedRunMerger : public BatchStream {
 public:
  SortedRunMerger(std::vector<std::unique_ptr<BatchStream>> runs, std::vector<SortKey> keys,
                  std::vector<LogicalType> types, std::optional<int64_t> limit);

  bool Next(Batch* out) override;

 private:
  struct Run {
    std::unique_ptr<BatchStream> stream;
    Batch batch;
    size_t row = 0;
  };
  // True when the current row of run a sorts after that of run b (heap order).
  bool After(int a, int b) const;
  // Moves run r to its next row; false when the run is exhausted.
  bool Advance(Run& run);

  std::vector<Run> runs_;
  std::vector<SortKey> keys_;
  std::vector<SortKeyComparator> comparators_;  // per key
  std::vector<LogicalType> types_;
  std::vector<int> heap_;  // run indices; the front is the smallest current row
  int64_t remaining_;
  bool started_ = false;
};

}  // namespace sluice
