#pragma once

#include <functional>

#include "api/sql_runner.h"
#include "sql/ast_statement.h"

namespace sluice {

class Session;

// How a statement changes a --db warehouse's catalog, which decides how the ranks of a
// cluster (docs/scale-out.md) run it.
enum class CatalogChange {
  kNone,   // reads, SETs, temporary objects, COPY TO: every rank runs it as it is
  kDdl,    // CREATE/DROP/ALTER of the warehouse's objects: rank 0 alone
  kWrite,  // a query that writes a table (CTAS, INSERT, COPY FROM, DML, CALL): every rank
};

// What `s` does to the warehouse of `session` (temporary objects do nothing to it).
CatalogChange CatalogChangeOf(const sql::Statement& s, Session& session);

// Runs one statement (`run`) of kind `change` on the session's cluster: a kDdl statement on
// rank 0 alone, without the cluster (a CREATE TABLE's empty write, an ALTER's rewrite run in
// that one process), while the other ranks wait for its outcome, then reload the catalog and
// return its message or throw its error (the same text). A kWrite statement runs on every
// rank (its write commits once); then the ranks meet and those other than 0 reload the
// catalog, so that the next statement sees the committed table everywhere. Without a
// cluster or a --db warehouse, or for kNone, `run` runs as it is.
StatementResult RunOnCluster(Session& session, CatalogChange change,
                             const std::function<StatementResult()>& run);

}  // namespace sluice
