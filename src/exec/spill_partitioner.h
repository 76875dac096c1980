#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "shuffle/spill_file.h"
#include "shuffle/temp_directory.h"
#include "vector/batch.h"

namespace sluice {

// Routes rows to kFanout spill files by four bits of their key hash, for the partitioned
// spilling of hash aggregation and grace hash join. Level L uses bits [4L, 4L + 4): the
// low bits, which neither the exchange (a remixed hash) nor KeyHashTable (the high bits)
// use, and a partition that still does not fit is split again at level L + 1. Rows are
// coalesced into full batches per partition before they are written (a small, fixed
// buffer). Not thread-safe: one owner.
class SpillPartitioner {
 public:
  static constexpr int kFanout = 16;
  // Deepest level: 4 * (kMaxLevel + 1) hash bits are used up.
  static constexpr int kMaxLevel = 7;

  static int PartitionOf(uint64_t hash, int level) {
    return static_cast<int>((hash >> (4 * level)) & (kFanout - 1));
  }

  SpillPartitioner(TempDirectory* temp, std::string tag, std::vector<LogicalType> types,
                   int level);

  // Appends the rows of `batch` (of `types`); hashes[i] is the key hash of row i.
  void Append(const Batch& batch, const uint64_t* hashes);
  // Writes what is buffered and returns the files, one per partition (null when empty).
  std::vector<std::unique_ptr<SpillFile>> Finish();
  // Bytes written to disk so far.
  int64_t bytes_written() const { return bytes_written_; }
  int level() const { return level_; }

 private:
  void Flush(int partition);

  TempDirectory* temp_;
  std::string tag_;
  std::vector<LogicalType> types_;
  int level_;
  std::vector<BatchBuilder> builders_;
  std::vector<std::unique_ptr<SpillFile>> files_;
  std::vector<std::vector<uint32_t>> selections_;
  int64_t bytes_written_ = 0;
};

}  // namespace sluice
