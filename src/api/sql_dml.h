#pragma once

#include "api/sql_runner.h"
#include "plan/logical_plan.h"
#include "sql/ast.h"

namespace sluice {

class SqlBinder;

// Data-modifying statements on warehouse tables, each one query: a scan of the target's
// data files that may hold changed rows, the changed rows computed by a projection (and, for
// MERGE and UPDATE ... FROM, joins with the source), streamed into new files by a change
// write that commits one new snapshot once every task has succeeded (copy on write: files
// without a changed row are kept). A statement that fails leaves the table as it was.
//
// DELETE FROM t [WHERE c]: keeps the rows for which c is not true.
// UPDATE t SET c = e, ... [FROM ...] [WHERE ...]. With FROM, a target row matched by several
// rows takes its values from one of them.
// MERGE INTO t USING s ON cond WHEN [NOT] MATCHED [BY SOURCE] [AND c] THEN ...: a source row
// matching several target rows, or a target row matched by several source rows, is an error
// naming the key (checked before anything is written).

// DELETE, UPDATE or MERGE.
bool IsDml(const sql::Statement& statement);
// Runs the statement; the result message is the number of rows affected.
// REQUIRES: IsDml(statement).
StatementResult RunDml(Session& session, SqlBinder& binder, const sql::Statement& statement);
// The statement's write plan for EXPLAIN, planned without running anything (its subqueries
// stay in it, and the checks that run first are not shown). REQUIRES: IsDml(statement).
LogicalPlanPtr PlanDml(Session& session, SqlBinder& binder, const sql::Statement& statement);

}  // namespace sluice
