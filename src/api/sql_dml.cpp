#include "api/sql_dml.h"

#include "api/dataframe.h"
#include "api/dml_plan.h"
#include "api/session.h"
#include "binder/sql_binder.h"

namespace sluice {

namespace {

StatementResult AffectedRows(int64_t n) {
  StatementResult r;
  r.message = std::to_string(n);
  return r;
}

// The rows of the target satisfying `where`, counted by a scan that the condition prunes
// (files and row groups skipped by their statistics). Most deletes and updates of an
// incremental run (delete+insert of new keys) change nothing: this finds that without
// reading or rewriting the table.
int64_t CountWhere(Session& session, SqlBinder& binder, const sql::AstNode& at,
                   const dml::Target& target, const ExprPtr& where) {
  LogicalPlanPtr count = binder.At(at, [&] {
    return MakeAggregate(MakeFilter(target.relation.plan, where), {}, {CountStar()});
  });
  const std::vector<Batch> counted = session.Execute(*count);
  if (counted.empty() || counted[0].num_rows() == 0) return 0;
  return counted[0].column(0)->GetValue(0).GetInt();
}

}  // namespace

StatementResult RunDelete(Session& session, SqlBinder& binder, const sql::DeleteStatement& d) {
  dml::Target target = dml::BindTarget(session, binder, d.table, d.alias);
  dml::RowChange remove;
  remove.remove = true;
  if (d.where) {
    remove.condition = dml::Translate(session, binder, *d.where, {&target.relation, nullptr});
    if (CountWhere(session, binder, d, target, remove.condition) == 0) return AffectedRows(0);
  }
  const TableRewrite rewrite = dml::PlanTargetRewrite(target, remove.condition);
  LogicalPlanPtr changes =
      dml::ApplyChanges(binder, d, target, dml::RewrittenRows(target, rewrite, false), {remove},
                        dml::TargetColumns(target));
  return AffectedRows(
      dml::WriteChanges(session, target, changes, rewrite, "DELETE FROM " + target.name));
}

StatementResult RunUpdate(Session& session, SqlBinder& binder, const sql::UpdateStatement& u) {
  dml::Target target = dml::BindTarget(session, binder, u.table, u.alias);
  if (u.from) return AffectedRows(dml::UpdateFrom(session, binder, u, target));
  const BindScope scope{&target.relation, nullptr};
  dml::RowChange update;
  if (u.where) update.condition = dml::Translate(session, binder, *u.where, scope);
  update.values = dml::BindSet(session, binder, target, u.set, scope);
  // No row to change: the files are kept as they are, nothing is committed.
  if (update.condition && CountWhere(session, binder, u, target, update.condition) == 0) {
    return AffectedRows(0);
  }
  const TableRewrite rewrite = dml::PlanTargetRewrite(target, update.condition);
  LogicalPlanPtr changes =
      dml::ApplyChanges(binder, u, target, dml::RewrittenRows(target, rewrite, false), {update},
                        dml::TargetColumns(target));
  return AffectedRows(
      dml::WriteChanges(session, target, changes, rewrite, "UPDATE " + target.name));
}

}  // namespace sluice
