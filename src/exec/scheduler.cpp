#include "exec/scheduler.h"

#include <fmt/format.h>

#include "common/error.h"
#include "exec/adaptive_coalesce.h"
#include "exec/exchange.h"
#include "exec/task_retry.h"
#include "exec/task_stats.h"

namespace sluice {

namespace {

// Runs, bottom-up, the map stages of the exchanges in `op`'s subtree that feed op's stage.
void RunInputStages(const PhysicalOperator& op, ExecContext& ctx, int& next_stage) {
  for (const auto& child : op.children()) {
    if (child->is_exchange()) {
      RunInputStages(child->child(), ctx, next_stage);
      static_cast<const Exchange&>(*child).RunMapStage(ctx, next_stage++);
    } else {
      RunInputStages(*child, ctx, next_stage);
    }
  }
}

void FinalizeTree(const PhysicalOperator& op, ExecContext& ctx) {
  for (const auto& child : op.children()) FinalizeTree(*child, ctx);
  op.Finalize(ctx);
}

void AssignIdsFrom(PhysicalOperator& op, int& next) {
  op.set_id(next++);
  for (const auto& child : op.children()) AssignIdsFrom(*child, next);
}

}  // namespace

void Scheduler::AssignIds(PhysicalOperator& root) {
  int next = 0;
  AssignIdsFrom(root, next);
}

void Scheduler::Run(const PhysicalOperator& root, ExecContext& ctx,
                    const std::function<void(int, BatchStream&)>& task,
                    const std::function<void(int)>& discard) {
  int next_stage = 1;
  if (root.is_exchange()) {
    RunInputStages(root.child(), ctx, next_stage);
    static_cast<const Exchange&>(root).RunMapStage(ctx, next_stage++);
  } else {
    RunInputStages(root, ctx, next_stage);
  }
  const int tasks = PlanStageTasks(root, ctx);
  const int final_stage = next_stage;
  const FaultInjector faults = FaultInjector::ForQuery(ctx.settings());
  if (ctx.progress()) ctx.progress()->StageStarted(final_stage, tasks);
  ctx.pool().ParallelFor(tasks, [&](int partition) {
    const auto attempt = [&](int n) {
      auto stream = MeasureTask(ctx, root, partition, ctx.Execute(root, partition));
      task(partition, *stream);
      // Only where a failed attempt can be discarded; after `task` has taken the rows.
      if (discard) faults.MaybeFail(FaultSite::kFinal, final_stage, partition, n);
    };
    if (discard) {
      RunTaskWithRetries(ctx, root, final_stage, partition, attempt,
                         [&] { discard(partition); });
    } else {
      try {
        attempt(0);
      } catch (const RetryableError& e) {
        // Nothing can discard what `task` kept of a failed attempt: no retry.
        throw IOError(
            fmt::format("stage {} task {} failed: {}", final_stage, partition, e.what()));
      }
    }
    if (ctx.progress()) ctx.progress()->TaskFinished(final_stage);
  });
  FinalizeTree(root, ctx);
}

std::vector<std::vector<Batch>> Scheduler::CollectPartitions(const PhysicalOperator& root,
                                                             ExecContext& ctx) {
  std::vector<std::vector<Batch>> per_partition(root.num_partitions());
  Run(
      root, ctx,
      [&](int partition, BatchStream& stream) {
        Batch batch;
        while (stream.Next(&batch)) per_partition[partition].push_back(std::move(batch));
      },
      [&](int partition) { per_partition[partition].clear(); });
  return per_partition;
}

std::vector<Batch> Scheduler::Collect(const PhysicalOperator& root, ExecContext& ctx) {
  std::vector<Batch> out;
  for (auto& batches : CollectPartitions(root, ctx)) {
    for (auto& b : batches) out.push_back(std::move(b));
  }
  return out;
}

}  // namespace sluice
