#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace sluice {

// The heaviest keys of a stream of key hashes, in bounded space (a Misra-Gries summary with
// `capacity` counters): every key seen more than total() / (capacity + 1) times keeps a
// counter, and a counter underestimates its key's count by at most that much. Past the
// first kExactRows rows of a stream, one row in kSampleEvery on average is counted, with
// that weight (the weighted form of the same summary); the gaps between counted rows are
// pseudo-random (seeded: the same stream gives the same summary), so a key that recurs with
// a period cannot alias with them. Counters past that point are estimates: a
// hot key (at least 7% of the rows) stays far above the sampling error, and counting costs
// a sixteenth as much on the 6M rows of a TPC-H lineitem exchange. A map task
// keeps one over the rows it writes to a hash exchange (shuffle/map_output_writer.h); the
// shuffle merges the tasks' summaries in task order, so the merged summary, like the rows, is
// the same whatever the thread count. The basis of hot-key salting
// (physical/adaptive_salt_aggregate.cpp). Not thread-safe; a value.
class HeavyHitters {
 public:
  static constexpr int kDefaultCapacity = 16;
  static constexpr int64_t kExactRows = 16384;
  static constexpr int64_t kSampleEvery = 16;

  struct Entry {
    uint64_t hash = 0;
    int64_t count = 0;  // the key's rows (a lower bound while every row is counted)
    bool operator==(const Entry&) const = default;
  };

  explicit HeavyHitters(int capacity = kDefaultCapacity);
  // A summary with the counters `entries` (as Top() returned them) over `total` rows: how a
  // summary shipped from another process is rebuilt. REQUIRES: entries.size() <= capacity.
  static HeavyHitters FromEntries(int capacity, std::vector<Entry> entries, int64_t total);

  // Counts one row per hash (sampled past kExactRows rows added).
  void Add(const uint64_t* hashes, size_t n);
  // Folds `other` in (Agarwal et al.'s merge: add the counters, then subtract the
  // (capacity + 1)-th largest count from all and drop those left at zero). The result depends
  // on the order of merges only through that rule, so merging in task order is deterministic.
  void Merge(const HeavyHitters& other);

  // Rows counted, in this summary and every one merged into it.
  int64_t total() const { return total_; }
  int capacity() const { return capacity_; }
  // The counters, heaviest first (ties: smaller hash first).
  std::vector<Entry> Top() const;

 private:
  // Adds `weight` rows of `hash`.
  void AddOne(uint64_t hash, int64_t weight);
  // The slot of index_ that holds `hash`'s counter, or the empty slot where it would go.
  size_t Find(uint64_t hash) const;
  // Rebuilds index_ from entries_ (after counters were dropped).
  void Reindex();

  int capacity_;
  std::vector<Entry> entries_;
  // Open addressing over entries_ (positions; -1 empty), at most half full, so a row costs a
  // probe or two rather than a scan of every counter.
  std::vector<int16_t> index_;
  uint64_t mask_ = 0;
  int64_t total_ = 0;
  int64_t added_ = 0;        // rows passed to Add (not merged)
  int64_t next_sample_ = kExactRows;  // the stream position counted next once sampling
  uint64_t gap_state_ = 0x2545f4914f6cdd1dULL;  // xorshift state of the sampling gaps
};

}  // namespace sluice
