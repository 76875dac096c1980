#include "exec/adaptive_skew_join.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/memory.h"
#include "exec/adaptive_join_switch.h"
#include "exec/exchange.h"
#include "exec/filter_project.h"
#include "exec/hash_aggregate.h"
#include "exec/hash_join.h"
#include "exec/sort_merge_join.h"

namespace sluice {

namespace {

// The join at the bottom of a stage's row-wise top operators, or null.
const PhysicalOperator* JoinOfStage(const PhysicalOperator& top) {
  const PhysicalOperator* op = &top;
  for (;;) {
    if (const auto* hash = dynamic_cast<const HashJoin*>(op)) {
      if (hash->distribution() == JoinDistribution::kPartitioned) return op;
      // A broadcast join (INNER, LEFT, SEMI, ANTI) is row-wise in its probe input: look
      // beneath it for the partitioned join feeding that input.
      op = &op->child(0);
      continue;
    }
    if (dynamic_cast<const SortMergeJoin*>(op) != nullptr) return op;
    const auto* aggregate = dynamic_cast<const HashAggregate*>(op);
    const bool row_wise = dynamic_cast<const Filter*>(op) != nullptr ||
                          dynamic_cast<const Project*>(op) != nullptr ||
                          (aggregate != nullptr && aggregate->mode() == AggregateMode::kPartial);
    if (!row_wise || op->children().size() != 1 ||
        op->num_partitions() != op->child().num_partitions()) {
      return nullptr;
    }
    op = &op->child();
  }
}

int64_t Median(std::vector<int64_t> values) {
  if (values.empty()) return 0;
  const size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid), values.end());
  return values[mid];
}

// Rows [begin, end) of slice `i` of `k` over `rows` rows; the whole partition when k == 1.
ExchangeBuffer::TaskSlice SliceOf(int partition, int64_t rows, int i, int k) {
  if (k == 1) return ExchangeBuffer::TaskSlice{partition, 0, -1};
  return ExchangeBuffer::TaskSlice{partition, rows * i / k, rows * (i + 1) / k};
}

// "partition 3 (2.1MB, 7.5x median) -> 8 sub-partitions; ..." for the split partitions.
std::string SplitNote(const std::vector<int>& counts, const ExchangeStats& stats, int64_t median) {
  std::string out;
  for (size_t p = 0; p < counts.size(); p++) {
    if (counts[p] <= 1) continue;
    out += fmt::format(
        "{}partition {} ({}, {:.1f}x median) -> {} sub-partitions", out.empty() ? "" : ", ", p,
        FormatBytes(stats.bytes[p]),
        static_cast<double>(stats.bytes[p]) / static_cast<double>(std::max<int64_t>(median, 1)),
        counts[p]);
  }
  return out;
}

}  // namespace

std::vector<int> SkewSplitCounts(const std::vector<int64_t>& bytes, double factor,
                                 int64_t threshold, int max_splits) {
  std::vector<int> counts(bytes.size(), 1);
  const int64_t median = Median(bytes);
  const int64_t piece = std::max<int64_t>(median, 1);
  for (size_t p = 0; p < bytes.size(); p++) {
    if (static_cast<double>(bytes[p]) <= factor * static_cast<double>(median) ||
        bytes[p] <= threshold) {
      continue;
    }
    const int64_t pieces = (bytes[p] + piece - 1) / piece;
    counts[p] = static_cast<int>(std::clamp<int64_t>(pieces, 2, std::max(2, max_splits)));
  }
  return counts;
}

int PlanSkewJoinTasks(const PhysicalOperator& top, ExecContext& ctx) {
  const Settings& settings = ctx.settings();
  if (!settings.adaptive() || !settings.skew_join()) return -1;
  const PhysicalOperator* join = JoinOfStage(top);
  if (join == nullptr) return -1;
  JoinType type;
  if (const auto* merge = dynamic_cast<const SortMergeJoin*>(join)) {
    if (SwitchesToBroadcast(*merge, ctx)) return -1;
    type = merge->type();
  } else {
    type = static_cast<const HashJoin*>(join)->type();
  }
  const Exchange* left = HashExchangeBelow(join->child(0), true);
  const Exchange* right = HashExchangeBelow(join->child(1), true);
  const int partitions = join->num_partitions();
  if (left == nullptr || right == nullptr || partitions != top.num_partitions()) return -1;
  ExchangeBuffer& left_buffer = left->mutable_buffer(ctx);
  ExchangeBuffer& right_buffer = right->mutable_buffer(ctx);
  if (!left_buffer.task_slices().empty()) {
    return static_cast<int>(left_buffer.task_slices().size());  // decided already
  }
  if (left_buffer.coalesced_partitions() > 0 || right_buffer.coalesced_partitions() > 0 ||
      left_buffer.partitions() != partitions || right_buffer.partitions() != partitions) {
    return -1;
  }
  const bool split_left = type == JoinType::kInner || type == JoinType::kLeft ||
                          type == JoinType::kSemi || type == JoinType::kAnti;
  const bool split_right = type == JoinType::kInner || type == JoinType::kRight;
  const ExchangeStats left_stats = left_buffer.Stats();
  const ExchangeStats right_stats = right_buffer.Stats();
  const int max_splits = std::max(2, settings.shuffle_partitions());
  std::vector<int> left_counts(partitions, 1);
  std::vector<int> right_counts(partitions, 1);
  if (split_left) {
    left_counts = SkewSplitCounts(left_stats.bytes, settings.skew_factor(),
                                  settings.skew_threshold(), max_splits);
  }
  if (split_right) {
    right_counts = SkewSplitCounts(right_stats.bytes, settings.skew_factor(),
                                   settings.skew_threshold(), max_splits);
  }
  const bool any =
      std::any_of(left_counts.begin(), left_counts.end(), [](int k) { return k > 1; }) ||
      std::any_of(right_counts.begin(), right_counts.end(), [](int k) { return k > 1; });
  if (!any) return -1;

  // Tasks in partition order; within a partition, every (left slice, right slice) pair.
  std::vector<ExchangeBuffer::TaskSlice> left_slices;
  std::vector<ExchangeBuffer::TaskSlice> right_slices;
  for (int p = 0; p < partitions; p++) {
    for (int i = 0; i < left_counts[p]; i++) {
      for (int j = 0; j < right_counts[p]; j++) {
        left_slices.push_back(SliceOf(p, left_stats.rows[p], i, left_counts[p]));
        right_slices.push_back(SliceOf(p, right_stats.rows[p], j, right_counts[p]));
      }
    }
  }
  const int tasks = static_cast<int>(left_slices.size());
  // A partition is read by several tasks: the buffers must keep it until the stage ends.
  left_buffer.set_retained(true);
  right_buffer.set_retained(true);
  left_buffer.set_task_slices(std::move(left_slices));
  right_buffer.set_task_slices(std::move(right_slices));
  ctx.AllowSplitTasks(tasks);

  const std::string left_note = SplitNote(left_counts, left_stats, Median(left_stats.bytes));
  const std::string right_note = SplitNote(right_counts, right_stats, Median(right_stats.bytes));
  if (!left_note.empty()) left_buffer.set_skew_note("skew split: " + left_note);
  if (!right_note.empty()) right_buffer.set_skew_note("skew split: " + right_note);
  std::string note = "adaptive: skew split";
  if (!left_note.empty()) note += " left " + left_note;
  if (!right_note.empty()) note += (left_note.empty() ? " right " : "; right ") + right_note;
  note += fmt::format(
      ", each joined against a copy of the other side's partition ({} tasks for {} partitions)",
      tasks, partitions);
  ctx.AddRuntimeNote(join->id(), note);
  return tasks;
}

}  // namespace sluice
