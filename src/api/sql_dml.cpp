#include "api/sql_dml.h"

#include <fmt/format.h>

#include <unordered_map>
#include <unordered_set>

#include "api/dataframe.h"
#include "api/session.h"
#include "api/sql_merge_filter.h"
#include "binder/sql_binder.h"
#include "catalog/warehouse.h"
#include "common/strings.h"
#include "optimizer/plan_rewrite.h"

namespace sluice {

namespace {

// Columns appended to the target and source rows of a join-based write: their row numbers.
constexpr const char* kTargetRowId = "#tid";
constexpr const char* kSourceRowId = "#sid";

StatementResult AffectedRows(int64_t n) {
  StatementResult r;
  r.message = std::to_string(n);
  return r;
}

// An expression of the statement with its subqueries run now and replaced by their values:
// the statement judges data files by it before it runs any plan.
ExprPtr Translate(Session& session, SqlBinder& binder, const sql::Expr& e, const BindScope& scope) {
  return session.ResolveSubqueries(binder.TranslateExpr(e, scope));
}

// The table a statement writes: its catalog name and its columns qualified by the alias.
struct Target {
  std::string name;
  Schema schema;  // unqualified
  std::string qualifier;
  BoundRelation relation;
};

Target BindTarget(Session& session, SqlBinder& binder, const sql::QualifiedName& table,
                  const std::string& alias) {
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
  LogicalPlanPtr plan = session.Table(t.name).plan();
  t.schema = plan->schema;
  t.qualifier = alias.empty() ? table.parts.back() : alias;
  t.relation = sql_bind::MakeRelation(
      sql_bind::WithFields(plan, [&](Field& f, size_t) { f.qualifier = t.qualifier; }));
  return t;
}

// The data files of the target that hold every row satisfying `predicate` (unbound, over
// the target relation; null: every row), judged by their statistics: a statement that
// changes only such rows rewrites those files and keeps the others (copy on write).
TableRewrite PlanTargetRewrite(Session& session, SqlBinder& binder, const Target& target,
                               const ExprPtr& predicate) {
  std::shared_ptr<TableStore> store = session.warehouse().FindTable(ParseCatalogName(target.name));
  if (store == nullptr) {  // dropped by another thread since the target was bound
    throw BindError(fmt::format("Table with name {} does not exist!", target.name));
  }
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
  return store->PlanRewrite(conjuncts);
}

// Every row of the files `rewrite` replaces, as the target relation (same qualifiers).
LogicalPlanPtr RewrittenRows(const Target& target, const TableRewrite& rewrite) {
  return sql_bind::WithFields(MakeScan(rewrite.source),
                              [&](Field& f, size_t) { f.qualifier = target.qualifier; });
}

// A scope over `schema` without a plan (the expressions are bound by the Make* calls).
BoundRelation ScopeOf(const Schema& schema) {
  BoundRelation rel;
  rel.schema = schema;
  rel.hidden.assign(schema.size(), false);
  return rel;
}

bool FlagAt(const Column& c, size_t row) {
  if (c.IsNull(row)) return false;
  if (c.is_constant()) return c.GetValue(0).GetBool();
  return c.data<uint8_t>()[row] != 0;
}

int64_t CountTrue(const std::vector<Batch>& batches, size_t column) {
  int64_t n = 0;
  for (const auto& b : batches) {
    for (size_t r = 0; r < b.num_rows(); r++) n += FlagAt(*b.column(column), r) ? 1 : 0;
  }
  return n;
}

// The rows of `batches` whose column `flag` is true, keeping only the first `width` columns.
std::vector<Batch> RowsWhere(const std::vector<Batch>& batches, size_t flag, size_t width) {
  std::vector<int> columns(width);
  for (size_t i = 0; i < width; i++) columns[i] = static_cast<int>(i);
  std::vector<Batch> out;
  std::vector<uint32_t> sel;
  for (const auto& b : batches) {
    sel.clear();
    for (size_t r = 0; r < b.num_rows(); r++) {
      if (FlagAt(*b.column(flag), r)) sel.push_back(static_cast<uint32_t>(r));
    }
    if (sel.empty()) continue;
    Batch projected = b.Project(columns);
    out.push_back(sel.size() == b.num_rows() ? projected
                                             : projected.Gather(sel.data(), sel.size()));
  }
  return out;
}

// `batches` with a BIGINT column of row numbers 0, 1, ... appended.
std::vector<Batch> WithRowNumbers(std::vector<Batch> batches) {
  int64_t next = 0;
  for (auto& b : batches) {
    auto ids = Column::Make(LogicalType(TypeId::kBigInt), b.num_rows());
    int64_t* data = ids->data<int64_t>();
    for (size_t r = 0; r < b.num_rows(); r++) data[r] = next++;
    ids->set_size(b.num_rows());
    b.mutable_columns().push_back(std::move(ids));
  }
  return batches;
}

int64_t RowIdAt(const Batch& b, size_t column, size_t row) {
  return b.column(column)->data<int64_t>()[row];
}

// The rows of `batches` whose row number (column `id`) is not in `matched`.
std::vector<Batch> Unmatched(const std::vector<Batch>& batches, size_t id,
                             const std::unordered_set<int64_t>& matched) {
  std::vector<Batch> out;
  std::vector<uint32_t> sel;
  for (const auto& b : batches) {
    sel.clear();
    for (size_t r = 0; r < b.num_rows(); r++) {
      if (!matched.count(RowIdAt(b, id, r))) sel.push_back(static_cast<uint32_t>(r));
    }
    if (!sel.empty()) out.push_back(b.Gather(sel.data(), sel.size()));
  }
  return out;
}

Schema WithIdField(Schema schema, const char* name) {
  schema.Add(Field{name, LogicalType(TypeId::kBigInt), false, ""});
  return schema;
}

Schema Concat(const Schema& a, const Schema& b) {
  Schema out = a;
  for (const auto& f : b.fields()) out.Add(f);
  return out;
}

// One WHEN clause made ready to evaluate: the condition (null: always) and, per target
// column, its new value (null: unchanged for UPDATE, NULL for INSERT).
struct BoundClause {
  ExprPtr condition;
  sql::MergeActionType type = sql::MergeActionType::kUpdate;
  std::vector<ExprPtr> values;
};

// Applies the first clause whose condition holds to each row of `rows` (of `schema`):
// returns the rows to keep, as target columns; adds the rows a clause applied to to
// `*affected`. `defaults` are the values when no clause applies (the row's own columns, or
// NULL); such rows are kept when `keep_by_default`.
std::vector<Batch> ApplyClauses(Session& session, SqlBinder& binder, const sql::AstNode& at,
                                const Target& target, const Schema& schema, std::vector<Batch> rows,
                                const std::vector<BoundClause>& clauses,
                                const std::vector<ExprPtr>& defaults, bool keep_by_default,
                                int64_t* affected) {
  if (rows.empty()) return {};
  std::vector<ExprPtr> exprs;
  for (size_t i = 0; i < target.schema.size(); i++) {
    const Field& f = target.schema.field(i);
    std::vector<ExprPtr> args;
    for (const auto& c : clauses) {
      args.push_back(c.condition ? c.condition : Lit(Value::Boolean(true)));
      args.push_back(c.values[i] ? CastTo(c.values[i], f.type) : defaults[i]);
    }
    args.push_back(defaults[i]);
    exprs.push_back(Alias(CastTo(args.size() == 1 ? args[0] : Case(args), f.type), f.name));
  }
  std::vector<ExprPtr> keep = {}, hit = {};
  for (const auto& c : clauses) {
    ExprPtr cond = c.condition ? c.condition : Lit(Value::Boolean(true));
    keep.push_back(cond);
    keep.push_back(Lit(Value::Boolean(c.type != sql::MergeActionType::kDelete)));
    hit.push_back(cond);
    hit.push_back(Lit(Value::Boolean(true)));
  }
  keep.push_back(Lit(Value::Boolean(keep_by_default)));
  hit.push_back(Lit(Value::Boolean(false)));
  exprs.push_back(Alias(keep.size() == 1 ? keep[0] : Case(keep), "#keep"));
  exprs.push_back(Alias(hit.size() == 1 ? hit[0] : Case(hit), "#hit"));
  LogicalPlanPtr plan =
      binder.At(at, [&] { return MakeProject(MakeValues(schema, std::move(rows)), exprs); });
  std::vector<Batch> result = session.Execute(*plan);
  const size_t width = target.schema.size();
  *affected += CountTrue(result, width + 1);
  return RowsWhere(result, width, width);
}

// Target columns as expressions of the target relation.
std::vector<ExprPtr> TargetColumns(const Target& target) {
  std::vector<ExprPtr> out;
  for (const auto& f : target.schema.fields()) out.push_back(Col(f.name, target.qualifier));
  return out;
}

// SET clauses as one value per target column (null where not set).
std::vector<ExprPtr> BindSet(Session& session, SqlBinder& binder, const Target& target,
                             const std::vector<sql::SetClause>& set, const BindScope& scope) {
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
    values[i] = Translate(session, binder, *clause.value, scope);
  }
  return values;
}

// Target and source rows numbered, and the pairs that the condition matches.
struct JoinedRows {
  Schema target_schema;  // target columns (qualified) + #tid
  Schema source_schema;  // source columns (qualified) + #sid
  std::vector<Batch> target;
  std::vector<Batch> source;
  std::vector<Batch> pairs;  // target ++ source rows
  ExprPtr condition;         // null: every pair matches
};

// Joins `target_rows` (a plan over the target relation: all its rows or those a filter
// keeps) with `source_rows` (numbered, see WithRowNumbers) on `condition`.
JoinedRows JoinRows(Session& session, SqlBinder& binder, const Target& target,
                    const LogicalPlanPtr& target_rows, const BoundRelation& source,
                    std::vector<Batch> source_rows, const sql::Expr* condition) {
  JoinedRows j;
  j.target_schema = WithIdField(target.relation.schema, kTargetRowId);
  j.source_schema = WithIdField(source.schema, kSourceRowId);
  j.target = WithRowNumbers(session.Execute(*target_rows));
  j.source = std::move(source_rows);
  LogicalPlanPtr left = MakeValues(j.target_schema, j.target);
  LogicalPlanPtr right = MakeValues(j.source_schema, j.source);
  LogicalPlanPtr joined;
  if (condition != nullptr) {
    BoundRelation scope = ScopeOf(Concat(j.target_schema, j.source_schema));
    j.condition = Translate(session, binder, *condition, BindScope{&scope, nullptr});
    joined =
        binder.At(*condition, [&] { return MakeJoin(left, right, JoinKind::kInner, j.condition); });
  } else {
    joined = MakeJoin(left, right, JoinKind::kCross, nullptr);
  }
  j.pairs = session.Execute(*joined);
  return j;
}

// The target rows that may pair with a source row (numbered, see WithRowNumbers) under
// `condition` (the ON of a MERGE, the WHERE of UPDATE ... FROM): the filter of
// MergeTargetFilter, or null when nothing narrows them.
ExprPtr TargetFilter(Session& session, SqlBinder& binder, const Target& target,
                     const BoundRelation& source, const std::vector<Batch>& source_rows,
                     const sql::Expr* condition) {
  if (condition == nullptr) return nullptr;
  const Schema source_schema = WithIdField(source.schema, kSourceRowId);
  BoundRelation scope =
      ScopeOf(Concat(WithIdField(target.relation.schema, kTargetRowId), source_schema));
  const ExprPtr bound = Translate(session, binder, *condition, BindScope{&scope, nullptr});
  return MergeTargetFilter(session, bound, target.qualifier, source_schema, source_rows);
}

// `rows` filtered by `filter` (null: all); unfiltered when the filter does not bind over
// them (a key range whose comparison does not bind as the equality did: mixed types).
LogicalPlanPtr FilteredRows(const LogicalPlanPtr& rows, const ExprPtr& filter) {
  if (filter == nullptr) return rows;
  try {
    return MakeFilter(rows, filter);
  } catch (const UserError&) {
    return rows;
  }
}

// "(id=1, k='x')": the source columns that the ON condition mentions, in the pair `row`.
std::string KeyText(const JoinedRows& j, const Batch& pair, size_t row) {
  std::vector<const Expr*> refs;
  if (j.condition) sql_bind::CollectColumnRefs(*j.condition, refs);
  const size_t offset = j.target_schema.size();
  std::vector<std::string> parts;
  for (size_t i = 0; i + 1 < j.source_schema.size(); i++) {
    const Field& f = j.source_schema.field(i);
    bool mentioned = false;
    for (const Expr* r : refs) {
      if (ToLower(r->name) == ToLower(f.name) &&
          (r->qualifier.empty() || ToLower(r->qualifier) == ToLower(f.qualifier))) {
        mentioned = true;
      }
    }
    if (!mentioned) continue;
    const Value v = pair.column(offset + i)->GetValue(row);
    const bool quote = !v.is_null() && f.type.id() == TypeId::kVarchar;
    parts.push_back(fmt::format("{}={}", f.name, quote ? "'" + v.ToString() + "'" : v.ToString()));
  }
  return "(" + Join(parts, ", ") + ")";
}

// Checks that every target row and every source row appears in at most one pair. With
// `first_wins` (UPDATE ... FROM) later pairs of a target row are dropped instead.
void CheckUniqueMatches(const JoinedRows& j, bool first_wins, std::vector<Batch>* pairs,
                        std::unordered_set<int64_t>* matched_targets,
                        std::unordered_set<int64_t>* matched_sources) {
  const size_t tid = j.target_schema.size() - 1;
  const size_t sid = j.target_schema.size() + j.source_schema.size() - 1;
  std::unordered_map<int64_t, int64_t> per_target, per_source;
  for (const auto& b : *pairs) {
    for (size_t r = 0; r < b.num_rows(); r++) {
      per_target[RowIdAt(b, tid, r)]++;
      per_source[RowIdAt(b, sid, r)]++;
    }
  }
  std::vector<Batch> kept;
  std::vector<uint32_t> sel;
  for (const auto& b : *pairs) {
    sel.clear();
    for (size_t r = 0; r < b.num_rows(); r++) {
      const int64_t t = RowIdAt(b, tid, r);
      if (!first_wins) {
        if (per_target[t] > 1) {
          throw InvalidInputError(fmt::format(
              "MERGE: duplicate key {} in source: {} source rows match the same target row",
              KeyText(j, b, r), per_target[t]));
        }
        const int64_t s = RowIdAt(b, sid, r);
        if (per_source[s] > 1) {
          throw InvalidInputError(fmt::format(
              "MERGE: duplicate key {} in source: one source row matches {} target rows",
              KeyText(j, b, r), per_source[s]));
        }
      }
      if (matched_targets->insert(t).second) sel.push_back(static_cast<uint32_t>(r));
      matched_sources->insert(RowIdAt(b, sid, r));
    }
    if (!sel.empty()) kept.push_back(b.Gather(sel.data(), sel.size()));
  }
  *pairs = std::move(kept);
}

}  // namespace

StatementResult RunDelete(Session& session, SqlBinder& binder, const sql::DeleteStatement& d) {
  Target target = BindTarget(session, binder, d.table, d.alias);
  ExprPtr hit = Lit(Value::Boolean(true));
  ExprPtr where;
  if (d.where) {
    const BindScope scope{&target.relation, nullptr};
    where = Translate(session, binder, *d.where, scope);
    // Most deletes of an incremental run (delete+insert of new keys) remove nothing: a count
    // over the scan the condition prunes finds that without reading or rewriting the table.
    LogicalPlanPtr count = binder.At(d, [&] {
      return MakeAggregate(MakeFilter(target.relation.plan, where), {}, {CountStar()});
    });
    const std::vector<Batch> counted = session.Execute(*count);
    if (counted.empty() || counted[0].num_rows() == 0 ||
        counted[0].column(0)->GetValue(0).GetInt() == 0) {
      return AffectedRows(0);
    }
    hit = Coalesce({where, Lit(Value::Boolean(false))});
  }
  const TableRewrite rewrite = PlanTargetRewrite(session, binder, target, where);
  std::vector<ExprPtr> exprs = TargetColumns(target);
  exprs.push_back(Alias(Not(hit), "#keep"));
  LogicalPlanPtr plan =
      binder.At(d, [&] { return MakeProject(RewrittenRows(target, rewrite), exprs); });
  std::vector<Batch> rows = session.Execute(*plan);
  const size_t width = target.schema.size();
  int64_t total = 0;
  for (const auto& b : rows) total += static_cast<int64_t>(b.num_rows());
  std::vector<Batch> kept = RowsWhere(rows, width, width);
  int64_t remaining = 0;
  for (const auto& b : kept) remaining += static_cast<int64_t>(b.num_rows());
  if (total == remaining) return AffectedRows(0);
  session.ReplaceRows(target.name, kept, &rewrite);
  return AffectedRows(total - remaining);
}

StatementResult RunUpdate(Session& session, SqlBinder& binder, const sql::UpdateStatement& u) {
  Target target = BindTarget(session, binder, u.table, u.alias);
  if (u.from) {
    // UPDATE ... FROM is a MERGE with one WHEN MATCHED THEN UPDATE where the first match wins.
    BoundRelation source = binder.BindRelation(*u.from);
    std::vector<Batch> source_rows = WithRowNumbers(session.Execute(*source.plan));
    // Target rows that pair with no source row stay as they are: only the files that may
    // hold a pairing row are read and rewritten.
    const ExprPtr narrow =
        TargetFilter(session, binder, target, source, source_rows, u.where.get());
    const TableRewrite rewrite = PlanTargetRewrite(session, binder, target, narrow);
    JoinedRows j = JoinRows(session, binder, target, RewrittenRows(target, rewrite), source,
                            std::move(source_rows), u.where.get());
    std::unordered_set<int64_t> matched_targets, matched_sources;
    std::vector<Batch> pairs = std::move(j.pairs);
    CheckUniqueMatches(j, true, &pairs, &matched_targets, &matched_sources);
    const Schema pair_schema = Concat(j.target_schema, j.source_schema);
    BoundRelation scope = ScopeOf(pair_schema);
    BoundClause update;
    update.values = BindSet(session, binder, target, u.set, BindScope{&scope, nullptr});
    int64_t affected = 0;
    std::vector<Batch> rows =
        ApplyClauses(session, binder, u, target, pair_schema, std::move(pairs), {update},
                     TargetColumns(target), true, &affected);
    for (auto& b : Unmatched(j.target, j.target_schema.size() - 1, matched_targets)) {
      std::vector<int> columns(target.schema.size());
      for (size_t i = 0; i < columns.size(); i++) columns[i] = static_cast<int>(i);
      rows.push_back(b.Project(columns));
    }
    if (affected > 0) session.ReplaceRows(target.name, rows, &rewrite);
    return AffectedRows(affected);
  }
  const BindScope scope{&target.relation, nullptr};
  BoundClause update;
  const ExprPtr where = u.where ? Translate(session, binder, *u.where, scope) : nullptr;
  if (where) update.condition = Coalesce({where, Lit(Value::Boolean(false))});
  update.values = BindSet(session, binder, target, u.set, scope);
  int64_t affected = 0;
  const TableRewrite rewrite = PlanTargetRewrite(session, binder, target, where);
  std::vector<Batch> current = session.Execute(*RewrittenRows(target, rewrite));
  std::vector<Batch> rows =
      ApplyClauses(session, binder, u, target, target.relation.schema, std::move(current), {update},
                   TargetColumns(target), true, &affected);
  // No row changed: the files are kept as they are, nothing is committed.
  if (affected > 0) session.ReplaceRows(target.name, rows, &rewrite);
  return AffectedRows(affected);
}

StatementResult RunMerge(Session& session, SqlBinder& binder, const sql::MergeStatement& m) {
  Target target = BindTarget(session, binder, m.target->name, m.target->alias);
  BoundRelation source = binder.BindRelation(*m.source);
  std::vector<Batch> source_rows = WithRowNumbers(session.Execute(*source.plan));
  bool by_source_clauses = false;
  for (const auto& action : m.actions) {
    by_source_clauses |= action.match == sql::MergeMatch::kNotMatchedBySource;
  }
  // Without WHEN NOT MATCHED BY SOURCE, target rows that can match no source row stay as they
  // are: read only those that may match (row groups pruned by statistics), and rewrite only
  // the data files that may hold them.
  ExprPtr narrow;
  if (!by_source_clauses) {
    narrow = TargetFilter(session, binder, target, source, source_rows, m.condition.get());
  }
  const TableRewrite rewrite = PlanTargetRewrite(session, binder, target, narrow);
  const LogicalPlanPtr rewritten = RewrittenRows(target, rewrite);
  LogicalPlanPtr target_rows = FilteredRows(rewritten, narrow);
  JoinedRows j =
      JoinRows(session, binder, target, target_rows, source, source_rows, m.condition.get());
  std::unordered_set<int64_t> matched_targets, matched_sources;
  std::vector<Batch> pairs = std::move(j.pairs);
  CheckUniqueMatches(j, false, &pairs, &matched_targets, &matched_sources);

  const Schema pair_schema = Concat(j.target_schema, j.source_schema);
  BoundRelation pair_scope = ScopeOf(pair_schema);
  BoundRelation target_scope = ScopeOf(j.target_schema);
  BoundRelation source_scope = ScopeOf(j.source_schema);
  // A source column of each target column's name, for UPDATE SET * and INSERT *.
  auto source_column = [&](const sql::AstNode& at, const Field& f) {
    for (size_t i = 0; i + 1 < j.source_schema.size(); i++) {
      if (ToLower(j.source_schema.field(i).name) == ToLower(f.name)) {
        return Col(j.source_schema.field(i).name, j.source_schema.field(i).qualifier);
      }
    }
    binder.ThrowBind(at, fmt::format("MERGE: the source has no column \"{}\" for *", f.name));
  };

  std::vector<BoundClause> matched, not_matched, by_source;
  for (const auto& action : m.actions) {
    const BoundRelation* rel = action.match == sql::MergeMatch::kMatched      ? &pair_scope
                               : action.match == sql::MergeMatch::kNotMatched ? &source_scope
                                                                              : &target_scope;
    const BindScope scope{rel, nullptr};
    BoundClause c;
    c.type = action.type;
    if (action.condition) c.condition = Translate(session, binder, *action.condition, scope);
    c.values.assign(target.schema.size(), nullptr);
    if (action.type == sql::MergeActionType::kUpdate) {
      if (action.star) {
        for (size_t i = 0; i < target.schema.size(); i++) {
          c.values[i] = source_column(action, target.schema.field(i));
        }
      } else {
        c.values = BindSet(session, binder, target, action.set, scope);
      }
    } else if (action.type == sql::MergeActionType::kInsert) {
      if (action.star) {
        for (size_t i = 0; i < target.schema.size(); i++) {
          c.values[i] = source_column(action, target.schema.field(i));
        }
      } else {
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
            binder.ThrowBind(action,
                             fmt::format("Table \"{}\" does not have a column with name \"{}\"",
                                         target.name, columns[k]));
          }
          c.values[i] = Translate(session, binder, *action.insert_values[k], scope);
        }
      }
    }
    if (action.match == sql::MergeMatch::kMatched) matched.push_back(std::move(c));
    if (action.match == sql::MergeMatch::kNotMatched) not_matched.push_back(std::move(c));
    if (action.match == sql::MergeMatch::kNotMatchedBySource) by_source.push_back(std::move(c));
  }

  // When no existing row changes, the inserted rows are appended and the table's data files
  // are kept; otherwise the files that may hold changed rows are rewritten, from all their
  // rows, and the inserted rows join them in new files.
  const bool rewrite_files = by_source_clauses || (!matched.empty() && !pairs.empty());
  if (rewrite_files && target_rows != rewritten) {
    j = JoinRows(session, binder, target, rewritten, source, std::move(source_rows),
                 m.condition.get());
    pairs = std::move(j.pairs);
    matched_targets.clear();
    matched_sources.clear();
    CheckUniqueMatches(j, false, &pairs, &matched_targets, &matched_sources);
  }
  int64_t affected = 0;
  std::vector<Batch> rows;
  if (rewrite_files) {
    rows = ApplyClauses(session, binder, m, target, pair_schema, std::move(pairs), matched,
                        TargetColumns(target), true, &affected);
    const size_t tid = j.target_schema.size() - 1;
    for (auto& b : ApplyClauses(session, binder, m, target, j.target_schema,
                                Unmatched(j.target, tid, matched_targets), by_source,
                                TargetColumns(target), true, &affected)) {
      rows.push_back(std::move(b));
    }
  }
  std::vector<ExprPtr> nulls;
  for (const auto& f : target.schema.fields()) nulls.push_back(Lit(Value::Null(f.type)));
  if (!not_matched.empty()) {
    const size_t sid = j.source_schema.size() - 1;
    for (auto& b : ApplyClauses(session, binder, m, target, j.source_schema,
                                Unmatched(j.source, sid, matched_sources), not_matched, nulls,
                                false, &affected)) {
      rows.push_back(std::move(b));
    }
  }
  if (rewrite_files) {
    session.ReplaceRows(target.name, rows, &rewrite);
  } else if (!rows.empty()) {
    session.AppendRows(target.name, rows);
  }
  return AffectedRows(affected);
}

}  // namespace sluice
