#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "types/logical_type.h"
#include "vector/batch.h"

namespace sluice {

// Iceberg's bucket hash (spec: "Bucket Transform Details", Appendix B) of Sluice values:
// MurmurHash3 x86 32 of the value's bytes as the spec gives them. It is the hash of the
// `bucket[N]` partition transform (iceberg::Transform) and of the exchange that moves rows
// to the buckets of such a table (PartitionHash::kIcebergBucket), so the two agree on every
// row, including rows of tables written by other engines.

// Whether values of type `id` have an Iceberg bucket hash: the integers, DATE, TIME,
// TIMESTAMP, TIMESTAMPTZ (their integer, hashed as a long), DECIMAL, VARCHAR and BLOB.
bool IcebergHashable(TypeId id);

// The hash of an integer-held value (int and long hash alike, as a little-endian long).
int32_t IcebergHashLong(int64_t v);
// The hash of a string's UTF-8 bytes, or of a binary value.
int32_t IcebergHashBytes(std::string_view bytes);
// The hash of a decimal: its unscaled value as the fewest big-endian two's complement bytes.
int32_t IcebergHashDecimal(int128_t unscaled);

// `unscaled` as the fewest big-endian two's complement bytes that hold it (Iceberg's decimal
// bytes, for hashing and single-value bounds).
std::string DecimalBytes(int128_t unscaled);

// The bucket of a hashed value among n: (hash & INT_MAX) % n.
inline int IcebergBucketOf(int32_t hash, int n) { return (hash & 0x7fffffff) % n; }

// The bucket among n of each of rows [0, rows) of `column` into (*out)[row], -1 for a NULL.
// REQUIRES: IcebergHashable(column.type().id()).
void IcebergBuckets(const Column& column, size_t rows, int n, std::vector<int32_t>* out);

// Appends each row of `batch` to selections[IcebergBucketOf(hash of its `key` column,
// selections->size())], a NULL key to selections[0]: where a table partitioned by
// bucket[N](key) keeps the row (its NULL partition read as bucket 0).
// REQUIRES: IcebergHashable(type of the key); selections non-empty, its vectors cleared.
void SelectIcebergBuckets(const Batch& batch, int key,
                          std::vector<std::vector<uint32_t>>* selections);

}  // namespace sluice
