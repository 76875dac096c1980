#pragma once

#include <functional>
#include <vector>

#include "exec/exec_context.h"
#include "exec/operator.h"

namespace sluice {

// Runs a physical plan as a DAG of stages cut at exchanges (DESIGN.md): the stages that
// feed an exchange run first, each as one task per partition on the worker pool, and an
// exchange is complete (a barrier) before any task of the stage reading it starts.
class Scheduler {
 public:
  // Runs every stage below `root`, then calls `task(partition, stream)` for each partition
  // of root's stage in parallel (the final stage). `task` may throw; the first error by
  // partition order is rethrown. Once every final task has succeeded, the operators'
  // Finalize runs (a write commits).
  //
  // With `discard`, a final task that fails with a RetryableError is re-run (task_retries
  // times at most) after `discard(partition)` has dropped what `task` kept of the failed
  // attempt; without it, only map stages are retried.
  static void Run(const PhysicalOperator& root, ExecContext& ctx,
                  const std::function<void(int, BatchStream&)>& task,
                  const std::function<void(int)>& discard = nullptr);

  // Runs the plan and returns all result batches, partitions concatenated in order.
  static std::vector<Batch> Collect(const PhysicalOperator& root, ExecContext& ctx);
  // Runs the plan and returns the result batches of each final partition.
  static std::vector<std::vector<Batch>> CollectPartitions(const PhysicalOperator& root,
                                                           ExecContext& ctx);

  // Numbers the operators of a plan (ids for metrics and shared state) in pre-order.
  static void AssignIds(PhysicalOperator& root);
};

}  // namespace sluice
