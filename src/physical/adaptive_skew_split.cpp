#include <fmt/format.h>

#include <algorithm>

#include "common/memory.h"
#include "exec/adaptive_shuffle_read.h"
#include "exec/filter_project.h"
#include "exec/hash_aggregate.h"
#include "exec/hash_join.h"
#include "exec/sort_merge_join.h"
#include "physical/adaptive_planner.h"
#include "vector/column_hash.h"

// The adaptive skew split (issue 5) of a map stage's partitioned join: applies when
// `skew_join` is on and the stage's top reaches, through filters, projections, partial
// aggregates and the probe input of broadcast joins, a shuffled hash join or a sort-merge
// join each of whose inputs is a hash exchange reached through filters, projections and
// sorts. A skewed partition of an input that may be split for the join type (the left input
// of INNER, LEFT, SEMI, ANTI; the right input of INNER, RIGHT; never for FULL) is read as
// row slices by several tasks, each joined against a full copy of the other input's
// matching partition (both inputs skewed, INNER only: every pair of slices). Every row of
// the split side is in exactly one task, so outer and semi/anti rows are emitted once. Only
// a map stage is split: its tasks' rows of one key may land in several tasks, which the
// exchange above gathers again.

namespace sluice {

namespace {

// The slot of the join at the bottom of a stage's row-wise top operators, or null.
PhysicalOperatorPtr* JoinOfStage(PhysicalOperatorPtr& top) {
  PhysicalOperatorPtr* slot = &top;
  for (;;) {
    const PhysicalOperator* op = slot->get();
    if (const auto* hash = dynamic_cast<const HashJoin*>(op)) {
      if (hash->distribution() == JoinDistribution::kPartitioned) return slot;
      // A broadcast join (INNER, LEFT, SEMI, ANTI) is row-wise in its probe input: look
      // beneath it for the partitioned join feeding that input.
      slot = &(*slot)->mutable_child(0);
      continue;
    }
    if (dynamic_cast<const SortMergeJoin*>(op) != nullptr) return slot;
    const auto* aggregate = dynamic_cast<const HashAggregate*>(op);
    const bool row_wise = dynamic_cast<const Filter*>(op) != nullptr ||
                          dynamic_cast<const Project*>(op) != nullptr ||
                          (aggregate != nullptr && aggregate->mode() == AggregateMode::kPartial);
    if (!row_wise || op->children().size() != 1 ||
        op->num_partitions() != op->child().num_partitions()) {
      return nullptr;
    }
    slot = &(*slot)->mutable_child(0);
  }
}

int64_t Median(std::vector<int64_t> values) {
  if (values.empty()) return 0;
  const size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid), values.end());
  return values[mid];
}

// Rows [begin, end) of slice `i` of `k` over `rows` rows; the whole partition when k == 1.
ShuffleRead SliceOf(int partition, int64_t rows, int i, int k) {
  if (k == 1) return ShuffleRead::Partition(partition);
  return ShuffleRead::Slice(partition, rows * i / k, rows * (i + 1) / k);
}

// "partition 3 (2.1KB, 7.5x median) -> 8 sub-partitions, ..." for the split partitions.
std::string SplitNote(const std::vector<int>& counts, const ExchangeStats& stats) {
  const int64_t median = Median(stats.bytes);
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

// Automatic salting of a join (issue 10): a partition of one input holding a hot key (from
// the exchange's key summary) is split even below skew_threshold and skew_factor, when the
// other input's matching partition is small beside it (skew_factor times smaller), so that
// its copies cost little. Split like a skewed partition: ceil(bytes / median) pieces.
// Returns how many partitions it split.
int SplitHotPartitions(const ExchangeStats& stats, const ExchangeStats& other,
                       const Settings& settings, int max_splits, std::vector<int>& counts) {
  int split = 0;
  const std::vector<HeavyHitters::Entry> hot =
      HotKeys(stats, settings.skew_hot_key_fraction(), settings.skew_hot_key_rows());
  const int64_t piece = std::max<int64_t>(Median(stats.bytes), 1);
  const int partitions = static_cast<int>(counts.size());
  for (const auto& key : hot) {
    const auto p = static_cast<size_t>(HashPartitionOf(key.hash, partitions));
    const bool small = static_cast<double>(other.bytes[p]) * settings.skew_factor() <=
                       static_cast<double>(stats.bytes[p]);
    if (counts[p] > 1 || !small) continue;
    const int64_t pieces = (stats.bytes[p] + piece - 1) / piece;
    counts[p] = static_cast<int>(std::clamp<int64_t>(pieces, 2, std::max(2, max_splits)));
    split++;
  }
  return split;
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

bool SplitSkewedJoin(PhysicalOperatorPtr& stage_top, ExecContext& ctx) {
  const Settings& settings = ctx.settings();
  if (!settings.skew_join()) return false;
  PhysicalOperatorPtr* join_slot = JoinOfStage(stage_top);
  if (join_slot == nullptr) return false;
  PhysicalOperator& join = **join_slot;
  const auto* merge = dynamic_cast<const SortMergeJoin*>(&join);
  const JoinType type =
      merge != nullptr ? merge->type() : static_cast<const HashJoin&>(join).type();
  PhysicalOperatorPtr* left = HashExchangeSlotBelow(join.mutable_child(0), true);
  PhysicalOperatorPtr* right = HashExchangeSlotBelow(join.mutable_child(1), true);
  const int partitions = join.num_partitions();
  if (left == nullptr || right == nullptr || partitions != stage_top->num_partitions()) {
    return false;
  }
  ExchangeState& left_state = static_cast<const Exchange&>(**left).State(ctx);
  ExchangeState& right_state = static_cast<const Exchange&>(**right).State(ctx);
  if (left_state.shuffle->partitions() != partitions ||
      right_state.shuffle->partitions() != partitions) {
    return false;
  }
  const bool split_left = type == JoinType::kInner || type == JoinType::kLeft ||
                          type == JoinType::kSemi || type == JoinType::kAnti;
  const bool split_right = type == JoinType::kInner || type == JoinType::kRight;
  const ExchangeStats left_stats = left_state.shuffle->Stats();
  const ExchangeStats right_stats = right_state.shuffle->Stats();
  const int max_splits = std::max(2, settings.shuffle_partitions());
  std::vector<int> left_counts(partitions, 1);
  std::vector<int> right_counts(partitions, 1);
  if (split_left) {
    left_counts = SkewSplitCounts(left_stats.bytes, settings.skew_factor(), settings.skew_threshold(),
                                  max_splits);
  }
  if (split_right) {
    right_counts = SkewSplitCounts(right_stats.bytes, settings.skew_factor(), settings.skew_threshold(),
                                   max_splits);
  }
  int hot_splits = 0;
  if (settings.auto_salting()) {
    if (split_left) {
      hot_splits += SplitHotPartitions(left_stats, right_stats, settings, max_splits, left_counts);
    }
    if (split_right) {
      hot_splits += SplitHotPartitions(right_stats, left_stats, settings, max_splits, right_counts);
    }
  }
  const auto split = [](const std::vector<int>& c) {
    return std::any_of(c.begin(), c.end(), [](int k) { return k > 1; });
  };
  if (!split(left_counts) && !split(right_counts)) return false;

  // Tasks in partition order; within a partition, every (left slice, right slice) pair.
  std::vector<ShuffleRead> left_reads;
  std::vector<ShuffleRead> right_reads;
  for (int p = 0; p < partitions; p++) {
    for (int i = 0; i < left_counts[p]; i++) {
      for (int j = 0; j < right_counts[p]; j++) {
        left_reads.push_back(SliceOf(p, left_stats.rows[p], i, left_counts[p]));
        right_reads.push_back(SliceOf(p, right_stats.rows[p], j, right_counts[p]));
      }
    }
  }
  const int tasks = static_cast<int>(left_reads.size());
  // A partition is read by several tasks: the shuffles must keep it until the stage ends.
  left_state.shuffle->set_retained(true);
  right_state.shuffle->set_retained(true);
  const std::string left_note = SplitNote(left_counts, left_stats);
  const std::string right_note = SplitNote(right_counts, right_stats);
  const auto wrap = [&](PhysicalOperatorPtr* slot, std::vector<ShuffleRead> reads,
                        const std::string& note) {
    auto read = std::make_unique<AdaptiveShuffleRead>(
        std::move(*slot), AdaptiveShuffleRead::Kind::kSkewSplit, std::move(reads),
        note.empty() ? fmt::format("copies for the other side's skew split ({} tasks)", tasks)
                     : "skew split: " + note);
    read->set_id(ctx.NewOperatorId());
    *slot = std::move(read);
  };
  wrap(left, std::move(left_reads), left_note);
  wrap(right, std::move(right_reads), right_note);

  std::string note = "adaptive: skew split";
  if (!left_note.empty()) note += " left " + left_note;
  if (!right_note.empty()) note += (left_note.empty() ? " right " : "; right ") + right_note;
  note += fmt::format(
      ", each joined against a copy of the other side's partition ({} tasks for {} partitions)",
      tasks, partitions);
  if (hot_splits > 0) {
    note += fmt::format("; auto salting: {} partition{} split for hot keys", hot_splits,
                        hot_splits == 1 ? "" : "s");
  }
  ctx.AddRuntimeNote(join.id(), note);
  return true;
}

}  // namespace sluice
