#pragma once

#include "api/sql_runner.h"
#include "sql/ast.h"

namespace sluice {

class SqlBinder;

// Data-modifying statements on warehouse tables. Each computes the table's new rows with a
// query and then commits them as one new snapshot (copy on write), so a statement that
// fails leaves the table as it was. The result message is the number of rows affected.

// DELETE FROM t [WHERE c]: keeps the rows for which c is not true.
StatementResult RunDelete(Session& session, SqlBinder& binder,
                          const sql::DeleteStatement& statement);
// UPDATE t SET c = e, ... [FROM ...] [WHERE ...]. With FROM, a target row matched by several
// rows takes its values from the first match.
StatementResult RunUpdate(Session& session, SqlBinder& binder,
                          const sql::UpdateStatement& statement);
// MERGE INTO t USING s ON cond WHEN [NOT] MATCHED [BY SOURCE] [AND c] THEN ...: planned as a
// join of target and source; a source row matching several target rows, or a target row
// matched by several source rows, is an error naming the key.
StatementResult RunMerge(Session& session, SqlBinder& binder, const sql::MergeStatement& statement);

}  // namespace sluice
