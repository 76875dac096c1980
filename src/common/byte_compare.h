#pragma once

#include <bit>
#include <cstdint>
#include <cstring>

namespace sluice {

// memcmp's order (unsigned bytes) over `n` bytes, comparing 8-byte words loaded big-endian
// instead of calling the library for every value (strings in sorts, min/max, statistics).
// Returns -1, 0 or 1.
inline int CompareBytes(const char* a, const char* b, size_t n) {
  static_assert(std::endian::native == std::endian::little);
  for (; n >= 8; n -= 8, a += 8, b += 8) {
    uint64_t wa, wb;
    std::memcpy(&wa, a, 8);
    std::memcpy(&wb, b, 8);
    if (wa != wb) return __builtin_bswap64(wa) < __builtin_bswap64(wb) ? -1 : 1;
  }
  const int c = n > 0 ? std::memcmp(a, b, n) : 0;
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

}  // namespace sluice
