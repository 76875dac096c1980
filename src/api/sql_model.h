#pragma once

#include "api/sql_runner.h"
#include "sql/ast.h"

namespace sluice {

class SqlBinder;

// CREATE [OR REPLACE] MODEL name OPTIONS (...) AS query: runs the query, trains on its rows
// (ml/trainer.h) and stores the model as the next version of `name` in the session's model
// store, with the snapshot ids of the warehouse tables the query reads (lineage). Errors in
// the options or the training data point at the statement.
StatementResult RunCreateModel(Session& session, SqlBinder& binder,
                               const sql::CreateModelStatement& statement);

}  // namespace sluice
