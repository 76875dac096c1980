#pragma once

#include <cstdint>
#include <vector>

#include "shuffle/heavy_hitters.h"
#include "vector/batch.h"

namespace sluice {

// What an exchange moved, per output partition: the basis of the adaptive re-planning pass
// (coalescing, skew split, switch to broadcast) and of EXPLAIN ANALYZE.
//
// Bytes are the size of the rows' data, not of the buffers that hold them: a batch of 16
// BIGINT rows built in a buffer with room for 2048 counts 128 bytes. See DataBytes.
struct ExchangeStats {
  std::vector<int64_t> rows;   // per output partition
  std::vector<int64_t> bytes;  // per output partition (DataBytes of its rows, spilled or not)
  // The heaviest key hashes of a hash exchange that tracked its keys (the hash the exchange
  // partitions by: HashPartitionOf(hash, partitions) is the key's partition), merged over
  // the map tasks in task order, heaviest first; empty when the keys were not tracked.
  std::vector<HeavyHitters::Entry> heavy_keys;
  int64_t total_rows() const;
  int64_t total_bytes() const;
};

// The data size of `batch`'s rows, close to what batch_serde writes for it: per column the
// fixed-width values (PhysicalSize bytes a row), for VARCHAR 4 bytes of length plus the
// string's bytes a row, and a validity bitmap (one bit a row) when the column has NULLs. A
// constant column counts as flat. Independent of buffer capacity, slicing and shared heaps.
int64_t DataBytes(const Batch& batch);

}  // namespace sluice
