#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "shuffle/exchange_stats.h"
#include "vector/batch_stream.h"

namespace sluice {

// What one reduce task reads from an exchange: the partitions [first, end) one after the
// other (one partition, or a coalesced range of adjacent ones), or a row slice
// [row_begin, row_end) of a single partition (a skew-split piece; row_end < 0: to its end).
struct ShuffleRead {
  int first = 0;
  int end = 1;
  int64_t row_begin = 0;
  int64_t row_end = -1;

  static ShuffleRead Partition(int p) { return {p, p + 1, 0, -1}; }
  static ShuffleRead Range(int first, int end) { return {first, end, 0, -1}; }
  static ShuffleRead Slice(int p, int64_t row_begin, int64_t row_end) {
    return {p, p + 1, row_begin, row_end};
  }
  bool whole() const { return row_begin == 0 && row_end < 0; }
  bool operator==(const ShuffleRead&) const = default;
};

// The reduce side of a shuffle: streams what the map tasks committed. Rows come in a fixed
// order (partition, then map task, then write order), so a read is deterministic whatever
// the thread count. Thread-safe between different reads.
class ShuffleReader {
 public:
  virtual ~ShuffleReader() = default;
  // REQUIRES: every map task has committed. A row slice names one partition.
  virtual std::unique_ptr<BatchStream> Open(const ShuffleRead& read) = 0;
  // Rows and data bytes per output partition of the committed output.
  virtual ExchangeStats Stats() const = 0;
  virtual int partitions() const = 0;
};

}  // namespace sluice
