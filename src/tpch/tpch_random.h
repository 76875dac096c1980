#pragma once

#include <cstdint>

namespace sluice::tpch {

// The random stream of one generated row. Every row of every table draws from its own
// stream, seeded from (table seed, row index) alone, so a row's values do not depend on which
// part file, chunk or thread generates it: any thread count gives identical files.
// A splitmix64 generator: tiny state, good statistical quality for data generation.
class RowRandom {
 public:
  RowRandom(uint64_t table_seed, int64_t row)
      : state_(Mix(table_seed ^ (static_cast<uint64_t>(row) * 0xD1B54A32D192ED03ULL))) {}

  uint64_t Next() {
    state_ += 0x9E3779B97F4A7C15ULL;
    return Mix(state_);
  }

  // A uniformly distributed integer in [lo, hi]. REQUIRES: lo <= hi.
  int64_t Uniform(int64_t lo, int64_t hi) {
    const uint64_t span = static_cast<uint64_t>(hi - lo) + 1;
    // Multiply-high maps 64 random bits onto the span with negligible bias.
    const auto scaled =
        static_cast<uint64_t>((static_cast<unsigned __int128>(Next()) * span) >> 64);
    return lo + static_cast<int64_t>(scaled);
  }

  static uint64_t Mix(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

 private:
  uint64_t state_;
};

}  // namespace sluice::tpch
