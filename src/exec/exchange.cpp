#include "exec/exchange.h"

#include "exec/input_progress.h"

#include <algorithm>

#include "shuffle/partitioner.h"

namespace sluice {

Partitioning Exchange::output_partitioning() const {
  switch (target_.kind) {
    case Partitioning::Kind::kBroadcast:
      return Partitioning::Broadcast(1);
    case Partitioning::Kind::kSingle:
      return Partitioning::Single();
    default:
      return target_;
  }
}

ExchangeState& Exchange::State(ExecContext& ctx, int map_tasks) const {
  return ctx.GetSharedState<ExchangeState>(id(), [&] {
    ShuffleSpec spec;
    for (const auto& f : child().schema().fields()) spec.types.push_back(f.type);
    spec.map_tasks = std::max(map_tasks, child().num_partitions());
    spec.partitions = WrittenPartitions(target_);
    spec.spilled_metric = &ctx.metrics(id()).spilled_bytes;
    auto state = std::make_unique<ExchangeState>();
    state->shuffle = ctx.shuffle_transport().Create(spec);
    // A reader that fails is re-run from the shuffle, so it must stay readable.
    state->shuffle->set_retained(ctx.settings().task_retries() > 0);
    return state;
  });
}

bool Exchange::HasRun(ExecContext& ctx) const {
  const auto* state = ctx.FindSharedState<ExchangeState>(id());
  return state != nullptr && state->complete;
}

std::unique_ptr<BatchStream> Exchange::Execute(int partition, ExecContext& ctx) const {
  ExchangeState& state = State(ctx);
  SLUICE_CHECK(state.complete, "exchange {} read before its map stage ran", id());
  return ReportInputRows(state.shuffle->Open(ShuffleRead::Partition(partition)), ctx);
}

int64_t Exchange::ExpectedInputRows(ExecContext& ctx) const {
  if (!HasRun(ctx)) return -1;
  return State(ctx).shuffle->Stats().total_rows();
}

}  // namespace sluice
