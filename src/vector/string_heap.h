#pragma once

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

namespace sluice {

// An append-only arena holding the bytes of VARCHAR values longer than 12 bytes. Bytes never
// move once added, so StringViews into it stay valid while the heap lives. Columns share
// heaps (a filtered column points into its input's heap) through shared_ptr; a heap is only
// appended to by the column that created it, before the column is published.
class StringHeap {
 public:
  StringHeap() = default;
  StringHeap(const StringHeap&) = delete;
  StringHeap& operator=(const StringHeap&) = delete;

  // Copies `s` into the heap and returns a pointer to the copy.
  const char* Add(std::string_view s);
  // Reserves `size` bytes and returns them for the caller to fill.
  char* Allocate(size_t size);
  size_t bytes() const { return total_bytes_; }

 private:
  static constexpr size_t kMinChunk = 16 * 1024;
  std::vector<std::unique_ptr<char[]>> chunks_;
  char* cursor_ = nullptr;
  size_t remaining_ = 0;
  size_t total_bytes_ = 0;
};

}  // namespace sluice
