#include "optimizer/optimizer.h"

#include "common/error.h"
#include "optimizer/rules.h"

namespace sluice {

LogicalPlanPtr Optimize(const LogicalPlanPtr& plan, const Settings& settings) {
  LogicalPlanPtr out = opt::FoldConstants(plan);
  out = opt::PushDownFilters(out);
  out = opt::PushDownSemiJoins(out);
  out = opt::FilterAggregatesByJoinKeys(out);
  out = opt::ReorderJoins(out);
  out = opt::PruneColumns(out);
  SLUICE_CHECK(out->schema.size() == plan->schema.size(), "optimizer changed the output width {} -> {}",
               plan->schema.size(), out->schema.size());
  return out;
}

}  // namespace sluice
