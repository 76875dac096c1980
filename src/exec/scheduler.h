#pragma once

#include <functional>
#include <vector>

#include "exec/exec_context.h"
#include "exec/operator.h"

namespace sluice {

// Runs a physical plan as a DAG of stages cut at exchanges (DESIGN.md): the stages that
// feed an exchange run first, each as one task per partition on the worker pool, and an
// exchange is complete (a barrier) before any task of the stage reading it starts. The
// scheduler owns stage execution: it creates the tasks, writes map output through the
// exchange's ShuffleWriters, retries failed attempts (task_retries), injects faults
// (inject_faults), reports progress and releases a stage's inputs when it has finished.
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
  //
  // Before each stage runs, the context's StageReplanner (if any) may rewrite the part of
  // `root` that has not run (adaptive execution): `root` is then the plan that ran, for
  // EXPLAIN ANALYZE. The final stage may only lose tasks (coalescing), never gain any.
  static void Run(PhysicalOperatorPtr& root, ExecContext& ctx,
                  const std::function<void(int, BatchStream&)>& task,
                  const std::function<void(int)>& discard = nullptr);

  // Runs the plan and returns all result batches, partitions concatenated in order.
  static std::vector<Batch> Collect(PhysicalOperatorPtr& root, ExecContext& ctx);
  // Runs the plan and returns the result batches of each final partition.
  static std::vector<std::vector<Batch>> CollectPartitions(PhysicalOperatorPtr& root,
                                                           ExecContext& ctx);

  // Runs every map stage below `root` (root's own, when root is an exchange), numbering
  // them from `next_stage`, which ends one past the last. Exchanges already complete are
  // not run again; each map stage is re-planned first (see Run).
  static void RunStagesBelow(PhysicalOperator& root, ExecContext& ctx, int& next_stage);

  // Numbers the operators of a plan (ids for metrics and shared state) in pre-order.
  static void AssignIds(PhysicalOperator& root);

  // On a cluster (ExecContext::cluster), every process calls Run with the same plan: each runs
  // its block of every stage's tasks (Cluster::TaskBlock), so `task` sees only this process's
  // final partitions; CollectPartitions and Collect return the whole result on every process.
  // A failure in any process ends the job on all (Cluster::Abort) instead of throwing.

 private:
  static void RunStages(PhysicalOperatorPtr& root, ExecContext& ctx,
                        const std::function<void(int, BatchStream&)>& task,
                        const std::function<void(int)>& discard);
};

}  // namespace sluice
