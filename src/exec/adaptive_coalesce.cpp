#include "exec/adaptive_coalesce.h"

#include "exec/adaptive_skew_join.h"
#include "exec/exchange.h"

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

int PlanStageTasks(const PhysicalOperator& top, ExecContext& ctx, bool may_split) {
  const int tasks = top.num_partitions();
  if (!ctx.settings().adaptive()) return tasks;
  if (may_split) {
    const int split = PlanSkewJoinTasks(top, ctx);
    if (split > 0) return split;
  }
  if (tasks <= 1) return tasks;
  // Follow single-input operators that keep the partition count down to the exchange.
  const PhysicalOperator* op = &top;
  while (!op->is_exchange()) {
    if (op->children().size() != 1 || op->num_partitions() != tasks) return tasks;
    op = &op->child();
  }
  const auto& exchange = static_cast<const Exchange&>(*op);
  if (exchange.target().kind != Partitioning::Kind::kHash ||
      exchange.target().num_partitions != tasks) {
    return tasks;
  }
  ExchangeBuffer& buffer = exchange.mutable_buffer(ctx);
  if (buffer.coalesced_partitions() > 0) return buffer.coalesced_partitions();
  std::vector<int> starts =
      CoalescePartitionGroups(buffer.Stats().bytes, ctx.settings().target_partition_bytes());
  if (starts.empty() || static_cast<int>(starts.size()) >= tasks) return tasks;
  const int groups = static_cast<int>(starts.size());
  buffer.set_coalesced(std::move(starts));
  return groups;
}

}  // namespace sluice
