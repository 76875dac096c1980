#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "common/byte_compare.h"

namespace sluice {

// A 16-byte string reference as stored in VARCHAR columns (the Umbra/Velox layout):
// 4 bytes length, 4 bytes prefix, then either the remaining bytes inline (strings up to 12
// bytes) or a pointer to the full bytes in a heap owned by the column. Comparing two views
// looks at the length and prefix first and touches the heap only when they agree.
class StringView {
 public:
  static constexpr uint32_t kInlineSize = 12;

  StringView() { std::memset(this, 0, sizeof(*this)); }
  // REQUIRES: for size > 12, `data` outlives this view (it points into a column's heap).
  StringView(const char* data, uint32_t size) {
    size_ = size;
    std::memset(bytes_, 0, sizeof(bytes_));
    if (size <= kInlineSize) {
      if (size > 0) std::memcpy(bytes_, data, size);
    } else {
      std::memcpy(bytes_, data, 4);
      std::memcpy(bytes_ + 4, &data, sizeof(data));
    }
  }
  explicit StringView(std::string_view s)
      : StringView(s.data(), static_cast<uint32_t>(s.size())) {}

  uint32_t size() const { return size_; }
  bool IsInline() const { return size_ <= kInlineSize; }
  const char* data() const { return IsInline() ? bytes_ : Pointer(); }
  std::string_view view() const { return {data(), size_}; }
  std::string str() const { return std::string(data(), size_); }
  // The first 4 bytes (zero padded) as one word, for fast inequality checks.
  uint32_t PrefixWord() const {
    uint32_t w;
    std::memcpy(&w, bytes_, 4);
    return w;
  }

  friend bool operator==(const StringView& a, const StringView& b) {
    // Length and prefix share the first 8 bytes.
    uint64_t wa, wb;
    std::memcpy(&wa, &a, 8);
    std::memcpy(&wb, &b, 8);
    if (wa != wb) return false;
    if (a.IsInline()) return std::memcmp(a.bytes_ + 4, b.bytes_ + 4, 8) == 0;
    return std::memcmp(a.Pointer() + 4, b.Pointer() + 4, a.size_ - 4) == 0;
  }
  friend bool operator!=(const StringView& a, const StringView& b) { return !(a == b); }
  // Byte-wise (memcmp) order, SQL's default collation. Returns -1, 0 or 1.
  int Compare(const StringView& other) const {
    // The prefix word loaded big-endian compares like memcmp, without a library call.
    const uint32_t pa = __builtin_bswap32(PrefixWord()), pb = __builtin_bswap32(other.PrefixWord());
    if (pa != pb) return pa < pb ? -1 : 1;
    const uint32_t n = size_ < other.size_ ? size_ : other.size_;
    if (n > 4) {
      const int c = CompareBytes(data() + 4, other.data() + 4, n - 4);
      if (c != 0) return c;
    }
    return size_ == other.size_ ? 0 : (size_ < other.size_ ? -1 : 1);
  }
  friend bool operator<(const StringView& a, const StringView& b) { return a.Compare(b) < 0; }

 private:
  const char* Pointer() const {
    const char* p;
    std::memcpy(&p, bytes_ + 4, sizeof(p));
    return p;
  }

  uint32_t size_;
  // Inline: the string's bytes, zero padded. Otherwise: 4 prefix bytes then the pointer.
  char bytes_[12];
};

static_assert(sizeof(StringView) == 16, "StringView must be 16 bytes");

}  // namespace sluice
