#pragma once

#include "api/sql_runner.h"
#include "sql/ast.h"

namespace sluice {

class SqlBinder;

// CALL procedure(args): runs a procedure of the registry (api/procedure_registry.h) and
// returns its result table. Errors in the arguments point at them; the procedure's own
// (a table or snapshot that does not exist) at the statement.
StatementResult RunCall(Session& session, SqlBinder& binder, const sql::CallStatement& call);

}  // namespace sluice
