#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "io/partitioned_writer.h"
#include "plan/logical_plan.h"

namespace sluice {

class Session;

struct PartitionedWriteSpec {
  std::vector<std::string> partition_by;  // column names of the plan's output
  FileTarget target;  // the format of the files and its options
  // Caps the files each partition directory gets (one per task otherwise) by merging the
  // plan's partitions into this many tasks first; 0 = no cap.
  int max_files_per_partition = 0;
};

// Runs `plan` and writes it Hive-partitioned under `directory` (see PartitionedWriter), in
// parallel, one writer per task and partition value. Atomic: files go to a staging directory
// that replaces `directory` only once every task has succeeded. Returns the rows written.
// Throws BindError for an unknown partition column, InvalidInputError when every column is
// a partition column.
int64_t WritePartitioned(Session& session, LogicalPlanPtr plan, const std::string& directory,
                         const PartitionedWriteSpec& spec);

}  // namespace sluice
