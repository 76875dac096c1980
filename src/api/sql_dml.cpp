#include "api/sql_dml.h"

#include "api/dataframe.h"
#include "api/dml_plan.h"
#include "api/session.h"
#include "binder/sql_binder.h"

namespace sluice {

namespace {

// The rows of the target satisfying `where`, counted by a scan that the condition prunes
// (files and row groups skipped by their statistics). Most deletes and updates of an
// incremental run (delete+insert of new keys) change nothing: this finds that without
// reading or rewriting the table. Not run when explaining (taken as some rows).
int64_t CountWhere(dml::Context& ctx, const sql::AstNode& at, const dml::Target& target,
                   const ExprPtr& where) {
  if (ctx.explain) return 1;
  LogicalPlanPtr count = ctx.binder.At(at, [&] {
    return MakeAggregate(MakeFilter(target.relation.plan, where), {}, {CountStar()});
  });
  const std::vector<Batch> counted = ctx.session.Execute(*count);
  if (counted.empty() || counted[0].num_rows() == 0) return 0;
  return counted[0].column(0)->GetValue(0).GetInt();
}

dml::WritePlan PlanDelete(dml::Context& ctx, const sql::DeleteStatement& d) {
  dml::Target target = dml::BindTarget(ctx, d.table, d.alias);
  dml::RowChange remove;
  remove.remove = true;
  if (d.where) {
    remove.condition = dml::Translate(ctx, *d.where, {&target.relation, nullptr});
    if (CountWhere(ctx, d, target, remove.condition) == 0) return {nullptr, target.name};
  }
  const TableRewrite rewrite = dml::PlanTargetRewrite(target, remove.condition);
  LogicalPlanPtr changes =
      dml::ApplyChanges(ctx.binder, d, target, dml::RewrittenRows(target, rewrite, false),
                        {remove}, dml::TargetColumns(target));
  return dml::WriteChanges(target, changes, rewrite, "DELETE FROM " + target.name,
                           /*check_keys=*/false);
}

dml::WritePlan PlanUpdate(dml::Context& ctx, const sql::UpdateStatement& u) {
  dml::Target target = dml::BindTarget(ctx, u.table, u.alias);
  if (u.from) return dml::UpdateFrom(ctx, u, target);
  const BindScope scope{&target.relation, nullptr};
  dml::RowChange update;
  if (u.where) update.condition = dml::Translate(ctx, *u.where, scope);
  update.values = dml::BindSet(ctx, target, u.set, scope);
  // No row to change: the files are kept as they are, nothing is committed.
  if (update.condition && CountWhere(ctx, u, target, update.condition) == 0) {
    return {nullptr, target.name};
  }
  const TableRewrite rewrite = dml::PlanTargetRewrite(target, update.condition);
  LogicalPlanPtr changes =
      dml::ApplyChanges(ctx.binder, u, target, dml::RewrittenRows(target, rewrite, false),
                        {update}, dml::TargetColumns(target));
  return dml::WriteChanges(target, changes, rewrite, "UPDATE " + target.name);
}

dml::WritePlan PlanStatement(dml::Context& ctx, const sql::Statement& s) {
  switch (s.kind) {
    case sql::StatementKind::kDelete: return PlanDelete(ctx, s.As<sql::DeleteStatement>());
    case sql::StatementKind::kUpdate: return PlanUpdate(ctx, s.As<sql::UpdateStatement>());
    case sql::StatementKind::kMerge: return dml::PlanMerge(ctx, s.As<sql::MergeStatement>());
    default: break;
  }
  SLUICE_CHECK(false, "not a DELETE, UPDATE or MERGE");
  return {};
}

}  // namespace

bool IsDml(const sql::Statement& s) {
  return s.kind == sql::StatementKind::kDelete || s.kind == sql::StatementKind::kUpdate ||
         s.kind == sql::StatementKind::kMerge;
}

StatementResult RunDml(Session& session, SqlBinder& binder, const sql::Statement& statement) {
  dml::Context ctx{session, binder};
  const dml::WritePlan write = PlanStatement(ctx, statement);
  StatementResult result;
  result.message =
      std::to_string(write.plan ? session.RunWrite(*write.plan, write.table) : int64_t{0});
  return result;
}

LogicalPlanPtr PlanDml(Session& session, SqlBinder& binder, const sql::Statement& statement) {
  dml::Context ctx{session, binder, true};
  return PlanStatement(ctx, statement).plan;
}

}  // namespace sluice
