// Small plan and expression helpers shared by the SQL binder's files.
#include <fmt/format.h>

#include "binder/sql_binder.h"
#include "common/strings.h"

namespace sluice::sql_bind {

LogicalPlanPtr WithFields(const LogicalPlanPtr& plan,
                          const std::function<void(Field&, size_t)>& edit) {
  auto copy = std::make_shared<LogicalPlan>(*plan);
  auto& fields = copy->schema.mutable_fields();
  for (size_t i = 0; i < fields.size(); i++) edit(fields[i], i);
  return copy;
}

LogicalPlanPtr ProjectByIndex(const LogicalPlanPtr& plan, const std::vector<int>& indices,
                              const std::vector<Field>& fields) {
  // Built directly rather than with MakeProject, which resolves references by name and names
  // may repeat here.
  auto node = std::make_shared<LogicalPlan>();
  node->kind = LogicalKind::kProject;
  node->children = {plan};
  for (size_t k = 0; k < indices.size(); k++) {
    const Field& in = plan->schema.field(indices[k]);
    auto ref = std::make_shared<Expr>();
    ref->kind = ExprKind::kColumnRef;
    ref->name = in.name;
    ref->qualifier = in.qualifier;
    ref->type = in.type;
    ref->column_index = indices[k];
    ref->bound = true;
    node->exprs.push_back(ref);
    Field out = fields[k];
    out.type = in.type;
    node->schema.Add(out);
  }
  return node;
}

BoundRelation MakeRelation(LogicalPlanPtr plan) {
  BoundRelation rel;
  rel.schema = plan->schema;
  rel.hidden.assign(rel.schema.size(), false);
  rel.plan = std::move(plan);
  return rel;
}

std::string Suggest(std::string_view name, const std::vector<std::string>& candidates) {
  std::string s = DidYouMean(name, candidates);
  const std::string prefix = ", did you mean ";
  if (s.rfind(prefix, 0) == 0) return " Did you mean " + s.substr(prefix.size());
  return s;
}

bool ContainsAggregate(const Expr& e) {
  if (e.kind == ExprKind::kAggregate) return true;
  for (const auto& a : e.args) {
    if (ContainsAggregate(*a)) return true;
  }
  if (e.window) {
    for (const auto& p : e.window->partition_by) {
      if (ContainsAggregate(*p)) return true;
    }
    for (const auto& o : e.window->order_by) {
      if (ContainsAggregate(*o.expr)) return true;
    }
  }
  return false;
}

void CollectColumnRefs(const Expr& e, std::vector<const Expr*>& out) {
  if (e.kind == ExprKind::kColumnRef) out.push_back(&e);
  for (const auto& a : e.args) CollectColumnRefs(*a, out);
}

}  // namespace sluice::sql_bind
