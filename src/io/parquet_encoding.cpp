#include "io/parquet_encoding.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <utility>

namespace sluice {

namespace {

[[noreturn]] void Corrupt(const char* what) { throw ParquetCorruption{what}; }

// The `width`-bit value (width <= 64) at bit `bit` of `base` (LSB first), which holds
// `size` bytes; bits past the end read as zero.
inline uint64_t ReadBits(const uint8_t* base, size_t size, uint64_t bit, int width) {
  const size_t byte = bit >> 3;
  const int shift = static_cast<int>(bit & 7);
  uint64_t word = 0;
  if (byte + 8 <= size) {
    std::memcpy(&word, base + byte, 8);
  } else if (byte < size) {
    std::memcpy(&word, base + byte, size - byte);
  }
  uint64_t v = word >> shift;
  if (shift + width > 64 && byte + 8 < size) v |= uint64_t{base[byte + 8]} << (64 - shift);
  return width == 64 ? v : v & ((uint64_t{1} << width) - 1);
}

// Unpacks `n` `width`-bit values starting with value `index` of a bit-packed run, one value
// at a time. `readable` bytes from `run` may be loaded (the run's and any after it in the
// same buffer): the values asked for lie within the run, so bits past it are masked off.
void UnpackValues(const uint8_t* run, size_t readable, uint64_t index, int width, uint32_t* out,
                  size_t n) {
  uint64_t bit = index * width;
  size_t i = 0;
  // Values whose 8-byte window lies inside the run load it unchecked: a width of at most 32
  // bits plus a shift of at most 7 fits one 64-bit word.
  if (readable >= 8) {
    const uint64_t last_bit = (readable - 8) * 8 + 7;  // the last start bit with a full window
    const size_t fast = bit > last_bit ? 0 : std::min<uint64_t>(n, (last_bit - bit) / width + 1);
    const uint64_t mask = (uint64_t{1} << width) - 1;
    for (; i < fast; i++, bit += width) {
      uint64_t word;
      std::memcpy(&word, run + (bit >> 3), 8);
      out[i] = static_cast<uint32_t>((word >> (bit & 7)) & mask);
    }
  }
  for (; i < n; i++, bit += width) {
    out[i] = static_cast<uint32_t>(ReadBits(run, readable, bit, width));
  }
}

// Unpacks `groups` groups of 8 W-bit values (W bytes each) from `in`, with shifts and masks
// known at compile time. REQUIRES: 8 bytes readable from the last value's first byte.
template <int W>
void UnpackGroups(const uint8_t* in, size_t groups, uint32_t* out) {
  constexpr uint64_t kMask = (uint64_t{1} << W) - 1;
  for (size_t g = 0; g < groups; g++, in += W, out += 8) {
    for (int j = 0; j < 8; j++) {
      uint64_t word;
      std::memcpy(&word, in + (j * W) / 8, 8);
      out[j] = static_cast<uint32_t>((word >> ((j * W) % 8)) & kMask);
    }
  }
}

using UnpackGroupsFn = void (*)(const uint8_t*, size_t, uint32_t*);

template <int... W>
constexpr std::array<UnpackGroupsFn, sizeof...(W)> UnpackGroupsTable(
    std::integer_sequence<int, W...>) {
  return {&UnpackGroups<W>...};
}

// UnpackGroups<W> for W in [0, 32].
constexpr auto kUnpackGroups = UnpackGroupsTable(std::make_integer_sequence<int, 33>());

// Unpacks `n` values starting with value `index` of a bit-packed run (see UnpackValues):
// whole groups of 8 through kUnpackGroups, the rest one by one.
void UnpackRun(const uint8_t* run, size_t readable, uint64_t index, int width, uint32_t* out,
               size_t n) {
  const size_t head = std::min<uint64_t>(n, (8 - index % 8) % 8);
  UnpackValues(run, readable, index, width, out, head);
  const uint64_t first_group = (index + head) / 8;
  const uint64_t w = static_cast<uint64_t>(width);
  // Group g is safe when g * w + 7w / 8 + 8 <= readable.
  const uint64_t window = 7 * w / 8 + 8;
  const uint64_t safe_groups =
      readable < window ? 0 : (w == 0 ? UINT64_MAX : (readable - window) / w + 1);
  const uint64_t groups =
      std::min<uint64_t>((n - head) / 8, safe_groups > first_group ? safe_groups - first_group : 0);
  kUnpackGroups[width](run + first_group * w, static_cast<size_t>(groups), out + head);
  const size_t done = head + static_cast<size_t>(groups) * 8;
  UnpackValues(run, readable, index + done, width, out + done, n - done);
}

void PutUleb(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

}  // namespace

uint64_t ReadUleb(const uint8_t** pos, const uint8_t* end) {
  uint64_t result = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (*pos >= end) Corrupt("truncated varint");
    const uint8_t b = *(*pos)++;
    result |= static_cast<uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) return result;
  }
  Corrupt("varint too long");
}

RleBitPackedDecoder::RleBitPackedDecoder(const uint8_t* data, size_t size, int bit_width)
    : pos_(data), end_(data + size), bit_width_(bit_width) {
  if (bit_width < 0 || bit_width > 32) Corrupt("bit width out of range");
}

void RleBitPackedDecoder::NextRun() {
  const uint64_t header = ReadUleb(&pos_, end_);
  if (header & 1) {
    const uint64_t groups = header >> 1;
    const uint64_t bytes = groups * static_cast<uint64_t>(bit_width_);
    packed_ = pos_;
    // A final run may be cut short of its padding; values past the data are an error only
    // if they are asked for.
    packed_bytes_ = static_cast<size_t>(std::min<uint64_t>(bytes, end_ - pos_));
    packed_left_ = bit_width_ == 0 ? groups * 8
                                   : std::min<uint64_t>(groups * 8, packed_bytes_ * 8 / bit_width_);
    packed_index_ = 0;
    pos_ += packed_bytes_;
    if (packed_left_ == 0) Corrupt("empty bit-packed run");
  } else {
    repeat_left_ = static_cast<uint32_t>(std::min<uint64_t>(header >> 1, UINT32_MAX));
    if (repeat_left_ == 0) Corrupt("empty RLE run");
    const int bytes = (bit_width_ + 7) / 8;
    if (end_ - pos_ < bytes) Corrupt("truncated RLE run");
    uint32_t v = 0;
    for (int i = 0; i < bytes; i++) v |= uint32_t{pos_[i]} << (8 * i);
    pos_ += bytes;
    if (bit_width_ < 32 && (v >> bit_width_) != 0) Corrupt("RLE value wider than its bit width");
    repeat_value_ = v;
  }
}

bool RleBitPackedDecoder::SkipRepeated(uint32_t value, size_t n) {
  if (repeat_left_ == 0 && packed_left_ == 0 && pos_ < end_) NextRun();
  if (repeat_left_ < n || repeat_value_ != value) return false;
  repeat_left_ -= static_cast<uint32_t>(n);
  return true;
}

void RleBitPackedDecoder::Decode(uint32_t* out, size_t n) {
  while (n > 0) {
    if (repeat_left_ > 0) {
      const size_t k = std::min<size_t>(n, repeat_left_);
      std::fill(out, out + k, repeat_value_);
      out += k;
      n -= k;
      repeat_left_ -= static_cast<uint32_t>(k);
    } else if (packed_left_ > 0) {
      const size_t k = static_cast<size_t>(std::min<uint64_t>(n, packed_left_));
      if (bit_width_ == 0) {
        std::fill(out, out + k, 0);
      } else {
        UnpackRun(packed_, static_cast<size_t>(end_ - packed_), packed_index_, bit_width_, out, k);
      }
      out += k;
      n -= k;
      packed_left_ -= k;
      packed_index_ += k;
    } else {
      NextRun();
    }
  }
}

void RleBitPackedEncode(const uint32_t* v, size_t n, int bit_width, std::string* out) {
  const int value_bytes = (bit_width + 7) / 8;
  size_t i = 0;
  auto run_length = [&](size_t at, size_t limit) {
    size_t j = at + 1;
    while (j < n && v[j] == v[at] && j - at < limit) j++;
    return j - at;
  };
  while (i < n) {
    const size_t run = run_length(i, SIZE_MAX);
    if (run >= 8) {
      PutUleb(static_cast<uint64_t>(run) << 1, out);
      for (int b = 0; b < value_bytes; b++) out->push_back(static_cast<char>(v[i] >> (8 * b)));
      i += run;
      continue;
    }
    // A literal run of groups of 8, until a repeated run of 8 starts at a group boundary.
    size_t end = i;
    while (end < n && (end == i || run_length(end, 8) < 8)) end = std::min(end + 8, n);
    const size_t groups = (end - i + 7) / 8;
    PutUleb((static_cast<uint64_t>(groups) << 1) | 1, out);
    const size_t start = out->size();
    out->resize(start + groups * bit_width, 0);
    auto* bytes = reinterpret_cast<uint8_t*>(out->data() + start);
    // LSB-first packing through a 64-bit accumulator: fewer than 8 bits are pending before
    // each value is added, and bit_width <= 32, so it never overflows.
    uint64_t acc = 0;
    int pending = 0;
    const uint64_t mask = bit_width >= 64 ? ~uint64_t{0} : (uint64_t{1} << bit_width) - 1;
    for (size_t k = i; k < end; k++) {
      acc |= (static_cast<uint64_t>(v[k]) & mask) << pending;
      pending += bit_width;
      while (pending >= 8) {
        *bytes++ = static_cast<uint8_t>(acc);
        acc >>= 8;
        pending -= 8;
      }
    }
    if (pending > 0) *bytes = static_cast<uint8_t>(acc);
    i = end;
  }
}

DeltaBinaryPackedDecoder::DeltaBinaryPackedDecoder(const uint8_t* data, size_t size)
    : pos_(data), end_(data + size) {
  values_per_block_ = ReadUleb(&pos_, end_);
  miniblocks_ = ReadUleb(&pos_, end_);
  total_ = ReadUleb(&pos_, end_);
  const uint64_t z = ReadUleb(&pos_, end_);
  last_ = (z >> 1) ^ (~(z & 1) + 1);
  if (values_per_block_ == 0 || values_per_block_ % 128 != 0 || values_per_block_ > (1u << 20) ||
      miniblocks_ == 0 || values_per_block_ % miniblocks_ != 0 ||
      (values_per_block_ / miniblocks_) % 8 != 0) {
    Corrupt("malformed DELTA_BINARY_PACKED header");
  }
  values_per_miniblock_ = values_per_block_ / miniblocks_;
  miniblock_index_ = miniblocks_;
  data_end_ = pos_;
}

void DeltaBinaryPackedDecoder::NextMiniblock() {
  if (miniblock_index_ + 1 >= miniblocks_) {
    const uint64_t z = ReadUleb(&pos_, end_);
    min_delta_ = (z >> 1) ^ (~(z & 1) + 1);
    if (static_cast<uint64_t>(end_ - pos_) < miniblocks_) Corrupt("truncated delta block");
    bit_widths_.assign(pos_, pos_ + miniblocks_);
    pos_ += miniblocks_;
    miniblock_index_ = 0;
  } else {
    miniblock_index_++;
  }
  mini_width_ = bit_widths_[miniblock_index_];
  if (mini_width_ > 64) Corrupt("delta bit width over 64");
  const uint64_t bytes = values_per_miniblock_ * mini_width_ / 8;
  mini_ = pos_;
  // The last miniblock may be cut short; bits past the end read as zero and are never used
  // unless the header's count lies, which end_ bounds.
  const uint64_t have = std::min<uint64_t>(bytes, end_ - pos_);
  pos_ += have;
  if (have < bytes && remaining() > (have * 8) / std::max(mini_width_, 1)) {
    Corrupt("truncated delta miniblock");
  }
  data_end_ = pos_;
  mini_left_ = values_per_miniblock_;
  mini_read_ = 0;
}

void DeltaBinaryPackedDecoder::Decode(int64_t* out, size_t n) {
  if (n > remaining()) Corrupt("more values asked for than DELTA_BINARY_PACKED holds");
  size_t i = 0;
  if (n > 0 && read_ == 0) {
    out[i++] = static_cast<int64_t>(last_);
    read_++;
  }
  while (i < n) {
    if (mini_left_ == 0) NextMiniblock();
    const size_t k = static_cast<size_t>(std::min<uint64_t>(n - i, mini_left_));
    const size_t mini_bytes = static_cast<size_t>(data_end_ - mini_);
    uint64_t bit = mini_read_ * mini_width_;
    for (size_t j = 0; j < k; j++, bit += mini_width_) {
      const uint64_t packed = mini_width_ == 0 ? 0 : ReadBits(mini_, mini_bytes, bit, mini_width_);
      last_ += min_delta_ + packed;
      out[i + j] = static_cast<int64_t>(last_);
    }
    i += k;
    mini_left_ -= k;
    mini_read_ += k;
    read_ += k;
  }
}

}  // namespace sluice
