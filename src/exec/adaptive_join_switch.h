#pragma once

#include <memory>

#include "exec/exec_context.h"
#include "exec/sort_merge_join.h"

namespace sluice {

class Exchange;

// Adaptive join switch: once the map stages of a sort-merge join have run, the exchange
// statistics give each input's real size. When `adaptive` is on, broadcast_threshold >= 0,
// an input that the join type may build (the right of INNER, LEFT, SEMI, ANTI; the left of
// INNER, RIGHT, as a swapped LEFT join) turned out at most broadcast_threshold bytes, the join
// runs as a broadcast hash join instead: that input's partitions are read once into one
// shared hash table, each task probes it with its (already shuffled) partition of the other
// input, and both sorts are skipped. Output columns stay left ++ right. A MERGE hint is
// honoured (no switch). The decision is made once per query from the statistics (so it does
// not depend on the thread count) and is recorded as run-time notes for EXPLAIN ANALYZE.

// Whether `join` runs switched. Each input must be a Sort over filters and projections over
// a hash exchange whose map stage has run; otherwise false.
bool SwitchesToBroadcast(const SortMergeJoin& join, ExecContext& ctx);

// Task `partition` of the switched join (same output schema and row semantics).
// REQUIRES: SwitchesToBroadcast(join, ctx).
std::unique_ptr<BatchStream> ExecuteSwitchedJoin(const SortMergeJoin& join, int partition,
                                                 ExecContext& ctx);

// The hash exchange under `op` reached through filters, projections and (with
// `through_sort`) sorts, or null. Shared with the adaptive skew split.
const Exchange* HashExchangeBelow(const PhysicalOperator& op, bool through_sort);

}  // namespace sluice
