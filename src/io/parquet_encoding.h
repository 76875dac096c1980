#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace sluice {

// Thrown by the Parquet decoders on corrupt data; the column reader turns it into an
// IOError naming the file and column (the decoders know neither).
struct ParquetCorruption {
  std::string message;
};

// The RLE / bit-packing hybrid of the Parquet format (levels, dictionary indices, RLE
// booleans): runs of one repeated value, or groups of 8 bit-packed values. Decodes from a
// byte range it does not own. Not thread-safe.
class RleBitPackedDecoder {
 public:
  RleBitPackedDecoder() = default;
  // REQUIRES: 0 <= bit_width <= 32 (throws ParquetCorruption otherwise).
  RleBitPackedDecoder(const uint8_t* data, size_t size, int bit_width);
  // Decodes the next `n` values; throws ParquetCorruption when the data ends first.
  void Decode(uint32_t* out, size_t n);
  // When the next `n` values are all `value` within one repeated run (the common case of
  // definition levels without NULLs), consumes them and returns true; else changes nothing.
  bool SkipRepeated(uint32_t value, size_t n);

 private:
  void NextRun();

  const uint8_t* pos_ = nullptr;
  const uint8_t* end_ = nullptr;
  int bit_width_ = 0;
  uint32_t repeat_left_ = 0;
  uint32_t repeat_value_ = 0;
  // The current bit-packed run: its bytes, and values left / read in it.
  const uint8_t* packed_ = nullptr;
  size_t packed_bytes_ = 0;
  uint64_t packed_left_ = 0;
  uint64_t packed_index_ = 0;
};

// Appends `values` (each < 2^bit_width) in the RLE / bit-packing hybrid, without a length
// prefix.
void RleBitPackedEncode(const uint32_t* values, size_t n, int bit_width, std::string* out);

// DELTA_BINARY_PACKED integers (also the lengths inside DELTA_LENGTH_BYTE_ARRAY and
// DELTA_BYTE_ARRAY). Arithmetic wraps, as the format intends. Not thread-safe.
class DeltaBinaryPackedDecoder {
 public:
  DeltaBinaryPackedDecoder() = default;
  // Reads the header; throws ParquetCorruption when it is malformed.
  DeltaBinaryPackedDecoder(const uint8_t* data, size_t size);
  // Values in the stream, and values not yet decoded.
  uint64_t total() const { return total_; }
  uint64_t remaining() const { return total_ - read_; }
  // Decodes the next `n` values. REQUIRES n <= remaining() (else ParquetCorruption).
  void Decode(int64_t* out, size_t n);
  // After all values are decoded: the first byte after the encoded stream.
  const uint8_t* end_position() const { return data_end_; }

 private:
  void NextMiniblock();

  const uint8_t* pos_ = nullptr;
  const uint8_t* end_ = nullptr;
  const uint8_t* data_end_ = nullptr;
  uint64_t values_per_block_ = 0;
  uint64_t miniblocks_ = 0;
  uint64_t values_per_miniblock_ = 0;
  uint64_t total_ = 0;
  uint64_t read_ = 0;
  uint64_t last_ = 0;
  uint64_t min_delta_ = 0;
  std::vector<uint8_t> bit_widths_;
  uint64_t miniblock_index_ = 0;  // in the current block; == miniblocks_ means none
  const uint8_t* mini_ = nullptr;
  int mini_width_ = 0;
  uint64_t mini_left_ = 0;
  uint64_t mini_read_ = 0;
};

// Reads an unsigned LEB128 varint; throws ParquetCorruption past `end`.
uint64_t ReadUleb(const uint8_t** pos, const uint8_t* end);

}  // namespace sluice
