#pragma once

#include <cstdint>
#include <vector>

#include "exec/exec_context.h"
#include "exec/operator.h"

namespace sluice {

// How many sub-partitions each partition of one join input is split into (1: not split).
// A partition is skewed when its bytes exceed both `factor` x the median partition and
// `threshold`; it is then cut into ceil(bytes / max(median, 1)) pieces, at least 2 and at
// most `max_splits`. A pure function of the statistics, so the split does not depend on the
// thread count.
std::vector<int> SkewSplitCounts(const std::vector<int64_t>& bytes, double factor,
                                 int64_t threshold, int max_splits);

// Adaptive skew split (issue 5): decides, just before a stage runs, whether it is a
// partitioned join stage with a skewed partition, and if so how its tasks read the inputs.
//
// Applies when `adaptive` and `skew_join` are on and `top` reaches, through filters,
// projections, partial aggregates and the probe input of broadcast joins, a shuffled hash join or a sort-merge join each of
// whose inputs is a hash exchange reached through filters, projections and sorts. A skewed
// partition of an input that may be split for the join type (the left input of INNER, LEFT,
// SEMI, ANTI; the right input of INNER, RIGHT; never for FULL) is read as row slices by
// several tasks, each joined against a full copy of the other input's matching partition
// (both inputs skewed, INNER only: every pair of slices). Every row of the split side is in
// exactly one task, so outer and semi/anti rows are emitted once.
//
// Returns the number of tasks the stage runs (more than top.num_partitions() when split),
// or -1 when there is nothing to split. Sets the exchanges' task slices, their notes and the
// join's run-time note (EXPLAIN ANALYZE). Idempotent.
// REQUIRES: the stages feeding `top`'s stage have run. Called by the scheduler only.
int PlanSkewJoinTasks(const PhysicalOperator& top, ExecContext& ctx);

}  // namespace sluice
