#include "plan/asof_condition.h"

#include <fmt/format.h>

#include "common/error.h"

namespace sluice {

namespace {

void Conjuncts(const ExprPtr& e, std::vector<ExprPtr>& out) {
  if (e->kind == ExprKind::kAnd) {
    for (const auto& a : e->args) Conjuncts(a, out);
    return;
  }
  out.push_back(e);
}

// Which input an expression reads: 0 left, 1 right, -1 none, 2 both.
int SideOf(const Expr& e, int nleft) {
  if (e.kind == ExprKind::kColumnRef) return e.column_index < nleft ? 0 : 1;
  int side = -1;
  for (const auto& a : e.args) {
    const int s = SideOf(*a, nleft);
    if (s < 0) continue;
    side = side < 0 ? s : (side == s ? side : 2);
  }
  return side;
}

// The inequality `a OP b` as seen from the other operand order (`b OP' a`).
AsofInequality Flip(AsofInequality op) {
  switch (op) {
    case AsofInequality::kGreaterEqual: return AsofInequality::kLessEqual;
    case AsofInequality::kGreater: return AsofInequality::kLess;
    case AsofInequality::kLessEqual: return AsofInequality::kGreaterEqual;
    case AsofInequality::kLess: return AsofInequality::kGreater;
  }
  return op;
}

bool InequalityOf(const std::string& name, AsofInequality& op) {
  if (name == ">=") op = AsofInequality::kGreaterEqual;
  else if (name == ">") op = AsofInequality::kGreater;
  else if (name == "<=") op = AsofInequality::kLessEqual;
  else if (name == "<") op = AsofInequality::kLess;
  else return false;
  return true;
}

}  // namespace

const char* AsofInequalityName(AsofInequality op) {
  switch (op) {
    case AsofInequality::kGreaterEqual: return ">=";
    case AsofInequality::kGreater: return ">";
    case AsofInequality::kLessEqual: return "<=";
    case AsofInequality::kLess: return "<";
  }
  return "?";
}

AsofCondition SplitAsofCondition(const ExprPtr& predicate, int nleft) {
  if (predicate == nullptr) throw BindError("Missing ASOF JOIN inequality");
  std::vector<ExprPtr> conjuncts;
  Conjuncts(predicate, conjuncts);
  AsofCondition out;
  bool have_inequality = false;
  auto shift = [&](const ExprPtr& e) { return RemapColumns(e, [&](int i) { return i - nleft; }); };
  for (const auto& c : conjuncts) {
    AsofInequality op{};
    const bool equality = c->kind == ExprKind::kCall && c->name == "=" && c->args.size() == 2;
    const bool inequality = c->kind == ExprKind::kCall && c->args.size() == 2 &&
                            InequalityOf(c->name, op);
    const int a = (equality || inequality) ? SideOf(*c->args[0], nleft) : -1;
    const int b = (equality || inequality) ? SideOf(*c->args[1], nleft) : -1;
    if (!((a == 0 && b == 1) || (a == 1 && b == 0))) {
      throw BindError(fmt::format(
          "ASOF JOIN condition {} must compare the left and the right input: its conditions "
          "are equalities (=) and one inequality (>=, >, <=, <) between the two sides",
          c->ToString()));
    }
    const ExprPtr& left = a == 0 ? c->args[0] : c->args[1];
    const ExprPtr& right = a == 0 ? c->args[1] : c->args[0];
    if (equality) {
      out.left_keys.push_back(left);
      out.right_keys.push_back(shift(right));
      continue;
    }
    if (have_inequality) throw BindError("Multiple ASOF JOIN inequalities");
    have_inequality = true;
    out.left_time = left;
    out.right_time = shift(right);
    out.op = a == 0 ? op : Flip(op);
  }
  if (!have_inequality) throw BindError("Missing ASOF JOIN inequality");
  return out;
}

}  // namespace sluice
