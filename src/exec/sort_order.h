#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "vector/column.h"

namespace sluice {

class ThreadPool;

// One ORDER BY key: a column of the sorted input. NULLs go last unless `nulls_first`,
// whatever the direction (DuckDB's default is NULLS LAST for ASC and DESC alike).
struct SortKey {
  int column = 0;
  bool ascending = true;
  bool nulls_first = false;
};

// The row order of `columns` (flat, `num_rows` rows each) by `keys`: a permutation of row
// indices, truncated to `limit` rows when set. Ties keep input order (stable), so the
// result is fully determined by the input.
//
// Each row gets a 64-bit order-preserving prefix of its first key (inverted for DESC), so
// most comparisons are one integer compare; equal prefixes fall back to comparing the
// columns. With `pool`, chunks are sorted in parallel and then merged pairwise.
// Compares row `a` of `ca` with row `b` of `cb` (flat columns of one type) by `key`, in the
// order ComputeSortOrder sorts: negative, zero or positive. For merging sorted runs.
using SortKeyComparator = int (*)(const Column& ca, size_t a, const Column& cb, size_t b,
                                  const SortKey& key);
SortKeyComparator GetSortKeyComparator(const LogicalType& type);

std::vector<uint32_t> ComputeSortOrder(const std::vector<ColumnPtr>& columns,
                                       const std::vector<SortKey>& keys, size_t num_rows,
                                       std::optional<int64_t> limit, ThreadPool* pool);

}  // namespace sluice
