#pragma once

#include <vector>

#include "expr/expr.h"
#include "io/parquet_statistics.h"
#include "vector/schema.h"

namespace sluice {

// The conjuncts (bound over `schema`) that have the shape a Parquet scan can prune with —
// `column op literal` (either side; op one of = <> < <= > >=, through a widening integer
// cast of the column), `column IS [NOT] NULL` — as ParquetPredicates. Others are left out
// (they still run in the filter above the scan).
std::vector<ParquetPredicate> ParquetPredicatesFromConjuncts(const std::vector<ExprPtr>& conjuncts,
                                                             const Schema& schema);

}  // namespace sluice
