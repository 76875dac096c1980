#pragma once

#include <map>

#include "plan/subquery.h"

namespace sluice {

// Dependent subqueries, evaluated by "apply": for a plan node whose expressions hold a
// dependent subquery S with outer values v1..vk (bound over the node's input I):
//   1. B = the distinct rows of (v1..vk) over I, run as a job;
//   2. for each row of B, S's plan with its parameters replaced by that row's values runs as
//      a job, giving the row's result (scalar: the value, or NULL without a row, an error for
//      a second row; EXISTS: whether it has a row);
//   3. the node's input becomes I LEFT JOIN B on v1..vk (NULLs equal), and S the result column.
// Each outer row meets exactly one row of B, so the join neither drops nor repeats rows. The
// cost is one job per distinct outer value set: the binder decorrelates the common shapes
// (equality correlation under an aggregate, EXISTS, IN) into plain joins first.
//
// Returns `plan` with every dependent subquery so replaced (the node's output is unchanged).
// Supported in Filter, Project, Aggregate and Sort nodes and in the condition of an inner
// join; elsewhere throws NotImplementedError.
LogicalPlanPtr ApplyCorrelatedSubqueries(const LogicalPlanPtr& plan, const SubqueryRunner& run);

// The right side of a LATERAL join (a kValues leaf holding it): `plan` reads `parameters`,
// whose values are `values` over the join's left input (unbound: by name). Before the query
// runs, the join becomes left JOIN B, B holding for each distinct left value set its values
// and each row `plan` gives for them (none: the left row has no partner, or NULLs for LEFT).
struct LateralSubquery {
  LogicalPlanPtr plan;
  std::vector<std::shared_ptr<const SubqueryRef>> parameters;
  std::vector<ExprPtr> values;
};
LogicalPlanPtr MakeLateralLeaf(std::shared_ptr<const LateralSubquery> lateral);

// `plan` with the parameters in `values` replaced by literals, in the plans of the
// subqueries it holds too.
using ParameterValues = std::map<const SubqueryRef*, Value>;
LogicalPlanPtr SubstituteParameters(const LogicalPlanPtr& plan, const ParameterValues& values);

}  // namespace sluice
