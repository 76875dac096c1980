// Filter pushdown: each conjunct of a filter travels down the tree as far as it keeps its
// meaning, and the conjuncts that stop at the same node are merged into one filter there.
#include "optimizer/plan_rewrite.h"
#include "optimizer/rules.h"

namespace sluice::opt {

namespace {

LogicalPlanPtr Push(const LogicalPlanPtr& node, std::vector<ExprPtr> preds);

// Places the conjuncts that stop here in a filter over `node`.
LogicalPlanPtr Stop(LogicalPlanPtr node, const std::vector<ExprPtr>& preds) {
  if (preds.empty()) return node;
  return NewFilter(std::move(node), Conjunction(preds));
}

// Which side of a join (left width `nleft`) a conjunct reads.
enum class Side { kNone, kLeft, kRight, kBoth };
Side SideOf(const Expr& e, int nleft) {
  const std::set<int> cols = ColumnsOf(e);
  if (cols.empty()) return Side::kNone;
  if (*cols.rbegin() < nleft) return Side::kLeft;
  if (*cols.begin() >= nleft) return Side::kRight;
  return Side::kBoth;
}

// For an OR over both sides of a join, the filter each side must pass for some branch:
// (l1 AND r1) OR (l2 AND r2) implies (l1 OR l2) on the left and (r1 OR r2) on the right.
// TPC-H q7's nation pair becomes `n_name IN (...)`-like filters on each nation scan this way.
// Returns null for a side when some branch has no condition on it.
ExprPtr ImpliedSideFilter(const Expr& disjunction, int nleft, Side side) {
  std::vector<ExprPtr> branches;
  for (const auto& d : disjunction.args) {
    std::vector<ExprPtr> conjuncts, mine;
    SplitConjuncts(d, conjuncts);
    for (const auto& c : conjuncts) {
      if (SideOf(*c, nleft) == side) mine.push_back(c);
    }
    if (mine.empty()) return nullptr;
    branches.push_back(Conjunction(mine));
  }
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kOr;
  e->type = TypeId::kBoolean;
  e->args = std::move(branches);
  e->bound = true;
  return e;
}

LogicalPlanPtr PushJoin(const LogicalPlan& join, std::vector<ExprPtr> preds) {
  const int nleft = static_cast<int>(join.child(0).schema.size());
  std::vector<ExprPtr> own;
  if (join.predicate) SplitConjuncts(join.predicate, own);
  std::vector<ExprPtr> to_left, to_right, on, above;
  const JoinKind kind = join.join_kind;
  auto route = [&](const ExprPtr& p, bool left_ok, bool right_ok, std::vector<ExprPtr>& rest) {
    const Side side = SideOf(*p, nleft);
    if (side == Side::kLeft && left_ok) {
      to_left.push_back(p);
    } else if (side == Side::kRight && right_ok) {
      to_right.push_back(RemapColumns(p, [&](int i) { return i - nleft; }));
    } else {
      rest.push_back(p);
    }
  };
  switch (kind) {
    case JoinKind::kInner:
    case JoinKind::kCross: {
      std::vector<ExprPtr> all = own;
      all.insert(all.end(), preds.begin(), preds.end());
      for (const auto& p : all) {
        route(p, true, true, on);
        if (p->kind != ExprKind::kOr || SideOf(*p, nleft) != Side::kBoth) continue;
        if (ExprPtr l = ImpliedSideFilter(*p, nleft, Side::kLeft)) to_left.push_back(l);
        if (ExprPtr r = ImpliedSideFilter(*p, nleft, Side::kRight)) {
          to_right.push_back(RemapColumns(r, [&](int i) { return i - nleft; }));
        }
      }
      break;
    }
    case JoinKind::kLeft:  // the left side is preserved: its rows must all reach the join
      for (const auto& p : own) route(p, false, true, on);
      for (const auto& p : preds) route(p, true, false, above);
      break;
    case JoinKind::kRight:
      for (const auto& p : own) route(p, true, false, on);
      for (const auto& p : preds) route(p, false, true, above);
      break;
    case JoinKind::kFull:
      on = own;
      above = preds;
      break;
    case JoinKind::kSemi:
      for (const auto& p : own) route(p, true, true, on);
      for (const auto& p : preds) route(p, true, false, above);
      break;
    case JoinKind::kAnti:
      for (const auto& p : own) route(p, false, true, on);
      for (const auto& p : preds) route(p, true, false, above);
      break;
    case JoinKind::kAsof:
    case JoinKind::kAsofLeft:
      // Each left row is matched on its own, so a left filter commutes with the join; a
      // right filter would change which right row is the closest, and the condition stays.
      on = own;
      for (const auto& p : preds) route(p, true, false, above);
      break;
  }
  JoinKind new_kind = kind;
  if (kind == JoinKind::kCross && !on.empty()) new_kind = JoinKind::kInner;
  if (kind == JoinKind::kInner && on.empty()) new_kind = JoinKind::kCross;
  LogicalPlanPtr out = NewJoin(Push(join.children[0], std::move(to_left)),
                               Push(join.children[1], std::move(to_right)), new_kind,
                               Conjunction(on));
  // The output schema must not change (NewJoin recomputes it from the new children).
  auto fixed = std::make_shared<LogicalPlan>(*out);
  fixed->schema = join.schema;
  return Stop(fixed, above);
}

LogicalPlanPtr Push(const LogicalPlanPtr& node, std::vector<ExprPtr> preds) {
  // Conjuncts without columns or with volatile calls stay where they are.
  std::vector<ExprPtr> fixed, movable;
  for (auto& p : preds) {
    (ColumnsOf(*p).empty() || IsVolatile(*p) ? fixed : movable).push_back(std::move(p));
  }
  const LogicalPlan& n = *node;
  switch (n.kind) {
    case LogicalKind::kFilter: {
      if (IsVolatile(*n.predicate)) {
        return Stop(WithChildren(n, {Push(n.children[0], {})}), movable);
      }
      std::vector<ExprPtr> all;
      SplitConjuncts(n.predicate, all);  // the lower filter's conjuncts are checked first
      for (auto& p : movable) all.push_back(std::move(p));
      return Stop(Push(n.children[0], std::move(all)), fixed);
    }
    case LogicalKind::kProject: {
      std::vector<ExprPtr> down, keep = fixed;
      for (auto& p : movable) {
        bool volatile_input = false;
        for (int c : ColumnsOf(*p)) volatile_input |= IsVolatile(*n.exprs[c]);
        if (volatile_input) {
          keep.push_back(std::move(p));
        } else {
          down.push_back(SubstituteColumns(p, n.exprs));
        }
      }
      return Stop(WithChildren(n, {Push(n.children[0], std::move(down))}), keep);
    }
    case LogicalKind::kAggregate: {
      // Only conjuncts over group keys commute with grouping.
      const int ngroups = static_cast<int>(n.exprs.size());
      std::vector<ExprPtr> down, keep = fixed;
      for (auto& p : movable) {
        if (*ColumnsOf(*p).rbegin() < ngroups) {
          down.push_back(SubstituteColumns(p, n.exprs));
        } else {
          keep.push_back(std::move(p));
        }
      }
      return Stop(WithChildren(n, {Push(n.children[0], std::move(down))}), keep);
    }
    case LogicalKind::kJoin: return Stop(PushJoin(n, std::move(movable)), fixed);
    case LogicalKind::kUnion: {
      std::vector<LogicalPlanPtr> children;
      for (const auto& c : n.children) children.push_back(Push(c, movable));
      return Stop(WithChildren(n, std::move(children)), fixed);
    }
    case LogicalKind::kSort:
    case LogicalKind::kDistinct:
    case LogicalKind::kRepartition:
    case LogicalKind::kCoalesce:
      return Stop(WithChildren(n, {Push(n.children[0], std::move(movable))}), fixed);
    case LogicalKind::kLimit:
      for (auto& p : movable) fixed.push_back(std::move(p));
      return Stop(WithChildren(n, {Push(n.children[0], {})}), fixed);
    default: {
      // Leaves, caches and any other node: conjuncts stop above it; its children are
      // optimized on their own.
      std::vector<LogicalPlanPtr> children;
      for (const auto& c : n.children) children.push_back(Push(c, {}));
      for (auto& p : movable) fixed.push_back(std::move(p));
      if (n.kind == LogicalKind::kCache || children.empty()) return Stop(node, fixed);
      return Stop(WithChildren(n, std::move(children)), fixed);
    }
  }
}

}  // namespace

LogicalPlanPtr PushDownFilters(const LogicalPlanPtr& plan) { return Push(plan, {}); }

}  // namespace sluice::opt
