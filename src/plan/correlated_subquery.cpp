#include "plan/correlated_subquery.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/error.h"
#include "expr/binder.h"
#include "vector/value_rows.h"

namespace sluice {

namespace {

bool IsDependent(const Expr& e) { return e.kind == ExprKind::kSubquery && e.subquery->correlated(); }

bool HoldsDependent(const Expr& e) {
  if (IsDependent(e)) return true;
  return std::any_of(e.args.begin(), e.args.end(), [](const ExprPtr& a) { return HoldsDependent(*a); });
}

template <typename F>
void ForEachExpr(const LogicalPlan& node, F&& f) {
  if (node.predicate) f(node.predicate);
  for (const auto& e : node.exprs) f(e);
  for (const auto& e : node.aggregates) f(e);
  for (const auto& k : node.sort_keys) f(k.expr);
}

bool NodeHoldsDependent(const LogicalPlan& node) {
  bool found = false;
  ForEachExpr(node, [&](const ExprPtr& e) { found |= HoldsDependent(*e); });
  return found;
}

bool PlanHoldsDependent(const LogicalPlan& plan) {
  if (plan.lateral || NodeHoldsDependent(plan)) return true;
  if (plan.kind == LogicalKind::kCache && plan.cache->filled) return false;
  return std::any_of(plan.children.begin(), plan.children.end(),
                     [](const LogicalPlanPtr& c) { return PlanHoldsDependent(*c); });
}

// The dependent subquery expressions of `e`, each subquery once.
void CollectDependent(const ExprPtr& e, std::vector<ExprPtr>& out) {
  if (IsDependent(*e)) {
    for (const auto& a : e->args) {
      if (HoldsDependent(*a)) {
        throw NotImplementedError("a correlated subquery whose outer values hold another "
                                  "correlated subquery is not supported yet");
      }
    }
    const bool seen = std::any_of(out.begin(), out.end(), [&](const ExprPtr& o) {
      return o->subquery == e->subquery;
    });
    if (!seen) out.push_back(e);
    return;
  }
  for (const auto& a : e->args) CollectDependent(a, out);
}

ExprPtr ReplaceDependent(const ExprPtr& e, const SubqueryRef* ref, const ExprPtr& column) {
  if (e->kind == ExprKind::kSubquery && e->subquery.get() == ref) {
    auto c = std::make_shared<Expr>(*column);
    c->alias = e->alias;
    return c;
  }
  if (!HoldsDependent(*e)) return e;
  std::vector<ExprPtr> args;
  for (const auto& a : e->args) args.push_back(ReplaceDependent(a, ref, column));
  return WithArgs(*e, std::move(args));
}

std::vector<std::vector<Value>> OuterValueSets(const LogicalPlanPtr& input,
                                               const std::vector<ExprPtr>& outer,
                                               const std::string& label,
                                               const SubqueryRunner& run);

// The result of dependent subquery `e` for each distinct set of its outer values over
// `input`: columns #b0..#b<k-1> (the values) and #value.
LogicalPlanPtr DependentValues(const Expr& e, const LogicalPlanPtr& input,
                               const SubqueryRunner& run) {
  const SubqueryRef& ref = *e.subquery;
  Schema schema;
  for (size_t i = 0; i < e.args.size(); i++) {
    schema.Add(Field{fmt::format("#b{}", i), e.args[i]->type, true, ""});
  }
  schema.Add(Field{"#value", e.type, true, ""});
  std::vector<std::vector<Value>> rows =
      OuterValueSets(input, e.args, "subquery " + ref.label, run);
  for (auto& row : rows) {
    ParameterValues parameters;
    for (size_t i = 0; i < ref.parameters.size(); i++) parameters[ref.parameters[i].get()] = row[i];
    const LogicalPlanPtr plan = SubstituteParameters(ref.plan, parameters);
    row.push_back(ref.kind == SubqueryKind::kExists ? Value::Boolean(RunExists(run, *plan, ref))
                                                    : RunScalar(run, *plan, ref));
  }
  return MakeValues(schema, BatchesFromRows(schema, rows));
}

// Conditions over input ++ values matching each outer value with its #b column (the first
// ones of `values`), NULL equal to NULL.
std::vector<ExprPtr> MatchValues(const LogicalPlanPtr& input, const LogicalPlanPtr& values,
                                 const std::vector<ExprPtr>& outer) {
  Schema combined = input->schema;
  for (const auto& f : values->schema.fields()) combined.Add(f);
  const int width = static_cast<int>(input->schema.size());
  std::vector<ExprPtr> on;
  for (size_t i = 0; i < outer.size(); i++) {
    const ExprPtr inner = BoundColumnRef(combined, width + static_cast<int>(i));
    on.push_back(Call("=", {IsNull(outer[i]), IsNull(inner)}));
    // Non-NULL values compare as themselves; a NULL one as any value of its column (it is
    // told apart by the IS NULL key above).
    const auto& rows = *values->rows;
    Value sample;
    bool found = false;
    for (size_t b = 0; b < rows.size() && !found; b++) {
      for (size_t r = 0; r < rows[b].num_rows() && !found; r++) {
        Value v = rows[b].column(i)->GetValue(r);
        if (!v.is_null()) sample = std::move(v), found = true;
      }
    }
    if (found) on.push_back(Call("=", {Coalesce({outer[i], Lit(sample)}),
                                       Coalesce({inner, Lit(sample)})}));
  }
  return on;
}

// input LEFT JOIN values ON each outer value equals its #b column.
LogicalPlanPtr JoinValues(const LogicalPlanPtr& input, const LogicalPlanPtr& values,
                          const std::vector<ExprPtr>& outer) {
  std::vector<ExprPtr> on = MatchValues(input, values, outer);
  return MakeJoin(input, values, JoinKind::kLeft, on.size() == 1 ? on[0] : And(on));
}

// The distinct rows of `outer` (bound over `input`) as rows of Values.
std::vector<std::vector<Value>> OuterValueSets(const LogicalPlanPtr& input,
                                               const std::vector<ExprPtr>& outer,
                                               const std::string& label,
                                               const SubqueryRunner& run) {
  std::vector<ExprPtr> values;
  for (size_t i = 0; i < outer.size(); i++) values.push_back(Alias(outer[i], fmt::format("#b{}", i)));
  SubqueryRef title;
  title.kind = SubqueryKind::kParameter;
  title.label = "Outer value sets of " + label;
  return RowsFromBatches(run(*MakeDistinct(MakeProject(input, values)), title));
}

// A LATERAL join (its right child a lateral leaf), its left child already applied.
LogicalPlanPtr ApplyLateral(const std::shared_ptr<LogicalPlan>& join, const SubqueryRunner& run) {
  const LogicalPlanPtr left = join->children[0];
  const LateralSubquery& lateral = *join->children[1]->lateral;
  std::vector<ExprPtr> outer;
  for (const auto& v : lateral.values) outer.push_back(BindExpression(v, left->schema));
  Schema schema;
  for (size_t i = 0; i < outer.size(); i++) schema.Add(Field{fmt::format("#b{}", i), outer[i]->type, true, ""});
  for (const auto& f : join->children[1]->schema.fields()) schema.Add(f);
  std::vector<std::vector<Value>> rows;
  SubqueryRef title;
  title.kind = SubqueryKind::kParameter;
  bool first = true;
  for (const auto& set : OuterValueSets(left, outer, "a LATERAL subquery", run)) {
    ParameterValues parameters;
    for (size_t i = 0; i < lateral.parameters.size(); i++) parameters[lateral.parameters[i].get()] = set[i];
    title.label = first ? "LATERAL subquery, the first of its runs per left value set" : "";
    first = false;
    for (auto& row : RowsFromBatches(run(*SubstituteParameters(lateral.plan, parameters), title))) {
      std::vector<Value> full = set;
      full.insert(full.end(), row.begin(), row.end());
      rows.push_back(std::move(full));
    }
  }
  const LogicalPlanPtr values = MakeValues(schema, BatchesFromRows(schema, rows));
  std::vector<ExprPtr> on = MatchValues(left, values, outer);
  const int nleft = static_cast<int>(left->schema.size());
  const int k = static_cast<int>(outer.size());
  if (join->predicate) {
    on.push_back(RemapColumns(join->predicate, [&](int i) { return i < nleft ? i : i + k; }));
  }
  const JoinKind kind = join->join_kind == JoinKind::kCross ? JoinKind::kInner : join->join_kind;
  LogicalPlanPtr joined = MakeJoin(left, values, kind, on.size() == 1 ? on[0] : And(on));
  std::vector<ExprPtr> keep;
  for (int i = 0; i < static_cast<int>(joined->schema.size()); i++) {
    if (i < nleft || i >= nleft + k) keep.push_back(BoundColumnRef(joined->schema, i));
  }
  auto project = std::make_shared<LogicalPlan>(*MakeProject(joined, keep));
  project->schema = join->schema;
  return project;
}

// A node whose expressions hold dependent subqueries, its children already applied.
LogicalPlanPtr ApplyNode(std::shared_ptr<LogicalPlan> node, const SubqueryRunner& run) {
  if (node->kind == LogicalKind::kJoin) {
    if (node->join_kind != JoinKind::kInner && node->join_kind != JoinKind::kCross) {
      throw NotImplementedError("a correlated subquery in the condition of an outer, semi or "
                                "anti join is not supported yet");
    }
    // The conjuncts holding them filter the join's output instead.
    std::vector<ExprPtr> conjuncts, kept, moved;
    std::function<void(const ExprPtr&)> split = [&](const ExprPtr& e) {
      if (e->kind == ExprKind::kAnd) {
        for (const auto& a : e->args) split(a);
      } else {
        conjuncts.push_back(e);
      }
    };
    split(node->predicate);
    for (const auto& c : conjuncts) (HoldsDependent(*c) ? moved : kept).push_back(c);
    node->predicate = kept.empty() ? nullptr : kept.size() == 1 ? kept[0] : And(kept);
    if (kept.empty()) node->join_kind = JoinKind::kCross;
    auto filter = std::make_shared<LogicalPlan>(*MakeFilter(node, moved.size() == 1 ? moved[0] : And(moved)));
    return ApplyNode(filter, run);
  }
  switch (node->kind) {
    case LogicalKind::kFilter:
    case LogicalKind::kProject:
    case LogicalKind::kAggregate:
    case LogicalKind::kSort:
      break;
    default:
      throw NotImplementedError("a correlated subquery here is not supported yet");
  }
  std::vector<ExprPtr> dependent;
  ForEachExpr(*node, [&](const ExprPtr& e) { CollectDependent(e, dependent); });
  const Schema output = node->schema;
  for (const auto& e : dependent) {
    const LogicalPlanPtr input = node->children[0];
    const ExprPtr bound = BindExpression(e, input->schema);
    LogicalPlanPtr joined = JoinValues(input, DependentValues(*bound, input, run), bound->args);
    const ExprPtr column =
        BoundColumnRef(joined->schema, static_cast<int>(joined->schema.size()) - 1);
    const SubqueryRef* ref = e->subquery.get();
    if (node->predicate) node->predicate = ReplaceDependent(node->predicate, ref, column);
    for (auto& x : node->exprs) x = ReplaceDependent(x, ref, column);
    for (auto& x : node->aggregates) x = ReplaceDependent(x, ref, column);
    for (auto& k : node->sort_keys) k.expr = ReplaceDependent(k.expr, ref, column);
    node->children[0] = joined;
  }
  if (node->kind != LogicalKind::kFilter && node->kind != LogicalKind::kSort) return node;
  // They pass their input's columns through: keep only the original ones.
  node->schema = node->children[0]->schema;
  std::vector<ExprPtr> keep;
  for (size_t i = 0; i < output.size(); i++) keep.push_back(BoundColumnRef(node->schema, static_cast<int>(i)));
  auto project = std::make_shared<LogicalPlan>(*MakeProject(node, keep));
  project->schema = output;
  return project;
}

}  // namespace

LogicalPlanPtr ApplyCorrelatedSubqueries(const LogicalPlanPtr& plan, const SubqueryRunner& run) {
  if (!PlanHoldsDependent(*plan)) return plan;
  auto copy = std::make_shared<LogicalPlan>(*plan);
  if (!(plan->kind == LogicalKind::kCache && plan->cache->filled)) {
    for (auto& c : copy->children) c = ApplyCorrelatedSubqueries(c, run);
  }
  if (copy->kind == LogicalKind::kJoin && copy->children[1]->lateral) {
    LogicalPlanPtr joined = ApplyLateral(copy, run);
    if (!NodeHoldsDependent(*copy)) return joined;
    throw NotImplementedError("a correlated subquery in the condition of a LATERAL join is not "
                              "supported yet");
  }
  if (copy->lateral) return copy;  // applied by its join
  if (!NodeHoldsDependent(*copy)) return copy;
  return ApplyNode(std::move(copy), run);
}

LogicalPlanPtr MakeLateralLeaf(std::shared_ptr<const LateralSubquery> lateral) {
  auto node = std::make_shared<LogicalPlan>(*MakeValues(lateral->plan->schema, {}));
  node->lateral = std::move(lateral);
  return node;
}

LogicalPlanPtr SubstituteParameters(const LogicalPlanPtr& plan, const ParameterValues& values) {
  std::function<ExprPtr(const ExprPtr&)> substitute = [&](const ExprPtr& e) -> ExprPtr {
    const SubqueryRef& ref = *e->subquery;
    if (ref.kind == SubqueryKind::kParameter) {
      auto found = values.find(&ref);
      return found == values.end() ? e : LiteralFor(*e, found->second);
    }
    auto copy_ref = std::make_shared<SubqueryRef>(ref);
    copy_ref->plan = SubstituteParameters(ref.plan, values);
    auto copy = std::make_shared<Expr>(*e);
    copy->subquery = std::move(copy_ref);
    return copy;
  };
  return MapSubqueries(plan, substitute);
}

}  // namespace sluice
