// INSERT ... ON CONFLICT [(cols)] DO NOTHING | DO UPDATE SET ... [WHERE ...], INSERT OR
// IGNORE and INSERT OR REPLACE, as DuckDB runs them:
// - the conflict target is a PRIMARY KEY or UNIQUE key of the table (its columns in any
//   order); without one, DO NOTHING takes every key and DO UPDATE the table's only key;
// - of inserted rows repeating a conflict key among themselves the first is inserted, the
//   others conflict with it (ignored, as DuckDB does for DO UPDATE too);
// - a row whose key matches an existing row: DO NOTHING skips it; DO UPDATE changes that row
//   by its SET clauses where WHERE holds (unqualified names and the table's name or alias mean
//   the existing row, `excluded.` the row inserted); OR REPLACE sets every column the
//   statement gave a value for;
// - NULL in a key column never conflicts; the count is the rows inserted plus those updated.
// The write is one query, as MERGE's: DO NOTHING appends the inserted rows without a match
// (anti joins), DO UPDATE is a MERGE of them on the key. Conflicts on keys other than the
// target stay constraint errors.
#include <fmt/format.h>

#include <algorithm>

#include "api/dataframe.h"
#include "api/dml_plan.h"
#include "api/session.h"
#include "common/strings.h"

namespace sluice::dml {

namespace {

// How the rows inserted are named: DuckDB's and PostgreSQL's pseudo table.
constexpr const char* kExcluded = "excluded";

// The indices into `schema` of `columns`, sorted (for comparing key column sets).
std::vector<int> SortedIndices(const Schema& schema, const std::vector<std::string>& columns) {
  std::vector<int> out;
  for (const auto& c : columns) out.push_back(schema.Find(c));
  std::sort(out.begin(), out.end());
  return out;
}

// The keys whose conflicts the statement handles (column indices of the target), or a bind
// error as DuckDB words it.
std::vector<std::vector<int>> ConflictKeys(Context& ctx, const sql::InsertStatement& ins,
                                           const Target& target, const Snapshot& table) {
  std::vector<std::vector<int>> keys;
  for (const auto& key : table.constraints.keys) {
    std::vector<int> columns = SortedIndices(target.schema, key.columns);
    if (std::find(columns.begin(), columns.end(), -1) == columns.end()) keys.push_back(columns);
  }
  if (!ins.conflict_columns.empty()) {
    std::vector<int> wanted = SortedIndices(target.schema, ins.conflict_columns);
    for (size_t k = 0; k < wanted.size(); k++) {
      if (wanted[k] < 0) {
        ctx.binder.ThrowBind(ins, fmt::format("Table \"{}\" does not have a column with name \"{}\"",
                                              target.name, ins.conflict_columns[k]));
      }
    }
    for (const auto& key : keys) {
      if (key == wanted) return {key};
    }
    ctx.binder.ThrowBind(ins, "The specified columns as conflict target are not referenced by a "
                              "UNIQUE/PRIMARY KEY CONSTRAINT or INDEX");
  }
  if (keys.empty()) {
    ctx.binder.ThrowBind(ins, "There are no UNIQUE/PRIMARY KEY constraints that refer to this "
                              "table, specify ON CONFLICT columns manually");
  }
  if (keys.size() > 1 && ins.on_conflict != sql::InsertConflict::kNothing) {
    ctx.binder.ThrowBind(ins, "Conflict target has to be provided for a DO UPDATE operation when "
                              "the table has multiple UNIQUE/PRIMARY KEY constraints");
  }
  return keys;
}

// The conjunction of `left.k = right.k` over the key's columns.
ExprPtr KeyEquals(const Schema& schema, const std::vector<int>& key, const std::string& left,
                  const std::string& right) {
  std::vector<ExprPtr> equal;
  for (const int c : key) {
    const std::string& name = schema.field(static_cast<size_t>(c)).name;
    equal.push_back(Eq(Col(name, left), Col(name, right)));
  }
  return equal.size() == 1 ? equal[0] : And(equal);
}

// `rows` (columns qualified kExcluded) keeping, of rows equal in `key`, the first in the
// statement's order; rows with a NULL key column all stay (they conflict with nothing).
LogicalPlanPtr FirstPerKey(const LogicalPlanPtr& rows, const Schema& schema,
                           const std::vector<int>& key) {
  const Schema& in = rows->schema;
  LogicalPlanPtr numbered =
      MakeWindow(rows, {Alias(WindowCall("row_number", {}, WindowSpec{}), "#seq")});
  WindowSpec per_key;
  std::vector<ExprPtr> nulls;
  for (const int c : key) {
    const std::string& name = schema.field(static_cast<size_t>(c)).name;
    per_key.partition_by.push_back(Col(name, kExcluded));
    nulls.push_back(IsNull(Col(name, kExcluded)));
  }
  per_key.order_by.push_back(WindowOrder{Col("#seq"), true, false});
  LogicalPlanPtr ranked =
      MakeWindow(numbered, {Alias(WindowCall("row_number", {}, per_key), "#rank")});
  nulls.push_back(Eq(Col("#rank"), Lit(Value::BigInt(1))));
  LogicalPlanPtr first = MakeFilter(ranked, nulls.size() == 1 ? nulls[0] : Or(nulls));
  std::vector<ExprPtr> columns;
  for (size_t i = 0; i < in.size(); i++) columns.push_back(BoundColumnRef(in, static_cast<int>(i)));
  return MakeProject(first, columns);
}

// The inserted row's columns as values of a change.
std::vector<ExprPtr> ExcludedColumns(const Target& target) {
  std::vector<ExprPtr> out;
  for (const auto& f : target.schema.fields()) out.push_back(Col(f.name, kExcluded));
  return out;
}

}  // namespace

WritePlan PlanUpsert(Context& ctx, const sql::InsertStatement& ins, const LogicalPlanPtr& rows,
                     const std::vector<bool>& given) {
  SqlBinder& binder = ctx.binder;
  const Target target = BindTarget(ctx, ins.table, ins.alias);
  const Snapshot table = target.store->Current();
  const std::vector<std::vector<int>> keys = ConflictKeys(ctx, ins, target, table);
  const std::string statement = "INSERT INTO " + target.name;
  LogicalPlanPtr source;
  binder.At(ins, [&] {
    source = sql_bind::WithFields(rows, [](Field& f, size_t) { f.qualifier = kExcluded; });
    for (const auto& key : keys) source = FirstPerKey(source, target.schema, key);
  });

  if (ins.on_conflict == sql::InsertConflict::kNothing) {
    // The rows inserted that match no existing row on any key, appended.
    binder.At(ins, [&] {
      for (const auto& key : keys) {
        source = MakeJoin(source, target.relation.plan, JoinKind::kAnti,
                          KeyEquals(target.schema, key, kExcluded, target.qualifier));
      }
    });
    RowChange insert;
    insert.values = ExcludedColumns(target);
    const LogicalPlanPtr changes =
        ApplyChanges(binder, ins, target, source, {insert}, ExcludedColumns(target));
    return WriteChanges(target, changes, std::nullopt, statement);
  }

  // DO UPDATE / OR REPLACE: a MERGE of the rows inserted on the one key.
  const LogicalPlanPtr marked = JoinSource(ctx, MarkedSource(source));
  const Schema target_schema = TargetWithId(target);
  BoundRelation pairs = ScopeOf(Concat(target_schema, marked->schema));
  // Unqualified names are the existing row's; `excluded.x` reaches the row inserted.
  for (size_t i = target_schema.size(); i < pairs.schema.size(); i++) pairs.hidden[i] = true;
  const BindScope scope{&pairs, nullptr};
  const ExprPtr row_id = Col(kTargetRowId, target.qualifier);
  MergeClauses clauses;
  clauses.matched = true;
  clauses.inserts = true;
  RowChange update;
  update.condition = And({IsNotNull(row_id), IsNotNull(Col(kSourceMark))});
  if (ins.on_conflict == sql::InsertConflict::kReplace) {
    update.values.assign(target.schema.size(), nullptr);
    for (size_t i = 0; i < target.schema.size(); i++) {
      if (given[i]) update.values[i] = Col(target.schema.field(i).name, kExcluded);
    }
  } else {
    update.values = BindSet(ctx, target, ins.conflict_set, scope);
    if (ins.conflict_where) {
      update.condition = And({update.condition, Translate(ctx, *ins.conflict_where, scope)});
    }
  }
  RowChange insert;
  insert.condition = IsNull(row_id);
  insert.values = ExcludedColumns(target);
  clauses.changes = {update, insert};
  const ExprPtr condition = KeyEquals(target.schema, keys[0], target.qualifier, kExcluded);
  return PlanMergeWrite(ctx, ins, target, source, marked, condition, clauses,
                        /*check_matches=*/false, statement);
}

}  // namespace sluice::dml
