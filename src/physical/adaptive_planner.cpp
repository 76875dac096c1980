#include "physical/adaptive_planner.h"

#include <fmt/format.h>

#include "exec/adaptive_shuffle_read.h"
#include "exec/filter_project.h"
#include "exec/sort.h"

namespace sluice {

std::vector<int> CoalescePartitionGroups(const std::vector<int64_t>& bytes, int64_t target_bytes) {
  std::vector<int> starts;
  int64_t group_bytes = 0;
  for (size_t p = 0; p < bytes.size(); p++) {
    if (starts.empty() || (group_bytes > 0 && group_bytes + bytes[p] > target_bytes)) {
      starts.push_back(static_cast<int>(p));
      group_bytes = 0;
    }
    group_bytes += bytes[p];
  }
  return starts;
}

PhysicalOperatorPtr* HashExchangeSlotBelow(PhysicalOperatorPtr& slot, bool through_sort) {
  PhysicalOperatorPtr* node = &slot;
  const int partitions = slot->num_partitions();
  for (;;) {
    const PhysicalOperator& op = **node;
    if (op.is_exchange()) {
      const auto& target = static_cast<const Exchange&>(op).target();
      const bool hash =
          target.kind == Partitioning::Kind::kHash && target.num_partitions == partitions;
      return hash ? node : nullptr;
    }
    const bool row_wise = dynamic_cast<const Filter*>(&op) != nullptr ||
                          dynamic_cast<const Project*>(&op) != nullptr ||
                          (through_sort && dynamic_cast<const Sort*>(&op) != nullptr);
    if (!row_wise || op.children().size() != 1) return nullptr;
    node = &(*node)->mutable_child(0);
  }
}

bool CoalesceStageInput(PhysicalOperatorPtr& stage_top, ExecContext& ctx) {
  const int tasks = stage_top->num_partitions();
  if (tasks <= 1) return false;
  // Follow single-input operators that keep the partition count down to the exchange.
  PhysicalOperatorPtr* slot = &stage_top;
  while (!(*slot)->is_exchange()) {
    if ((*slot)->children().size() != 1 || (*slot)->num_partitions() != tasks) return false;
    slot = &(*slot)->mutable_child(0);
  }
  const auto& exchange = static_cast<const Exchange&>(**slot);
  if (exchange.target().kind != Partitioning::Kind::kHash ||
      exchange.target().num_partitions != tasks) {
    return false;
  }
  const std::vector<int> starts = CoalescePartitionGroups(
      exchange.State(ctx).shuffle->Stats().bytes, ctx.settings().target_partition_bytes());
  const int groups = static_cast<int>(starts.size());
  if (groups == 0 || groups >= tasks) return false;
  std::vector<ShuffleRead> reads;
  for (int g = 0; g < groups; g++) {
    reads.push_back(ShuffleRead::Range(starts[g], g + 1 < groups ? starts[g + 1] : tasks));
  }
  auto read = std::make_unique<AdaptiveShuffleRead>(
      std::move(*slot), AdaptiveShuffleRead::Kind::kCoalesced, std::move(reads),
      fmt::format("coalesced {} -> {} partitions", tasks, groups));
  read->set_id(ctx.NewOperatorId());
  *slot = std::move(read);
  return true;
}

void AdaptivePlanner::ReplanStage(PhysicalOperatorPtr& stage_top, bool map_stage,
                                  ExecContext& ctx) const {
  if (!ctx.settings().adaptive()) return;
  SwitchJoinsToBroadcast(stage_top, ctx);
  if (SaltHotAggregate(stage_top, ctx)) return;
  // Only a map stage may run more tasks than it has partitions: its exchange takes any
  // number of writers, while the final stage's partitions are the query's result order.
  if (map_stage && SplitSkewedJoin(stage_top, ctx)) return;
  CoalesceStageInput(stage_top, ctx);
}

}  // namespace sluice
