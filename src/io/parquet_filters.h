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

// A conjunct of the shape above, which a Parquet scan also tests row by row on its one
// column before decoding the other columns (the filter above the scan still runs).
struct ParquetRowFilter {
  int column = -1;  // index into the schema
  ExprPtr conjunct;
};

// The conjuncts of `conjuncts` that ParquetPredicatesFromConjuncts accepts, with their column.
std::vector<ParquetRowFilter> ParquetRowFiltersFromConjuncts(const std::vector<ExprPtr>& conjuncts,
                                                             const Schema& schema);

}  // namespace sluice
