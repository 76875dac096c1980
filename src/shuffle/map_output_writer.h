#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "shuffle/partitioner.h"
#include "shuffle/shuffle_writer.h"
#include "vector/batch.h"
#include "vector/schema.h"

namespace sluice {

// The map side of one task: routes the task's batches through a Partitioner and gathers
// the rows of each output partition into full-size batches before handing them to the
// ShuffleWriter, so that an exchange holds few, full batches whatever the input's batch
// sizes. Single-partition exchanges pass large batches through without copying.
// Not thread-safe (one per map task attempt); borrows `writer`, which outlives it.
class MapOutputWriter {
 public:
  MapOutputWriter(const Schema& schema, std::unique_ptr<Partitioner> partitioner,
                  ShuffleWriter* writer);

  void Write(const Batch& batch);
  // Writes the partly filled batches. Does not commit the writer.
  void Finish();

 private:
  void Route(int partition, const Batch& batch);

  std::unique_ptr<Partitioner> partitioner_;
  ShuffleWriter* writer_;
  std::vector<BatchBuilder> builders_;  // per output partition
  std::vector<std::vector<uint32_t>> selections_;
};

}  // namespace sluice
