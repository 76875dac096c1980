#include <fmt/format.h>

#include <algorithm>

#include "exec/adaptive_shuffle_read.h"
#include "exec/filter_project.h"
#include "exec/hash_aggregate.h"
#include "exec/salt.h"
#include "expr/aggregate_function.h"
#include "expr/binder.h"
#include "physical/adaptive_planner.h"
#include "vector/column_hash.h"

// Automatic salting of a hot GROUP BY key (issue 10): a single-phase aggregate (count
// DISTINCT x, which cannot combine partially) reading a hash exchange on its group keys
// would aggregate all rows of a hot key in one task. When the exchange's key summary
// (ExchangeStats::heavy_keys) shows keys over skew_hot_key_fraction of its rows (and at
// least skew_hot_key_rows), the stage becomes:
//
//   AdaptiveShuffleRead (a hot partition read once per salt)
//   -> HotKeySaltFilter (a hot key's row goes to salt ValueSalt(hash x), others to salt 0)
//   -> HashAggregate kSingle (the aggregate per task: partial results per salt)
//   -> Exchange hash(keys)  (a new stage: one row per group and salt)
//   -> HashAggregate kSingle merging the partials (counts sum, min/max of min/max)
//   -> Project back to the aggregate's output types.
//
// Exact: the values of a hot key's rows are split by value, so each distinct x of a group is
// counted in exactly one salt, and every row is in exactly one task. Applies when every
// aggregate is count(DISTINCT x) over one column x, count, count(*), min or max; the
// aggregates that exist and are not decomposable are count/sum/avg(DISTINCT), and only count
// merges exactly (a DOUBLE sum over salts would change its rounding).

namespace sluice {

namespace {

// Salts of a hot key unless skew_salt_buckets says otherwise: each salt's task reads the
// hot partition once, so more salts spread the key further but filter it more often.
constexpr int kDefaultSalts = 4;

// The slot of the stage's single-phase aggregate reading a hash exchange directly, reached
// from the stage's top through filters, projections and partial aggregates; null if none.
PhysicalOperatorPtr* AggregateOfStage(PhysicalOperatorPtr& top) {
  PhysicalOperatorPtr* slot = &top;
  for (;;) {
    const PhysicalOperator* op = slot->get();
    if (const auto* aggregate = dynamic_cast<const HashAggregate*>(op)) {
      const bool fits = aggregate->mode() == AggregateMode::kSingle &&
                        !aggregate->groups().empty() && aggregate->child().is_exchange();
      if (fits) return slot;
      // A partial aggregate above (a grouped subquery aggregated again) is row-wise.
      if (aggregate->mode() != AggregateMode::kPartial) return nullptr;
      slot = &(*slot)->mutable_child(0);
      continue;
    }
    const bool row_wise =
        dynamic_cast<const Filter*>(op) != nullptr || dynamic_cast<const Project*>(op) != nullptr;
    if (!row_wise || op->children().size() != 1) return nullptr;
    slot = &(*slot)->mutable_child(0);
  }
}

// The aggregate that merges per-salt results of `agg`, or empty when they do not merge.
std::string MergeFunction(const Expr& agg) {
  if (agg.distinct) return agg.name == "count" ? "sum" : "";
  if (agg.name == "count" || agg.name == "count_star") return "sum";
  if (agg.name == "min" || agg.name == "max") return agg.name;
  return "";
}

// The column every DISTINCT aggregate of `aggs` counts, when the aggregates can be salted by
// it (see the file comment); -1 otherwise.
int SaltedValueColumn(const std::vector<ExprPtr>& aggs) {
  int column = -1;
  for (const auto& a : aggs) {
    if (MergeFunction(*a).empty()) return -1;
    if (!a->distinct) continue;
    if (a->args.size() != 1 || a->args[0]->kind != ExprKind::kColumnRef) return -1;
    if (column >= 0 && a->args[0]->column_index != column) return -1;
    column = a->args[0]->column_index;
  }
  return column;
}

}  // namespace

std::vector<HeavyHitters::Entry> HotKeys(const ExchangeStats& stats, double fraction,
                                         int64_t min_rows) {
  std::vector<HeavyHitters::Entry> hot;
  const auto total = static_cast<double>(stats.total_rows());
  for (const auto& e : stats.heavy_keys) {
    if (e.count >= min_rows && static_cast<double>(e.count) > fraction * total) hot.push_back(e);
  }
  return hot;
}

bool SaltHotAggregate(PhysicalOperatorPtr& stage_top, ExecContext& ctx) {
  const Settings& settings = ctx.settings();
  if (!settings.auto_salting()) return false;
  PhysicalOperatorPtr* slot = AggregateOfStage(stage_top);
  if (slot == nullptr) return false;
  auto& aggregate = static_cast<HashAggregate&>(**slot);
  const auto& exchange = static_cast<const Exchange&>(aggregate.child());
  const int value_column = SaltedValueColumn(aggregate.aggregates());
  if (value_column < 0 || exchange.target().kind != Partitioning::Kind::kHash) return false;
  ExchangeState& state = exchange.State(ctx);
  const ExchangeStats stats = state.shuffle->Stats();
  const std::vector<HeavyHitters::Entry> hot =
      HotKeys(stats, settings.skew_hot_key_fraction(), settings.skew_hot_key_rows());
  if (hot.empty()) return false;

  const int salts = settings.skew_salt_buckets() > 1 ? settings.skew_salt_buckets() : kDefaultSalts;
  const int partitions = state.shuffle->partitions();
  std::vector<bool> hot_partition(static_cast<size_t>(partitions), false);
  std::vector<uint64_t> hot_hashes;
  std::string keys_note;
  for (const auto& e : hot) {
    const int p = HashPartitionOf(e.hash, partitions);
    hot_partition[static_cast<size_t>(p)] = true;
    hot_hashes.push_back(e.hash);
    keys_note += fmt::format("{}{} rows ({:.1f}%) in partition {}", keys_note.empty() ? "" : ", ",
                             e.count,
                             100.0 * static_cast<double>(e.count) /
                                 static_cast<double>(std::max<int64_t>(stats.total_rows(), 1)),
                             p);
  }
  std::vector<ShuffleRead> reads;
  std::vector<int> task_salts;
  for (int p = 0; p < partitions; p++) {
    if (!hot_partition[static_cast<size_t>(p)]) {
      reads.push_back(ShuffleRead::Partition(p));
      task_salts.push_back(-1);
      continue;
    }
    for (int s = 0; s < salts; s++) {
      reads.push_back(ShuffleRead::Partition(p));
      task_salts.push_back(s);
    }
  }
  // A hot partition is read once per salt: the shuffle keeps it until the stage ends.
  state.shuffle->set_retained(true);
  const std::vector<int> key_columns = exchange.target().keys;
  const int tasks = static_cast<int>(reads.size());
  const std::string note =
      fmt::format("{} hot key{} ({}), {} salts", hot.size(), hot.size() == 1 ? "" : "s",
                  keys_note, salts);

  const std::vector<ExprPtr> groups = aggregate.groups();
  const std::vector<ExprPtr> aggs = aggregate.aggregates();
  const Schema schema = aggregate.schema();
  const std::string planner_note = aggregate.explain_note();
  PhysicalOperatorPtr input = std::move(aggregate.mutable_child(0));
  auto read = std::make_unique<AdaptiveShuffleRead>(
      std::move(input), AdaptiveShuffleRead::Kind::kSaltSplit, std::move(reads),
      fmt::format("salt split: {} tasks for {} partitions", tasks, partitions));
  read->set_id(ctx.NewOperatorId());
  auto filter = std::make_unique<HotKeySaltFilter>(std::move(read), key_columns, value_column,
                                                   std::move(hot_hashes), std::move(task_salts),
                                                   salts);
  filter->set_id(ctx.NewOperatorId());
  auto per_salt = std::make_unique<HashAggregate>(std::move(filter), groups, aggs,
                                                  AggregateMode::kSingle, schema);
  per_salt->set_id(ctx.NewOperatorId());
  const int g = static_cast<int>(groups.size());
  std::vector<int> keys;
  std::vector<ExprPtr> key_refs;
  for (int i = 0; i < g; i++) {
    keys.push_back(i);
    key_refs.push_back(BoundColumnRef(schema, i));
  }
  auto regroup =
      std::make_unique<Exchange>(std::move(per_salt), Partitioning::Hash(keys, partitions));
  regroup->set_id(ctx.NewOperatorId());
  std::vector<ExprPtr> merges;
  Schema merged_schema;
  for (int i = 0; i < g; i++) merged_schema.Add(schema.field(i));
  for (size_t i = 0; i < aggs.size(); i++) {
    const int column = g + static_cast<int>(i);
    merges.push_back(BindExpression(
        Aggregate(MergeFunction(*aggs[i]), {BoundColumnRef(schema, column)}), schema));
    merged_schema.Add(Field{schema.field(column).name, merges.back()->type, true, ""});
  }
  auto merged = std::make_unique<HashAggregate>(std::move(regroup), key_refs, merges,
                                                AggregateMode::kSingle, merged_schema);
  merged->set_id(ctx.NewOperatorId());
  ctx.AddRuntimeNote(merged->id(), "adaptive: salted " + note + ", merged per group");
  if (!planner_note.empty()) merged->set_explain_note(planner_note);
  std::vector<ExprPtr> out;
  for (size_t i = 0; i < schema.size(); i++) {
    out.push_back(CastIfNeeded(BoundColumnRef(merged_schema, static_cast<int>(i)),
                               schema.field(i).type));
  }
  auto project = std::make_unique<Project>(std::move(merged), std::move(out), schema);
  project->set_id(ctx.NewOperatorId());
  *slot = std::move(project);
  return true;
}

}  // namespace sluice
