#pragma once

#include <functional>
#include <set>
#include <vector>

#include "plan/logical_plan.h"

// Helpers the optimizer rules share: bound-expression rewrites and plan-node constructors
// that take already-bound expressions (the Make* builders of plan/ bind by name, which a
// rewrite must not do: names may repeat).
namespace sluice::opt {

// AND-ed conjuncts of a bound predicate (nested ANDs flattened).
void SplitConjuncts(const ExprPtr& e, std::vector<ExprPtr>& out);
// The bound AND of `parts`; the single part itself; null when empty.
ExprPtr Conjunction(const std::vector<ExprPtr>& parts);
ExprPtr BoolLiteral(bool value);
bool IsBoolLiteral(const Expr& e, bool value);
bool IsNullLiteral(const Expr& e);

// A copy of `e` with each column reference i replaced by replacement[i] (inlining the
// expressions of a projection or the group keys of an aggregate).
ExprPtr SubstituteColumns(const ExprPtr& e, const std::vector<ExprPtr>& replacement);
// Column indices `e` references.
std::set<int> ColumnsOf(const Expr& e);
void AddColumnsOf(const Expr& e, std::set<int>& out);
// True when `e` calls a function whose result differs between calls (random()): such
// expressions are neither folded nor moved.
bool IsVolatile(const Expr& e);

// Plan nodes over bound expressions, with output schemas computed as the Make* builders do.
LogicalPlanPtr NewFilter(LogicalPlanPtr child, ExprPtr predicate);
LogicalPlanPtr NewProject(LogicalPlanPtr child, std::vector<ExprPtr> exprs, Schema schema);
// Columns `indices` of `child`, keeping their fields.
LogicalPlanPtr NewSelect(LogicalPlanPtr child, const std::vector<int>& indices);
LogicalPlanPtr NewJoin(LogicalPlanPtr left, LogicalPlanPtr right, JoinKind kind,
                       ExprPtr predicate);
// A copy of `node` with other children (same schema).
LogicalPlanPtr WithChildren(const LogicalPlan& node, std::vector<LogicalPlanPtr> children);

}  // namespace sluice::opt
