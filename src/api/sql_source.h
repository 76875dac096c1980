#pragma once

#include "api/sql_runner.h"
#include "sql/ast.h"

namespace sluice {

class SqlBinder;

// CREATE TABLE t (columns, WATERMARK FOR ts AS ts - INTERVAL ...) WITH ('connector' = ...):
// checks the options against the connector (an error points at the option with a caret)
// and stores the definition in the warehouse (Session::CreateSource). A batch query of t
// reads the records the stream holds now; `sluice stream run` reads them as they arrive.
StatementResult RunCreateSource(Session& session, SqlBinder& binder,
                                const sql::CreateTableStatement& statement);

}  // namespace sluice
