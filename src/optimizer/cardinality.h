#pragma once

#include "plan/logical_plan.h"

namespace sluice::opt {

// Estimated output rows of a plan, for join ordering: source row counts (or bytes / 8 per
// column when a source does not know its rows) scaled by default selectivities (equality
// 0.1, range 0.3, other 0.5); an equi-join is assumed key/foreign-key (max of its inputs).
double EstimateRows(const LogicalPlan& plan);

// Selectivity of one filter conjunct.
double Selectivity(const Expr& conjunct);

}  // namespace sluice::opt
