#pragma once

#include <functional>

#include "plan/logical_plan.h"

namespace sluice {

// A subplan that a query reads more than once (a CTE or view named twice, TPC-H q15's
// revenue0 both in the join and in the scalar subquery over it; a DataFrame joined with
// itself) runs once: every place it is read becomes one cache node (kCache with a store of
// its own, filled before the query runs, read from memory after), as DuckDB materializes a
// CTE read more than once. Sharing is pointer identity: the binder hands out the same plan
// for every reference to a CTE and, within a statement, to a view.
//
// Only subplans worth it are cached: those with an aggregate, DISTINCT, a window or a join
// in them (a scan with filters is cheaper to read again than to hold), without subqueries,
// parameters of an enclosing query or rows computed before the query runs (recursive CTEs,
// LATERAL), and for which `fits(plan)` holds (the caller's memory budget). The nodes inside
// the subqueries of `plan` count as read by the query too.
LogicalPlanPtr CacheSharedSubplans(const LogicalPlanPtr& plan,
                                   const std::function<bool(const LogicalPlan&)>& fits);

}  // namespace sluice
