#include "common/hash.h"

namespace sluice {

uint64_t HashBytes(const void* data, size_t size) {
  const auto* p = static_cast<const unsigned char*>(data);
  constexpr uint64_t kMul = 0x9fb21c651e98df25ULL;
  uint64_t h = 0x243f6a8885a308d3ULL ^ (size * kMul);
  while (size >= 8) {
    uint64_t word;
    std::memcpy(&word, p, 8);
    h = (h ^ HashMix(word)) * kMul;
    p += 8;
    size -= 8;
  }
  if (size > 0) {
    uint64_t word = 0;
    std::memcpy(&word, p, size);
    h = (h ^ HashMix(word ^ size)) * kMul;
  }
  return HashMix(h);
}

}  // namespace sluice
