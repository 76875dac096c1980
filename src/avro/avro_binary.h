#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "avro/avro_schema.h"
#include "avro/avro_value.h"

namespace sluice::avro {

// Avro's binary encoding (specification, "Binary Encoding"): zig-zag varints for int and
// long, little-endian float and double, length-prefixed bytes and strings, blocked arrays
// and maps, unions as a branch index and the value.

// Appends `value` encoded as `schema` to `out`. Throws InvalidInputError when the value does
// not fit the schema (a string for an int, a symbol the enum lacks, a wrong fixed size).
void Encode(const Schema& schema, const Value& value, std::string* out);

// Reads datums from a buffer. Throws InvalidInputError naming `where` and the byte offset on
// truncated or malformed input (never reads past the end).
class Decoder {
 public:
  Decoder(const uint8_t* data, size_t size, std::string where, size_t base_offset = 0)
      : begin_(data), p_(data), end_(data + size), where_(std::move(where)), base_(base_offset) {}

  Value Decode(const Schema& schema);
  int64_t ReadLong();
  std::string ReadBytes();
  // The next `n` raw bytes.
  std::string ReadFixed(size_t n);
  bool at_end() const { return p_ == end_; }
  size_t remaining() const { return static_cast<size_t>(end_ - p_); }
  size_t offset() const { return base_ + static_cast<size_t>(p_ - begin_); }
  [[noreturn]] void Fail(const std::string& what) const;

 private:
  void Need(size_t n) const;

  const uint8_t* begin_;
  const uint8_t* p_;
  const uint8_t* end_;
  std::string where_;
  size_t base_;
};

void EncodeLong(int64_t v, std::string* out);

}  // namespace sluice::avro
