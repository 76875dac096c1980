// Subqueries in WHERE as joins, and decorrelation. A correlated subquery is bound with its
// outer references resolved in the enclosing scope; the WHERE conjuncts of its SELECT that
// hold them are pulled out and become join conditions against the enclosing relation:
//   [NOT] EXISTS (q)        -> semi (anti) join on the correlation conjuncts
//   x [NOT] IN (q)          -> semi (anti) join on x = q.col plus the correlation
//   x > (SELECT agg(..) q)  -> q grouped by its correlation keys, left-joined, then filtered
// The inner side of each correlation conjunct is output by the subquery as "#corr<k>".
#include <fmt/format.h>

#include "binder/sql_binder.h"
#include "common/strings.h"
#include "sql/error_context.h"

namespace sluice {

namespace {

constexpr const char* kUnsupportedCorrelation =
    "correlated subqueries are not supported here yet: a reference to the enclosing query must "
    "be in a WHERE conjunct of the subquery's SELECT";

ExprPtr Conjunction(const std::vector<ExprPtr>& parts) {
  return parts.size() == 1 ? parts[0] : And(parts);
}

bool ContainsCount(const Expr& e) {
  if (e.kind == ExprKind::kAggregate && (e.name == "count" || e.name == "count_star")) return true;
  for (const auto& a : e.args) {
    if (ContainsCount(*a)) return true;
  }
  return false;
}

// Outer references of `correlation` that no pulled-out conjunct holds.
bool HasUnplacedReferences(const SubqueryCorrelation& correlation) {
  std::vector<const Expr*> placed;
  for (const auto& c : correlation.conjuncts) sql_bind::CollectColumnRefs(*c, placed);
  size_t found = 0;
  std::set<const Expr*> seen;
  for (const Expr* r : placed) {
    if (correlation.outer_refs.count(r) && seen.insert(r).second) found++;
  }
  return found != correlation.outer_refs.size();
}

}  // namespace

bool SqlBinder::IsSubqueryConjunct(const sql::Expr& e) {
  if (e.kind == sql::ExprKind::kIn) {
    // IN, and `= ANY` which is IN; other quantified comparisons are values (TranslateQuantified).
    const auto& in = e.As<sql::InExpr>();
    return in.subquery != nullptr && (!in.quantified || (in.op == sql::BinaryOp::kEqual && !in.all));
  }
  const sql::Expr* inner = &e;
  if (e.kind == sql::ExprKind::kUnary && e.As<sql::UnaryExpr>().op == sql::UnaryOp::kNot) {
    inner = e.As<sql::UnaryExpr>().operand.get();
  }
  return inner->kind == sql::ExprKind::kSubquery &&
         inner->As<sql::SubqueryExpr>().subquery_kind == sql::SubqueryKind::kExists;
}

SqlBinder::BoundSubquery SqlBinder::BindSubquery(const sql::QueryNode& query,
                                                 const BindScope& outer) {
  SubqueryCorrelation correlation;
  correlation.outer = &outer;
  if (query.kind == sql::QueryKind::kSelect) correlation.select = &query.As<sql::SelectNode>();
  correlation.qualifier = fmt::format("#sq{}", next_subquery_++);
  LogicalPlanPtr plan;
  try {
    sql_bind::ScopedValue<SubqueryCorrelation*> active(correlation_, &correlation);
    sql_bind::ScopedValue<std::vector<SubqueryJoin>*> no_joins(scalar_joins_, nullptr);
    plan = BindQuery(query, &outer);
  } catch (const BindError&) {
    // An outer reference left in the select list (say) fails to bind as an unknown column.
    if (HasUnplacedReferences(correlation)) ThrowNotImplemented(query, kUnsupportedCorrelation);
    throw;
  }
  if (HasUnplacedReferences(correlation)) ThrowNotImplemented(query, kUnsupportedCorrelation);
  BoundSubquery out;
  out.qualifier = correlation.qualifier;
  out.visible = plan->schema.size() - correlation.outputs;
  out.conditions = correlation.conditions;
  out.single_row = correlation.single_row;
  out.bare_count = correlation.bare_count;
  out.plan = sql_bind::WithFields(plan, [&](Field& f, size_t i) {
    f.name = i < out.visible ? fmt::format("#v{}", i) : fmt::format("#corr{}", i - out.visible);
    f.qualifier = correlation.qualifier;
  });
  return out;
}

std::vector<ExprPtr> SqlBinder::CorrelationOutputs(const sql::SelectNode& node,
                                                   const std::vector<ExprPtr>& select_exprs,
                                                   bool aggregate) {
  SubqueryCorrelation& c = *correlation_;
  c.single_row = aggregate && node.group_by.empty() && !node.having && !node.limit &&
                 !node.offset && !node.qualify;
  c.bare_count = select_exprs.size() == 1 && select_exprs[0]->kind == ExprKind::kAggregate &&
                 (select_exprs[0]->name == "count" || select_exprs[0]->name == "count_star");
  if (c.conjuncts.empty()) return {};
  if (!node.order_by.empty() || node.limit || node.offset) {
    ThrowNotImplemented(node, "ORDER BY, LIMIT and OFFSET in correlated subqueries are not "
                              "supported yet");
  }
  if (aggregate && !c.single_row) {
    ThrowNotImplemented(node, "correlated subqueries with GROUP BY or HAVING are not supported yet");
  }
  if (aggregate && !c.bare_count) {
    for (const auto& e : select_exprs) {
      if (ContainsCount(*e)) {
        ThrowNotImplemented(node, "count() inside an expression of a correlated subquery is not "
                                  "supported yet");
      }
    }
  }
  auto reads = [&](const Expr& e, bool& outer, bool& inner) {
    std::vector<const Expr*> refs;
    sql_bind::CollectColumnRefs(e, refs);
    outer = inner = false;
    for (const Expr* r : refs) (c.outer_refs.count(r) ? outer : inner) = true;
  };
  std::vector<ExprPtr> outputs;
  auto output_ref = [&](size_t k) { return Col(fmt::format("#corr{}", k), c.qualifier); };
  // Inner column (lower-case qualifier.name) -> its output index, for non-equality conjuncts.
  std::map<std::string, size_t> inner_columns;
  std::function<ExprPtr(const ExprPtr&)> replace_inner = [&](const ExprPtr& e) -> ExprPtr {
    if (e->kind == ExprKind::kColumnRef && !c.outer_refs.count(e.get())) {
      const std::string key = ToLower(e->qualifier) + "." + ToLower(e->name);
      auto it = inner_columns.find(key);
      if (it == inner_columns.end()) {
        it = inner_columns.emplace(key, outputs.size()).first;
        outputs.push_back(Col(e->name, e->qualifier));
      }
      return output_ref(it->second);
    }
    if (e->args.empty()) return e;
    std::vector<ExprPtr> args;
    for (const auto& a : e->args) args.push_back(replace_inner(a));
    return WithArgs(*e, std::move(args));
  };
  for (const auto& p : c.conjuncts) {
    if (p->kind == ExprKind::kCall && p->name == "=" && p->args.size() == 2) {
      bool a_outer, a_inner, b_outer, b_inner;
      reads(*p->args[0], a_outer, a_inner);
      reads(*p->args[1], b_outer, b_inner);
      int inner_side = -1;
      if (a_inner && !a_outer && b_outer && !b_inner) inner_side = 0;
      if (b_inner && !b_outer && a_outer && !a_inner) inner_side = 1;
      if (inner_side >= 0) {
        // inner = outer: the inner side is an output (a group key when aggregating).
        c.conditions.push_back(
            Call("=", {p->args[1 - inner_side], output_ref(outputs.size())}));
        outputs.push_back(p->args[inner_side]);
        continue;
      }
    }
    if (aggregate) {
      ThrowNotImplemented(node, "a correlated subquery with an aggregate needs its correlation as "
                                "equalities (inner = outer); others are not supported yet");
    }
    c.conditions.push_back(replace_inner(p));
  }
  c.outputs = outputs.size();
  return outputs;
}

BoundRelation SqlBinder::BindSubqueryConjunct(BoundRelation rel, const sql::Expr& conjunct,
                                              const BindScope& scope) {
  sql_bind::ScopedValue<std::vector<SubqueryJoin>*> no_joins(scalar_joins_, nullptr);
  const sql::Expr* e = &conjunct;
  bool negated = false;
  if (e->kind == sql::ExprKind::kUnary) {
    negated = true;
    e = e->As<sql::UnaryExpr>().operand.get();
  }
  auto join = [&](LogicalPlanPtr left, LogicalPlanPtr right, JoinKind kind, ExprPtr condition) {
    return At(conjunct, [&] { return MakeJoin(left, right, kind, condition); });
  };
  auto dependent = [&](ExprPtr predicate) {
    if (negated) predicate = Not(predicate);
    rel.plan = At(conjunct, [&] { return MakeFilter(rel.plan, predicate); });
    return rel;
  };
  if (e->kind == sql::ExprKind::kSubquery) {
    const sql::QueryNode& query = *e->As<sql::SubqueryExpr>().query;
    BoundSubquery sq;
    try {
      sq = BindSubquery(query, scope);
    } catch (const NotImplementedError&) {
      return dependent(TranslateDependentSubquery(query, SubqueryKind::kExists, scope, *e));
    }
    const JoinKind kind = negated ? JoinKind::kAnti : JoinKind::kSemi;
    if (sq.conditions.empty()) {
      // Uncorrelated: against at most one row of the subquery, whatever it holds.
      rel.plan = join(rel.plan, MakeLimit(sq.plan, 1, 0), kind, Lit(Value::Boolean(true)));
    } else {
      rel.plan = join(rel.plan, sq.plan, kind, Conjunction(sq.conditions));
    }
    return rel;
  }
  const auto& in = e->As<sql::InExpr>();
  ExprPtr x = TranslateExpr(*in.operand, scope);
  BoundSubquery sq;
  try {
    sq = BindSubquery(*in.subquery, scope);
  } catch (const NotImplementedError&) {
    negated = false;  // TranslateDependentQuantified applies NOT IN itself
    return dependent(TranslateDependentQuantified(in, x, scope));
  }
  if (sq.visible != 1) {
    ThrowBind(in, fmt::format("Subquery returns {} columns - expected 1", sq.visible));
  }
  const ExprPtr v = Col("#v0", sq.qualifier);
  const ExprPtr equal = Call("=", {x, v});
  if (!in.negated) {
    std::vector<ExprPtr> on{equal};
    on.insert(on.end(), sq.conditions.begin(), sq.conditions.end());
    rel.plan = join(rel.plan, sq.plan, JoinKind::kSemi, Conjunction(on));
    return rel;
  }
  // x NOT IN (q) is TRUE only when x <> v is TRUE for every row v of q: a row of q that equals
  // x, or a NULL on either side, removes the outer row.
  if (!sq.conditions.empty()) {
    std::vector<ExprPtr> on = sq.conditions;
    on.push_back(Or({equal, IsNull(x), IsNull(v)}));
    rel.plan = join(rel.plan, sq.plan, JoinKind::kAnti, Conjunction(on));
    return rel;
  }
  // Uncorrelated: a hash anti join on x = v, then one against q's row and non-NULL counts.
  LogicalPlanPtr plan = join(rel.plan, sq.plan, JoinKind::kAnti, equal);
  const std::string stats_qualifier = sq.qualifier + "_stats";
  LogicalPlanPtr stats = At(conjunct, [&] {
    return MakeAggregate(sq.plan, {},
                         {Alias(Aggregate("count_star", {}), "#rows"),
                          Alias(Aggregate("count", {v}), "#values")});
  });
  stats = sql_bind::WithFields(stats, [&](Field& f, size_t) { f.qualifier = stats_qualifier; });
  const ExprPtr rows = Col("#rows", stats_qualifier);
  const ExprPtr values = Col("#values", stats_qualifier);
  const ExprPtr removes = Or({Call(">", {rows, values}),
                              And({IsNull(x), Call(">", {rows, Lit(Value::BigInt(0))})})});
  rel.plan = join(plan, stats, JoinKind::kAnti, removes);
  return rel;
}

ExprPtr SqlBinder::PlanScalarSubquery(const sql::SubqueryExpr& s, const BindScope& scope) {
  std::vector<SubqueryJoin>* sink = scalar_joins_;
  BoundSubquery sq;
  try {
    sq = BindSubquery(*s.query, scope);
    if (!sq.conditions.empty() && !sq.single_row) {
      ThrowNotImplemented(s, "correlated scalar subqueries need an aggregate without GROUP BY");
    }
  } catch (const NotImplementedError&) {
    return TranslateDependentSubquery(*s.query, SubqueryKind::kScalar, scope, s);
  }
  if (sq.visible != 1) {
    ThrowBind(s, fmt::format("Subquery returns {} columns - expected 1", sq.visible));
  }
  const ExprPtr v = Col("#v0", sq.qualifier);
  if (!sq.conditions.empty()) {
    // One row per correlation key; outer rows without one get NULL (count: 0).
    sink->push_back({sq.plan, JoinKind::kLeft, Conjunction(sq.conditions)});
    return sq.bare_count ? Coalesce({v, Lit(Value::BigInt(0))}) : v;
  }
  // Uncorrelated: a kSubquery expression, run before the query and replaced by its value, so
  // that a filter such as `updated_at > (select max(updated_at) from t)` (dbt's
  // is_incremental() pattern) prunes row groups and files by their statistics, which a join
  // with the value could not.
  return SubqueryValue(SubqueryKind::kScalar, sq.plan, s);
}

BoundRelation SqlBinder::ApplySubqueryJoins(BoundRelation rel, const std::vector<SubqueryJoin>& joins,
                                            const std::vector<ExprPtr>& predicates,
                                            const sql::AstNode& at) {
  const size_t width = rel.schema.size();
  LogicalPlanPtr plan = rel.plan;
  for (const auto& j : joins) {
    plan = At(at, [&] { return MakeJoin(plan, j.plan, j.kind, j.condition); });
  }
  plan = At(at, [&] { return MakeFilter(plan, Conjunction(predicates)); });
  std::vector<int> indices;
  for (size_t i = 0; i < width; i++) indices.push_back(static_cast<int>(i));
  rel.plan = sql_bind::ProjectByIndex(plan, indices, rel.schema.fields());
  return rel;
}

}  // namespace sluice
