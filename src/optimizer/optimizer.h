#pragma once

#include "common/settings.h"
#include "plan/logical_plan.h"

namespace sluice {

// Rewrites an analyzed logical plan into an equivalent, cheaper one: constant folding,
// filter pushdown (through projections, aggregates, unions and into joins), join ordering
// from cardinality estimates with implied join keys, and column pruning down to the scans.
// The result has the same output schema and produces the same rows (as a multiset; row
// order is only guaranteed where the plan sorts). Unchanged subtrees are shared with the
// input. Cache nodes are opaque: nothing is pushed into or pruned below them, since their
// contents are shared between queries.
LogicalPlanPtr Optimize(const LogicalPlanPtr& plan, const Settings& settings);

}  // namespace sluice
