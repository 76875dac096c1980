#pragma once

#include "expr/expr.h"
#include "vector/schema.h"

namespace sluice {

// Resolves an expression against the schema of its input: column references become
// indices, functions get kernels and implicit casts (INTEGER + DECIMAL casts the integer),
// every node gets its type. Aggregates are bound with their AggregateFunction.
// Throws BindError (unknown column with a suggestion, no such function, type mismatch).
ExprPtr BindExpression(const ExprPtr& expr, const Schema& input);

// The common type two expressions are cast to for comparison, CASE, COALESCE, IN, UNION.
// Throws BindError when there is none.
LogicalType CommonSuperType(const LogicalType& a, const LogicalType& b);

// Wraps `e` in a cast to `type` unless it already has that type.
ExprPtr CastIfNeeded(const ExprPtr& e, const LogicalType& type);

}  // namespace sluice
