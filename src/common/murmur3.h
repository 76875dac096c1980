#pragma once

#include <cstddef>
#include <cstdint>

namespace sluice {

// MurmurHash3 x86 32-bit with seed 0, the hash of Iceberg's bucket transform (and of
// Hive's and Spark's bucketing in Iceberg tables), so buckets written here match theirs.
int32_t Murmur3_32(const void* data, size_t size);

}  // namespace sluice
