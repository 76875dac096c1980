#pragma once

#include "exec/operator.h"
#include "plan/logical_plan.h"

namespace sluice {

// Plans a kWindow node over its planned child: calls that share PARTITION BY and ORDER BY
// become one WindowOperator (several operators are chained for several specs), each on an
// Exchange hash(partition keys) into `shuffle_partitions` partitions, or a single
// partition without keys, unless the input is already partitioned so. Resolves default
// frames and constant frame offsets. Output columns: the child's, then one per call.
PhysicalOperatorPtr PlanWindow(PhysicalOperatorPtr child, const LogicalPlan& plan,
                               int shuffle_partitions);

}  // namespace sluice
