#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "binder/sql_binder.h"
#include "catalog/snapshot.h"
#include "plan/logical_plan.h"
#include "sql/ast.h"

namespace sluice {

class Session;
class TableStore;

// The pieces DELETE, UPDATE and MERGE build their write plans from (api/sql_dml.cpp,
// api/sql_merge.cpp). Each statement is one query: a scan of the target's files that may
// hold changed rows (copy on write), the changes as a projection computing every target
// column plus the BOOLEAN columns #keep and #hit, and a change write (MakeChangeWrite) that
// streams the kept rows into new files and commits once every task has succeeded.
namespace dml {

// What a statement is planned with. With `explain`, planning runs nothing (EXPLAIN): the
// subqueries of its expressions stay in the plan, and the steps that would run a query
// before the write (a count that finds nothing to change, the source's key range, the
// duplicate-match checks) are left out.
struct Context {
  Session& session;
  SqlBinder& binder;
  bool explain = false;
};

// A statement's write: the change write plan into table `table`. A null plan when the
// statement changes nothing (found without writing).
struct WritePlan {
  LogicalPlanPtr plan;
  std::string table;
};

// The row id column of the target's rows in a join-based write (io/row_id_source.h).
inline constexpr const char* kTargetRowId = "#tid";

// The table a statement writes: its catalog name and its columns qualified by the alias.
struct Target {
  std::string name;
  Schema schema;  // unqualified
  std::string qualifier;
  BoundRelation relation;
  std::shared_ptr<TableStore> store;
  Session* session = nullptr;  // binds the table's constraints for the write
};

Target BindTarget(Context& ctx, const sql::QualifiedName& table, const std::string& alias);

// An expression of the statement with its subqueries run now and replaced by their values
// (kept as subqueries when explaining): the statement judges data files by it.
ExprPtr Translate(Context& ctx, const sql::Expr& e, const BindScope& scope);

// The data files of the target that hold every row satisfying `predicate` (unbound, over
// the target relation; null: every row), judged by their statistics: a statement that
// changes only such rows rewrites those files and keeps the others (copy on write).
TableRewrite PlanTargetRewrite(const Target& target, const ExprPtr& predicate);

// Every row of the files `rewrite` replaces, as the target relation (same qualifiers),
// followed by a BIGINT row id kTargetRowId (hidden from unqualified names) when `with_ids`.
LogicalPlanPtr RewrittenRows(const Target& target, const TableRewrite& rewrite, bool with_ids);

// `rows` filtered by `filter` (null: all); unfiltered when the filter does not bind over
// them (a key range whose comparison does not bind as the equality did: mixed types).
LogicalPlanPtr FilteredRows(const LogicalPlanPtr& rows, const ExprPtr& filter);

// `source` as the input of a join with the target: one whose rows may be large against the
// memory budget is hinted to a shuffled hash join, which spills (the planner's estimate of a
// stored table is its compressed size, and a broadcast table cannot spill); a small one is
// left to the planner, which broadcasts it so that the target streams in file order.
LogicalPlanPtr JoinSource(Context& ctx, const LogicalPlanPtr& source);

// A scope over `schema` without a plan; names starting with '#' are hidden.
BoundRelation ScopeOf(const Schema& schema);

// Target columns as expressions of the target relation.
std::vector<ExprPtr> TargetColumns(const Target& target);

// SET clauses as one value per target column (null where not set).
std::vector<ExprPtr> BindSet(Context& ctx, const Target& target,
                             const std::vector<sql::SetClause>& set, const BindScope& scope);

// One way a row may change: when `condition` holds (null: always) the row takes `values`
// (one per target column; null: its default), is written unless `remove`, and counts as
// affected when `hit`. The first change whose condition holds applies.
struct RowChange {
  ExprPtr condition;
  bool remove = false;
  bool hit = true;
  std::vector<ExprPtr> values;
};

// `rows` projected to the target's columns, #keep and #hit by `changes`; a row no change
// applies to takes `defaults` (one per target column), is kept and is not hit.
LogicalPlanPtr ApplyChanges(SqlBinder& binder, const sql::AstNode& at, const Target& target,
                            const LogicalPlanPtr& rows, const std::vector<RowChange>& changes,
                            const std::vector<ExprPtr>& defaults);

// The change write of `changes` (ApplyChanges' columns) into the target: the files of
// `rewrite` are replaced by the rows kept (without one, the rows are appended); its count is
// the rows hit. `statement` names the write in EXPLAIN ("DELETE FROM t"). With `check_keys`
// (changes that may set a key), the rows written are checked against the table's PRIMARY
// KEY and UNIQUE keys.
WritePlan WriteChanges(const Target& target, const LogicalPlanPtr& changes,
                       std::optional<TableRewrite> rewrite, const std::string& statement,
                       bool check_keys = true);

// MERGE INTO (api/sql_merge.cpp).
WritePlan PlanMerge(Context& ctx, const sql::MergeStatement& m);

// The pieces of MERGE that INSERT ... ON CONFLICT (api/sql_upsert.cpp) shares.
// A BOOLEAN TRUE column after the source's columns: NULL in the rows of an outer join that
// no source row matched.
inline constexpr const char* kSourceMark = "#sm";
// `source` with kSourceMark appended.
LogicalPlanPtr MarkedSource(const LogicalPlanPtr& source);
// The target's columns, qualified, and its row id (RewrittenRows with ids).
Schema TargetWithId(const Target& target);
Schema Concat(const Schema& a, const Schema& b);
// A MERGE's WHEN clauses as row changes, each limited to its class of joined rows: matched
// (row id and kSourceMark not null), not matched by target (row id null), not matched by
// source (kSourceMark null).
struct MergeClauses {
  std::vector<RowChange> changes;
  bool matched = false;    // WHEN MATCHED
  bool inserts = false;    // WHEN NOT MATCHED [BY TARGET]
  bool by_source = false;  // WHEN NOT MATCHED BY SOURCE
};
// The write of a MERGE of `source` (`marked`: MarkedSource of it, as JoinSource made it)
// into `target` on `condition` (over TargetWithId ++ marked; null: every pair), changing rows
// by `clauses`. With `check_matches`, a target row matched by two source rows or a source row
// matching two target rows is an error (checked first). `statement` names it in EXPLAIN.
WritePlan PlanMergeWrite(Context& ctx, const sql::AstNode& at, const Target& target,
                         const LogicalPlanPtr& source, const LogicalPlanPtr& marked,
                         const ExprPtr& condition, const MergeClauses& clauses,
                         bool check_matches, const std::string& statement);

// INSERT ... ON CONFLICT, INSERT OR IGNORE, INSERT OR REPLACE (api/sql_upsert.cpp): `rows`
// are the rows inserted as the target's columns (named as they are, defaults filled in);
// `given` the target columns the statement gave values for (the others took defaults).
WritePlan PlanUpsert(Context& ctx, const sql::InsertStatement& ins, const LogicalPlanPtr& rows,
                     const std::vector<bool>& given);
// UPDATE t SET ... FROM s WHERE cond (api/sql_merge.cpp).
WritePlan UpdateFrom(Context& ctx, const sql::UpdateStatement& u, const Target& target);

}  // namespace dml
}  // namespace sluice
