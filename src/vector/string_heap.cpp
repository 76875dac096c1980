#include "vector/string_heap.h"

#include <algorithm>
#include <cstring>

namespace sluice {

char* StringHeap::Allocate(size_t size) {
  if (size > remaining_) {
    const size_t chunk = std::max(kMinChunk, size);
    chunks_.push_back(std::make_unique_for_overwrite<char[]>(chunk));
    cursor_ = chunks_.back().get();
    remaining_ = chunk;
    total_bytes_ += chunk;
  }
  char* out = cursor_;
  cursor_ += size;
  remaining_ -= size;
  return out;
}

const char* StringHeap::Add(std::string_view s) {
  char* out = Allocate(s.size());
  if (!s.empty()) std::memcpy(out, s.data(), s.size());
  return out;
}

}  // namespace sluice
