#pragma once

#include "shuffle/heavy_hitters.h"
#include "vector/batch.h"

namespace sluice {

// Where one attempt of one map task writes its output to an exchange (the map side of a
// shuffle). A transport implements it: in process now (LocalShuffle), over MPI later.
//
// Contract: Write any number of times, then either Commit (the output becomes part of the
// exchange) or Abort (everything this attempt wrote is discarded, so a retried attempt
// starts clean). A writer that is destroyed without Commit leaves nothing the readers use.
// One writer per map task at a time; writers of different tasks may run concurrently.
class ShuffleWriter {
 public:
  virtual ~ShuffleWriter() = default;
  // Appends `batch` (of the exchange's schema) to output partition `partition`. May spill.
  virtual void Write(int partition, Batch batch) = 0;
  // The heaviest keys of the rows this attempt wrote (a hash exchange that tracks its keys),
  // reported in ExchangeStats::heavy_keys once committed. REQUIRES: before Commit. A
  // transport that does not carry summaries reports no heavy keys (nothing gets salted).
  virtual void RecordKeySummary(HeavyHitters summary) { (void)summary; }
  // The task's output is complete. REQUIRES: not aborted; called at most once.
  virtual void Commit() = 0;
  // Discards what this attempt wrote. REQUIRES: not committed.
  virtual void Abort() = 0;
};

}  // namespace sluice
