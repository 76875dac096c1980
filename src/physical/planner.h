#pragma once

#include <vector>

#include "common/settings.h"
#include "exec/operator.h"
#include "plan/logical_plan.h"

namespace sluice {

// Turns a logical plan into a physical one (DESIGN.md): picks operators, splits
// aggregates into partial and final phases, chooses each join's strategy (broadcast,
// co-partitioned, shuffled hash or sort-merge: the decision tree in join_strategy.h), and
// inserts an Exchange wherever an operator needs a partitioning its child does
// not provide. The result has operator ids assigned. Planning runs nothing: a cache not
// filled yet is planned as its query, and uncorrelated subqueries (plan/subquery.h) stay
// unresolved (only EXPLAIN plans them; the session resolves them before it plans to run).
class PhysicalPlanner {
 public:
  explicit PhysicalPlanner(const Settings& settings) : settings_(settings) {}

  PhysicalOperatorPtr Plan(const LogicalPlan& plan);

  // Plans for a query that runs in this process alone (not as one rank of a cluster):
  // operators whose shared state must see every task may be chosen (mark joins).
  void set_single_process(bool single) { single_process_ = single; }

  // Rough size in bytes of a logical plan's output, for join decisions.
  static int64_t EstimateBytes(const LogicalPlan& plan);

 private:
  PhysicalOperatorPtr PlanNode(const LogicalPlan& plan);
  PhysicalOperatorPtr PlanAggregate(const LogicalPlan& plan);
  PhysicalOperatorPtr PlanJoin(const LogicalPlan& plan);
  PhysicalOperatorPtr PlanSort(const LogicalPlan& plan, int64_t limit);
  PhysicalOperatorPtr PlanLimit(const LogicalPlan& plan);
  PhysicalOperatorPtr PlanCache(const LogicalPlan& plan);
  // A Filter over a Scan whose source was given the filter's conjuncts to prune with.
  PhysicalOperatorPtr PlanFilteredScan(const LogicalPlan& filter);

  bool single_process_ = false;
  Settings settings_;  // a copy: the caller's settings may change while the plan is built
};

}  // namespace sluice
