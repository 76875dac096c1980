#include "exec/scheduler.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstring>

#include "common/error.h"
#include "exec/exchange.h"
#include "exec/input_progress.h"
#include "exec/stage_replanner.h"
#include "exec/stage_resume.h"
#include "exec/task_retry.h"
#include "exec/task_stats.h"
#include "exec/write_sink.h"
#include "shuffle/batch_serde.h"
#include "shuffle/map_output_writer.h"

namespace sluice {

namespace {

// Frees the shuffles that feed the stage containing `op` (`op` itself when it is an
// exchange, else those below it, not crossing an exchange): called once that stage has
// finished, when no task re-reads them.
void ReleaseStageInputs(const PhysicalOperator& op, ExecContext& ctx) {
  if (op.is_exchange()) {
    static_cast<const Exchange&>(op).State(ctx).shuffle->ReleaseAll();
    return;
  }
  for (const auto& c : op.children()) ReleaseStageInputs(*c, ctx);
}

// Lets the adaptive pass rewrite the stage topped by `*stage_top` before it runs.
void Replan(PhysicalOperatorPtr& stage_top, bool map_stage, ExecContext& ctx) {
  if (ctx.stage_replanner() != nullptr) {
    ctx.stage_replanner()->ReplanStage(stage_top, map_stage, ctx);
  }
}

void RunInputStages(PhysicalOperator& op, ExecContext& ctx, int& next_stage);

// Calls `run(task)` in parallel for the tasks of a stage of `tasks` tasks that this process
// runs: all of them, or its block when the query runs on a cluster.
void ForEachOwnedTask(ExecContext& ctx, int tasks, const std::function<void(int)>& run) {
  if (ctx.cluster() == nullptr) {
    ctx.pool().ParallelFor(tasks, run);
    return;
  }
  const Cluster::TaskRange owned = ctx.cluster()->OwnedTasks(tasks);
  ctx.pool().ParallelFor(owned.end - owned.first, [&](int i) { run(owned.first + i); });
}

// Runs the map stage of `exchange`, numbered from `next_stage`: one task per partition of
// its (re-planned) child, each writing its rows through a ShuffleWriter. Exchanges the
// re-planning added to the stage (hot-key salting) run first, as stages of their own. A task
// attempt that fails with a RetryableError aborts its writer and runs again.
// REQUIRES: the stages below the exchange's child have run.
void RunMapStage(Exchange& exchange, ExecContext& ctx, int& next_stage) {
  Replan(exchange.mutable_child(0), /*map_stage=*/true, ctx);
  RunInputStages(*exchange.mutable_child(0), ctx, next_stage);
  const int stage = next_stage++;
  const PhysicalOperator& input = exchange.child();
  // A skew-split join stage writes with more tasks than the plan had partitions, so the
  // shuffle is made after re-planning.
  const int tasks = input.num_partitions();
  ExchangeState& state = exchange.State(ctx, tasks);
  if (state.complete) return;
  Shuffle& shuffle = *state.shuffle;
  SLUICE_CHECK(shuffle.map_tasks() >= tasks, "exchange {}: {} map tasks for {} writers",
               exchange.id(), tasks, shuffle.map_tasks());
  const auto start = std::chrono::steady_clock::now();
  if (ctx.progress()) {
    ctx.progress()->StageStarted(stage, tasks);
    ctx.progress()->StageInputExpected(stage, ExpectedStageInputRows(input, ctx));
  }
  const FaultInjector faults = FaultInjector::ForQuery(ctx.settings());
  const bool track_keys =
      exchange.track_keys() && ctx.settings().adaptive() && ctx.settings().auto_salting();
  if (ctx.cluster() != nullptr) ctx.cluster()->SetStage(stage);
  // --resume: a stage every process stored in an earlier run is loaded, not run.
  const std::optional<ResumeDirectory::StageKey> resume_key =
      ResumeKeyOf(exchange, ctx, stage, tasks);
  if (resume_key && LoadStoredStage(*resume_key, exchange, shuffle, ctx)) {
    shuffle.FinishMapStage();
    ReportLoadedStage(*resume_key, exchange, shuffle.Stats(), ctx);
    state.complete = true;
    ReleaseStageInputs(input, ctx);
    return;
  }
  ForEachOwnedTask(ctx, tasks, [&](int task) {
    std::unique_ptr<ShuffleWriter> writer;
    RunTaskWithRetries(
        ctx, exchange, stage, task,
        [&](int attempt) {
          writer = shuffle.OpenWriter(task);
          if (resume_key) writer = ctx.resume()->RecordTask(*resume_key, task, std::move(writer));
          auto stream = MeasureTask(ctx, exchange, task, ctx.Execute(input, task));
          MapOutputWriter router(input.schema(), MakePartitioner(exchange.target()), writer.get(),
                                 track_keys);
          Batch batch;
          while (stream->Next(&batch)) router.Write(batch);
          router.Finish();
          // After the output is written and before it is committed, so that a retry must
          // discard it.
          faults.MaybeFail(FaultSite::kExchange, stage, task, attempt);
          writer->Commit();
        },
        [&] { writer->Abort(); });
    if (ctx.progress()) ctx.progress()->TaskFinished(stage);
  });
  shuffle.FinishMapStage();
  if (resume_key) ctx.resume()->CompleteStage(*resume_key, shuffle.Stats());
  state.map_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  state.complete = true;
  ReleaseStageInputs(input, ctx);
}

// Runs, bottom-up, the map stages of the exchanges in `op`'s subtree that feed op's stage
// and have not run yet, numbering them from `next_stage`. The place where prerequisite
// subplans of a stage would run first, as earlier stages.
void RunInputStages(PhysicalOperator& op, ExecContext& ctx, int& next_stage) {
  for (size_t i = 0; i < op.children().size(); i++) {
    PhysicalOperator& child = *op.mutable_child(i);
    if (child.is_exchange()) {
      auto& exchange = static_cast<Exchange&>(child);
      if (exchange.HasRun(ctx)) continue;
      RunInputStages(*child.mutable_child(0), ctx, next_stage);
      RunMapStage(exchange, ctx, next_stage);
    } else {
      RunInputStages(child, ctx, next_stage);
    }
  }
}

// Where the final stage of a query on a cluster runs when it writes (holds a WriteSink):
// a write into process memory (an in-memory table) is made by every process, whole, so that
// each holds the table (kEveryProcess). A write of files (COPY, an unpartitioned --db table)
// is shared (kShared): each process writes the files of its block of tasks, then rank 0
// gathers their descriptions in task order and commits once. Any other write (a partitioned
// table, a table with keys to check) is made by rank 0 alone, which reads every partition
// through the exchanges and commits once (kRankZero). Not a write: each process runs its
// block of tasks (kNone).
enum class WritePlacement { kNone, kEveryProcess, kShared, kRankZero };

// The WriteSink of the stage topped by `op` (not below an exchange), or null.
const WriteSink* StageSink(const PhysicalOperator& op) {
  if (const auto* sink = dynamic_cast<const WriteSink*>(&op)) return sink;
  if (op.is_exchange()) return nullptr;
  for (const auto& child : op.children()) {
    if (const WriteSink* sink = StageSink(*child)) return sink;
  }
  return nullptr;
}

WritePlacement PlaceWrite(const PhysicalOperator& root, ExecContext& ctx) {
  if (ctx.cluster() == nullptr) return WritePlacement::kNone;
  const WriteSink* sink = StageSink(root);
  if (sink == nullptr) return WritePlacement::kNone;
  if (sink->target().InProcessMemory()) return WritePlacement::kEveryProcess;
  return sink->target().WritableByEveryProcess() ? WritePlacement::kShared
                                                 : WritePlacement::kRankZero;
}

// After a run on `cluster`, where each process holds the result of its own final tasks:
// every process gets every partition's batches, in partition order (the result is the same
// bytes as one process's). Collective.
void GatherPartitions(Cluster& cluster, const Schema& schema, WritePlacement placement,
                      std::vector<std::vector<Batch>>& per_partition) {
  // A write into process memory ran whole in every process: each has the whole result.
  if (placement == WritePlacement::kEveryProcess) return;
  Cluster::TaskRange owned = cluster.OwnedTasks(static_cast<int>(per_partition.size()));
  if (placement == WritePlacement::kRankZero) {
    owned = {0, cluster.rank() == 0 ? static_cast<int>(per_partition.size()) : 0};
  }
  std::string local;
  for (int p = owned.first; p < owned.end; p++) {
    for (const Batch& b : per_partition[p]) {
      std::string frame;
      SerializeBatch(b, &frame);
      const uint64_t size = frame.size();
      const int32_t partition = p;
      local.append(reinterpret_cast<const char*>(&partition), sizeof(partition));
      local.append(reinterpret_cast<const char*>(&size), sizeof(size));
      local += frame;
    }
  }
  std::vector<LogicalType> types;
  for (const auto& f : schema.fields()) types.push_back(f.type);
  const std::vector<std::string> all = cluster.AllGather(local);
  for (auto& batches : per_partition) batches.clear();
  for (const std::string& from : all) {
    size_t at = 0;
    while (at < from.size()) {
      int32_t partition = 0;
      uint64_t size = 0;
      SLUICE_CHECK(at + sizeof(partition) + sizeof(size) <= from.size(), "truncated result frame");
      std::memcpy(&partition, from.data() + at, sizeof(partition));
      std::memcpy(&size, from.data() + at + sizeof(partition), sizeof(size));
      at += sizeof(partition) + sizeof(size);
      SLUICE_CHECK(partition >= 0 && static_cast<size_t>(partition) < per_partition.size() &&
                       at + size <= from.size(),
                   "bad result frame: partition {} of {} bytes", partition, size);
      per_partition[partition].push_back(
          DeserializeBatch(reinterpret_cast<const uint8_t*>(from.data() + at), size, types));
      at += size;
    }
  }
}

void FinalizeTree(const PhysicalOperator& op, ExecContext& ctx) {
  for (const auto& child : op.children()) FinalizeTree(*child, ctx);
  op.Finalize(ctx);
}

void MaxId(const PhysicalOperator& op, int& max_id) {
  max_id = std::max(max_id, op.id());
  for (const auto& c : op.children()) MaxId(*c, max_id);
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

void Scheduler::RunStagesBelow(PhysicalOperator& root, ExecContext& ctx, int& next_stage) {
  int max_id = -1;
  MaxId(root, max_id);
  ctx.set_first_new_operator_id(max_id + 1);
  if (root.is_exchange()) {
    RunInputStages(*root.mutable_child(0), ctx, next_stage);
    RunMapStage(static_cast<Exchange&>(root), ctx, next_stage);
  } else {
    RunInputStages(root, ctx, next_stage);
  }
}

void Scheduler::Run(PhysicalOperatorPtr& plan, ExecContext& ctx,
                    const std::function<void(int, BatchStream&)>& task,
                    const std::function<void(int)>& discard) {
  if (ctx.cluster() == nullptr) {
    RunStages(plan, ctx, task, discard);
    return;
  }
  // A failure in one process must end the job in all: the others would wait for this one
  // at the next exchange.
  try {
    RunStages(plan, ctx, task, discard);
  } catch (const std::exception& e) {
    ctx.cluster()->Abort(e.what());
  }
}

void Scheduler::RunStages(PhysicalOperatorPtr& plan, ExecContext& ctx,
                          const std::function<void(int, BatchStream&)>& task,
                          const std::function<void(int)>& discard) {
  int next_stage = 1;
  RunStagesBelow(*plan, ctx, next_stage);
  const int planned_tasks = plan->num_partitions();
  Replan(plan, /*map_stage=*/false, ctx);
  RunInputStages(*plan, ctx, next_stage);  // stages the re-planning added
  const PhysicalOperator& root = *plan;
  const int tasks = root.num_partitions();
  SLUICE_CHECK(tasks <= planned_tasks, "the final stage was re-planned from {} to {} tasks",
               planned_tasks, tasks);
  const int final_stage = next_stage;
  const FaultInjector faults = FaultInjector::ForQuery(ctx.settings());
  if (ctx.progress()) {
    ctx.progress()->StageStarted(final_stage, tasks);
    ctx.progress()->StageInputExpected(final_stage, ExpectedStageInputRows(root, ctx));
  }
  if (ctx.cluster() != nullptr) ctx.cluster()->SetStage(final_stage);
  const WritePlacement placement = PlaceWrite(root, ctx);
  const auto run_task = [&](int partition) {
    const auto attempt = [&](int n) {
      auto stream = MeasureTask(ctx, root, partition, ctx.Execute(root, partition));
      task(partition, *stream);
      // Only where a failed attempt can be discarded; after `task` has taken the rows.
      if (discard) faults.MaybeFail(FaultSite::kFinal, final_stage, partition, n);
    };
    if (discard) {
      RunTaskWithRetries(ctx, root, final_stage, partition, attempt, [&] { discard(partition); });
    } else {
      try {
        attempt(0);
      } catch (const RetryableError& e) {
        // Nothing can discard what `task` kept of a failed attempt: no retry.
        throw IOError(fmt::format("stage {} task {} failed: {}", final_stage, partition, e.what()));
      }
    }
    if (ctx.progress()) ctx.progress()->TaskFinished(final_stage);
  };
  switch (placement) {
    case WritePlacement::kNone:
      ForEachOwnedTask(ctx, tasks, run_task);
      break;
    case WritePlacement::kEveryProcess:
      ctx.pool().ParallelFor(tasks, run_task);
      break;
    case WritePlacement::kShared:
      // Beginning a write may clear the directory it writes into (a new table's, a COPY's
      // staging directory): rank 0 begins first, the others join without clearing.
      if (ctx.cluster()->rank() == 0) StageSink(root)->BeginWrite(ctx, /*joined=*/false);
      ctx.cluster()->Barrier();
      if (ctx.cluster()->rank() != 0) StageSink(root)->BeginWrite(ctx, /*joined=*/true);
      ForEachOwnedTask(ctx, tasks, run_task);
      break;
    case WritePlacement::kRankZero:
      if (ctx.cluster()->rank() == 0) ctx.pool().ParallelFor(tasks, run_task);
      break;
  }
  if (ctx.cluster() == nullptr) {
    FinalizeTree(root, ctx);
    return;
  }
  // The other processes may still read this one's exchange output.
  ctx.cluster()->Barrier();
  const bool one_commit =
      placement == WritePlacement::kRankZero || placement == WritePlacement::kShared;
  if (placement == WritePlacement::kShared) {
    // Each process's files, described, to rank 0, which lists them in task order as one
    // process would. A process that dies before this point ends the job: nothing is
    // committed, and the files written are garbage that the table's next commit or open
    // (a COPY: the next write to its path) removes.
    ctx.cluster()->MaybeInjectFault();
    const WriteSink& sink = *StageSink(root);
    const std::vector<std::string> exported = ctx.cluster()->AllGather(
        ctx.cluster()->rank() == 0 ? std::string() : sink.ExportSinks(ctx));
    if (ctx.cluster()->rank() == 0) {
      for (size_t r = 1; r < exported.size(); r++) sink.ImportSinks(ctx, exported[r]);
    }
  }
  if (!one_commit || ctx.cluster()->rank() == 0) FinalizeTree(root, ctx);
  // Nobody goes on before the one commit is visible.
  if (one_commit) ctx.cluster()->Barrier();
  ctx.cluster()->SetStage(0);
}

std::vector<std::vector<Batch>> Scheduler::CollectPartitions(PhysicalOperatorPtr& root,
                                                             ExecContext& ctx) {
  // Re-planning only ever lowers the final stage's task count (coalescing).
  std::vector<std::vector<Batch>> per_partition(root->num_partitions());
  Run(
      root, ctx,
      [&](int partition, BatchStream& stream) {
        Batch batch;
        while (stream.Next(&batch)) per_partition[partition].push_back(std::move(batch));
      },
      [&](int partition) { per_partition[partition].clear(); });
  per_partition.resize(root->num_partitions());
  if (ctx.cluster() != nullptr) {
    GatherPartitions(*ctx.cluster(), root->schema(), PlaceWrite(*root, ctx), per_partition);
  }
  return per_partition;
}

std::vector<Batch> Scheduler::Collect(PhysicalOperatorPtr& root, ExecContext& ctx) {
  std::vector<Batch> out;
  for (auto& batches : CollectPartitions(root, ctx)) {
    for (auto& b : batches) out.push_back(std::move(b));
  }
  return out;
}

}  // namespace sluice
