#include "exec/exchange.h"

#include <algorithm>
#include <chrono>
#include <numeric>

#include "common/hash.h"
#include "exec/adaptive_coalesce.h"
#include "vector/column_hash.h"
#include "exec/task_retry.h"
#include "exec/task_stats.h"

namespace sluice {

Partitioning Exchange::output_partitioning() const {
  switch (target_.kind) {
    case Partitioning::Kind::kBroadcast: return Partitioning::Broadcast(1);
    case Partitioning::Kind::kSingle: return Partitioning::Single();
    default: return target_;
  }
}

ExchangeBuffer& Exchange::Buffer(ExecContext& ctx, int map_tasks) const {
  return ctx.GetSharedState<ExchangeBuffer>(id(), [&] {
    const int out = target_.kind == Partitioning::Kind::kHash ||
                            target_.kind == Partitioning::Kind::kRoundRobin
                        ? target_.num_partitions
                        : 1;
    std::vector<LogicalType> types;
    for (const auto& f : child().schema().fields()) types.push_back(f.type);
    auto buffer = std::make_unique<ExchangeBuffer>(&ctx.memory(), &ctx.temp_directory(),
                                                   std::move(types),
                                                   std::max(map_tasks, child().num_partitions()),
                                                   out, &ctx.metrics(id()).spilled_bytes);
    // A reader that fails is re-run from this buffer, so it must stay readable.
    buffer->set_retained(ctx.settings().task_retries() > 0);
    return buffer;
  });
}

const ExchangeBuffer* Exchange::buffer(ExecContext& ctx) const { return &Buffer(ctx); }

std::unique_ptr<BatchStream> Exchange::Execute(int partition, ExecContext& ctx) const {
  ExchangeBuffer& buffer = Buffer(ctx);
  SLUICE_CHECK(buffer.complete(), "exchange {} read before its map stage ran", id());
  return buffer.OpenTask(partition);
}

namespace {

// Routes one map task's batches to output partitions, coalescing the rows of each
// partition into full-size batches before they are stored.
class PartitionWriter {
 public:
  PartitionWriter(const Schema& schema, const Partitioning& target, ExchangeBuffer* buffer, int task)
      : target_(target), buffer_(buffer), task_(task) {
    const int n = target.kind == Partitioning::Kind::kHash ||
                          target.kind == Partitioning::Kind::kRoundRobin
                      ? target.num_partitions
                      : 1;
    for (int i = 0; i < n; i++) builders_.emplace_back(schema);
    selections_.resize(n);
  }

  void Write(const Batch& batch) {
    const size_t rows = batch.num_rows();
    const int n = static_cast<int>(builders_.size());
    if (n == 1) {
      Route(0, batch);
      return;
    }
    for (auto& s : selections_) s.clear();
    if (target_.kind == Partitioning::Kind::kRoundRobin) {
      for (size_t i = 0; i < rows; i++) {
        selections_[next_round_robin_].push_back(static_cast<uint32_t>(i));
        next_round_robin_ = (next_round_robin_ + 1) % n;
      }
    } else {
      SelectHashPartitions(batch, target_.keys, &hashes_, &selections_);
    }
    for (int p = 0; p < n; p++) {
      const auto& sel = selections_[p];
      if (sel.empty()) continue;
      builders_[p].AppendSelected(batch, sel.data(), sel.size());
      if (builders_[p].Full()) buffer_->Add(task_, p, builders_[p].Finish());
    }
  }

  void Finish() {
    for (size_t p = 0; p < builders_.size(); p++) {
      if (builders_[p].num_rows() > 0) buffer_->Add(task_, static_cast<int>(p), builders_[p].Finish());
    }
    buffer_->FinishTask(task_);
  }

 private:
  void Route(int p, const Batch& batch) {
    if (batch.num_rows() >= kBatchSize / 2) {
      if (builders_[p].num_rows() > 0) buffer_->Add(task_, p, builders_[p].Finish());
      buffer_->Add(task_, p, batch);
      return;
    }
    builders_[p].Append(batch, 0, batch.num_rows());
    if (builders_[p].Full()) buffer_->Add(task_, p, builders_[p].Finish());
  }

  const Partitioning& target_;
  ExchangeBuffer* buffer_;
  int task_;
  std::vector<BatchBuilder> builders_;
  std::vector<std::vector<uint32_t>> selections_;
  std::vector<uint64_t> hashes_;
  int next_round_robin_ = 0;
};

}  // namespace

void Exchange::RunMapStage(ExecContext& ctx, int stage_id) const {
  // The task count first: a skew-split join stage writes with more tasks than partitions.
  const int tasks = PlanStageTasks(child(), ctx, /*may_split=*/true);
  ExchangeBuffer& buffer = Buffer(ctx, tasks);
  if (buffer.complete()) return;
  SLUICE_CHECK(buffer.map_tasks() >= tasks, "exchange {}: {} map tasks for {} writers", id(),
               tasks, buffer.map_tasks());
  const auto start = std::chrono::steady_clock::now();
  if (ctx.progress()) ctx.progress()->StageStarted(stage_id, tasks);
  const FaultInjector faults = FaultInjector::ForQuery(ctx.settings());
  ctx.pool().ParallelFor(tasks, [&](int task) {
    RunTaskWithRetries(
        ctx, *this, stage_id, task,
        [&](int attempt) {
          auto stream = MeasureTask(ctx, *this, task, ctx.Execute(child(), task));
          PartitionWriter writer(child().schema(), target_, &buffer, task);
          Batch batch;
          while (stream->Next(&batch)) writer.Write(batch);
          writer.Finish();
          // After the output is written, so that a retry must discard it.
          faults.MaybeFail(FaultSite::kExchange, stage_id, task, attempt);
        },
        [&] { buffer.ResetTask(task); });
    if (ctx.progress()) ctx.progress()->TaskFinished(stage_id);
  });
  buffer.set_map_seconds(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  buffer.set_complete();
  ReleaseStageInputs(child(), ctx);
}

void Exchange::ReleaseStageInputs(const PhysicalOperator& op, ExecContext& ctx) {
  if (op.is_exchange()) {
    static_cast<const Exchange&>(op).Buffer(ctx).ReleaseAll();
    return;
  }
  for (const auto& c : op.children()) ReleaseStageInputs(*c, ctx);
}

}  // namespace sluice
