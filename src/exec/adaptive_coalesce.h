#pragma once

#include <cstdint>
#include <vector>

#include "exec/exec_context.h"
#include "exec/operator.h"

namespace sluice {

// Groups adjacent partitions, in order, so that each group holds at most `target_bytes`
// (a partition larger than the target is a group of its own; empty partitions join their
// neighbours). Returns the first partition of each group; never empty when `bytes` is not.
std::vector<int> CoalescePartitionGroups(const std::vector<int64_t>& bytes, int64_t target_bytes);

// Decides, just before the stage whose top operator is `top` runs, how many tasks it runs.
// When `adaptive` is on and the stage's only input is a hash exchange reached through
// operators that keep its partition count (a final aggregate, a projection), small
// partitions of that exchange are coalesced toward `target_partition_bytes` and the stage
// runs one task per group; otherwise it runs top.num_partitions() tasks. Results stay
// deterministic: groups are fixed by the exchange statistics, read in partition order.
// With `may_split` (a map stage, whose exchange takes any number of map tasks), a join stage
// may instead run more tasks than partitions: the adaptive skew split
// (exec/adaptive_skew_join.h).
// REQUIRES: the stages feeding `top`'s stage have run. Called by the scheduler only.
int PlanStageTasks(const PhysicalOperator& top, ExecContext& ctx, bool may_split = false);

}  // namespace sluice
