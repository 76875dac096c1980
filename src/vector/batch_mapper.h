#pragma once

#include <functional>
#include <string>
#include <vector>

#include "vector/batch.h"

namespace sluice {

// A function from one batch to the batches it becomes, of a schema fixed when the plan is
// made (Python's mapInPandas: any number of rows out per batch in). Run by the MapBatches
// operator once per input batch of each task. Thread-safe: called by many tasks at once.
struct BatchMapper {
  std::string name;  // for EXPLAIN
  // Returns batches of the node's schema (of any sizes, empty ones allowed). `partition`
  // is the task's partition.
  std::function<std::vector<Batch>(const Batch& batch, int partition)> map;
};

}  // namespace sluice
