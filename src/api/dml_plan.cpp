#include "api/dml_plan.h"

#include <fmt/format.h>

#include "api/dataframe.h"
#include "api/session.h"
#include "api/table_constraints.h"
#include "catalog/table_target.h"
#include "catalog/warehouse.h"
#include "common/strings.h"
#include "io/row_id_source.h"
#include "optimizer/cardinality.h"
#include "optimizer/plan_rewrite.h"

namespace sluice::dml {

Target BindTarget(Context& ctx, const sql::QualifiedName& table, const std::string& alias) {
  Session& session = ctx.session;
  SqlBinder& binder = ctx.binder;
  Target t;
  t.name = Join(table.parts, ".");
  if (!session.IsTable(t.name)) {
    // Looked at again: a table dropped and recreated by another thread meanwhile is no view.
    if (session.HasTable(t.name) && !session.IsTable(t.name)) {
      binder.ThrowBind(table, fmt::format("\"{}\" is a view: only tables can be modified", t.name));
    }
    binder.ThrowBind(table, fmt::format("Table with name {} does not exist!{}", t.name,
                                        sql_bind::Suggest(t.name, session.TableNames())));
  }
  t.session = &session;
  t.store = session.FindStore(t.name);
  if (t.store == nullptr) {  // dropped by another thread since it was looked up
    binder.ThrowBind(table, fmt::format("Table with name {} does not exist!", t.name));
  }
  LogicalPlanPtr plan = session.Table(t.name).plan();
  t.schema = plan->schema;
  t.qualifier = alias.empty() ? table.parts.back() : alias;
  t.relation = sql_bind::MakeRelation(
      sql_bind::WithFields(plan, [&](Field& f, size_t) { f.qualifier = t.qualifier; }));
  return t;
}

ExprPtr Translate(Context& ctx, const sql::Expr& e, const BindScope& scope) {
  ExprPtr translated = ctx.binder.TranslateExpr(e, scope);
  return ctx.explain ? translated : ctx.session.ResolveSubqueries(translated);
}

TableRewrite PlanTargetRewrite(const Target& target, const ExprPtr& predicate) {
  std::vector<ExprPtr> conjuncts;
  if (predicate != nullptr) {
    const LogicalPlan& relation = *target.relation.plan;
    try {
      opt::SplitConjuncts(MakeFilter(target.relation.plan, predicate)->predicate, conjuncts);
    } catch (const UserError&) {
      conjuncts.clear();  // not a predicate over the target alone: every file may match
    }
    if (relation.kind == LogicalKind::kScan) {
      for (ExprPtr& c : conjuncts) {
        c = RemapColumns(c,
                         [&](int i) { return relation.scan_columns.at(static_cast<size_t>(i)); });
      }
    }
  }
  return target.store->PlanRewrite(conjuncts);
}

LogicalPlanPtr RewrittenRows(const Target& target, const TableRewrite& rewrite, bool with_ids) {
  std::shared_ptr<const DataSource> source = rewrite.source;
  if (with_ids) source = std::make_shared<RowIdSource>(std::move(source), kTargetRowId);
  return sql_bind::WithFields(MakeScan(source),
                              [&](Field& f, size_t) { f.qualifier = target.qualifier; });
}

LogicalPlanPtr FilteredRows(const LogicalPlanPtr& rows, const ExprPtr& filter) {
  if (filter == nullptr) return rows;
  try {
    return MakeFilter(rows, filter);
  } catch (const UserError&) {
    return rows;
  }
}

LogicalPlanPtr JoinSource(Context& ctx, const LogicalPlanPtr& source) {
  double row_bytes = 0;
  for (const auto& f : source->schema.fields()) {
    // A string's bytes live beside its view: count a short one.
    row_bytes += f.type.PhysicalSize() + (f.type.id() == TypeId::kVarchar ? 16 : 0);
  }
  const double bytes = opt::EstimateRows(*source) * row_bytes;
  if (bytes <= static_cast<double>(ctx.session.memory().limit()) / 16) return source;
  return WithJoinHint(source, "shuffle_hash");
}

BoundRelation ScopeOf(const Schema& schema) {
  BoundRelation rel;
  rel.schema = schema;
  for (const auto& f : schema.fields()) rel.hidden.push_back(!f.name.empty() && f.name[0] == '#');
  return rel;
}

std::vector<ExprPtr> TargetColumns(const Target& target) {
  std::vector<ExprPtr> out;
  for (const auto& f : target.schema.fields()) out.push_back(Col(f.name, target.qualifier));
  return out;
}

std::vector<ExprPtr> BindSet(Context& ctx, const Target& target,
                             const std::vector<sql::SetClause>& set, const BindScope& scope) {
  SqlBinder& binder = ctx.binder;
  std::vector<ExprPtr> values(target.schema.size());
  for (const auto& clause : set) {
    const int i = target.schema.Find(clause.target);
    if (i < 0) {
      binder.ThrowBind(
          clause, fmt::format("Referenced update column {} not found in table!", clause.target));
    }
    if (values[i]) {
      binder.ThrowBind(clause,
                       fmt::format("Multiple assignments to same column \"{}\"", clause.target));
    }
    if (clause.value->kind == sql::ExprKind::kDefault) {
      values[i] = DefaultValueOrNull(ctx.session, target.store->Current(), static_cast<size_t>(i),
                                     target.schema.field(static_cast<size_t>(i)).type);
      continue;
    }
    values[i] = Translate(ctx, *clause.value, scope);
  }
  return values;
}

LogicalPlanPtr ApplyChanges(SqlBinder& binder, const sql::AstNode& at, const Target& target,
                            const LogicalPlanPtr& rows, const std::vector<RowChange>& changes,
                            const std::vector<ExprPtr>& defaults) {
  auto condition = [](const RowChange& c) { return c.condition ? c.condition : Lit(Value::Boolean(true)); };
  // CASE WHEN c1 THEN x1 ... ELSE otherwise END, or `otherwise` when nothing changes.
  auto by_change = [&](const std::function<ExprPtr(const RowChange&)>& value,
                       const ExprPtr& otherwise) {
    if (changes.empty()) return otherwise;
    std::vector<ExprPtr> args;
    for (const auto& c : changes) {
      args.push_back(condition(c));
      args.push_back(value(c));
    }
    args.push_back(otherwise);
    return Case(std::move(args));
  };
  std::vector<ExprPtr> exprs;
  for (size_t i = 0; i < target.schema.size(); i++) {
    const Field& f = target.schema.field(i);
    ExprPtr value = by_change(
        [&](const RowChange& c) {
          return c.values.size() > i && c.values[i] ? CastTo(c.values[i], f.type) : defaults[i];
        },
        defaults[i]);
    exprs.push_back(Alias(CastTo(value, f.type), f.name));
  }
  exprs.push_back(Alias(by_change([](const RowChange& c) { return Lit(Value::Boolean(!c.remove)); },
                                  Lit(Value::Boolean(true))),
                        "#keep"));
  exprs.push_back(Alias(by_change([](const RowChange& c) { return Lit(Value::Boolean(c.hit)); },
                                  Lit(Value::Boolean(false))),
                        "#hit"));
  return binder.At(at, [&] { return MakeProject(rows, exprs); });
}

WritePlan WriteChanges(const Target& target, const LogicalPlanPtr& changes,
                       std::optional<TableRewrite> rewrite, const std::string& statement,
                       bool check_keys) {
  // The rows written must not repeat a key among themselves nor with the rows kept: the
  // files a rewrite keeps, or the whole table when the rows are appended.
  std::shared_ptr<const DataSource> kept;
  if (check_keys) kept = !rewrite ? target.store->Source() : rewrite->whole ? nullptr : rewrite->kept;
  const KeyCheck keys = !check_keys ? KeyCheck::kNone
                        : rewrite   ? KeyCheck::kRewrite
                                    : KeyCheck::kInsert;
  auto sink = WithConstraints(
      *target.session, target.name, target.store->Current(),
      std::make_shared<RewriteTarget>(target.store, std::move(rewrite), statement),
      keys, std::move(kept));
  return WritePlan{MakeChangeWrite(changes, std::move(sink)), target.name};
}

}  // namespace sluice::dml
