#pragma once

#include <cstdint>
#include <vector>

#include "vector/column.h"

namespace sluice {

class AggregateFunction;
class MemoryManager;

// An aggregate over many frames of the same rows (window aggregates), for any decomposable
// AggregateFunction: a binary segment tree whose level k holds the serialized states of
// blocks of 2^k rows (level 0 is the rows themselves). A frame folds in at most two blocks
// per level, batched per level into one vectorized Update (rows) or Merge (blocks) call, so
// n frames cost O(n log n). Neighbouring rows with the same frame share one state, which
// makes whole-partition and peer frames cheap. Not thread-safe; one task owns it.
class WindowSegmentTree {
 public:
  // `args` are flat columns of `num_rows` rows (empty for count(*)). `fn` and `memory`
  // (may be null) must outlive this object.
  WindowSegmentTree(const AggregateFunction& fn, std::vector<ColumnPtr> args, size_t num_rows,
                    MemoryManager* memory);

  // The aggregate over rows [begin[i], end[i]) for i < n, as a column of n rows.
  ColumnPtr Evaluate(const uint32_t* begin, const uint32_t* end, size_t n) const;

 private:
  void EvaluateChunk(const uint32_t* begin, const uint32_t* end, size_t n, Column* out,
                     size_t first_row) const;

  const AggregateFunction& fn_;
  std::vector<ColumnPtr> args_;
  size_t num_rows_;
  MemoryManager* memory_;
  std::vector<std::vector<ColumnPtr>> levels_;  // levels_[k]: state columns; [0] unused
};

}  // namespace sluice
