#pragma once

#include "api/session.h"
#include "api/sql_runner.h"
#include "binder/sql_binder.h"
#include "sql/ast.h"

namespace sluice {

// Statements that describe the catalog and data rather than change them; each binds and runs
// through `binder` (errors carry the statement's position) and `session`.
// SHOW TABLES, SHOW <setting>.
StatementResult RunShow(Session& session, SqlBinder& binder, const sql::ShowStatement& s);
// DESCRIBE t | <query>, and SUMMARIZE t | <query> (DuckDB's columns; one pass over the data).
StatementResult RunDescribe(Session& session, SqlBinder& binder, const sql::DescribeStatement& d);
// PRAGMA table_info('t'), show_tables, version; other names are NotImplemented errors.
StatementResult RunPragma(Session& session, SqlBinder& binder, const sql::PragmaStatement& p);

}  // namespace sluice
