#pragma once

#include <cstdint>
#include <vector>

#include "exec/exchange.h"
#include "exec/stage_replanner.h"
#include "shuffle/exchange_stats.h"

namespace sluice {

// The adaptive re-planning pass (DESIGN.md, Spark's adaptive query execution): the
// scheduler calls it before each stage runs, once the exchanges feeding that stage have
// their final ExchangeStats, and it rewrites the stage's operators from them:
//  - switch to broadcast: a SortMergeJoin one of whose inputs proved at most
//    broadcast_threshold becomes a broadcast HashJoin over the same exchanges, its sorts
//    dropped (physical/adaptive_join_switch.cpp);
//  - skew split (map stages only): a partitioned join with a skewed partition reads it in
//    row slices, each joined against a copy of the other side's partition
//    (physical/adaptive_skew_split.cpp);
//  - salt hot keys: a count(DISTINCT) aggregate whose input exchange found keys holding more
//    than skew_hot_key_fraction of its rows reads their partitions once per salt and merges
//    the per-salt results through a new, small exchange (physical/adaptive_salt_aggregate.cpp);
//  - coalesce: a stage whose only input is a hash exchange reads adjacent small partitions
//    as one, toward target_partition_bytes.
// Each rewrite inserts an AdaptiveShuffleRead above an exchange (or replaces a join), so the
// plan that ran is the plan EXPLAIN ANALYZE shows. Decisions are pure functions of the
// statistics and settings, so results do not depend on the thread count. Stateless.
class AdaptivePlanner : public StageReplanner {
 public:
  void ReplanStage(PhysicalOperatorPtr& stage_top, bool map_stage, ExecContext& ctx) const override;
};

// Groups adjacent partitions, in order, so that each group holds at most `target_bytes`
// (a partition larger than the target is a group of its own; empty partitions join their
// neighbours). Returns the first partition of each group; never empty when `bytes` is not.
std::vector<int> CoalescePartitionGroups(const std::vector<int64_t>& bytes, int64_t target_bytes);

// How many sub-partitions each partition of one join input is split into (1: not split).
// A partition is skewed when its bytes exceed both `factor` x the median partition and
// `threshold`; it is then cut into ceil(bytes / max(median, 1)) pieces, at least 2 and at
// most `max_splits`.
std::vector<int> SkewSplitCounts(const std::vector<int64_t>& bytes, double factor,
                                 int64_t threshold, int max_splits);

// The rewrites, each a no-op when it does not apply (see AdaptivePlanner). Exposed for the
// unit tests of the pass.
// Replaces every SortMergeJoin of the stage whose input proved small; true if any.
bool SwitchJoinsToBroadcast(PhysicalOperatorPtr& stage_top, ExecContext& ctx);
// Splits the skewed partitions of the stage's partitioned join; true if it did.
bool SplitSkewedJoin(PhysicalOperatorPtr& stage_top, ExecContext& ctx);
// Salts the hot keys of the stage's count(DISTINCT) aggregate over a hash exchange
// (physical/adaptive_salt_aggregate.cpp); true if it did. Adds an exchange to the stage.
bool SaltHotAggregate(PhysicalOperatorPtr& stage_top, ExecContext& ctx);
// The keys of `stats.heavy_keys` with more than `fraction` of the exchange's rows and at
// least `min_rows` rows, heaviest first.
std::vector<HeavyHitters::Entry> HotKeys(const ExchangeStats& stats, double fraction,
                                         int64_t min_rows);
// Coalesces the partitions of the stage's only input exchange; true if it did.
bool CoalesceStageInput(PhysicalOperatorPtr& stage_top, ExecContext& ctx);

// The slot holding the hash exchange under `*slot`, reached through filters, projections
// and (with `through_sort`) sorts, whose partition count is the operator's; null if none.
PhysicalOperatorPtr* HashExchangeSlotBelow(PhysicalOperatorPtr& slot, bool through_sort);

}  // namespace sluice
