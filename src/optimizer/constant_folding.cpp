// Constant folding: column-free subexpressions become literals; AND/OR lose their constant
// operands; filters that are always TRUE disappear and those never TRUE empty the relation.
#include "common/error.h"
#include "expr/evaluator.h"
#include "optimizer/plan_rewrite.h"
#include "optimizer/rules.h"

namespace sluice::opt {

namespace {

bool Foldable(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kLiteral:
    case ExprKind::kCall:
    case ExprKind::kCast:
    case ExprKind::kAnd:
    case ExprKind::kOr:
    case ExprKind::kNot:
    case ExprKind::kIsNull:
    case ExprKind::kIsNotNull:
    case ExprKind::kIn:
    case ExprKind::kCase:
    case ExprKind::kCoalesce: break;
    default: return false;  // columns, aggregates and other calls bound to a plan node
  }
  if (e.kind == ExprKind::kCall && IsVolatile(e)) return false;
  for (const auto& a : e.args) {
    if (!Foldable(*a)) return false;
  }
  return true;
}

ExprPtr WithAlias(ExprPtr e, const std::string& alias) {
  if (e->alias == alias) return e;
  auto copy = std::make_shared<Expr>(*e);
  copy->alias = alias;
  return copy;
}

// AND (is_and) or OR over already folded arguments: drops the neutral constant, and returns
// the absorbing one when present. NULL operands stay (three-valued logic).
ExprPtr SimplifyLogic(const ExprPtr& e, std::vector<ExprPtr> args) {
  const bool is_and = e->kind == ExprKind::kAnd;
  std::vector<ExprPtr> kept;
  for (auto& a : args) {
    if (a->kind == e->kind) {  // flatten nested AND/OR
      for (const auto& inner : a->args) kept.push_back(inner);
      continue;
    }
    if (IsBoolLiteral(*a, !is_and)) return WithAlias(BoolLiteral(!is_and), e->alias);
    if (IsBoolLiteral(*a, is_and)) continue;
    kept.push_back(std::move(a));
  }
  if (kept.empty()) return WithAlias(BoolLiteral(is_and), e->alias);
  if (kept.size() == 1 && kept[0]->type == e->type) return WithAlias(kept[0], e->alias);
  return WithArgs(*e, std::move(kept));
}

ExprPtr Fold(const ExprPtr& e) {
  if (e->kind == ExprKind::kLiteral || e->kind == ExprKind::kColumnRef) return e;
  if (Foldable(*e)) {
    try {
      Value v = EvaluateConstant(*e);
      if (v.is_null()) v = Value::Null(e->type);
      if (v.type() == e->type) {
        auto lit = std::make_shared<Expr>();
        lit->kind = ExprKind::kLiteral;
        lit->value = std::move(v);
        lit->type = e->type;
        lit->alias = e->alias;
        lit->bound = true;
        return lit;
      }
    } catch (const UserError&) {
      // The expression fails on evaluation (1/0, a bad cast). It may sit in a branch that
      // never runs, so it is left for execution to report if it is reached.
    }
  }
  if (e->args.empty()) return e;
  std::vector<ExprPtr> args;
  bool changed = false;
  for (const auto& a : e->args) {
    args.push_back(Fold(a));
    changed |= args.back() != a;
  }
  if (e->kind == ExprKind::kAnd || e->kind == ExprKind::kOr) return SimplifyLogic(e, std::move(args));
  return changed ? WithArgs(*e, std::move(args)) : e;
}

std::vector<ExprPtr> FoldAll(const std::vector<ExprPtr>& exprs) {
  std::vector<ExprPtr> out;
  for (const auto& e : exprs) out.push_back(Fold(e));
  return out;
}

LogicalPlanPtr EmptyRelation(const Schema& schema) { return MakeValues(schema, {}); }

bool NeverTrue(const Expr& e) { return IsBoolLiteral(e, false) || IsNullLiteral(e); }

LogicalPlanPtr FoldNode(const LogicalPlanPtr& plan) {
  if (plan->kind == LogicalKind::kCache) return plan;
  std::vector<LogicalPlanPtr> children;
  for (const auto& c : plan->children) children.push_back(FoldNode(c));
  auto node = std::make_shared<LogicalPlan>(*plan);
  node->children = std::move(children);
  if (node->predicate) node->predicate = Fold(node->predicate);
  node->exprs = FoldAll(node->exprs);
  for (auto& a : node->aggregates) {
    if (!a->args.empty()) a = WithArgs(*a, FoldAll(a->args));
  }
  for (auto& k : node->sort_keys) k.expr = Fold(k.expr);
  switch (node->kind) {
    case LogicalKind::kFilter:
      if (IsBoolLiteral(*node->predicate, true)) return node->children[0];
      if (NeverTrue(*node->predicate)) return EmptyRelation(node->schema);
      break;
    case LogicalKind::kJoin:
      if (!node->predicate) break;
      if (IsBoolLiteral(*node->predicate, true) && node->join_kind == JoinKind::kInner) {
        node->predicate = nullptr;
        node->join_kind = JoinKind::kCross;
      } else if (NeverTrue(*node->predicate) &&
                 (node->join_kind == JoinKind::kInner || node->join_kind == JoinKind::kSemi)) {
        return EmptyRelation(node->schema);
      }
      break;
    default: break;
  }
  return node;
}

}  // namespace

LogicalPlanPtr FoldConstants(const LogicalPlanPtr& plan) { return FoldNode(plan); }

}  // namespace sluice::opt
