#pragma once

#include <cstdint>

#include "expr/expr.h"
#include "vector/batch.h"

namespace sluice {

// Evaluates a bound expression over a batch, vectorized: one kernel call per node per batch.
// Column references return the input column itself (no copy); literals return constant
// columns. Thread-safe (no state between calls).
ColumnPtr Evaluate(const Expr& expr, const Batch& batch);

// Evaluates a BOOLEAN predicate and writes the indices of rows where it is TRUE (not NULL,
// not FALSE) into `sel` (capacity batch.num_rows()); returns how many.
size_t EvaluateFilter(const Expr& predicate, const Batch& batch, uint32_t* sel);

// Evaluates an expression that references no columns (a constant), e.g. for folding.
Value EvaluateConstant(const Expr& expr);

}  // namespace sluice
