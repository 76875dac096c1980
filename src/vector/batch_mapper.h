#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "vector/batch.h"
#include "vector/batch_stream.h"

namespace sluice {

// A function from a task's input batches to output batches of a schema fixed when the plan
// is made (Python's mapInPandas: any number of rows out). Run by the MapBatches operator in
// one of two shapes; exactly one of `map` and `map_partition` is set. Thread-safe: called by
// many tasks at once.
struct BatchMapper {
  std::string name;  // for EXPLAIN
  // Per input batch: returns batches of the node's schema (of any sizes, empty ones
  // allowed). `partition` is the task's partition.
  std::function<std::vector<Batch>(const Batch& batch, int partition)> map;
  // Per task: called once with the task's input stream; returns the stream of its output
  // batches (of any sizes), which pulls from `input` as it goes (PySpark's mapInPandas
  // calls the function once per partition with an iterator over the partition's batches).
  std::function<std::unique_ptr<BatchStream>(std::unique_ptr<BatchStream> input,
                                             int partition)>
      map_partition;
};

}  // namespace sluice
