// Semi and anti joins move below inner joins, and through filters on the way to one, next
// to the input whose columns their condition reads. They stay above a filter they would not
// pass on their way to a join input: a filter is cheap and keeps fewer rows for the semi
// join to probe (TPC-H q4's date range on orders before EXISTS over lineitem). `o_orderkey IN (SELECT l_orderkey ... HAVING sum(...) > 300)` over
// customer x orders x lineitem (TPC-H q18) then filters orders to 57 rows before the joins
// instead of the 6M-row join result, and the join ordering sees a small input.
//
// Only where the right input is estimated smaller than the input it moves to.
//
// Exact: a semi (anti) join keeps a row when its condition holds for some (no) row of the
// right input, and the condition reads only columns of one input X of the inner join (or
// of the filter's input), so every row built from an X row shares that row's verdict:
// deciding on X's rows first keeps the same combinations.
#include <algorithm>

#include "optimizer/cardinality.h"
#include "optimizer/plan_rewrite.h"
#include "optimizer/rules.h"

namespace sluice::opt {

namespace {

bool IsFilteringJoin(const LogicalPlan& n) {
  return n.kind == LogicalKind::kJoin &&
         (n.join_kind == JoinKind::kSemi || n.join_kind == JoinKind::kAnti) && n.predicate;
}

// `left` semi/anti-joined with `right` on `predicate` (over left ++ right), pushed as deep
// as it goes.
LogicalPlanPtr Push(const LogicalPlan& join, const LogicalPlanPtr& left, const LogicalPlanPtr& right,
                    const ExprPtr& predicate) {
  const int nleft = static_cast<int>(left->schema.size());
  std::set<int> left_columns;
  for (int c : ColumnsOf(*predicate)) {
    if (c < nleft) left_columns.insert(c);
  }
  auto rebuilt = [&] {
    auto copy = std::make_shared<LogicalPlan>(join);
    copy->children = {left, right};
    copy->predicate = predicate;
    copy->schema = left->schema;
    return LogicalPlanPtr(copy);
  };
  if (left_columns.empty() || IsVolatile(*predicate)) return rebuilt();
  if (left->kind == LogicalKind::kFilter) {
    LogicalPlanPtr below = Push(join, left->children[0], right, predicate);
    const bool moved_on = below->kind != LogicalKind::kJoin || below->predicate != predicate;
    return moved_on ? WithChildren(*left, {std::move(below)}) : rebuilt();
  }
  const bool inner = left->kind == LogicalKind::kJoin &&
                     (left->join_kind == JoinKind::kInner || left->join_kind == JoinKind::kCross);
  if (!inner) return rebuilt();
  const int n0 = static_cast<int>(left->children[0]->schema.size());
  const bool in_first = *left_columns.rbegin() < n0;
  const bool in_second = *left_columns.begin() >= n0;
  if (!in_first && !in_second) return rebuilt();
  const LogicalPlanPtr& child = left->children[in_first ? 0 : 1];
  // Below the join the semi join meets every row of the child: worth it when its own build
  // side is the smaller (a filtered aggregate, q18), not when a large table is probed with
  // the few rows a selective join leaves (q21's EXISTS over lineitem stays on top).
  if (!(EstimateRows(*right) < EstimateRows(*child))) return rebuilt();
  const int offset = in_first ? 0 : n0;
  const int nchild = static_cast<int>(child->schema.size());
  // Over child ++ right: left columns lose the offset, right columns follow the child.
  ExprPtr moved = RemapColumns(predicate, [&](int i) {
    return i < nleft ? i - offset : i - nleft + nchild;
  });
  LogicalPlanPtr pushed = Push(join, child, right, moved);
  std::vector<LogicalPlanPtr> children = left->children;
  children[in_first ? 0 : 1] = std::move(pushed);
  return WithChildren(*left, std::move(children));
}

LogicalPlanPtr Rewrite(const LogicalPlanPtr& node) {
  if (node->kind == LogicalKind::kCache) return node;
  std::vector<LogicalPlanPtr> children;
  for (const auto& c : node->children) children.push_back(Rewrite(c));
  if (IsFilteringJoin(*node)) return Push(*node, children[0], children[1], node->predicate);
  return WithChildren(*node, std::move(children));
}

}  // namespace

LogicalPlanPtr PushDownSemiJoins(const LogicalPlanPtr& plan) { return Rewrite(plan); }

}  // namespace sluice::opt
