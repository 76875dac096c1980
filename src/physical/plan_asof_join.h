#pragma once

#include "exec/operator.h"
#include "plan/logical_plan.h"

namespace sluice {

// Plans an ASOF [LEFT] JOIN (a kJoin node of kind kAsof or kAsofLeft) over its planned
// inputs: the keys and times are cast to common types and made columns, both inputs are
// hash-partitioned on the keys into `partitions` (one partition without keys; nothing moves
// when both already are), sorted as exec/asof_join.h requires (the right input also by its
// other columns, which breaks ties deterministically), merged by an AsofJoin, and the
// helper columns are dropped. Sorts spill, so memory stays bounded.
PhysicalOperatorPtr PlanAsofJoin(const LogicalPlan& plan, PhysicalOperatorPtr left,
                                 PhysicalOperatorPtr right, int partitions);

}  // namespace sluice
