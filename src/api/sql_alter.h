#pragma once

#include "api/sql_runner.h"
#include "catalog/snapshot.h"
#include "sql/ast.h"

namespace sluice {

class SqlBinder;

// ALTER TABLE (DuckDB's forms). Changes that keep the rows as they are (RENAME COLUMN,
// SET/DROP DEFAULT, DROP NOT NULL, SET NOT NULL once no row is NULL) commit a new schema
// over the same data files (TableStore::ChangeSchema: each column keeps its Iceberg field
// id). ADD COLUMN, DROP COLUMN and ALTER TYPE rewrite every row into new files committed as
// one snapshot (copy on write: a column that keeps its name keeps its field id, a new one
// gets a fresh id); a value that does not convert fails the statement and the table stays as
// it was. RENAME TO copies the table under the new name, then drops the old one.
StatementResult RunAlterTable(Session& session, SqlBinder& binder,
                              const sql::AlterTableStatement& alter);

// ALTER TABLE ... CREATE/REPLACE/DROP TAG|BRANCH, SET/UNSET TBLPROPERTIES on the Iceberg
// table `store` (sql_alter_iceberg.cpp): a commit of the table's metadata alone. A tag or
// branch keeps its snapshot (and files) until dropped; properties named "sluice.*" are
// refused (they hold what Sluice needs to read the table).
class TableStore;
StatementResult RunAlterIceberg(SqlBinder& binder, const sql::AlterTableStatement& alter,
                                TableStore& store);

// The partition field a PARTITIONED BY item or an ALTER ... PARTITION FIELD names, resolved
// against `schema` (sql_alter_iceberg.cpp). Throws BindError at the item (line:col, caret)
// for a bucket or truncate count out of [1, 2^31-1], an unknown column or a transform that
// does not apply to the column's type.
PartitionColumn CheckedPartitionField(SqlBinder& binder,
                                      const sql::CreateTableStatement::PartitionItem& item,
                                      const Schema& schema);

}  // namespace sluice
