#include "exec/adaptive_join_switch.h"

#include <algorithm>

#include <fmt/format.h>

#include "common/memory.h"
#include "exec/exchange.h"
#include "exec/filter_project.h"
#include "exec/hash_join.h"
#include "exec/sort.h"

namespace sluice {

namespace {

// Shared-state keys of the switch, apart from operator ids (>= 0) and task statistics
// (-2 - id).
constexpr int kSwitchKeyBase = -(1 << 24);
constexpr int kSwitchedIdBase = -(1 << 25);

// The input of a join's Sort, executed partition by partition as it is (the probe side of
// the switched join). Borrows the operator from the plan, which outlives the query.
class SortInput : public PhysicalOperator {
 public:
  explicit SortInput(const PhysicalOperator& input)
      : PhysicalOperator(input.schema(), std::vector<PhysicalOperatorPtr>{}), input_(input) {}
  std::string name() const override { return "SortInput"; }
  Partitioning output_partitioning() const override { return input_.output_partitioning(); }
  std::unique_ptr<BatchStream> Execute(int partition, ExecContext& ctx) const override {
    return ctx.Execute(input_, partition);
  }

 private:
  const PhysicalOperator& input_;
};

// Every partition of an input, in partition order, as one partition (the build side).
class AllPartitions : public PhysicalOperator {
 public:
  explicit AllPartitions(const PhysicalOperator& input)
      : PhysicalOperator(input.schema(), std::vector<PhysicalOperatorPtr>{}), input_(input) {}
  std::string name() const override { return "AllPartitions"; }
  Partitioning output_partitioning() const override { return Partitioning::Single(); }
  std::unique_ptr<BatchStream> Execute(int, ExecContext& ctx) const override {
    std::vector<Batch> batches;
    for (int p = 0; p < input_.num_partitions(); p++) {
      auto stream = ctx.Execute(input_, p);
      Batch b;
      while (stream->Next(&b)) batches.push_back(std::move(b));
    }
    return std::make_unique<VectorStream>(std::move(batches));
  }

 private:
  const PhysicalOperator& input_;
};

// The decision, made once per query, and the broadcast join that replaces the merge.
struct SwitchState : SharedState {
  std::unique_ptr<HashJoin> join;  // null: not switched
  // The left input is the broadcast one: the join probes with the right input and outputs
  // right ++ left, which is put back in the merge join's column order.
  bool swapped = false;
  int left_width = 0;
  int right_width = 0;
};

// Puts the columns of right ++ left batches back in left ++ right order.
class SwappedColumnsStream : public BatchStream {
 public:
  SwappedColumnsStream(std::unique_ptr<BatchStream> input, int left_width, int right_width)
      : input_(std::move(input)), left_width_(left_width), right_width_(right_width) {}
  bool Next(Batch* out) override {
    Batch batch;
    if (!input_->Next(&batch)) return false;
    std::vector<ColumnPtr> columns;
    for (int i = 0; i < left_width_; i++) columns.push_back(batch.column(right_width_ + i));
    for (int i = 0; i < right_width_; i++) columns.push_back(batch.column(i));
    *out = Batch(std::move(columns), batch.num_rows());
    return true;
  }

 private:
  std::unique_ptr<BatchStream> input_;
  int left_width_;
  int right_width_;
};

SwitchState& StateOf(const SortMergeJoin& join, ExecContext& ctx) {
  return ctx.GetSharedState<SwitchState>(
      kSwitchKeyBase - join.id(), std::function<std::unique_ptr<SwitchState>()>([&] {
        auto state = std::make_unique<SwitchState>();
        const Settings& s = ctx.settings();
        const JoinType t = join.type();
        const bool may_build_right = t == JoinType::kInner || t == JoinType::kLeft ||
                                     t == JoinType::kSemi || t == JoinType::kAnti;
        // The left input is built by swapping the inputs: INNER stays INNER, RIGHT becomes LEFT.
        const bool may_build_left = t == JoinType::kInner || t == JoinType::kRight;
        if (!s.adaptive() || s.broadcast_threshold() < 0 ||
            (!may_build_right && !may_build_left) ||
            join.explain_note().find("MERGE hint") != std::string::npos) {
          return state;
        }
        const auto* left_sort = dynamic_cast<const Sort*>(&join.child(0));
        const auto* right_sort = dynamic_cast<const Sort*>(&join.child(1));
        if (left_sort == nullptr || right_sort == nullptr) return state;
        const Exchange* left_exchange = HashExchangeBelow(left_sort->child(), false);
        const Exchange* right_exchange = HashExchangeBelow(right_sort->child(), false);
        if (left_exchange == nullptr || right_exchange == nullptr ||
            !left_exchange->buffer(ctx)->complete() || !right_exchange->buffer(ctx)->complete()) {
          return state;
        }
        const int64_t left_bytes = left_exchange->buffer(ctx)->Stats().total_bytes();
        const int64_t right_bytes = right_exchange->buffer(ctx)->Stats().total_bytes();
        // A broadcast build cannot spill: it must also fit the memory budget (the planner's
        // in-process broadcast bound), or a join planned to spill would fail.
        const int64_t max_build = std::min(s.broadcast_threshold(), ctx.memory().limit() / 8);
        const bool right_small = may_build_right && right_bytes <= max_build;
        const bool left_small = may_build_left && left_bytes <= max_build;
        if (!right_small && !left_small) return state;
        state->swapped = left_small && (!right_small || left_bytes < right_bytes);
        state->left_width = static_cast<int>(join.child(0).schema().size());
        state->right_width = static_cast<int>(join.child(1).schema().size());
        const PhysicalOperator& probe_input = (state->swapped ? right_sort : left_sort)->child();
        const PhysicalOperator& build_input = (state->swapped ? left_sort : right_sort)->child();
        auto probe = std::make_unique<SortInput>(probe_input);
        auto build = std::make_unique<AllPartitions>(build_input);
        probe->set_id(kSwitchedIdBase - 3 * join.id() - 1);
        build->set_id(kSwitchedIdBase - 3 * join.id() - 2);
        ExprPtr residual =
            join.residual() != nullptr ? std::make_shared<Expr>(*join.residual()) : nullptr;
        if (state->swapped) {
          const int lw = state->left_width;
          const int rw = state->right_width;
          // Bound over left ++ right; the swapped join evaluates it over right ++ left.
          if (residual) {
            residual = RemapColumns(residual, [&](int i) { return i < lw ? i + rw : i - lw; });
          }
          Schema out = probe_input.schema();
          for (const auto& f : build_input.schema().fields()) out.Add(f);
          state->join = std::make_unique<HashJoin>(std::move(probe), std::move(build),
                                                   t == JoinType::kRight ? JoinType::kLeft : t,
                                                   join.right_keys(), join.left_keys(), residual,
                                                   JoinDistribution::kBroadcast, std::move(out));
        } else {
          state->join = std::make_unique<HashJoin>(std::move(probe), std::move(build), t,
                                                   join.left_keys(), join.right_keys(), residual,
                                                   JoinDistribution::kBroadcast, join.schema());
        }
        state->join->set_id(kSwitchedIdBase - 3 * join.id());
        ctx.AddRuntimeNote(
            join.id(),
            fmt::format("adaptive: switched to broadcast hash join after the map stage, {} "
                        "input {} <= broadcast_threshold {}",
                        state->swapped ? "left" : "right",
                        FormatBytes(state->swapped ? left_bytes : right_bytes),
                        FormatBytes(s.broadcast_threshold())));
        ctx.AddRuntimeNote(left_sort->id(), "skipped: the join became a broadcast hash join");
        ctx.AddRuntimeNote(right_sort->id(), "skipped: the join became a broadcast hash join");
        return state;
      }));
}

}  // namespace

const Exchange* HashExchangeBelow(const PhysicalOperator& op, bool through_sort) {
  const PhysicalOperator* node = &op;
  const int partitions = op.num_partitions();
  for (;;) {
    if (node->is_exchange()) {
      const auto& exchange = static_cast<const Exchange&>(*node);
      const bool hash = exchange.target().kind == Partitioning::Kind::kHash &&
                        exchange.target().num_partitions == partitions;
      return hash ? &exchange : nullptr;
    }
    const bool row_wise = dynamic_cast<const Filter*>(node) != nullptr ||
                          dynamic_cast<const Project*>(node) != nullptr ||
                          (through_sort && dynamic_cast<const Sort*>(node) != nullptr);
    if (!row_wise || node->children().size() != 1) return nullptr;
    node = &node->child();
  }
}

bool SwitchesToBroadcast(const SortMergeJoin& join, ExecContext& ctx) {
  return StateOf(join, ctx).join != nullptr;
}

std::unique_ptr<BatchStream> ExecuteSwitchedJoin(const SortMergeJoin& join, int partition,
                                                 ExecContext& ctx) {
  const SwitchState& state = StateOf(join, ctx);
  SLUICE_CHECK(state.join != nullptr, "join {} was not switched", join.id());
  auto stream = ctx.Execute(*state.join, partition);
  if (!state.swapped) return stream;
  return std::make_unique<SwappedColumnsStream>(std::move(stream), state.left_width,
                                                state.right_width);
}

}  // namespace sluice
