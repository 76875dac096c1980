#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "shuffle/heavy_hitters.h"
#include "shuffle/partitioner.h"
#include "shuffle/shuffle_writer.h"
#include "vector/batch.h"
#include "vector/schema.h"

namespace sluice {

// The map side of one task: routes the task's batches through a Partitioner and gathers
// the rows of each output partition into full-size batches before handing them to the
// ShuffleWriter, so that an exchange holds few, full batches whatever the input's batch
// sizes. Single-partition exchanges pass large batches through without copying.
// With `track_keys` (a hash partitioner of more than one partition), it also keeps a
// HeavyHitters summary of the rows' key hashes and records it with the writer on Finish.
// Not thread-safe (one per map task attempt); borrows `writer`, which outlives it.
class MapOutputWriter {
 public:
  MapOutputWriter(const Schema& schema, std::unique_ptr<Partitioner> partitioner,
                  ShuffleWriter* writer, bool track_keys = false);

  void Write(const Batch& batch);
  // Writes the partly filled batches (and the key summary). Does not commit the writer.
  void Finish();

 private:
  void Route(int partition, const Batch& batch);

  std::unique_ptr<Partitioner> partitioner_;
  ShuffleWriter* writer_;
  std::vector<BatchBuilder> builders_;  // per output partition
  std::vector<std::vector<uint32_t>> selections_;
  std::optional<HeavyHitters> keys_;  // set when tracking keys
};

}  // namespace sluice
