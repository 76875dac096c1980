#include <fmt/format.h>

#include "api/dataframe.h"
#include "api/dml_plan.h"
#include "api/table_constraints.h"
#include "api/session.h"
#include "api/sql_dml.h"
#include "api/sql_merge_filter.h"
#include "common/strings.h"

namespace sluice {

namespace {

using dml::Concat;
using dml::kSourceMark;
using dml::MergeClauses;
using dml::TargetWithId;

}  // namespace

namespace dml {

LogicalPlanPtr MarkedSource(const LogicalPlanPtr& source) {
  const Schema& schema = source->schema;
  std::vector<ExprPtr> exprs;
  for (size_t i = 0; i < schema.size(); i++) {
    exprs.push_back(BoundColumnRef(schema, static_cast<int>(i)));
  }
  exprs.push_back(Alias(Lit(Value::Boolean(true)), kSourceMark));
  return MakeProject(source, exprs);
}

Schema TargetWithId(const Target& target) {
  Schema schema = target.relation.schema;
  schema.Add(Field{kTargetRowId, LogicalType(TypeId::kBigInt), false, target.qualifier});
  return schema;
}

Schema Concat(const Schema& a, const Schema& b) {
  Schema out = a;
  for (const auto& f : b.fields()) out.Add(f);
  return out;
}

}  // namespace dml

namespace {

// Target rows joined with source rows on `condition` (null: every pair matches).
LogicalPlanPtr JoinRows(const LogicalPlanPtr& target, const LogicalPlanPtr& source,
                        JoinKind kind, const ExprPtr& condition) {
  if (condition == nullptr && kind == JoinKind::kInner) {
    return MakeJoin(target, source, JoinKind::kCross, nullptr);
  }
  return MakeJoin(target, source, kind,
                  condition != nullptr ? condition : Lit(Value::Boolean(true)));
}

// The source columns (indices into `source`) that `condition` mentions: what an error about
// a duplicate match shows of the row.
std::vector<int> KeyColumns(const Schema& source, const ExprPtr& condition) {
  std::vector<const Expr*> refs;
  if (condition) sql_bind::CollectColumnRefs(*condition, refs);
  std::vector<int> keys;
  for (size_t i = 0; i < source.size(); i++) {
    const Field& f = source.field(i);
    if (!f.name.empty() && f.name[0] == '#') continue;
    for (const Expr* r : refs) {
      if (EqualsIgnoreCase(r->name, f.name) &&
          (r->qualifier.empty() || EqualsIgnoreCase(r->qualifier, f.qualifier))) {
        keys.push_back(static_cast<int>(i));
        break;
      }
    }
  }
  return keys;
}

// "(id=1, k='x')": the key columns of `source` with their values in `row`, where key k is
// column columns[k].
std::string KeyText(const Schema& source, const std::vector<int>& keys, const Batch& row,
                    const std::vector<size_t>& columns) {
  std::vector<std::string> parts;
  for (size_t k = 0; k < keys.size(); k++) {
    const Field& f = source.field(static_cast<size_t>(keys[k]));
    const Value v = row.column(columns[k])->GetValue(0);
    const bool quote = !v.is_null() && f.type.id() == TypeId::kVarchar;
    parts.push_back(fmt::format("{}={}", f.name, quote ? "'" + v.ToString() + "'" : v.ToString()));
  }
  return "(" + Join(parts, ", ") + ")";
}

// The first row of `plan`'s result, if any.
std::optional<Batch> FirstRow(Session& session, const LogicalPlanPtr& plan) {
  for (const auto& b : session.Execute(*MakeLimit(plan, 1, 0))) {
    if (b.num_rows() > 0) return b.Slice(0, 1);
  }
  return std::nullopt;
}

// MERGE's rule: each target row pairs with at most one source row and each source row with
// at most one target row, checked by two aggregates over the pairs (queries of their own,
// spilling as any). The first counts the pairs of each target row (by its row id); the
// second those of each value of the source columns the condition reads: source rows equal
// in them match the same target rows, so once no target row has two pairs, a group of two
// is one source row that pairs with two target rows. Throws InvalidInputError naming the key.
void CheckUniqueMatches(dml::Context& ctx, const sql::AstNode& at, const dml::Target& target,
                        const LogicalPlanPtr& target_rows, const LogicalPlanPtr& source,
                        const ExprPtr& condition) {
  if (ctx.explain) return;
  Session& session = ctx.session;
  const Schema& source_schema = source->schema;
  const std::vector<int> keys = KeyColumns(source_schema, condition);
  const LogicalPlanPtr pairs =
      ctx.binder.At(at, [&] { return JoinRows(target_rows, source, JoinKind::kInner, condition); });
  const ExprPtr several = Gt(Col("#n"), Lit(Value::BigInt(1)));
  std::vector<ExprPtr> per_target = {Alias(CountStar(), "#n")};
  for (int k : keys) {
    const Field& f = source_schema.field(static_cast<size_t>(k));
    per_target.push_back(Aggregate("any_value", {Col(f.name, f.qualifier)}));
  }
  if (auto row = FirstRow(session, MakeFilter(MakeAggregate(pairs, {Col(dml::kTargetRowId,
                                                                         target.qualifier)},
                                                            per_target),
                                              several))) {
    // Columns: row id, #n, then the keys.
    std::vector<size_t> columns;
    for (size_t k = 0; k < keys.size(); k++) columns.push_back(2 + k);
    throw InvalidInputError(fmt::format(
        "MERGE: duplicate key {} in source: {} source rows match the same target row",
        KeyText(source_schema, keys, *row, columns), row->column(1)->GetValue(0).GetInt()));
  }
  std::vector<ExprPtr> key_columns;
  std::vector<size_t> columns;  // of the keys in the result: they come first, then #n
  for (int k : keys) {
    const Field& f = source_schema.field(static_cast<size_t>(k));
    key_columns.push_back(Col(f.name, f.qualifier));
    columns.push_back(columns.size());
  }
  if (auto row = FirstRow(session, MakeFilter(MakeAggregate(pairs, key_columns,
                                                            {Alias(CountStar(), "#n")}),
                                              several))) {
    throw InvalidInputError(fmt::format(
        "MERGE: duplicate key {} in source: one source row matches {} target rows",
        KeyText(source_schema, keys, *row, columns),
        row->column(keys.size())->GetValue(0).GetInt()));
  }
}

// Binds the WHEN clauses of `m` as row changes, each limited to its class of joined rows.
MergeClauses BindClauses(dml::Context& ctx, const sql::MergeStatement& m,
                         const dml::Target& target, const Schema& target_schema,
                         const Schema& source_schema) {
  SqlBinder& binder = ctx.binder;
  BoundRelation pair_scope = dml::ScopeOf(Concat(target_schema, source_schema));
  BoundRelation target_scope = dml::ScopeOf(target_schema);
  BoundRelation source_scope = dml::ScopeOf(source_schema);
  // A source column of each target column's name, for UPDATE SET * and INSERT *.
  auto source_column = [&](const sql::AstNode& at, const Field& f) {
    for (const auto& s : source_schema.fields()) {
      if (s.name != kSourceMark && EqualsIgnoreCase(s.name, f.name)) {
        return Col(s.name, s.qualifier);
      }
    }
    binder.ThrowBind(at, fmt::format("MERGE: the source has no column \"{}\" for *", f.name));
  };
  const ExprPtr row_id = Col(dml::kTargetRowId, target.qualifier);
  const ExprPtr mark = Col(kSourceMark);
  MergeClauses out;
  for (const auto& action : m.actions) {
    const BoundRelation* rel = action.match == sql::MergeMatch::kMatched      ? &pair_scope
                               : action.match == sql::MergeMatch::kNotMatched ? &source_scope
                                                                              : &target_scope;
    const BindScope scope{rel, nullptr};
    ExprPtr row_class;
    switch (action.match) {
      case sql::MergeMatch::kMatched:
        row_class = And({IsNotNull(row_id), IsNotNull(mark)});
        out.matched = true;
        break;
      case sql::MergeMatch::kNotMatched:
        row_class = IsNull(row_id);
        out.inserts = true;
        break;
      case sql::MergeMatch::kNotMatchedBySource:
        row_class = IsNull(mark);
        out.by_source = true;
        break;
    }
    dml::RowChange c;
    c.condition = action.condition
                      ? And({row_class, dml::Translate(ctx, *action.condition, scope)})
                      : row_class;
    c.remove = action.type == sql::MergeActionType::kDelete;
    c.values.assign(target.schema.size(), nullptr);
    if (action.type != sql::MergeActionType::kDelete && action.star) {
      for (size_t i = 0; i < target.schema.size(); i++) {
        c.values[i] = source_column(action, target.schema.field(i));
      }
    } else if (action.type == sql::MergeActionType::kUpdate) {
      c.values = dml::BindSet(ctx, target, action.set, scope);
    } else if (action.type == sql::MergeActionType::kInsert) {
      std::vector<std::string> columns = action.insert_columns;
      if (columns.empty()) {
        for (const auto& f : target.schema.fields()) columns.push_back(f.name);
      }
      if (columns.size() != action.insert_values.size()) {
        binder.ThrowBind(action, fmt::format("MERGE: INSERT names {} columns but has {} values",
                                             columns.size(), action.insert_values.size()));
      }
      for (size_t k = 0; k < columns.size(); k++) {
        const int i = target.schema.Find(columns[k]);
        if (i < 0) {
          binder.ThrowBind(action, fmt::format("Table \"{}\" does not have a column with name \"{}\"",
                                               target.name, columns[k]));
        }
        // Columns an INSERT leaves out stay NULL: the target's columns in a source-only row.
        c.values[i] = dml::Translate(ctx, *action.insert_values[k], scope);
      }
      // ... unless they have a DEFAULT.
      const Snapshot table = target.store->Current();
      for (size_t i = 0; i < c.values.size() && i < table.schema.size(); i++) {
        if (c.values[i] == nullptr && !table.constraints.DefaultOf(i).empty()) {
          c.values[i] = binder.At(action, [&] { return DefaultValueOf(ctx.session, table, i); });
        }
      }
    }
    out.changes.push_back(std::move(c));
  }
  // A source row no WHEN NOT MATCHED clause takes is not written.
  dml::RowChange dropped;
  dropped.condition = IsNull(row_id);
  dropped.remove = true;
  dropped.hit = false;
  out.changes.push_back(std::move(dropped));
  return out;
}

}  // namespace

namespace dml {

WritePlan PlanMerge(Context& ctx, const sql::MergeStatement& m) {
  Target target = BindTarget(ctx, m.target->name, m.target->alias);
  const BoundRelation source = ctx.binder.BindRelation(*m.source);
  const LogicalPlanPtr marked = JoinSource(ctx, MarkedSource(source.plan));
  const Schema target_schema = TargetWithId(target);
  const MergeClauses clauses = BindClauses(ctx, m, target, target_schema, marked->schema);
  BoundRelation pair_scope = ScopeOf(Concat(target_schema, marked->schema));
  const ExprPtr condition =
      m.condition ? Translate(ctx, *m.condition, {&pair_scope, nullptr}) : nullptr;
  return PlanMergeWrite(ctx, m, target, source.plan, marked, condition, clauses,
                        /*check_matches=*/true, "MERGE INTO " + target.name);
}

WritePlan PlanMergeWrite(Context& ctx, const sql::AstNode& at, const Target& target,
                         const LogicalPlanPtr& source, const LogicalPlanPtr& marked,
                         const ExprPtr& condition, const MergeClauses& clauses,
                         bool check_matches, const std::string& statement) {
  SqlBinder& binder = ctx.binder;
  // Without WHEN NOT MATCHED BY SOURCE, target rows that can match no source row stay as they
  // are: only the files that may hold one are rewritten, and only such rows are checked.
  const ExprPtr narrow =
      clauses.by_source || ctx.explain
          ? nullptr
          : MergeTargetFilter(ctx.session, condition, target.qualifier, source);
  const TableRewrite rewrite = PlanTargetRewrite(target, narrow);
  const LogicalPlanPtr rows = RewrittenRows(target, rewrite, true);
  if (check_matches) {
    CheckUniqueMatches(ctx, at, target, FilteredRows(rows, narrow), marked, condition);
  }
  // Existing rows can change (WHEN MATCHED, WHEN NOT MATCHED BY SOURCE): the files that may
  // hold them are rewritten from all their rows, each joined with its source match if any
  // (a left join: a small source is broadcast and the target streams in file order, so the
  // new files keep the table's clustering). Unmatched source rows come from a second join,
  // of the source with the target rows that may match; with only WHEN NOT MATCHED they are
  // appended and the table's files are kept.
  const bool rewrite_files = clauses.matched || clauses.by_source;
  LogicalPlanPtr changes;
  auto add = [&](const LogicalPlanPtr& joined) {
    LogicalPlanPtr changed =
        ApplyChanges(binder, at, target, joined, clauses.changes, TargetColumns(target));
    changes = changes ? MakeUnion(changes, changed) : changed;
  };
  binder.At(at, [&] {
    if (rewrite_files) add(JoinRows(rows, marked, JoinKind::kLeft, condition));
    if (clauses.inserts || !rewrite_files) {
      add(MakeFilter(
          JoinRows(FilteredRows(rows, narrow), marked, JoinKind::kRight, condition),
          IsNull(Col(kTargetRowId, target.qualifier))));
    }
  });
  return WriteChanges(target, changes,
                      rewrite_files ? std::optional<TableRewrite>(rewrite) : std::nullopt,
                      statement);
}

WritePlan UpdateFrom(Context& ctx, const sql::UpdateStatement& u, const Target& target) {
  SqlBinder& binder = ctx.binder;
  // A MERGE with one WHEN MATCHED THEN UPDATE where a target row matched by several source
  // rows takes the values of one of them.
  BoundRelation source = binder.BindRelation(*u.from);
  source.plan = JoinSource(ctx, source.plan);
  BoundRelation pair_scope = ScopeOf(Concat(TargetWithId(target), source.plan->schema));
  const BindScope scope{&pair_scope, nullptr};
  const ExprPtr condition = u.where ? Translate(ctx, *u.where, scope) : nullptr;
  RowChange update;
  update.values = BindSet(ctx, target, u.set, scope);
  // Target rows that pair with no source row stay as they are: only the files that may
  // hold a pairing row are read and rewritten.
  const ExprPtr narrow = ctx.explain ? nullptr
                                     : MergeTargetFilter(ctx.session, condition,
                                                         target.qualifier, source.plan);
  const TableRewrite rewrite = PlanTargetRewrite(target, narrow);
  const LogicalPlanPtr rows = RewrittenRows(target, rewrite, true);
  LogicalPlanPtr first, unmatched;
  binder.At(u, [&] {
    WindowSpec per_target;
    per_target.partition_by = {Col(kTargetRowId, target.qualifier)};
    const LogicalPlanPtr pairs =
        JoinRows(FilteredRows(rows, narrow), source.plan, JoinKind::kInner, condition);
    first = MakeFilter(
        MakeWindow(pairs, {Alias(WindowCall("row_number", {}, per_target), "#rn")}),
        Eq(Col("#rn"), Lit(Value::BigInt(1))));
    unmatched = JoinRows(rows, source.plan, JoinKind::kAnti, condition);
  });
  const LogicalPlanPtr changes =
      MakeUnion(ApplyChanges(binder, u, target, first, {update}, TargetColumns(target)),
                ApplyChanges(binder, u, target, unmatched, {}, TargetColumns(target)));
  return WriteChanges(target, changes, rewrite, "UPDATE " + target.name);
}

}  // namespace dml

}  // namespace sluice
