#include "physical/plan_util.h"

#include <climits>

#include "exec/filter_project.h"

namespace sluice {

std::vector<int> EnsureColumns(PhysicalOperatorPtr& op, const std::vector<ExprPtr>& exprs) {
  std::vector<int> indices;
  std::vector<ExprPtr> extra;
  const int base = static_cast<int>(op->schema().size());
  for (const auto& e : exprs) {
    if (e->kind == ExprKind::kColumnRef) {
      indices.push_back(e->column_index);
    } else {
      indices.push_back(base + static_cast<int>(extra.size()));
      extra.push_back(e);
    }
  }
  if (extra.empty()) return indices;
  std::vector<ExprPtr> all;
  Schema schema = op->schema();
  for (int i = 0; i < base; i++) all.push_back(BoundColumnRef(op->schema(), i));
  for (const auto& e : extra) {
    all.push_back(e);
    schema.Add(Field{e->OutputName(), e->type, true, ""});
  }
  op = std::make_unique<Project>(std::move(op), std::move(all), std::move(schema));
  return indices;
}

PhysicalOperatorPtr KeepFirstColumns(PhysicalOperatorPtr op, size_t n) {
  if (op->schema().size() == n) return op;
  std::vector<ExprPtr> exprs;
  Schema schema;
  for (size_t i = 0; i < n; i++) {
    exprs.push_back(BoundColumnRef(op->schema(), static_cast<int>(i)));
    schema.Add(op->schema().field(i));
  }
  return std::make_unique<Project>(std::move(op), std::move(exprs), std::move(schema));
}

void SplitConjuncts(const ExprPtr& expr, std::vector<ExprPtr>& out) {
  if (expr->kind == ExprKind::kAnd) {
    for (const auto& a : expr->args) SplitConjuncts(a, out);
  } else {
    out.push_back(expr);
  }
}

std::pair<int, int> ColumnRange(const Expr& expr) {
  if (expr.kind == ExprKind::kColumnRef) return {expr.column_index, expr.column_index};
  std::pair<int, int> range{INT_MAX, -1};
  for (const auto& a : expr.args) {
    auto r = ColumnRange(*a);
    range.first = std::min(range.first, r.first);
    range.second = std::max(range.second, r.second);
  }
  return range;
}

}  // namespace sluice
