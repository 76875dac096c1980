#pragma once

#include <functional>
#include <string>

#include "plan/logical_plan.h"

namespace sluice {

// A WITH RECURSIVE common table expression, computed before the query that reads it (like a
// subquery, plan/subquery.h): the anchor runs once; then the recursive term runs with its
// reference to the CTE reading the rows the previous step produced (the working table),
// until a step produces no new rows. UNION ALL keeps every row; UNION drops rows seen before
// (also within the anchor), which is what makes graph walks over cycles end.
struct RecursiveCte {
  std::string name;
  LogicalPlanPtr anchor;     // output: the CTE's schema
  LogicalPlanPtr recursive;  // same schema; reads the working table
  // Identity of the working table: the `rows` of the kValues leaves standing for it in
  // `recursive` (copies of one placeholder, renamed by aliases, share it).
  const std::vector<Batch>* working = nullptr;
  bool union_all = false;
};

// The kValues leaf the recursive term reads the working table through (empty until run).
LogicalPlanPtr MakeWorkingTable(const Schema& schema);
// The CTE itself: a kValues leaf of `schema` whose rows are computed before the query runs.
LogicalPlanPtr MakeRecursiveCte(const Schema& schema, std::shared_ptr<const RecursiveCte> cte);
// Whether `plan` reads the working table `working`.
bool ReadsWorkingTable(const LogicalPlan& plan, const std::vector<Batch>* working);

// Runs `plan` to completion (with its own prerequisites) and returns its rows.
using PlanRunner = std::function<std::vector<Batch>(const LogicalPlan& plan, const std::string& title)>;

// The recursive CTEs `plan` reads, each once, inner ones (read by another's terms) first.
std::vector<std::shared_ptr<const RecursiveCte>> RecursiveCtesOf(const LogicalPlan& plan);

// `plan` with each recursive CTE leaf replaced by its rows, each CTE computed once per call.
LogicalPlanPtr ComputeRecursiveCtes(const LogicalPlanPtr& plan, const PlanRunner& run);

}  // namespace sluice
