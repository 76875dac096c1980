#pragma once

#include <memory>
#include <string>

#include "catalog/snapshot.h"
#include "catalog/table_store.h"
#include "expr/expr.h"
#include "io/data_writer.h"
#include "sql/ast.h"

namespace sluice {

class Session;

// The constraints of CREATE TABLE's column list and table constraints: each column's
// DEFAULT and every CHECK, as SQL text (NOT NULL is the columns' nullability).
TableConstraints ConstraintsOf(const sql::CreateTableStatement& create);

// The CHECK `sql` (stored text of table `table`) bound over `schema`, as the BOOLEAN
// expression TRUE for the rows that break it. BindError when it no longer binds.
ExprPtr BindViolation(Session& session, const std::string& sql, const Schema& schema);

// `target`, a write into table `name` (whose current state is `table`), refusing rows that
// break the table's NOT NULL columns and CHECKs (ConstraintError from the writing task, so
// nothing commits); `target` itself when the table has none. Unless `keys` is kNone, also
// rows repeating a PRIMARY KEY or UNIQUE key among themselves or with a row of `existing`
// (the table's rows the write keeps: all of them for an INSERT, those of the files a rewrite
// keeps for UPDATE and MERGE; null: none).
enum class KeyCheck { kNone, kInsert, kRewrite };
std::shared_ptr<const DataTarget> WithConstraints(
    Session& session, const std::string& name, const Snapshot& table,
    std::shared_ptr<const DataTarget> target, KeyCheck keys = KeyCheck::kNone,
    std::shared_ptr<const DataSource> existing = nullptr);

// The value column `i` of `table` takes when an INSERT does not give one: its DEFAULT
// (bound now; it may call functions such as now()), else NULL; cast to the column's type.
ExprPtr DefaultValueOf(Session& session, const Snapshot& table, size_t i);
// DefaultValueOf, or NULL of `type` for a column `table` does not have (a store whose
// snapshot has no schema: an in-memory table).
ExprPtr DefaultValueOrNull(Session& session, const Snapshot& table, size_t i,
                           const LogicalType& type);

}  // namespace sluice
