#pragma once

#include <cstdint>
#include <vector>

#include "exec/sort_order.h"
#include "vector/column.h"

namespace sluice {

struct WindowFunction;

// Partition and peer-group boundaries of rows sorted by (partition keys, order keys): row i
// lies in partition part_of[i] = [part_starts[p], part_starts[p + 1]) and peer group
// peer_of[i] = [peer_starts[g], peer_starts[g + 1]) (rows equal on every order key; NULLs
// are peers of each other).
struct WindowLayout {
  std::vector<uint32_t> part_of;
  std::vector<uint32_t> part_starts;  // one more than there are partitions
  std::vector<uint32_t> peer_of;
  std::vector<uint32_t> peer_starts;  // one more than there are peer groups

  size_t num_rows() const { return part_of.size(); }
  uint32_t PartBegin(size_t i) const { return part_starts[part_of[i]]; }
  uint32_t PartEnd(size_t i) const { return part_starts[part_of[i] + 1]; }
  uint32_t PeerBegin(size_t i) const { return peer_starts[peer_of[i]]; }
  uint32_t PeerEnd(size_t i) const { return peer_starts[peer_of[i] + 1]; }
};

// Finds the boundaries in `columns` (sorted, flat, `num_rows` rows).
WindowLayout ComputeWindowLayout(const std::vector<ColumnPtr>& columns,
                                 const std::vector<int>& partition_keys,
                                 const std::vector<SortKey>& order_keys, size_t num_rows);

// The frame [begin[i], end[i]) of every row for `fn`'s frame clause (end >= begin; an
// empty frame has end == begin). RANGE with an offset needs exactly one numeric order key:
// `order_key` is its sorted column and `key` its direction. Throws InvalidInputError for a
// non-numeric RANGE key.
void ComputeWindowFrames(const WindowLayout& layout, const WindowFunction& fn,
                         const Column* order_key, const SortKey* key,
                         std::vector<uint32_t>* begin, std::vector<uint32_t>* end);

}  // namespace sluice
