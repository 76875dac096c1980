#include "physical/plan_asof_join.h"

#include <algorithm>

#include "exec/asof_join.h"
#include "exec/exchange.h"
#include "exec/filter_project.h"
#include "exec/sort.h"
#include "expr/binder.h"
#include "physical/plan_util.h"
#include "plan/asof_condition.h"

namespace sluice {

namespace {

// `op` hash-partitioned on `keys` into n partitions (a single partition without keys),
// unless it already is.
PhysicalOperatorPtr PartitionedOn(PhysicalOperatorPtr op, const std::vector<int>& keys, int n) {
  const Partitioning current = op->output_partitioning();
  if (keys.empty()) {
    if (op->num_partitions() == 1) return op;
    return std::make_unique<Exchange>(std::move(op), Partitioning::Single());
  }
  Partitioning target = Partitioning::Hash(keys, n);
  if (current.SameHash(target)) return op;
  return std::make_unique<Exchange>(std::move(op), std::move(target));
}

}  // namespace

PhysicalOperatorPtr PlanAsofJoin(const LogicalPlan& plan, PhysicalOperatorPtr left,
                                 PhysicalOperatorPtr right, int partitions) {
  const int nleft = static_cast<int>(left->schema().size());
  const int nright = static_cast<int>(right->schema().size());
  AsofCondition condition = SplitAsofCondition(plan.predicate, nleft);
  for (size_t i = 0; i < condition.left_keys.size(); i++) {
    const LogicalType common =
        CommonSuperType(condition.left_keys[i]->type, condition.right_keys[i]->type);
    condition.left_keys[i] = CastIfNeeded(condition.left_keys[i], common);
    condition.right_keys[i] = CastIfNeeded(condition.right_keys[i], common);
  }
  const LogicalType time = CommonSuperType(condition.left_time->type, condition.right_time->type);
  std::vector<ExprPtr> left_exprs = condition.left_keys;
  left_exprs.push_back(CastIfNeeded(condition.left_time, time));
  std::vector<ExprPtr> right_exprs = condition.right_keys;
  right_exprs.push_back(CastIfNeeded(condition.right_time, time));
  std::vector<int> lk = EnsureColumns(left, left_exprs);
  std::vector<int> rk = EnsureColumns(right, right_exprs);

  AsofJoin::Spec spec;
  spec.left_outer = plan.join_kind == JoinKind::kAsofLeft;
  spec.left_time = lk.back();
  spec.right_time = rk.back();
  lk.pop_back();
  rk.pop_back();
  spec.left_keys = lk;
  spec.right_keys = rk;
  spec.right_before = condition.op == AsofInequality::kGreaterEqual ||
                      condition.op == AsofInequality::kGreater;
  spec.strict = condition.op == AsofInequality::kGreater || condition.op == AsofInequality::kLess;

  left = PartitionedOn(std::move(left), lk, partitions);
  right = PartitionedOn(std::move(right), rk, partitions);
  std::vector<SortKey> left_order, right_order;
  for (int k : lk) left_order.push_back(SortKey{k, true, false});
  left_order.push_back(SortKey{spec.left_time, true, false});
  for (int k : rk) right_order.push_back(SortKey{k, true, false});
  right_order.push_back(SortKey{spec.right_time, true, false});
  for (int c = 0; c < nright; c++) {
    const bool used = std::any_of(right_order.begin(), right_order.end(),
                                  [&](const SortKey& k) { return k.column == c; });
    if (!used) right_order.push_back(SortKey{c, true, false});
  }
  left = std::make_unique<Sort>(std::move(left), std::move(left_order), std::nullopt);
  right = std::make_unique<Sort>(std::move(right), std::move(right_order), std::nullopt);

  const int left_width = static_cast<int>(left->schema().size());
  Schema joined = left->schema();
  for (Field f : right->schema().fields()) {
    f.nullable = f.nullable || spec.left_outer;
    joined.Add(std::move(f));
  }
  auto join = std::make_unique<AsofJoin>(std::move(left), std::move(right), std::move(spec),
                                         std::move(joined));
  join->set_explain_note("sort-merge ASOF join: both inputs sorted by (keys, time); ties go to "
                         "the right row smallest by its other columns");
  if (static_cast<int>(join->schema().size()) == nleft + nright) return join;
  std::vector<ExprPtr> exprs;
  for (int i = 0; i < nleft; i++) exprs.push_back(BoundColumnRef(join->schema(), i));
  for (int i = 0; i < nright; i++) {
    exprs.push_back(BoundColumnRef(join->schema(), left_width + i));
  }
  return std::make_unique<Project>(std::move(join), std::move(exprs), plan.schema);
}

}  // namespace sluice
