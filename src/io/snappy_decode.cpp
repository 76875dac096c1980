#include "io/snappy_decode.h"

#include <cstring>

namespace sluice {

namespace {

inline void Copy16(uint8_t* d, const uint8_t* s) { std::memcpy(d, s, 16); }

inline uint32_t Load32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

}  // namespace

bool SnappyDecode(const uint8_t* src, size_t src_size, uint8_t* dst, size_t dst_size) {
  const uint8_t* ip = src;
  const uint8_t* const ip_end = src + src_size;
  // Preamble: the decoded length as a varint (at most 5 bytes, 32 bits).
  uint64_t length = 0;
  for (int shift = 0;; shift += 7) {
    if (ip == ip_end || shift > 28) return false;
    const uint8_t b = *ip++;
    length |= uint64_t{b & 0x7fu} << shift;
    if (b < 0x80) break;
  }
  if (length != dst_size) return false;
  uint8_t* op = dst;
  uint8_t* const op_end = dst + dst_size;
  while (ip < ip_end) {
    const uint8_t tag = *ip++;
    if ((tag & 3) == 0) {
      size_t n = (tag >> 2) + 1;
      // Short literal with room to over-read and over-write: one 16-byte move.
      if (n <= 16 && ip_end - ip >= 16 && op_end - op >= 16) {
        Copy16(op, ip);
        op += n;
        ip += n;
        continue;
      }
      if (n > 60) {
        const size_t bytes = n - 60;
        if (static_cast<size_t>(ip_end - ip) < bytes) return false;
        uint32_t v = 0;
        std::memcpy(&v, ip, bytes);  // little-endian hosts only (x86-64, aarch64)
        n = size_t{v} + 1;
        ip += bytes;
      }
      if (static_cast<size_t>(ip_end - ip) < n || static_cast<size_t>(op_end - op) < n) return false;
      std::memcpy(op, ip, n);
      op += n;
      ip += n;
      continue;
    }
    size_t n, offset;
    switch (tag & 3) {
      case 1:
        if (ip == ip_end) return false;
        n = ((tag >> 2) & 7) + 4;
        offset = (static_cast<size_t>(tag >> 5) << 8) | *ip++;
        break;
      case 2:
        if (ip_end - ip < 2) return false;
        n = (tag >> 2) + 1;
        offset = size_t{ip[0]} | (size_t{ip[1]} << 8);
        ip += 2;
        break;
      default:
        if (ip_end - ip < 4) return false;
        n = (tag >> 2) + 1;
        offset = Load32(ip);
        ip += 4;
        break;
    }
    if (offset == 0 || offset > static_cast<size_t>(op - dst) ||
        n > static_cast<size_t>(op_end - op)) {
      return false;
    }
    const uint8_t* from = op - offset;
    if (offset >= 16 && op_end - op >= 64) {
      // n <= 64: up to four 16-byte moves, each reading bytes already written.
      Copy16(op, from);
      if (n > 16) {
        Copy16(op + 16, from + 16);
        if (n > 32) {
          Copy16(op + 32, from + 32);
          Copy16(op + 48, from + 48);
        }
      }
      op += n;
      continue;
    }
    if (static_cast<size_t>(op_end - op) >= n + 16) {
      // A pattern shorter than 16 bytes: 8-byte moves, each reading only bytes written; while
      // the distance is under 8, each move doubles it.
      uint8_t* const end = op + n;
      uint8_t* d = op;
      const uint8_t* s = from;
      while (d - s < 8) {
        uint64_t v;
        std::memcpy(&v, s, 8);
        std::memcpy(d, &v, 8);
        d += d - s;
        if (d >= end) break;
      }
      while (d < end) {
        uint64_t v;
        std::memcpy(&v, s, 8);
        std::memcpy(d, &v, 8);
        s += 8;
        d += 8;
      }
      op = end;
      continue;
    }
    // The end of the output: byte by byte.
    for (size_t i = 0; i < n; i++) op[i] = from[i];
    op += n;
  }
  return op == op_end;
}

}  // namespace sluice
