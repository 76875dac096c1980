#include "physical/plan_salted_join.h"

#include <fmt/format.h>

#include "common/strings.h"
#include "exec/exchange.h"
#include "exec/filter_project.h"
#include "exec/hash_aggregate.h"
#include "exec/salt.h"
#include "expr/aggregate_function.h"
#include "expr/binder.h"

namespace sluice {

namespace {

// The position in `keys` of the key column of `op` named `name`, or -1.
int KeyNamed(const PhysicalOperator& op, const std::vector<int>& keys, const std::string& name) {
  for (size_t i = 0; i < keys.size(); i++) {
    if (ToLower(op.schema().field(keys[i]).name) == ToLower(name)) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace

std::optional<SkewKey> SkewKeyOf(const LogicalPlan& plan, int default_buckets) {
  const LogicalPlan* node = &plan;
  while (node->skew_key.empty() &&
         (node->kind == LogicalKind::kFilter || node->kind == LogicalKind::kProject)) {
    node = &node->child();
  }
  if (node->skew_key.empty()) return std::nullopt;
  return SkewKey{node->skew_key, node->skew_buckets > 0 ? node->skew_buckets : default_buckets};
}

SaltedJoin SaltJoinInputs(const LogicalPlan& join, JoinType type, PhysicalOperatorPtr& left,
                          PhysicalOperatorPtr& right, std::vector<int>& lk, std::vector<int>& rk,
                          int default_buckets) {
  SaltedJoin result;
  const std::optional<SkewKey> skews[2] = {SkewKeyOf(join.child(0), default_buckets),
                                           SkewKeyOf(join.child(1), default_buckets)};
  if (!skews[0] && !skews[1]) return result;
  const bool may_salt[2] = {type == JoinType::kInner || type == JoinType::kLeft ||
                                type == JoinType::kSemi || type == JoinType::kAnti,
                            type == JoinType::kInner || type == JoinType::kRight};
  const PhysicalOperator* inputs[2] = {left.get(), right.get()};
  const std::vector<int>* keys[2] = {&lk, &rk};
  const char* names[2] = {"left", "right"};
  for (int side = 0; side < 2; side++) {
    if (!skews[side]) continue;
    const SkewKey& skew = *skews[side];
    if (KeyNamed(*inputs[side], *keys[side], skew.key) < 0) {
      result.note =
          fmt::format("SKEW({}) ignored: not a join key of the {} input", skew.key, names[side]);
      continue;
    }
    if (!may_salt[side]) {
      result.note = fmt::format("SKEW({}) ignored: a {} join cannot replicate its {} input",
                                skew.key, ToString(type), names[1 - side]);
      continue;
    }
    PhysicalOperatorPtr& skewed = side == 0 ? left : right;
    PhysicalOperatorPtr& other = side == 0 ? right : left;
    skewed = std::make_unique<SaltColumn>(std::move(skewed), skew.buckets);
    other = std::make_unique<ReplicateSalt>(std::move(other), skew.buckets);
    lk.push_back(static_cast<int>(left->schema().size()) - 1);
    rk.push_back(static_cast<int>(right->schema().size()) - 1);
    result.replicated_input = 1 - side;
    result.buckets = skew.buckets;
    result.note = fmt::format(
        "salted: {} input skewed on {}, {} buckets, {} input replicated "
        "per salt",
        names[side], skew.key, skew.buckets, names[1 - side]);
    return result;
  }
  return result;
}

PhysicalOperatorPtr PlanSaltedAggregate(PhysicalOperatorPtr& child, const SkewKey& skew,
                                        const std::vector<ExprPtr>& groups,
                                        const std::vector<ExprPtr>& aggs, const Schema& schema,
                                        int partitions) {
  bool keyed = false;
  for (const auto& g : groups) {
    keyed |= g->kind == ExprKind::kColumnRef &&
             EqualsIgnoreCase(child->schema().field(g->column_index).name, skew.key);
  }
  if (!keyed || skew.buckets < 2) return nullptr;
  PhysicalOperatorPtr salted = std::make_unique<SaltColumn>(std::move(child), skew.buckets);
  std::vector<ExprPtr> salted_groups = groups;
  salted_groups.push_back(
      BoundColumnRef(salted->schema(), static_cast<int>(salted->schema().size()) - 1));
  Schema states_schema;
  for (const auto& g : salted_groups) states_schema.Add(Field{g->OutputName(), g->type, true, ""});
  for (size_t i = 0; i < aggs.size(); i++) {
    const auto types = aggs[i]->aggregate->state_types();
    for (size_t j = 0; j < types.size(); j++) {
      states_schema.Add(Field{fmt::format("__state_{}_{}", i, j), types[j], true, ""});
    }
  }
  std::vector<int> salted_keys;
  for (size_t i = 0; i < salted_groups.size(); i++) salted_keys.push_back(static_cast<int>(i));
  auto partial = std::make_unique<HashAggregate>(std::move(salted), salted_groups, aggs,
                                                 AggregateMode::kPartial, states_schema);
  PhysicalOperatorPtr by_salt =
      std::make_unique<Exchange>(std::move(partial), Partitioning::Hash(salted_keys, partitions));
  PhysicalOperatorPtr merged = std::make_unique<HashAggregate>(
      std::move(by_salt), salted_groups, aggs, AggregateMode::kIntermediate, states_schema);
  // Drop the salt: keys, then the states, as a partial aggregate by keys would emit them.
  const int g = static_cast<int>(groups.size());
  std::vector<ExprPtr> keep;
  Schema unsalted;
  for (int i = 0; i < static_cast<int>(states_schema.size()); i++) {
    if (i == g) continue;
    keep.push_back(BoundColumnRef(states_schema, i));
    unsalted.Add(states_schema.field(i));
  }
  PhysicalOperatorPtr dropped =
      std::make_unique<Project>(std::move(merged), std::move(keep), std::move(unsalted));
  std::vector<int> keys;
  for (int i = 0; i < g; i++) keys.push_back(i);
  PhysicalOperatorPtr by_key =
      std::make_unique<Exchange>(std::move(dropped), Partitioning::Hash(keys, partitions));
  auto final_aggregate = std::make_unique<HashAggregate>(std::move(by_key), groups, aggs,
                                                         AggregateMode::kFinal, schema);
  final_aggregate->set_explain_note(
      fmt::format("salted: input skewed on {}, aggregated by (keys, __salt) in {} buckets, then "
                  "by keys",
                  skew.key, skew.buckets));
  return final_aggregate;
}

}  // namespace sluice
