#pragma once

#include "plan/logical_plan.h"

// The optimizer's rules, each a whole-tree rewrite in its own file; Optimize runs them in the
// order listed. Every rule keeps the output schema of the root and the rows it produces.
namespace sluice::opt {

// constant_folding.cpp: evaluates column-free subexpressions, simplifies AND/OR with
// constants, drops TRUE filters and turns FALSE/NULL filters into empty relations.
LogicalPlanPtr FoldConstants(const LogicalPlanPtr& plan);

// filter_pushdown.cpp: moves filter conjuncts as close to the data as semantics allow and
// merges adjacent filters; conjuncts over both sides of an inner or cross join become its
// join condition.
LogicalPlanPtr PushDownFilters(const LogicalPlanPtr& plan);

// semi_join_pushdown.cpp: semi and anti joins move below filters and inner joins to the
// input their condition reads, so they filter it before the joins.
LogicalPlanPtr PushDownSemiJoins(const LogicalPlanPtr& plan);

// aggregate_key_filter.cpp: a grouped aggregate joined (inner, left, semi, anti) on its
// group keys with a relation whose key values come from a smaller subtree first semi-joins
// its input with that subtree, so it aggregates only keys the join can meet (decorrelated
// scalar subqueries such as TPC-H q17 and q20).
LogicalPlanPtr FilterAggregatesByJoinKeys(const LogicalPlanPtr& plan);

// join_order.cpp: rebuilds each region of inner/cross joins greedily from cardinality
// estimates (largest input probes, smaller inputs are built), with join keys implied by
// transitivity of column equalities.
LogicalPlanPtr ReorderJoins(const LogicalPlanPtr& plan);

// projection_pruning.cpp: scans read only the columns used above them; unused projection
// and aggregate outputs are dropped; stacked column-only projections are merged.
LogicalPlanPtr PruneColumns(const LogicalPlanPtr& plan);

}  // namespace sluice::opt
