#include "plan/subquery.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/error.h"
#include "expr/binder.h"
#include "plan/correlated_subquery.h"
#include "plan/recursive_cte.h"

namespace sluice {

namespace {

bool WindowContainsSubquery(const WindowSpec& w) {
  for (const auto& p : w.partition_by) {
    if (ContainsSubquery(*p)) return true;
  }
  for (const auto& o : w.order_by) {
    if (ContainsSubquery(*o.expr)) return true;
  }
  return (w.start.offset && ContainsSubquery(*w.start.offset)) ||
         (w.end.offset && ContainsSubquery(*w.end.offset));
}

bool NodeContainsSubquery(const LogicalPlan& node) {
  if (node.recursive || node.lateral) return true;  // computed before the query, like a subquery
  if (node.predicate && ContainsSubquery(*node.predicate)) return true;
  for (const auto& e : node.exprs) {
    if (ContainsSubquery(*e)) return true;
  }
  for (const auto& e : node.aggregates) {
    if (ContainsSubquery(*e)) return true;
  }
  for (const auto& k : node.sort_keys) {
    if (ContainsSubquery(*k.expr)) return true;
  }
  return false;
}

bool SkipsChildren(const LogicalPlan& node) {
  return node.kind == LogicalKind::kCache && node.cache->filled;
}

}  // namespace

ExprPtr LiteralFor(const Expr& e, const Value& value) {
  auto lit = std::make_shared<Expr>();
  lit->kind = ExprKind::kLiteral;
  lit->value = value.is_null() ? Value::Null(e.type) : value;
  lit->type = e.type;
  lit->alias = e.alias;
  lit->bound = true;
  return lit;
}

const char* SubqueryKindName(SubqueryKind kind) {
  switch (kind) {
    case SubqueryKind::kScalar:
      return "scalar";
    case SubqueryKind::kExists:
      return "exists";
    case SubqueryKind::kIn:
      return "in";
    case SubqueryKind::kParameter:
      return "parameter";
  }
  return "?";
}

ExprPtr MakeParameterExpr(LogicalType type, std::string label) {
  auto ref = std::make_shared<SubqueryRef>();
  ref->kind = SubqueryKind::kParameter;
  ref->label = label;
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kSubquery;
  e->type = std::move(type);
  e->name = std::move(label);
  e->bound = true;
  e->subquery = std::move(ref);
  return e;
}

std::string CorrelatedName(SubqueryKind kind, const std::string& label,
                           const std::vector<ExprPtr>* values) {
  std::string name = label;
  if (values != nullptr) {
    std::vector<std::string> shown;
    for (const auto& v : *values) shown.push_back(v->ToString());
    name += "(" + fmt::format("{}", fmt::join(shown, ", ")) + ")";
  }
  return kind == SubqueryKind::kExists ? "EXISTS(" + name + ")" : name;
}

ExprPtr MakeCorrelatedSubqueryExpr(SubqueryKind kind, LogicalPlanPtr plan, std::string label,
                                   std::vector<std::shared_ptr<const SubqueryRef>> parameters,
                                   std::vector<ExprPtr> values, std::string too_many_rows) {
  ExprPtr e = MakeSubqueryExpr(kind, std::move(plan), std::move(label), nullptr, false,
                               std::move(too_many_rows));
  auto ref = std::make_shared<SubqueryRef>(*e->subquery);
  ref->parameters = std::move(parameters);
  auto out = std::make_shared<Expr>(*e);
  out->name = CorrelatedName(kind, ref->label, &values);
  out->subquery = std::move(ref);
  out->args = std::move(values);
  return out;
}

ExprPtr MakeSubqueryExpr(SubqueryKind kind, LogicalPlanPtr plan, std::string label, ExprPtr operand,
                         bool negated, std::string too_many_rows) {
  auto ref = std::make_shared<SubqueryRef>();
  ref->kind = kind;
  ref->plan = std::move(plan);
  ref->too_many_rows = std::move(too_many_rows);
  ref->label = label;
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kSubquery;
  e->type = kind == SubqueryKind::kScalar ? ref->plan->schema.field(0).type
                                          : LogicalType(TypeId::kBoolean);
  e->name = kind == SubqueryKind::kExists ? "EXISTS(" + label + ")" : std::move(label);
  if (operand) e->args.push_back(std::move(operand));
  e->negated = negated;
  e->subquery = std::move(ref);
  return e;
}

bool ContainsSubquery(const Expr& e) {
  if (e.kind == ExprKind::kSubquery) return true;
  for (const auto& a : e.args) {
    if (ContainsSubquery(*a)) return true;
  }
  return e.window && WindowContainsSubquery(*e.window);
}

bool ContainsSubquery(const LogicalPlan& plan) {
  if (NodeContainsSubquery(plan)) return true;
  if (SkipsChildren(plan)) return false;
  for (const auto& c : plan.children) {
    if (ContainsSubquery(*c)) return true;
  }
  return false;
}

ExprPtr MapSubqueries(const ExprPtr& e, const std::function<ExprPtr(const ExprPtr&)>& map) {
  if (!ContainsSubquery(*e)) return e;
  auto copy = std::make_shared<Expr>(*e);
  for (auto& a : copy->args) a = MapSubqueries(a, map);
  if (e->window && WindowContainsSubquery(*e->window)) {
    auto w = std::make_shared<WindowSpec>(*e->window);
    for (auto& p : w->partition_by) p = MapSubqueries(p, map);
    for (auto& o : w->order_by) o.expr = MapSubqueries(o.expr, map);
    if (w->start.offset) w->start.offset = MapSubqueries(w->start.offset, map);
    if (w->end.offset) w->end.offset = MapSubqueries(w->end.offset, map);
    copy->window = std::move(w);
  }
  if (copy->kind == ExprKind::kSubquery) return map(copy);
  return copy;
}

LogicalPlanPtr MapSubqueries(const LogicalPlanPtr& plan,
                             const std::function<ExprPtr(const ExprPtr&)>& map) {
  if (!ContainsSubquery(*plan)) return plan;
  auto copy = std::make_shared<LogicalPlan>(*plan);
  if (copy->predicate) copy->predicate = MapSubqueries(copy->predicate, map);
  for (auto& e : copy->exprs) e = MapSubqueries(e, map);
  for (auto& e : copy->aggregates) e = MapSubqueries(e, map);
  for (auto& k : copy->sort_keys) k.expr = MapSubqueries(k.expr, map);
  if (!SkipsChildren(*plan)) {
    for (auto& c : copy->children) c = MapSubqueries(c, map);
  }
  return copy;
}

Value RunScalar(const SubqueryRunner& run, const LogicalPlan& plan, const SubqueryRef& ref) {
  LogicalPlanPtr borrowed(LogicalPlanPtr(), &plan);
  Value value = Value::Null(plan.schema.field(0).type);
  size_t count = 0;
  for (const auto& b : run(*MakeLimit(borrowed, 2, 0), ref)) {
    if (b.num_rows() > 0 && count == 0) value = b.column(0)->GetValue(0);
    count += b.num_rows();
  }
  if (count > 1) {
    throw InvalidInputError(ref.too_many_rows.empty()
                                ? "More than one row returned by a subquery used as an expression"
                                : ref.too_many_rows);
  }
  return value;
}

bool RunExists(const SubqueryRunner& run, const LogicalPlan& plan, const SubqueryRef& ref) {
  LogicalPlanPtr borrowed(LogicalPlanPtr(), &plan);
  bool exists = false;
  for (const auto& b : run(*MakeLimit(borrowed, 1, 0), ref)) exists |= b.num_rows() > 0;
  return exists;
}

const SubqueryResolver::Result& SubqueryResolver::Run(
    const std::shared_ptr<const SubqueryRef>& ref) {
  if (ref->kind == SubqueryKind::kParameter || ref->correlated()) {
    throw NotImplementedError("a correlated subquery is not supported in this statement yet");
  }
  auto found = results_.find(ref.get());
  if (found != results_.end()) return found->second;
  Result result;
  result.ref = ref;
  const SubqueryRef& sq = *ref;
  switch (sq.kind) {
    case SubqueryKind::kExists:
      result.exists = RunExists(run_, *sq.plan, sq);
      break;
    case SubqueryKind::kScalar:
      result.scalar = RunScalar(run_, *sq.plan, sq);
      break;
    case SubqueryKind::kIn:
      for (const auto& b : run_(*sq.plan, sq)) {
        for (size_t r = 0; r < b.num_rows(); r++) result.values.push_back(b.column(0)->GetValue(r));
      }
      break;
    case SubqueryKind::kParameter:  // refused above
      break;
  }
  return results_.emplace(ref.get(), std::move(result)).first->second;
}

ExprPtr SubqueryResolver::Replace(const ExprPtr& e) {
  const Result& result = Run(e->subquery);
  switch (e->subquery->kind) {
    case SubqueryKind::kScalar:
      return LiteralFor(*e, result.scalar);
    case SubqueryKind::kExists:
      return LiteralFor(*e, Value::Boolean(result.exists));
    case SubqueryKind::kIn: {
      // x IN (empty set) is FALSE even for a NULL x.
      if (result.values.empty()) return LiteralFor(*e, Value::Boolean(e->negated));
      std::vector<ExprPtr> list;
      for (const auto& v : result.values) list.push_back(Lit(v));
      ExprPtr in = In(e->args[0], std::move(list), e->negated);
      if (!e->alias.empty()) in = Alias(in, e->alias);
      // A bound operand (the subquery sat in a plan node) makes a bound IN.
      return e->args[0]->bound ? BindExpression(in, Schema()) : in;
    }
    case SubqueryKind::kParameter:  // refused by Run
      break;
  }
  return e;
}

LogicalPlanPtr SubqueryResolver::Resolve(const LogicalPlanPtr& plan) {
  LogicalPlanPtr computed = ComputeRecursiveCtes(plan, [this](const LogicalPlan& p, const std::string& title) {
    SubqueryRef ref;  // a kParameter ref passed to the runner carries its title
    ref.kind = SubqueryKind::kParameter;
    ref.label = title;
    return run_(p, ref);
  });
  LogicalPlanPtr applied = ApplyCorrelatedSubqueries(computed, run_);
  return MapSubqueries(applied, [this](const ExprPtr& e) { return Replace(e); });
}

ExprPtr SubqueryResolver::Resolve(const ExprPtr& e) {
  return MapSubqueries(e, [this](const ExprPtr& s) { return Replace(s); });
}

LogicalPlanPtr LabelSubqueries(const LogicalPlanPtr& plan, std::vector<LabelledSubquery>* out) {
  // Old ref -> its labelled copy, shared by every use of one subquery.
  std::map<const SubqueryRef*, std::pair<std::shared_ptr<const SubqueryRef>, std::string>> done;
  std::function<ExprPtr(const ExprPtr&)> label = [&](const ExprPtr& e) -> ExprPtr {
    if (e->subquery->kind == SubqueryKind::kParameter) return e;
    auto it = done.find(e->subquery.get());
    if (it == done.end()) {
      auto ref = std::make_shared<SubqueryRef>(*e->subquery);
      ref->plan = MapSubqueries(ref->plan, label);  // nested ones first: they run first
      const std::string name = fmt::format("${}", out->size() + 1);
      ref->label = name;
      out->push_back({name, ref->kind, ref->plan, ref->correlated()});
      it = done.emplace(e->subquery.get(), std::make_pair(std::move(ref), name)).first;
    }
    auto copy = std::make_shared<Expr>(*e);
    copy->subquery = it->second.first;
    const std::string& name = it->second.second;
    copy->name = CorrelatedName(copy->subquery->kind, name, copy->subquery->correlated() ? &copy->args : nullptr);
    return copy;
  };
  return MapSubqueries(plan, label);
}

}  // namespace sluice
