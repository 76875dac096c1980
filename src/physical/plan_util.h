#pragma once

#include <functional>
#include <vector>

#include "exec/operator.h"
#include "expr/expr.h"

namespace sluice {

// Makes every expression of `exprs` (bound over op's schema) available as a column: plain
// column references are used as they are, the others are appended by a Project.
// Returns the column indices; `op` is replaced by the projecting operator when needed.
std::vector<int> EnsureColumns(PhysicalOperatorPtr& op, const std::vector<ExprPtr>& exprs);

// A Project that keeps the first `n` columns of op (drops helper columns).
PhysicalOperatorPtr KeepFirstColumns(PhysicalOperatorPtr op, size_t n);

// Splits a predicate into its AND-ed conjuncts.
void SplitConjuncts(const ExprPtr& expr, std::vector<ExprPtr>& out);
// The smallest and largest column index an expression references ({INT_MAX, -1} if none).
std::pair<int, int> ColumnRange(const Expr& expr);

}  // namespace sluice
