#pragma once

#include <string>

#include "expr/expr.h"
#include "plan/logical_plan.h"

namespace sluice {

class Session;

// The target rows a MERGE may match, as a predicate over the target columns: the conjuncts of
// the ON condition that read only target columns (dbt's incremental_predicates land there),
// and for each equality `target.k = source.k` the range [min(k), max(k)] of the source rows.
// A target row failing it pairs with no source row, so a MERGE without WHEN NOT MATCHED BY
// SOURCE leaves it unchanged and need not read it; the scan prunes row groups and files by
// their statistics with it.
// `condition` is the translated (unbound) ON condition, whose column references carry their
// qualifiers; `source` is the source relation (the key range is an aggregate over it, run
// now as a query of its own). Returns nullptr when nothing narrows the target (or the target
// and source qualifiers are the same).
ExprPtr MergeTargetFilter(Session& session, const ExprPtr& condition,
                          const std::string& target_qualifier, const LogicalPlanPtr& source);

}  // namespace sluice
