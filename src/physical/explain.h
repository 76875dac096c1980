#pragma once

#include <string>

#include "exec/exec_context.h"
#include "exec/operator.h"

namespace sluice {

// Renders a physical plan as its stage graph: stages cut at exchanges, each operator tagged
// NARROW or WIDE, each exchange with its partitioning. With `ctx` (after execution), adds
// rows and time per operator and rows/bytes per exchange (EXPLAIN ANALYZE).
std::string ExplainPlan(const PhysicalOperator& root, ExecContext* ctx = nullptr);

}  // namespace sluice
