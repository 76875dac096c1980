// Dependent subqueries: the correlated subqueries that bind_subquery.cpp cannot turn into
// joins. The subquery is bound with its references to the enclosing query as parameters
// (kParameter expressions); the expression left in the enclosing query carries their values
// there and is evaluated per distinct set of values before the query runs
// (plan/correlated_subquery.h). Nested dependent subqueries chain their parameter scopes: a
// reference two levels out is a parameter of the outer subquery, a constant of the inner one.
#include <fmt/format.h>

#include "binder/sql_binder.h"
#include "common/strings.h"
#include "expr/binder.h"
#include "sql/error_context.h"

namespace sluice {

ExprPtr SqlBinder::ParameterFor(SubqueryParameters& scope, const sql::ColumnRefExpr& ref) {
  ExprPtr value;
  {
    sql_bind::ScopedValue<SubqueryCorrelation*> plain(correlation_, nullptr);
    sql_bind::ScopedValue<SubqueryParameters*> enclosing(parameters_, scope.parent);
    value = ResolveColumn(ref, *scope.outer);
  }
  // A parameter of an enclosing dependent subquery is a constant here.
  if (value->kind == ExprKind::kSubquery) return value;
  return AddParameter(scope, value);
}

ExprPtr SqlBinder::AddParameter(SubqueryParameters& scope, const ExprPtr& value) {
  const std::string key = value->ToString();
  auto found = scope.index.find(key);
  if (found != scope.index.end()) return scope.parameters[found->second];
  const LogicalType type = BindExpression(value, scope.outer->relation->schema)->type;
  scope.index.emplace(key, scope.parameters.size());
  scope.values.push_back(value);
  scope.parameters.push_back(MakeParameterExpr(type, "outer(" + key + ")"));
  return scope.parameters.back();
}

LogicalPlanPtr SqlBinder::BindDependentQuery(const sql::QueryNode& query, const BindScope& scope,
                                             SubqueryParameters& parameters) {
  parameters.outer = &scope;
  parameters.parent = parameters_;
  sql_bind::ScopedValue<SubqueryCorrelation*> none(correlation_, nullptr);
  sql_bind::ScopedValue<SubqueryParameters*> active(parameters_, &parameters);
  sql_bind::ScopedValue<std::vector<SubqueryJoin>*> no_joins(scalar_joins_, nullptr);
  return BindQuery(query, &scope);
}

ExprPtr SqlBinder::DependentValue(SubqueryKind kind, LogicalPlanPtr plan,
                                  const SubqueryParameters& parameters, const sql::AstNode& at) {
  if (kind != SubqueryKind::kExists && plan->schema.size() != 1) {
    ThrowBind(at, fmt::format("Subquery returns {} columns - expected 1", plan->schema.size()));
  }
  if (parameters.parameters.empty()) return SubqueryValue(kind, std::move(plan), at);
  std::vector<std::shared_ptr<const SubqueryRef>> refs;
  for (const auto& p : parameters.parameters) refs.push_back(p->subquery);
  std::string too_many_rows;
  if (kind == SubqueryKind::kScalar) {
    too_many_rows = sql::FormatErrorWithCaret(
        script_, at.line, at.column, "More than one row returned by a subquery used as an expression");
  }
  return MakeCorrelatedSubqueryExpr(kind, std::move(plan),
                                    fmt::format("${}", ++next_subquery_value_), std::move(refs),
                                    parameters.values, std::move(too_many_rows));
}

ExprPtr SqlBinder::TranslateDependentSubquery(const sql::QueryNode& query, SubqueryKind kind,
                                              const BindScope& scope, const sql::AstNode& at) {
  SubqueryParameters parameters;
  LogicalPlanPtr plan = BindDependentQuery(query, scope, parameters);
  return DependentValue(kind, std::move(plan), parameters, at);
}

// `x op ANY|ALL (S)` (IN is `= ANY`, NOT IN `<> ALL`) with x a parameter of S: one value per
// outer row, the max (ANY) or min (ALL) over S of 2 where `x op s` is TRUE, 1 where it is NULL
// and 0 where FALSE. ANY is TRUE for 2, NULL for 1, FALSE for 0 or no row; ALL is FALSE for
// 0, NULL for 1, TRUE for 2 or no row.
ExprPtr SqlBinder::TranslateDependentQuantified(const sql::InExpr& in, const ExprPtr& x,
                                                const BindScope& scope) {
  using Op = sql::BinaryOp;
  const bool is_in = !in.quantified;
  const char* op = is_in ? "=" : sql::BinaryOpToString(in.op);
  const bool all = !is_in && in.all;
  switch (is_in ? Op::kEqual : in.op) {
    case Op::kEqual:
    case Op::kNotEqual:
    case Op::kLess:
    case Op::kLessEqual:
    case Op::kGreater:
    case Op::kGreaterEqual:
      break;
    default:
      ThrowBind(in, fmt::format("ANY and ALL need a comparison, not {}", op));
  }
  SubqueryParameters parameters;
  parameters.outer = &scope;
  const ExprPtr operand = AddParameter(parameters, x);
  LogicalPlanPtr plan = BindDependentQuery(*in.subquery, scope, parameters);
  if (plan->schema.size() != 1) {
    ThrowBind(in, fmt::format("Subquery returns {} columns - expected 1", plan->schema.size()));
  }
  const ExprPtr s = BoundColumnRef(plan->schema, 0);
  const ExprPtr holds = Call(op, {operand, s});
  const ExprPtr code = Case({holds, Lit(Value::Integer(2)), IsNull(holds), Lit(Value::Integer(1)),
                             Lit(Value::Integer(0))});
  plan = At(in, [&] {
    return MakeAggregate(plan, {}, {Alias(Aggregate(all ? "min" : "max", {code}), "#quantified")});
  });
  const ExprPtr m = DependentValue(SubqueryKind::kScalar, std::move(plan), parameters, in);
  const ExprPtr null_bool = Lit(Value::Null(TypeId::kBoolean));
  ExprPtr result = all ? Case({Call("=", {m, Lit(Value::Integer(0))}), Lit(Value::Boolean(false)),
                               Call("=", {m, Lit(Value::Integer(1))}), null_bool,
                               Lit(Value::Boolean(true))})
                       : Case({Call("=", {m, Lit(Value::Integer(2))}), Lit(Value::Boolean(true)),
                               Call("=", {m, Lit(Value::Integer(1))}), null_bool,
                               Lit(Value::Boolean(false))});
  return in.negated ? Not(result) : result;
}

}  // namespace sluice
