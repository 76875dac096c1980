#include "physical/planner.h"

#include <algorithm>
#include <climits>

#include "common/strings.h"
#include "exec/exchange.h"
#include "exec/filter_project.h"
#include "exec/map_batches.h"
#include "exec/unnest.h"
#include "exec/hash_aggregate.h"
#include "exec/hash_join.h"
#include "exec/mark_join.h"
#include "exec/limit_union.h"
#include "exec/scan.h"
#include "exec/scheduler.h"
#include "exec/sort.h"
#include "exec/sort_merge_join.h"
#include "exec/change_sink.h"
#include "exec/write_sink.h"
#include "expr/aggregate_function.h"
#include "expr/binder.h"
#include "physical/join_strategy.h"
#include "physical/plan_asof_join.h"
#include "physical/plan_salted_aggregate.h"
#include "physical/plan_salted_join.h"
#include "physical/plan_util.h"
#include "physical/plan_window.h"
#include "optimizer/cardinality.h"
#include "plan/subquery.h"

namespace sluice {

namespace {

PhysicalOperatorPtr ToSingle(PhysicalOperatorPtr op) {
  if (op->num_partitions() == 1) return op;
  return std::make_unique<Exchange>(std::move(op), Partitioning::Single());
}

// Hash-partitions `op` on `keys` into n partitions by `hash` unless it already is. With
// `track_keys`, the exchange summarizes its heaviest keys for hot-key salting.
PhysicalOperatorPtr HashPartitioned(PhysicalOperatorPtr op, const std::vector<int>& keys, int n,
                                    bool track_keys = false,
                                    PartitionHash hash = PartitionHash::kSluice) {
  Partitioning target = Partitioning::Hash(keys, n, hash);
  if (op->output_partitioning().SameHash(target)) return op;
  if (keys.empty()) return ToSingle(std::move(op));
  auto exchange = std::make_unique<Exchange>(std::move(op), std::move(target));
  exchange->set_track_keys(track_keys);
  return exchange;
}

// True when `p` hash-partitions on a subset of `columns`: rows equal on `columns` are then
// in one partition.
bool PartitionedWithin(const Partitioning& p, const std::vector<int>& columns) {
  if (p.kind != Partitioning::Kind::kHash || p.keys.empty()) return false;
  for (int key : p.keys) {
    if (std::find(columns.begin(), columns.end(), key) == columns.end()) return false;
  }
  return true;
}

// The join hint of a join input: on the input itself or on the relation beneath the
// filters and projections the optimizer put over it.
std::string JoinHintOf(const LogicalPlan& plan) {
  const LogicalPlan* node = &plan;
  while (node->join_hint.empty() &&
         (node->kind == LogicalKind::kFilter || node->kind == LogicalKind::kProject)) {
    node = &node->child();
  }
  return node->join_hint;
}

Schema ConcatSchemas(const Schema& a, const Schema& b, bool with_b) {
  Schema out = a;
  if (with_b) {
    for (const auto& f : b.fields()) out.Add(f);
  }
  return out;
}

// The join operator for a chosen strategy, with the exchanges (and sorts) it needs beneath.
// `residual` is bound over left ++ right. A swapped broadcast (build_left) probes with the
// right input, so its output is right ++ left; the caller restores the order.
PhysicalOperatorPtr MakeJoinOperator(PhysicalOperatorPtr left, PhysicalOperatorPtr right,
                                     JoinType type, const std::vector<int>& lk,
                                     const std::vector<int>& rk, ExprPtr residual,
                                     const JoinStrategy& strategy, int shuffle_partitions) {
  const bool outputs_right = type != JoinType::kSemi && type != JoinType::kAnti;
  switch (strategy.kind) {
    case JoinStrategyKind::kBroadcastHash: {
      if (strategy.build_left) {
        std::swap(left, right);
        const int probe_width = static_cast<int>(left->schema().size());
        const int build_width = static_cast<int>(right->schema().size());
        if (residual) {
          // Bound over build ++ probe; the swapped join evaluates it over probe ++ build.
          residual = RemapColumns(residual, [&](int i) {
            return i < build_width ? i + probe_width : i - build_width;
          });
        }
        type = type == JoinType::kRight ? JoinType::kLeft : type;
        Schema out = ConcatSchemas(left->schema(), right->schema(), true);
        right = std::make_unique<Exchange>(std::move(right), Partitioning::Broadcast(1));
        return std::make_unique<HashJoin>(std::move(left), std::move(right), type, rk, lk,
                                          residual, JoinDistribution::kBroadcast, std::move(out));
      }
      Schema out = ConcatSchemas(left->schema(), right->schema(), outputs_right);
      if (right->output_partitioning().kind != Partitioning::Kind::kBroadcast) {
        right = std::make_unique<Exchange>(std::move(right), Partitioning::Broadcast(1));
      }
      return std::make_unique<HashJoin>(std::move(left), std::move(right), type, lk, rk, residual,
                                        JoinDistribution::kBroadcast, std::move(out));
    }
    case JoinStrategyKind::kCoPartitionedHash:
    case JoinStrategyKind::kShuffledHash: {
      if (strategy.kind == JoinStrategyKind::kShuffledHash) {
        left = HashPartitioned(std::move(left), lk, shuffle_partitions, /*track_keys=*/true,
                               strategy.hash);
        right = HashPartitioned(std::move(right), rk, shuffle_partitions, /*track_keys=*/true,
                                strategy.hash);
      }
      if (strategy.build_left) {  // inner only: probe with the right input
        const int probe_width = static_cast<int>(right->schema().size());
        const int build_width = static_cast<int>(left->schema().size());
        if (residual) {
          residual = RemapColumns(residual, [&](int i) {
            return i < build_width ? i + probe_width : i - build_width;
          });
        }
        Schema out = ConcatSchemas(right->schema(), left->schema(), true);
        return std::make_unique<HashJoin>(std::move(right), std::move(left), type, rk, lk,
                                          residual, JoinDistribution::kPartitioned,
                                          std::move(out));
      }
      Schema out = ConcatSchemas(left->schema(), right->schema(), outputs_right);
      return std::make_unique<HashJoin>(std::move(left), std::move(right), type, lk, rk, residual,
                                        JoinDistribution::kPartitioned, std::move(out));
    }
    case JoinStrategyKind::kMark:
      return MakeMarkJoin(std::move(left), std::move(right), type, lk, rk, std::move(residual),
                          shuffle_partitions);
    case JoinStrategyKind::kSortMerge: {
      left = HashPartitioned(std::move(left), lk, shuffle_partitions, /*track_keys=*/true,
                             strategy.hash);
      right = HashPartitioned(std::move(right), rk, shuffle_partitions, /*track_keys=*/true,
                              strategy.hash);
      auto sort_keys = [](const std::vector<int>& keys) {
        std::vector<SortKey> out;
        for (int k : keys) out.push_back(SortKey{k, true, false});
        return out;
      };
      left = std::make_unique<Sort>(std::move(left), sort_keys(lk), std::nullopt);
      right = std::make_unique<Sort>(std::move(right), sort_keys(rk), std::nullopt);
      Schema out = ConcatSchemas(left->schema(), right->schema(), outputs_right);
      return std::make_unique<SortMergeJoin>(std::move(left), std::move(right), type, lk, rk,
                                             residual, std::move(out));
    }
  }
  SLUICE_CHECK(false, "unknown join strategy");
  return nullptr;
}

JoinType ToJoinType(JoinKind kind) {
  switch (kind) {
    case JoinKind::kInner:
    case JoinKind::kCross: return JoinType::kInner;
    case JoinKind::kLeft: return JoinType::kLeft;
    case JoinKind::kRight: return JoinType::kRight;
    case JoinKind::kFull: return JoinType::kFull;
    case JoinKind::kSemi: return JoinType::kSemi;
    case JoinKind::kAnti: return JoinType::kAnti;
    case JoinKind::kAsof: return JoinType::kInner;
    case JoinKind::kAsofLeft: return JoinType::kLeft;
  }
  return JoinType::kInner;
}

}  // namespace

PhysicalOperatorPtr PhysicalPlanner::Plan(const LogicalPlan& plan) {
  PhysicalOperatorPtr root = PlanNode(plan);
  Scheduler::AssignIds(*root);
  return root;
}

int64_t PhysicalPlanner::EstimateBytes(const LogicalPlan& plan) {
  switch (plan.kind) {
    case LogicalKind::kScan: {
      const int64_t total = plan.source->EstimatedBytes();
      const size_t all = plan.source->schema().size();
      if (all == 0) return total;
      return total * static_cast<int64_t>(plan.scan_columns.size()) / static_cast<int64_t>(all);
    }
    case LogicalKind::kValues: {
      int64_t bytes = 0;
      for (const auto& b : *plan.rows) bytes += static_cast<int64_t>(b.MemoryBytes());
      return bytes;
    }
    case LogicalKind::kCache:
      if (plan.cache->filled) {
        int64_t bytes = 0;
        for (const auto& p : plan.cache->partitions) {
          for (const auto& b : p) bytes += static_cast<int64_t>(b.MemoryBytes());
        }
        return bytes;
      }
      return EstimateBytes(plan.child());
    case LogicalKind::kFilter:
      // The share of rows the optimizer expects the filter to keep (as for join ordering):
      // a selective filter on a large table makes it the side to build (TPC-H q12's 31,525
      // lineitem rows against 1.5M orders), as DuckDB's estimates do.
      return static_cast<int64_t>(
          static_cast<double>(EstimateBytes(plan.child())) *
          std::min(1.0, opt::EstimateRows(plan) / std::max(1.0, opt::EstimateRows(plan.child()))));
    case LogicalKind::kJoin:
      if (plan.join_kind == JoinKind::kSemi) {
        // At most one row per right row when the left's join columns are a key (q18's
        // orders IN (the few orders of a HAVING)): the left's bytes scaled by the row
        // estimates, so a semi join that keeps few rows can be broadcast.
        const double left_rows = opt::EstimateRows(plan.child(0));
        const double right_rows = opt::EstimateRows(plan.child(1));
        const double kept = left_rows > 0 ? std::min(1.0, right_rows / left_rows) : 1.0;
        return static_cast<int64_t>(static_cast<double>(EstimateBytes(plan.child(0))) * kept);
      }
      if (plan.join_kind == JoinKind::kAnti) return EstimateBytes(plan.child(0));
      {
        // Each side's bytes per row, times the rows the join is expected to produce.
        const double out = opt::EstimateRows(plan);
        double bytes = 0;
        for (const auto& c : plan.children) {
          bytes += static_cast<double>(EstimateBytes(*c)) * out / std::max(1.0, opt::EstimateRows(*c));
        }
        return static_cast<int64_t>(bytes);
      }
    case LogicalKind::kUnion: {
      int64_t bytes = 0;
      for (const auto& c : plan.children) bytes += EstimateBytes(*c);
      return bytes;
    }
    case LogicalKind::kLimit:
      if (plan.limit >= 0 && plan.limit < 100000) return std::min<int64_t>(EstimateBytes(plan.child()), plan.limit * 64);
      return EstimateBytes(plan.child());
    default:
      return plan.children.empty() ? 0 : EstimateBytes(plan.child());
  }
}

PhysicalOperatorPtr PhysicalPlanner::PlanFilteredScan(const LogicalPlan& filter) {
  // The source prunes what the conjuncts prove empty (files, partitions, row groups); the
  // filter stays on top for the rows that remain. Conjuncts are over the scan's output, so
  // their columns map back to the source's through scan_columns.
  const LogicalPlan& scan = filter.child();
  std::vector<ExprPtr> conjuncts;
  SplitConjuncts(filter.predicate, conjuncts);
  // A subquery not run yet (EXPLAIN) cannot prune; the query prunes with its value.
  std::erase_if(conjuncts, [](const ExprPtr& c) { return ContainsSubquery(*c); });
  for (ExprPtr& c : conjuncts) {
    c = RemapColumns(c, [&](int i) { return scan.scan_columns.at(static_cast<size_t>(i)); });
  }
  std::shared_ptr<const DataSource> source = scan.source->WithFilters(conjuncts);
  if (!source) source = scan.source;
  return std::make_unique<Filter>(std::make_unique<Scan>(source, scan.scan_columns, scan.schema),
                                  filter.predicate);
}

PhysicalOperatorPtr PhysicalPlanner::PlanNode(const LogicalPlan& plan) {
  switch (plan.kind) {
    case LogicalKind::kScan:
      return std::make_unique<Scan>(plan.source, plan.scan_columns, plan.schema);
    case LogicalKind::kValues: {
      auto parts = std::make_shared<std::vector<std::vector<Batch>>>();
      parts->push_back(*plan.rows);
      return std::make_unique<InMemoryScan>(plan.schema, std::move(parts));
    }
    case LogicalKind::kFilter:
      if (plan.child().kind == LogicalKind::kScan) return PlanFilteredScan(plan);
      return std::make_unique<Filter>(PlanNode(plan.child()), plan.predicate);
    case LogicalKind::kProject:
      return std::make_unique<Project>(PlanNode(plan.child()), plan.exprs, plan.schema);
    case LogicalKind::kAggregate:
    case LogicalKind::kDistinct:
      return PlanAggregate(plan);
    case LogicalKind::kJoin:
      return PlanJoin(plan);
    case LogicalKind::kSort:
      return PlanSort(plan, -1);
    case LogicalKind::kLimit:
      return PlanLimit(plan);
    case LogicalKind::kUnion: {
      std::vector<PhysicalOperatorPtr> children;
      for (const auto& c : plan.children) children.push_back(PlanNode(*c));
      return std::make_unique<UnionAll>(plan.schema, std::move(children));
    }
    case LogicalKind::kRepartition: {
      PhysicalOperatorPtr child = PlanNode(plan.child());
      const size_t width = child->schema().size();
      if (plan.exprs.empty()) {
        return std::make_unique<Exchange>(std::move(child),
                                          Partitioning::RoundRobin(plan.num_partitions));
      }
      std::vector<int> keys = EnsureColumns(child, plan.exprs);
      PhysicalOperatorPtr exchange = std::make_unique<Exchange>(
          std::move(child), Partitioning::Hash(keys, plan.num_partitions));
      return KeepFirstColumns(std::move(exchange), width);
    }
    case LogicalKind::kCoalesce:
      return std::make_unique<CoalescePartitions>(PlanNode(plan.child()), plan.num_partitions);
    case LogicalKind::kCache:
      return PlanCache(plan);
    case LogicalKind::kWindow:
      return PlanWindow(PlanNode(plan.child()), plan, settings_.shuffle_partitions());
    case LogicalKind::kUnnest:
      return std::make_unique<Unnest>(PlanNode(plan.child()), plan.exprs, plan.schema);
    case LogicalKind::kMapBatches:
      return std::make_unique<MapBatches>(PlanNode(plan.child()), plan.mapper, plan.schema);
    case LogicalKind::kWrite:
      if (plan.write_changes) {
        return std::make_unique<ChangeSink>(PlanNode(plan.child()), plan.target);
      }
      return std::make_unique<WriteSink>(PlanNode(plan.child()), plan.target);
  }
  SLUICE_CHECK(false, "unknown logical node");
  return nullptr;
}

PhysicalOperatorPtr PhysicalPlanner::PlanAggregate(const LogicalPlan& plan) {
  PhysicalOperatorPtr child = PlanNode(plan.child());
  std::vector<ExprPtr> group_exprs = plan.exprs;
  std::vector<ExprPtr> aggregates = plan.aggregates;
  if (plan.kind == LogicalKind::kDistinct) {
    group_exprs.clear();
    for (size_t i = 0; i < child->schema().size(); i++) {
      group_exprs.push_back(BoundColumnRef(child->schema(), static_cast<int>(i)));
    }
  }
  // Compute group keys and aggregate arguments as columns up front, so the aggregate and
  // the exchange work on plain columns.
  std::vector<ExprPtr> needed = group_exprs;
  for (const auto& a : aggregates) {
    for (const auto& arg : a->args) needed.push_back(arg);
  }
  std::vector<int> columns = EnsureColumns(child, needed);
  const Schema& input = child->schema();
  std::vector<ExprPtr> groups;
  size_t next = 0;
  for (size_t i = 0; i < group_exprs.size(); i++) groups.push_back(BoundColumnRef(input, columns[next++]));
  std::vector<ExprPtr> aggs;
  bool decomposable = true;
  for (const auto& a : aggregates) {
    auto copy = std::make_shared<Expr>(*a);
    for (auto& arg : copy->args) arg = BoundColumnRef(input, columns[next++]);
    decomposable &= a->aggregate->decomposable();
    aggs.push_back(std::move(copy));
  }
  const int n = settings_.shuffle_partitions();
  std::vector<int> key_columns;
  for (size_t i = 0; i < groups.size(); i++) key_columns.push_back(groups[i]->column_index);

  if (child->num_partitions() == 1 ||
      PartitionedWithin(child->output_partitioning(), key_columns)) {
    // One partition, or the rows of each group already share one (a bucketed table grouped
    // by its bucket columns, a join's output grouped by its keys): no exchange.
    return std::make_unique<HashAggregate>(std::move(child), groups, aggs, AggregateMode::kSingle,
                                           plan.schema);
  }
  if (decomposable) {
    // A SKEW annotation on a group key: aggregate by (keys, salt), then by keys.
    const auto skew = SkewKeyOf(plan.child(), settings_.skew_salt_buckets() > 1
                                                  ? settings_.skew_salt_buckets()
                                                  : 8);
    PhysicalOperatorPtr salted =
        skew ? PlanSaltedAggregate(child, *skew, groups, aggs, plan.schema, n) : nullptr;
    if (salted != nullptr) return salted;
  }
  std::string skew_note;
  if (!decomposable) {
    // A SKEW annotation on a group key salts count(DISTINCT x) by x (as skew_salt_buckets
    // does for every such aggregate).
    const auto skew = SkewKeyOf(plan.child(), settings_.skew_salt_buckets() > 1
                                                  ? settings_.skew_salt_buckets()
                                                  : 8);
    const bool keyed = skew && std::any_of(groups.begin(), groups.end(), [&](const ExprPtr& g) {
                         return g->kind == ExprKind::kColumnRef &&
                                ToLower(child->schema().field(g->column_index).name) ==
                                    ToLower(skew->key);
                       });
    const int buckets = keyed ? skew->buckets : settings_.skew_salt_buckets();
    if (buckets > 1) {
      auto salted = PlanSaltedDistinctAggregate(child, groups, aggs, plan.schema, buckets, n);
      if (salted != nullptr) {
        if (keyed) {
          salted->set_explain_note(fmt::format(
              "salted: SKEW({}), count(DISTINCT) by (keys, salt) in {} buckets, then by keys",
              skew->key, buckets));
        }
        return salted;
      }
    }
    if (keyed) {
      skew_note = fmt::format(
          "SKEW({}) ignored: salting needs every aggregate to be count(DISTINCT) of one column",
          skew->key);
    }
  }
  if (!decomposable) {
    PhysicalOperatorPtr shuffled =
        HashPartitioned(std::move(child), key_columns, n, /*track_keys=*/true);
    auto aggregate = std::make_unique<HashAggregate>(std::move(shuffled), groups, aggs,
                                                     AggregateMode::kSingle, plan.schema);
    aggregate->set_explain_note(skew_note);
    return aggregate;
  }
  Schema partial_schema;
  for (const auto& g : groups) partial_schema.Add(Field{g->OutputName(), g->type, true, ""});
  for (size_t i = 0; i < aggs.size(); i++) {
    const auto types = aggs[i]->aggregate->state_types();
    for (size_t j = 0; j < types.size(); j++) {
      partial_schema.Add(Field{fmt::format("__state_{}_{}", i, j), types[j], true, ""});
    }
  }
  auto partial = std::make_unique<HashAggregate>(std::move(child), groups, aggs,
                                                 AggregateMode::kPartial, partial_schema);
  std::vector<int> partial_keys;
  for (size_t i = 0; i < groups.size(); i++) partial_keys.push_back(static_cast<int>(i));
  PhysicalOperatorPtr shuffled = HashPartitioned(std::move(partial), partial_keys, n);
  return std::make_unique<HashAggregate>(std::move(shuffled), groups, aggs, AggregateMode::kFinal,
                                         plan.schema);
}

PhysicalOperatorPtr PhysicalPlanner::PlanJoin(const LogicalPlan& plan) {
  PhysicalOperatorPtr left = PlanNode(plan.child(0));
  PhysicalOperatorPtr right = PlanNode(plan.child(1));
  if (plan.join_kind == JoinKind::kAsof || plan.join_kind == JoinKind::kAsofLeft) {
    return PlanAsofJoin(plan, std::move(left), std::move(right), settings_.shuffle_partitions());
  }
  const int nleft = static_cast<int>(left->schema().size());
  const int nright = static_cast<int>(right->schema().size());

  // Equi-join keys: conjuncts `l = r` with each side referencing one input only.
  std::vector<ExprPtr> left_keys, right_keys, residual;
  if (plan.predicate) {
    std::vector<ExprPtr> conjuncts;
    SplitConjuncts(plan.predicate, conjuncts);
    for (const auto& c : conjuncts) {
      if (c->kind == ExprKind::kCall && c->name == "=" && c->args.size() == 2) {
        auto [a_lo, a_hi] = ColumnRange(*c->args[0]);
        auto [b_lo, b_hi] = ColumnRange(*c->args[1]);
        const bool a_left = a_hi >= 0 && a_hi < nleft;
        const bool a_right = a_hi >= 0 && a_lo >= nleft;
        const bool b_left = b_hi >= 0 && b_hi < nleft;
        const bool b_right = b_hi >= 0 && b_lo >= nleft;
        auto shift = [&](const ExprPtr& e) { return RemapColumns(e, [&](int i) { return i - nleft; }); };
        if (a_left && b_right) {
          left_keys.push_back(c->args[0]);
          right_keys.push_back(shift(c->args[1]));
          continue;
        }
        if (a_right && b_left) {
          left_keys.push_back(c->args[1]);
          right_keys.push_back(shift(c->args[0]));
          continue;
        }
      }
      residual.push_back(c);
    }
  }
  // Both sides' keys get one common type.
  for (size_t i = 0; i < left_keys.size(); i++) {
    const LogicalType common = CommonSuperType(left_keys[i]->type, right_keys[i]->type);
    left_keys[i] = CastIfNeeded(left_keys[i], common);
    right_keys[i] = CastIfNeeded(right_keys[i], common);
  }
  std::vector<int> lk = EnsureColumns(left, left_keys);
  std::vector<int> rk = EnsureColumns(right, right_keys);
  // A SKEW annotation on an input salts the join (physical/plan_salted_join.h).
  const int salt_buckets = settings_.skew_salt_buckets() > 1 ? settings_.skew_salt_buckets() : 8;
  const SaltedJoin salted =
      SaltJoinInputs(plan, ToJoinType(plan.join_kind), left, right, lk, rk, salt_buckets);
  const int extra_left = static_cast<int>(left->schema().size()) - nleft;
  ExprPtr residual_expr;
  if (!residual.empty()) {
    if (residual.size() == 1) {
      residual_expr = residual[0];
    } else {
      auto conj = std::make_shared<Expr>();
      conj->kind = ExprKind::kAnd;
      conj->type = TypeId::kBoolean;
      conj->args = residual;
      conj->bound = true;
      residual_expr = conj;
    }
    if (extra_left > 0) {
      residual_expr = RemapColumns(residual_expr, [&](int i) { return i < nleft ? i : i + extra_left; });
    }
  }

  const JoinType type = ToJoinType(plan.join_kind);
  const JoinInputInfo left_info{EstimateBytes(plan.child(0)) *
                                    (salted.replicated_input == 0 ? salted.buckets : 1),
                                left->output_partitioning(), lk,
                                JoinHintOf(plan.child(0))};
  const JoinInputInfo right_info{EstimateBytes(plan.child(1)) *
                                     (salted.replicated_input == 1 ? salted.buckets : 1),
                                 right->output_partitioning(), rk,
                                 JoinHintOf(plan.child(1))};
  const JoinStrategy strategy =
      ChooseJoinStrategy(type, left_info, right_info, settings_,
                         single_process_ && salted.replicated_input < 0);
  const int left_width = static_cast<int>(left->schema().size());
  const int right_width = static_cast<int>(right->schema().size());
  const bool outputs_right = type != JoinType::kSemi && type != JoinType::kAnti;
  const bool swapped = strategy.build_left;
  PhysicalOperatorPtr join = MakeJoinOperator(
      std::move(left), std::move(right), type, lk, rk, residual_expr, strategy,
      strategy.partitions > 0 ? strategy.partitions : settings_.shuffle_partitions());
  join->set_explain_note(ToString(strategy.kind) + ": " + strategy.reason +
                        (salted.note.empty() ? "" : "; " + salted.note));
  const bool widened = swapped || extra_left > 0 ||
                       static_cast<int>(join->schema().size()) != static_cast<int>(plan.schema.size());
  if (!widened) return join;
  // Drop the helper key columns and undo a swap: left's originals, then right's originals.
  const int left_at = swapped ? right_width : 0;
  const int right_at = swapped ? 0 : left_width;
  std::vector<ExprPtr> exprs;
  for (int i = 0; i < nleft; i++) exprs.push_back(BoundColumnRef(join->schema(), left_at + i));
  if (outputs_right) {
    for (int i = 0; i < nright; i++) exprs.push_back(BoundColumnRef(join->schema(), right_at + i));
  }
  return std::make_unique<Project>(std::move(join), std::move(exprs), plan.schema);
}

PhysicalOperatorPtr PhysicalPlanner::PlanSort(const LogicalPlan& plan, int64_t limit) {
  PhysicalOperatorPtr child = PlanNode(plan.child());
  const size_t width = child->schema().size();
  std::vector<ExprPtr> exprs;
  for (const auto& k : plan.sort_keys) exprs.push_back(k.expr);
  std::vector<int> columns = EnsureColumns(child, exprs);
  std::vector<SortKey> keys;
  for (size_t i = 0; i < columns.size(); i++) {
    keys.push_back(SortKey{columns[i], plan.sort_keys[i].ascending, plan.sort_keys[i].nulls_first});
  }
  std::optional<int64_t> top;
  if (limit >= 0) top = limit;
  if (child->num_partitions() > 1) {
    if (top) child = std::make_unique<Sort>(std::move(child), keys, top);
    child = ToSingle(std::move(child));
  }
  PhysicalOperatorPtr sorted = std::make_unique<Sort>(std::move(child), keys, top);
  return KeepFirstColumns(std::move(sorted), width);
}

PhysicalOperatorPtr PhysicalPlanner::PlanLimit(const LogicalPlan& plan) {
  const int64_t limit = plan.limit;
  if (plan.child().kind == LogicalKind::kSort && limit >= 0) {
    PhysicalOperatorPtr sorted = PlanSort(plan.child(), limit + plan.offset);
    if (plan.offset == 0) return sorted;
    return std::make_unique<Limit>(std::move(sorted), limit, plan.offset);
  }
  PhysicalOperatorPtr child = PlanNode(plan.child());
  if (child->num_partitions() > 1) {
    if (limit >= 0) child = std::make_unique<Limit>(std::move(child), limit + plan.offset, 0);
    child = ToSingle(std::move(child));
  }
  return std::make_unique<Limit>(std::move(child), limit, plan.offset);
}

PhysicalOperatorPtr PhysicalPlanner::PlanCache(const LogicalPlan& plan) {
  CacheStore& store = *plan.cache;
  if (!store.filled) {
    // Only EXPLAIN gets here (a query fills its caches before it is planned): show the plan
    // that will fill it.
    PhysicalOperatorPtr fill = PlanNode(plan.child());
    const std::string note = fill->explain_note();
    fill->set_explain_note((note.empty() ? "" : note + "; ") +
                           "fills a cache first, read from memory after");
    return fill;
  }
  auto parts = std::make_shared<std::vector<std::vector<Batch>>>(store.partitions);
  return std::make_unique<InMemoryScan>(plan.schema, std::move(parts));
}

}  // namespace sluice
