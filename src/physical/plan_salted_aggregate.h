#pragma once

#include <vector>

#include "exec/operator.h"
#include "expr/expr.h"
#include "vector/schema.h"

namespace sluice {

// Salting for count(DISTINCT x) grouped by keys (an aggregate that cannot combine
// partially, so a hot key would land in one task): rows get salt = hash(x) % buckets, a
// deterministic function of the row; the first aggregate counts distinct x per
// (keys, salt), spread over many partitions, and the second sums those counts per key.
// Distinct values of x never share two salts, so the sums are exact.
//
// Applies when there are group keys and every aggregate is count(DISTINCT x) over the same
// single column; returns nullptr otherwise, leaving `child` untouched. `groups` and `aggs`
// are bound over child's schema; `schema` is the aggregate's output.
PhysicalOperatorPtr PlanSaltedDistinctAggregate(PhysicalOperatorPtr& child,
                                                const std::vector<ExprPtr>& groups,
                                                const std::vector<ExprPtr>& aggs,
                                                const Schema& schema, int buckets,
                                                int partitions);

}  // namespace sluice
