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

// Structural equality of bound expressions (same columns by index, same literals).
bool SameExpr(const Expr& a, const Expr& b) {
  if (a.kind != b.kind || !(a.type == b.type) || a.name != b.name ||
      a.args.size() != b.args.size() || a.negated != b.negated || a.distinct != b.distinct) {
    return false;
  }
  if (a.kind == ExprKind::kColumnRef) return a.column_index == b.column_index;
  if (a.kind == ExprKind::kSubquery && a.subquery != b.subquery) return false;
  if (a.kind == ExprKind::kLiteral && !(a.value == b.value)) return false;
  for (size_t i = 0; i < a.args.size(); i++) {
    if (!SameExpr(*a.args[i], *b.args[i])) return false;
  }
  return true;
}

ExprPtr MakeLogic(ExprKind kind, std::vector<ExprPtr> args) {
  if (args.size() == 1) return args[0];
  auto e = std::make_shared<Expr>();
  e->kind = kind;
  e->type = TypeId::kBoolean;
  e->args = std::move(args);
  e->bound = true;
  return e;
}

std::vector<ExprPtr> ConjunctsOf(const ExprPtr& e) {
  if (e->kind == ExprKind::kAnd) return e->args;
  return {e};
}

// (A AND B) OR (A AND C) -> A AND (B OR C): a condition every branch of an OR shares is
// pulled out, so that a join key written inside each branch (TPC-H q19) becomes a join key.
// Returns null when the branches share nothing. Valid in three-valued logic.
ExprPtr FactorCommonConjuncts(const std::vector<ExprPtr>& disjuncts) {
  std::vector<std::vector<ExprPtr>> branches;
  for (const auto& d : disjuncts) branches.push_back(ConjunctsOf(d));
  std::vector<ExprPtr> common;
  for (const auto& candidate : branches[0]) {
    bool everywhere = true;
    for (size_t b = 1; b < branches.size() && everywhere; b++) {
      bool found = false;
      for (const auto& c : branches[b]) found |= SameExpr(*c, *candidate);
      everywhere = found;
    }
    bool duplicate = false;
    for (const auto& c : common) duplicate |= SameExpr(*c, *candidate);
    if (everywhere && !duplicate) common.push_back(candidate);
  }
  if (common.empty()) return nullptr;
  std::vector<ExprPtr> rest;
  for (const auto& branch : branches) {
    std::vector<ExprPtr> left;
    for (const auto& c : branch) {
      bool shared = false;
      for (const auto& k : common) shared |= SameExpr(*c, *k);
      if (!shared) left.push_back(c);
    }
    // A branch made only of shared conditions is TRUE once they hold: the OR is TRUE.
    if (left.empty()) return MakeLogic(ExprKind::kAnd, common);
    rest.push_back(MakeLogic(ExprKind::kAnd, std::move(left)));
  }
  common.push_back(MakeLogic(ExprKind::kOr, std::move(rest)));
  return MakeLogic(ExprKind::kAnd, std::move(common));
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
  if (!is_and) {
    if (ExprPtr factored = FactorCommonConjuncts(kept)) return WithAlias(factored, e->alias);
  }
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
