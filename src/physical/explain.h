#pragma once

#include <string>

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

}  // namespace sluice
