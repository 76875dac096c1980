#pragma once

#include "exec/exec_context.h"
#include "exec/operator.h"

namespace sluice {

// The adaptive re-planning pass, as the scheduler sees it: called between stages with the
// finished exchanges' statistics, it rewrites the part of the plan that has not run yet
// (Spark's adaptive query execution). Defined here, implemented above exec/ in physical/
// (AdaptivePlanner), so that no operator rewrites itself while it runs.
class StageReplanner {
 public:
  virtual ~StageReplanner() = default;

  // Called just before the stage whose top operator is `*stage_top` runs, when every map
  // stage feeding it has run (their ExchangeStats are final). May replace the stage's
  // operators, the subtree of `*stage_top` down to and excluding those exchanges, by an
  // equivalent plan; never changes the exchanges or what lies below them. New operators get
  // ids from ctx.NewOperatorId(). `map_stage`: the stage writes an exchange (which accepts
  // any number of map tasks), so its task count may change; else it is the final stage,
  // whose task count may only fall (coalescing).
  // Thread-safety: called by the scheduler's thread while no task runs.
  virtual void ReplanStage(PhysicalOperatorPtr& stage_top, bool map_stage,
                           ExecContext& ctx) const = 0;
};

}  // namespace sluice
