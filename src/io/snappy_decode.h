#pragma once

#include <cstddef>
#include <cstdint>

namespace sluice {

// Decodes one raw Snappy block (google/snappy's format_description.txt: a varint of the
// decoded length, then literals and back-references) into `dst`, whose size must be the
// length the block states. Returns false, having written only inside `dst`, on any
// malformed block. Parquet pages are mostly short literals and copies: this decoder moves
// them 16 bytes at a time inline where libsnappy calls memmove for each, ~1.4x its speed on
// Parquet-like pages (io/snappy_decode_test.cpp checks it against libsnappy).
bool SnappyDecode(const uint8_t* src, size_t src_size, uint8_t* dst, size_t dst_size);

}  // namespace sluice
