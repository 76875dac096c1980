#pragma once

#include <cstdint>
#include <cstring>

namespace sluice {

// Hashing for hash tables and hash partitioning. Fixed functions (no per-process seed), so
// partitioning, and therefore output order, is the same on every run.

inline uint64_t HashMix(uint64_t x) {
  // A 64-bit finalizer with good avalanche (xor-shift-multiply rounds).
  x ^= x >> 32;
  x *= 0xd6e8feb86659fd93ULL;
  x ^= x >> 32;
  x *= 0xd6e8feb86659fd93ULL;
  x ^= x >> 32;
  return x;
}

inline uint64_t HashInt(uint64_t x) { return HashMix(x + 0x9e3779b97f4a7c15ULL); }

inline uint64_t HashCombine(uint64_t seed, uint64_t h) {
  return HashMix(seed ^ (h + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2)));
}

uint64_t HashBytes(const void* data, size_t size);

// The hash of a NULL key, distinct from any small integer's.
inline constexpr uint64_t kNullHash = 0xbf58476d1ce4e5b9ULL;

}  // namespace sluice
