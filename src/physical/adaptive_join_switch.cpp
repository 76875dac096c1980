#include <fmt/format.h>

#include <algorithm>

#include "common/memory.h"
#include "exec/adaptive_shuffle_read.h"
#include "exec/filter_project.h"
#include "exec/hash_join.h"
#include "exec/sort.h"
#include "exec/sort_merge_join.h"
#include "physical/adaptive_planner.h"

// The adaptive switch of a sort-merge join to a broadcast hash join: once the map stages of
// its inputs have run, the exchange statistics give each input's real size. When an input
// that the join type may build (the right of INNER, LEFT, SEMI, ANTI; the left of INNER,
// RIGHT, as a swapped LEFT join) proved at most broadcast_threshold bytes, the join is
// replaced in the plan by a broadcast HashJoin: the small input's exchange is read whole as
// one partition (the build), the other input's partitions are probed as they are, and both
// sorts are dropped. Output columns stay left ++ right (a Project puts a swapped join's
// columns back). A MERGE hint is honoured.

namespace sluice {

namespace {

bool MayBuildRight(JoinType t) {
  return t == JoinType::kInner || t == JoinType::kLeft || t == JoinType::kSemi ||
         t == JoinType::kAnti;
}
// The left input is built by swapping the inputs: INNER stays INNER, RIGHT becomes LEFT.
bool MayBuildLeft(JoinType t) { return t == JoinType::kInner || t == JoinType::kRight; }

// The rewritten join, or null when `join` stays a sort-merge join.
PhysicalOperatorPtr Switched(SortMergeJoin& join, ExecContext& ctx) {
  const Settings& s = ctx.settings();
  const JoinType t = join.type();
  if (s.broadcast_threshold() < 0 || (!MayBuildRight(t) && !MayBuildLeft(t)) ||
      join.explain_note().find("MERGE hint") != std::string::npos) {
    return nullptr;
  }
  if (dynamic_cast<const Sort*>(&join.child(0)) == nullptr ||
      dynamic_cast<const Sort*>(&join.child(1)) == nullptr) {
    return nullptr;
  }
  // The inputs beneath the sorts, and the exchanges beneath them.
  PhysicalOperatorPtr& left_input = join.mutable_child(0)->mutable_child(0);
  PhysicalOperatorPtr& right_input = join.mutable_child(1)->mutable_child(0);
  PhysicalOperatorPtr* left_exchange = HashExchangeSlotBelow(left_input, false);
  PhysicalOperatorPtr* right_exchange = HashExchangeSlotBelow(right_input, false);
  if (left_exchange == nullptr || right_exchange == nullptr) return nullptr;
  const auto bytes_of = [&](PhysicalOperatorPtr* slot) {
    const ExchangeState& state = static_cast<const Exchange&>(**slot).State(ctx);
    SLUICE_CHECK(state.complete, "join {} re-planned before its input stage ran", join.id());
    return state.shuffle->Stats().total_bytes();
  };
  const int64_t left_bytes = bytes_of(left_exchange);
  const int64_t right_bytes = bytes_of(right_exchange);
  // A broadcast build cannot spill: it must also fit the memory budget (the planner's
  // in-process broadcast bound), or a join planned to spill would fail.
  const int64_t max_build = std::min(s.broadcast_threshold(), ctx.memory().limit() / 8);
  const bool right_small = MayBuildRight(t) && right_bytes <= max_build;
  const bool left_small = MayBuildLeft(t) && left_bytes <= max_build;
  if (!right_small && !left_small) return nullptr;
  const bool swapped = left_small && (!right_small || left_bytes < right_bytes);

  // The build input reads every partition of its exchange as one.
  PhysicalOperatorPtr* build_exchange = swapped ? left_exchange : right_exchange;
  const int partitions = (*build_exchange)->num_partitions();
  auto whole = std::make_unique<AdaptiveShuffleRead>(
      std::move(*build_exchange), AdaptiveShuffleRead::Kind::kBroadcastBuild,
      std::vector<ShuffleRead>{ShuffleRead::Range(0, partitions)},
      fmt::format("{} partitions read as one broadcast build", partitions));
  whole->set_id(ctx.NewOperatorId());
  *build_exchange = std::move(whole);

  const Schema left_schema = left_input->schema();
  const Schema right_schema = right_input->schema();
  const auto lw = static_cast<int>(left_schema.size());
  const auto rw = static_cast<int>(right_schema.size());
  ExprPtr residual =
      join.residual() != nullptr ? std::make_shared<Expr>(*join.residual()) : nullptr;
  const std::string note = fmt::format(
      "adaptive: switched to broadcast hash join after the map stage, {} input {} <= "
      "{} {} (planned as SortMergeJoin; its sorts dropped)",
      swapped ? "left" : "right", FormatBytes(swapped ? left_bytes : right_bytes),
      max_build < s.broadcast_threshold() ? "memory_limit/8" : "broadcast_threshold",
      FormatBytes(max_build));
  PhysicalOperatorPtr out;
  if (!swapped) {
    out = std::make_unique<HashJoin>(std::move(left_input), std::move(right_input), t,
                                     join.left_keys(), join.right_keys(), residual,
                                     JoinDistribution::kBroadcast, join.schema());
    out->set_explain_note(note);
    out->set_id(ctx.NewOperatorId());
    return out;
  }
  // Probe with the right input: the join outputs right ++ left, bound residual likewise.
  if (residual) residual = RemapColumns(residual, [&](int i) { return i < lw ? i + rw : i - lw; });
  Schema swapped_schema = right_schema;
  for (const auto& f : left_schema.fields()) swapped_schema.Add(f);
  auto hash = std::make_unique<HashJoin>(
      std::move(right_input), std::move(left_input), t == JoinType::kRight ? JoinType::kLeft : t,
      join.right_keys(), join.left_keys(), residual, JoinDistribution::kBroadcast, swapped_schema);
  hash->set_explain_note(note);
  hash->set_id(ctx.NewOperatorId());
  std::vector<ExprPtr> columns;
  for (int i = 0; i < lw; i++) columns.push_back(BoundColumnRef(swapped_schema, rw + i));
  for (int i = 0; i < rw; i++) columns.push_back(BoundColumnRef(swapped_schema, i));
  out = std::make_unique<Project>(std::move(hash), std::move(columns), join.schema());
  out->set_explain_note("puts the switched join's columns back in left, right order");
  out->set_id(ctx.NewOperatorId());
  return out;
}

bool SwitchIn(PhysicalOperatorPtr& slot, ExecContext& ctx) {
  if (slot->is_exchange()) return false;
  bool any = false;
  for (size_t i = 0; i < slot->children().size(); i++) any |= SwitchIn(slot->mutable_child(i), ctx);
  auto* merge = dynamic_cast<SortMergeJoin*>(slot.get());
  if (merge == nullptr) return any;
  PhysicalOperatorPtr replacement = Switched(*merge, ctx);
  if (replacement == nullptr) return any;
  slot = std::move(replacement);
  return true;
}

}  // namespace

bool SwitchJoinsToBroadcast(PhysicalOperatorPtr& stage_top, ExecContext& ctx) {
  return SwitchIn(stage_top, ctx);
}

}  // namespace sluice
