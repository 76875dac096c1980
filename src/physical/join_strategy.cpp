#include "physical/join_strategy.h"

#include <algorithm>

#include <fmt/format.h>

#include "common/memory.h"

namespace sluice {

std::string ToString(JoinStrategyKind kind) {
  switch (kind) {
    case JoinStrategyKind::kBroadcastHash: return "broadcast hash join";
    case JoinStrategyKind::kCoPartitionedHash: return "co-partitioned hash join";
    case JoinStrategyKind::kShuffledHash: return "shuffled hash join";
    case JoinStrategyKind::kSortMerge: return "sort-merge join";
    case JoinStrategyKind::kMark: return "mark join";
  }
  return "?";
}

namespace {

bool MayBuildRight(JoinType t) {
  return t == JoinType::kInner || t == JoinType::kLeft || t == JoinType::kSemi ||
         t == JoinType::kAnti;
}
// The left input is built by swapping the inputs: INNER stays INNER, RIGHT becomes LEFT.
bool MayBuildLeft(JoinType t) { return t == JoinType::kInner || t == JoinType::kRight; }

int HintRank(const std::string& hint) {
  if (hint == "broadcast") return 3;
  if (hint == "merge") return 2;
  if (hint == "shuffle_hash") return 1;
  return 0;
}

JoinStrategy Make(JoinStrategyKind kind, bool build_left, std::string reason) {
  return JoinStrategy{kind, build_left, std::move(reason)};
}

bool HashPartitionedOn(const JoinInputInfo& in) {
  return in.partitioning.kind == Partitioning::Kind::kHash && in.partitioning.keys == in.keys &&
         !in.keys.empty();
}

}  // namespace

JoinStrategy ChooseJoinStrategy(JoinType type, const JoinInputInfo& left,
                                const JoinInputInfo& right, const Settings& settings,
                                bool single_process) {
  const bool build_right_ok = MayBuildRight(type);
  const bool build_left_ok = MayBuildLeft(type);
  const std::string type_name = ToString(type);

  // 0. Without equi-join keys every row meets every row of the other side.
  if (left.keys.empty()) {
    if (build_right_ok) return Make(JoinStrategyKind::kBroadcastHash, false, "no equi-join keys");
    if (build_left_ok) return Make(JoinStrategyKind::kBroadcastHash, true, "no equi-join keys");
    return Make(JoinStrategyKind::kShuffledHash, false,
                "no equi-join keys: a FULL join runs in one partition");
  }

  // 1. Hints.
  std::string note;  // a hint that could not be honoured, prefixed to the final reason
  const int left_rank = HintRank(left.hint);
  const int right_rank = HintRank(right.hint);
  const std::string& hint = left_rank >= right_rank ? left.hint : right.hint;
  const bool hint_right = right_rank >= left_rank;
  const bool hint_left = left_rank >= right_rank;
  if (hint == "broadcast") {
    if (hint_right && right_rank == 3 && build_right_ok) {
      return Make(JoinStrategyKind::kBroadcastHash, false, "BROADCAST hint on the right input");
    }
    if (hint_left && left_rank == 3 && build_left_ok) {
      return Make(JoinStrategyKind::kBroadcastHash, true, "BROADCAST hint on the left input");
    }
    note = fmt::format("BROADCAST hint ignored: a {} join cannot broadcast its {} input; ",
                       type_name, right_rank == 3 ? "right" : "left");
  } else if (hint == "merge") {
    return Make(JoinStrategyKind::kSortMerge, false, "MERGE hint");
  } else if (hint == "shuffle_hash") {
    // The hinted input is the build side where the join type allows it.
    const bool build_left = type == JoinType::kInner && hint_left && !hint_right;
    return Make(JoinStrategyKind::kShuffledHash, build_left,
                fmt::format("SHUFFLE_HASH hint, build {}", build_left ? "left" : "right"));
  }

  // 1b. Already partitioned alike on the keys (bucketed tables): nothing moves.
  if (HashPartitionedOn(left) && HashPartitionedOn(right) &&
      left.partitioning.num_partitions == right.partitioning.num_partitions &&
      left.partitioning.hash == right.partitioning.hash) {
    return Make(JoinStrategyKind::kCoPartitionedHash, false,
                note + fmt::format("both inputs hash-partitioned on the keys ({} partitions): "
                                   "no exchange",
                                   left.partitioning.num_partitions));
  }

  // 2. Broadcast under the threshold: the smaller side that may be built. A broadcast build
  // cannot spill, so the threshold is at most memory_limit/8 (the in-process bound below).
  const int64_t memory_limit = settings.memory_limit();
  const bool capped = settings.broadcast_threshold() > memory_limit / 8;
  const int64_t threshold = capped ? memory_limit / 8 : settings.broadcast_threshold();
  const char* threshold_name = capped ? "memory_limit/8" : "broadcast_threshold";
  if (threshold >= 0) {
    const bool right_small = build_right_ok && right.bytes <= threshold;
    const bool left_small = build_left_ok && left.bytes <= threshold;
    if (right_small || left_small) {
      const bool use_left = left_small && (!right_small || left.bytes < right.bytes);
      const int64_t bytes = use_left ? left.bytes : right.bytes;
      return Make(JoinStrategyKind::kBroadcastHash, use_left,
                  note + fmt::format("build {} {} <= {} {}", use_left ? "left" : "right",
                                     FormatBytes(bytes), threshold_name,
                                     FormatBytes(threshold)));
    }
    if (type == JoinType::kFull && std::min(left.bytes, right.bytes) <= threshold) {
      note += "FULL join never broadcasts; ";
    }
  }

  // 3. In-process broadcast.
  if (threshold >= 0 && settings.prefer_in_process_broadcast()) {
    auto fits = [&](const JoinInputInfo& build, const JoinInputInfo& probe) {
      return build.bytes * 4 <= probe.bytes && build.bytes <= memory_limit / 8;
    };
    const bool right_ok = build_right_ok && fits(right, left);
    const bool left_ok = build_left_ok && fits(left, right);
    if (right_ok || left_ok) {
      const bool use_left = left_ok && !right_ok;
      const JoinInputInfo& build = use_left ? left : right;
      const JoinInputInfo& probe = use_left ? right : left;
      return Make(JoinStrategyKind::kBroadcastHash, use_left,
                  note + fmt::format("in-process broadcast: build {} {} <= 1/4 of probe {} and "
                                     "<= memory_limit/8 {}; one process ships nothing",
                                     use_left ? "left" : "right", FormatBytes(build.bytes),
                                     FormatBytes(probe.bytes), FormatBytes(memory_limit / 8)));
    }
  }

  // 3b. Mark join.
  if (threshold >= 0 && settings.prefer_in_process_broadcast() && single_process &&
      (type == JoinType::kSemi || type == JoinType::kAnti) && left.bytes * 4 <= right.bytes &&
      left.bytes <= memory_limit / 8) {
    return Make(JoinStrategyKind::kMark, false,
                note + fmt::format("left {} <= 1/4 of right {} and <= memory_limit/8 {}: the "
                                   "left is built and marked while the right streams",
                                   FormatBytes(left.bytes), FormatBytes(right.bytes),
                                   FormatBytes(memory_limit / 8)));
  }

  // 4. One input already partitioned on its keys: shuffle only the other, into as many
  // partitions.
  int partitions = std::max(1, settings.shuffle_partitions());
  PartitionHash hash = PartitionHash::kSluice;
  if (HashPartitionedOn(left) != HashPartitionedOn(right)) {
    const bool left_ready = HashPartitionedOn(left);
    const Partitioning& ready = (left_ready ? left : right).partitioning;
    partitions = ready.num_partitions;
    hash = ready.hash;
    note += fmt::format(
        "{} input {} on the keys ({} partitions): only the {} is "
        "shuffled, into {}{}; ",
        left_ready ? "left" : "right",
        hash == PartitionHash::kIcebergBucket ? "Iceberg-bucketed" : "hash-partitioned", partitions,
        left_ready ? "right" : "left", partitions,
        hash == PartitionHash::kIcebergBucket ? " by Iceberg's bucket hash" : "");
  }

  // 5. Shuffle: hash if the build side of a partition fits, else sort-merge.
  JoinStrategy shuffled;
  if (settings.prefer_sort_merge_join()) {
    shuffled = Make(JoinStrategyKind::kSortMerge, false, note + "prefer_sort_merge_join");
  } else {
    const int64_t per_partition = right.bytes / partitions;
    const int64_t budget = memory_limit / (2 * std::max(1, settings.threads()));
    const bool fits = per_partition <= budget;
    shuffled = Make(fits ? JoinStrategyKind::kShuffledHash : JoinStrategyKind::kSortMerge, false,
                    note + fmt::format("build {}/partition {} memory_limit/(2 x threads) {}",
                                       FormatBytes(per_partition), fits ? "<=" : ">",
                                       FormatBytes(budget)));
  }
  shuffled.partitions = partitions;
  shuffled.hash = hash;
  return shuffled;
}

}  // namespace sluice
