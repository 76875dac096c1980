#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "io/file_set_target.h"
#include "plan/logical_plan.h"

namespace sluice {

class Session;

// What COPY ... TO and DataFrameWriter ask of a file write, before the names are resolved.
struct FileWriteRequest {
  std::string path;
  // kSingleFile or kPartFiles; a PARTITION_BY makes it kHivePartitioned.
  FileLayout layout = FileLayout::kSingleFile;
  std::vector<std::string> partition_by;  // column names of the plan's output
  // Caps the files each partition directory gets (one per task otherwise) by merging the
  // plan's partitions into this many tasks first; 0 = no cap.
  int max_files_per_partition = 0;
  std::string statement = "COPY TO";  // for EXPLAIN
};

// Makes the DataTarget of the files for rows of `schema` (a CopyFunction's MakeTarget).
using FileTargetFactory =
    std::function<std::shared_ptr<const DataTarget>(const Schema& schema, FileSetSpec spec)>;

// The plan that writes the rows of `plan` as `request` says: a write node over `plan`
// (coalesced first for max_files_per_partition) whose target `make_target` makes. Runs
// nothing. Throws BindError for an unknown PARTITION_BY column, InvalidInputError when
// every column is one.
LogicalPlanPtr PlanFileWrite(LogicalPlanPtr plan, const FileWriteRequest& request,
                             const FileTargetFactory& make_target);

// Runs a plan whose root is a write node and returns the rows it wrote.
int64_t RunWrite(Session& session, const LogicalPlan& write);

}  // namespace sluice
