#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/settings.h"
#include "exec/join_type.h"
#include "shuffle/partitioning.h"

namespace sluice {

// How a join is executed.
enum class JoinStrategyKind {
  kBroadcastHash,      // one side built once and shared by every task of the other side
  kCoPartitionedHash,  // both inputs already hash-partitioned alike on the keys: no exchange
  kShuffledHash,       // both inputs hash-partitioned on the keys; task p hashes build part p
  kSortMerge,          // both inputs hash-partitioned and sorted on the keys; merged
  kMark,               // SEMI/ANTI: the small left built once, marked by the right where it
                       // is read (exec/mark_join.h); one process only
};

// "broadcast hash join", "co-partitioned hash join", "shuffled hash join", "sort-merge join",
// "mark join".
std::string ToString(JoinStrategyKind kind);

// What the planner knows about one join input when it picks a strategy.
struct JoinInputInfo {
  int64_t bytes = 0;          // estimated output size
  Partitioning partitioning;  // of the physical input, after key columns were added
  std::vector<int> keys;      // equi-join key columns of that input
  std::string hint;           // "broadcast", "merge", "shuffle_hash" or empty
};

struct JoinStrategy {
  JoinStrategyKind kind = JoinStrategyKind::kShuffledHash;
  // kBroadcastHash: the left input is the broadcast (build) side; the planner swaps the
  // inputs (a RIGHT join becomes a LEFT join) and restores the column order after.
  bool build_left = false;
  std::string reason;  // one line for EXPLAIN: the branch of the tree taken and why
  // kShuffledHash / kSortMerge: the partition count to shuffle into; 0 = shuffle_partitions.
  int partitions = 0;
  // kShuffledHash / kSortMerge: the function rows are shuffled by (that of the input already
  // partitioned on its keys, so rows meet its partitions).
  PartitionHash hash = PartitionHash::kSluice;
};

// The join decision tree, first match wins:
//  0. no equi-join keys: broadcast the side the join type allows (FULL: one partition);
//  1. a hint (BROADCAST > MERGE > SHUFFLE_HASH) when the join type allows it; otherwise the
//     reason says why it was ignored and the tree goes on;
//  1b. both inputs hash-partitioned on their keys with the same partition count and hash
//     function (bucketed tables with the same bucket count, an earlier join or aggregate on
//     the same keys): co-partitioned hash join. Nothing moves, so this beats broadcasting;
//  2. broadcast_threshold >= 0 and a side that may be built is at most the threshold:
//     broadcast the smaller such side. INNER may build either side, LEFT/SEMI/ANTI the right,
//     RIGHT the left (as a swapped LEFT join), FULL never broadcasts;
//  3. in-process broadcast (prefer_in_process_broadcast, broadcast_threshold >= 0): a side
//     that may be built, at most 1/4 of the other and at most memory_limit/8. Within one
//     process a broadcast ships nothing: every task reads one shared table and the big side
//     streams instead of being shuffled and materialized;
//  3b. in one process (`single_process`), a SEMI or ANTI join whose left input is at most
//     1/4 of its right and at most memory_limit/8 (TPC-H q21's 0.7M rows EXISTS in 60M): a
//     mark join builds the left once and marks it while the right streams, so the large
//     side is neither shuffled nor built;
//  4. one input hash-partitioned on its keys into n partitions (a bucketed table), the other
//     not: only the other is shuffled, into n partitions by the same hash function (Sluice's
//     or Iceberg's bucket transform, JoinStrategy::hash; n comes from the
//     table, not the thread count, so results stay deterministic); hash or sort-merge as in 5;
//  5. shuffle both sides; shuffled hash join when the build side per partition is at most
//     memory_limit / (2 x threads) (every worker holds one table and there is headroom),
//     else sort-merge join, whose sorts stream and spill. prefer_sort_merge_join forces
//     sort-merge here.
JoinStrategy ChooseJoinStrategy(JoinType type, const JoinInputInfo& left,
                                const JoinInputInfo& right, const Settings& settings,
                                bool single_process = false);

}  // namespace sluice
