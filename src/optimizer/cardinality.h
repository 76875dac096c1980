#pragma once

#include "plan/logical_plan.h"

namespace sluice::opt {

// Estimated output rows of a plan, for join ordering: source row counts (or bytes / 8 per
// column when a source does not know its rows) scaled by default selectivities (equality
// 0.1, range 0.3, other 0.5); an equi-join is assumed key/foreign-key: the rows of the
// side that is larger before filters, times the share of rows the other side's filters keep.
double EstimateRows(const LogicalPlan& plan);

// Rows of `plan` before the filters in it: the rows a key of its table matches. A key/
// foreign-key join counts the rows of its foreign-key side.
double UnfilteredRows(const LogicalPlan& plan);

// Selectivity of one filter conjunct.
double Selectivity(const Expr& conjunct);

// Selectivity of a filter directly over `scan`: a range on a column whose values the source
// knows the span of (Parquet footers' min/max) keeps its share of that span (TPC-H q10's
// three months of orders: 0.038, not the default 0.3); other conjuncts as Selectivity.
double ScanSelectivity(const Expr& predicate, const LogicalPlan& scan);

}  // namespace sluice::opt
