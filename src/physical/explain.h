#pragma once

#include <string>
#include <vector>

#include "exec/exec_context.h"
#include "exec/operator.h"

namespace sluice {

// Renders a physical plan as its stage graph: stages cut at exchanges, each operator tagged
// NARROW or WIDE, each exchange with its partitioning. With `ctx` (after execution), adds
// rows and time per operator, rows/bytes per exchange and per-stage task skew (max and
// median task time and rows) (EXPLAIN ANALYZE). Joins show their strategy and its reason.
enum class ExplainFormat {
  kText,  // indented stage graph
  kJson,  // {"stages": [{id, tasks, operators: [...]}], "exchanges": [...]}
  kDot,   // Graphviz digraph, one cluster per stage, exchanges as dashed edges
};
std::string ExplainPlan(const PhysicalOperator& root, ExecContext* ctx = nullptr,
                        ExplainFormat format = ExplainFormat::kText);

// A plan that runs before the query, as a separate job (a subquery whose value the query
// needs, a cache it reads): its title ("Subquery $1 (scalar)") and ExplainPlan.
struct ExplainSection {
  std::string title;
  std::string plan;
};
// `query` (the query's ExplainPlan) after the plans of `earlier`. Without earlier plans it is
// `query` unchanged; text puts each plan under its title and the query under "Query", JSON
// adds an "earlier" list of {title, plan} to the query's object, dot gives one digraph each.
std::string ExplainWithEarlier(const std::vector<ExplainSection>& earlier, const std::string& query,
                               ExplainFormat format);

}  // namespace sluice
