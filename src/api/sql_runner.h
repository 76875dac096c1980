#pragma once

#include <string>
#include <vector>

#include "api/session.h"
#include "vector/batch.h"
#include "vector/schema.h"

namespace sluice {

// The outcome of one SQL statement: rows (SELECT, SHOW, DESCRIBE, EXPLAIN) or a message
// (CREATE, SET, ...).
struct StatementResult {
  bool has_rows = false;
  Schema schema;
  std::vector<Batch> batches;
  std::string message;  // e.g. "CREATE TABLE" or rows affected
  // The rows are one VARCHAR value meant to be read as it is (EXPLAIN's plan): a table view
  // prints it without a box, which would clip its lines.
  bool is_text = false;
};

// A result of `rows` (each as many values as `schema` has fields, of its types).
StatementResult MakeRowsResult(Schema schema, const std::vector<std::vector<Value>>& rows);

// Parses, binds and runs every statement of `sql` in order against the session's catalog
// and settings. Errors are UserErrors whose message shows the SQL line:column and a caret.
// Stops at the first failing statement (earlier statements keep their effect).
std::vector<StatementResult> RunSqlScript(Session& session, const std::string& sql);

// Parses and binds one query into a lazy DataFrame (Session::Sql).
class DataFrame;
DataFrame SqlQuery(Session& session, const std::string& sql);

}  // namespace sluice
