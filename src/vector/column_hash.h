#pragma once

#include <cstdint>
#include <vector>

#include "common/hash.h"
#include "vector/batch.h"
#include "vector/column.h"

namespace sluice {

// The function that places the rows of a hash-partitioned relation (an exchange's target, a
// bucketed table): Sluice's own (HashPartitionOf of the key columns' HashColumn), or Iceberg's
// bucket transform of one key column (vector/iceberg_hash.h: a NULL key in partition 0), the
// layout of an Iceberg table partitioned by bucket[N](key), whoever wrote it. Two relations
// are partitioned alike only when their functions are the same too.
enum class PartitionHash : uint8_t { kSluice, kIcebergBucket };

// Hashes rows [0, n) of `column` into `hashes`: when `combine`, mixes into the existing
// values (for multi-column keys), else overwrites. NULLs hash to kNullHash. Equal values
// of the same type hash equally; DECIMALs of one type hash by their unscaled value.
void HashColumn(const Column& column, size_t n, uint64_t* hashes, bool combine);

// The partition in [0, n) of a row whose key columns hash to `key_hash` (HashColumn over the
// keys in order). The hash Exchange routes rows with it, and bucketed tables place rows
// with it, so a bucket is exactly the partition an exchange on the same keys would make.
// The hash is remixed so that partitions do not correlate with the bits hash tables use.
inline int HashPartitionOf(uint64_t key_hash, int n) {
  return static_cast<int>(HashMix(key_hash ^ 0x5851f42d4c957f2dULL) % static_cast<uint64_t>(n));
}

// Appends each row of `batch` to selections[HashPartitionOf(hash of its `keys` columns,
// selections->size())]: the rows per partition, in row order. `hashes` is scratch.
// REQUIRES: selections is non-empty; its vectors are cleared by the caller.
void SelectHashPartitions(const Batch& batch, const std::vector<int>& keys,
                          std::vector<uint64_t>* hashes,
                          std::vector<std::vector<uint32_t>>* selections);

}  // namespace sluice
