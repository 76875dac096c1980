#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sql/ast_expr.h"
#include "sql/ast_query.h"

namespace sluice::sql {

enum class StatementKind : uint8_t {
  kSelect,
  kCreateTable,
  kCreateView,
  kCreateSchema,
  kDrop,
  kInsert,
  kDelete,
  kUpdate,
  kMerge,
  kSet,
  kReset,
  kShow,
  kDescribe,
  kExplain,
  kCopy,
  kCache,
  kUncache,
  kPragma,
  kAlterTable,
  kCall,
  kCreateModel,
};

// A top-level statement. As with Expr, `kind` names the concrete struct and As<T>() casts.
struct Statement : AstNode {
  explicit Statement(StatementKind k) : kind(k) {}
  virtual ~Statement() = default;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Canonical SQL (without the trailing ';') that re-parses to an equal tree.
  virtual std::string ToString() const = 0;

  template <typename T>
  const T& As() const {
    SLUICE_CHECK(kind == T::kKind, "statement kind {}", static_cast<int>(kind));
    return static_cast<const T&>(*this);
  }
  template <typename T>
  T& As() {
    SLUICE_CHECK(kind == T::kKind, "statement kind {}", static_cast<int>(kind));
    return static_cast<T&>(*this);
  }

  const StatementKind kind;
  // The statement exactly as written, without the separating ';'.
  std::string source_text;
};

using StatementPtr = std::unique_ptr<Statement>;

// `name value`, `name` or `name (v1, v2)` in COPY and EXPLAIN option lists. Bare words in
// values (FORMAT csv) are ColumnRefExprs; the binder reads them as words.
struct OptionItem : AstNode {
  std::string name;  // lowercased
  std::vector<ExprPtr> values;
  bool is_list = false;  // values came from a parenthesized list
  std::string ToString() const;
};

struct SelectStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kSelect;
  SelectStatement() : Statement(kKind) {}
  std::string ToString() const override;
  QueryPtr query;
};

struct ColumnDefinition : AstNode {
  std::string name;
  TypeName type;
  bool not_null = false;
  bool primary_key = false;
  bool unique = false;
  ExprPtr default_value;  // optional
  ExprPtr check;          // CHECK (expr), optional
  std::string ToString() const;
};

// CREATE TABLE with exactly one of a column list or AS query.
struct CreateTableStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kCreateTable;
  CreateTableStatement() : Statement(kKind) {}
  std::string ToString() const override;
  QualifiedName name;
  bool or_replace = false;
  bool temporary = false;
  bool if_not_exists = false;
  std::vector<ColumnDefinition> columns;
  std::vector<ExprPtr> checks;  // table constraints CHECK (expr)
  std::vector<std::string> primary_key;         // table constraint PRIMARY KEY (a, b)
  std::vector<std::vector<std::string>> uniques;  // table constraints UNIQUE (a, b)
  QueryPtr as_query;
  // CLUSTERED BY (k, ...) INTO n BUCKETS: hash-bucketed storage; cluster_by is empty without
  // it. n is not range-checked here: binding refuses a count out of range, naming the table.
  std::vector<std::string> cluster_by;
  int64_t num_buckets = 0;
  // PARTITIONED BY (col | identity(col) | bucket(N, col) | truncate(W, col) | year(col) |
  // month(col) | day(col) | hour(col), ...): Iceberg hidden partitioning. `transform` is the
  // canonical singular name (years -> year); `param` is N or W (not range-checked here).
  struct PartitionItem : AstNode {
    std::string transform;
    int64_t param = 0;
    std::string source;  // the column
    std::string ToString() const;
  };
  std::vector<PartitionItem> partition_by;
  // Connector DDL (parser_connector.cpp): WATERMARK FOR column AS expr among the columns,
  // and WITH ('key' = 'value', ...) after them (a table over a stream).
  struct TableOption : AstNode {
    std::string key;  // lower case
    std::string value;
  };
  std::string watermark_column;  // empty without WATERMARK
  ExprPtr watermark;
  std::vector<TableOption> with_options;
};

struct CreateViewStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kCreateView;
  CreateViewStatement() : Statement(kKind) {}
  std::string ToString() const override;
  QualifiedName name;
  bool or_replace = false;
  bool temporary = false;
  bool if_not_exists = false;
  std::vector<std::string> column_aliases;
  QueryPtr query;  // null for a LAMBDA view
  // CREATE LAMBDA VIEW name AS BATCH t_batch SPEED t_speed ON ts: a Lambda serving view
  // (docs/streaming.md) instead of `query`.
  bool lambda = false;
  QualifiedName batch;
  QualifiedName speed;
  std::string time_column;
};

// CREATE [OR REPLACE] MODEL [IF NOT EXISTS] name OPTIONS (key = value, ...) AS query
// (BigQuery ML's shape). Option values are constant expressions (strings, numbers, booleans,
// lists such as ['label']).
struct CreateModelStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kCreateModel;
  CreateModelStatement() : Statement(kKind) {}
  std::string ToString() const override;
  QualifiedName name;
  bool or_replace = false;
  bool if_not_exists = false;
  std::vector<std::pair<std::string, ExprPtr>> options;
  QueryPtr query;
};

struct CreateSchemaStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kCreateSchema;
  CreateSchemaStatement() : Statement(kKind) {}
  std::string ToString() const override;
  QualifiedName name;
  bool if_not_exists = false;
};

enum class ObjectType : uint8_t { kTable, kView, kSchema, kModel };

struct DropStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kDrop;
  DropStatement() : Statement(kKind) {}
  std::string ToString() const override;
  ObjectType object_type = ObjectType::kTable;
  QualifiedName name;
  bool if_exists = false;
  bool cascade = false;
};

// INSERT INTO t [(cols)] query; VALUES lists arrive as a ValuesNode query.
// What an INSERT does with a row whose key a row of the table already has (DuckDB's and
// PostgreSQL's ON CONFLICT; INSERT OR IGNORE is kNothing, INSERT OR REPLACE kReplace).
enum class InsertConflict : uint8_t {
  kError,    // no ON CONFLICT: the constraint error
  kNothing,  // ON CONFLICT [(cols)] DO NOTHING
  kUpdate,   // ON CONFLICT [(cols)] DO UPDATE SET ... [WHERE ...]
  kReplace,  // INSERT OR REPLACE: DO UPDATE SET every column to the new row's
};

// `column = value` in UPDATE, MERGE and INSERT ... ON CONFLICT DO UPDATE.
struct SetClause : AstNode {
  std::string target;  // column name
  ExprPtr value;
};

struct InsertStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kInsert;
  InsertStatement() : Statement(kKind) {}
  std::string ToString() const override;
  QualifiedName table;
  std::string alias;  // INSERT INTO t AS alias (names the existing row in DO UPDATE)
  bool by_name = false;  // INSERT INTO t BY NAME: source columns matched to the table's by name
  std::vector<std::string> columns;
  QueryPtr query;  // null for DEFAULT VALUES
  InsertConflict on_conflict = InsertConflict::kError;
  bool or_form = false;  // written INSERT OR IGNORE / INSERT OR REPLACE
  std::vector<std::string> conflict_columns;  // ON CONFLICT (cols); empty: any key
  std::vector<SetClause> conflict_set;  // DO UPDATE SET
  ExprPtr conflict_where;                                // DO UPDATE ... WHERE
  std::vector<SelectItem> returning;  // RETURNING: the rows inserted, as a result
};

struct DeleteStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kDelete;
  DeleteStatement() : Statement(kKind) {}
  std::string ToString() const override;
  QualifiedName table;
  std::string alias;
  ExprPtr where;
};

struct UpdateStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kUpdate;
  UpdateStatement() : Statement(kKind) {}
  std::string ToString() const override;
  QualifiedName table;
  std::string alias;
  std::vector<SetClause> set;
  std::unique_ptr<TableRef> from;  // UPDATE ... FROM other
  ExprPtr where;
};

enum class MergeMatch : uint8_t { kMatched, kNotMatched, kNotMatchedBySource };
enum class MergeActionType : uint8_t { kUpdate, kDelete, kInsert };

// One WHEN clause of MERGE.
struct MergeAction : AstNode {
  MergeMatch match = MergeMatch::kMatched;
  ExprPtr condition;  // WHEN MATCHED AND <condition>
  MergeActionType type = MergeActionType::kUpdate;
  bool star = false;           // UPDATE SET * / INSERT *
  std::vector<SetClause> set;  // kUpdate
  std::vector<std::string> insert_columns;
  std::vector<ExprPtr> insert_values;  // kInsert without star
  std::string ToString() const;
};

struct MergeStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kMerge;
  MergeStatement() : Statement(kKind) {}
  std::string ToString() const override;
  std::unique_ptr<TableRef> target;  // a kBaseTable, possibly aliased
  std::unique_ptr<TableRef> source;
  ExprPtr condition;
  std::vector<MergeAction> actions;
};

// SET name = value / SET name TO value.
struct SetStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kSet;
  SetStatement() : Statement(kKind) {}
  std::string ToString() const override;
  std::string name;  // lowercased, dotted parts joined with '.'
  ExprPtr value;     // bare words are ColumnRefExprs
};

struct ResetStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kReset;
  ResetStatement() : Statement(kKind) {}
  std::string ToString() const override;
  std::string name;  // "all" for RESET ALL
};

// SHOW TABLES, SHOW <setting>.
struct ShowStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kShow;
  ShowStatement() : Statement(kKind) {}
  std::string ToString() const override;
  std::string what;  // lowercased, e.g. "tables"
};

// DESCRIBE t or DESCRIBE <query> (SUMMARIZE with `summarize`); exactly one of table/query
// is set.
struct DescribeStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kDescribe;
  DescribeStatement() : Statement(kKind) {}
  std::string ToString() const override;
  bool summarize = false;
  QualifiedName table;
  QueryPtr query;
};

// PRAGMA name or PRAGMA name(args) (PRAGMA name = value parses as SET).
struct PragmaStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kPragma;
  PragmaStatement() : Statement(kKind) {}
  std::string ToString() const override;
  std::string name;  // lower-case
  std::vector<ExprPtr> args;
};

struct ExplainStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kExplain;
  ExplainStatement() : Statement(kKind) {}
  std::string ToString() const override;
  bool analyze = false;
  std::vector<OptionItem> options;  // EXPLAIN (FORMAT json)
  StatementPtr statement;
};

// COPY (query) TO 'file' or COPY table [(cols)] TO|FROM 'file', with options.
struct CopyStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kCopy;
  CopyStatement() : Statement(kKind) {}
  std::string ToString() const override;
  QueryPtr query;       // set for COPY (query) TO
  QualifiedName table;  // set otherwise
  std::vector<std::string> columns;
  bool is_from = false;  // COPY t FROM 'file' loads; TO writes
  std::string path;
  std::vector<OptionItem> options;
};

// CACHE TABLE t [AS query]: materialize t (or the query, under the name t) in memory.
struct CacheStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kCache;
  CacheStatement() : Statement(kKind) {}
  std::string ToString() const override;
  QualifiedName table;
  QueryPtr query;
};

struct UncacheStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kUncache;
  UncacheStatement() : Statement(kKind) {}
  std::string ToString() const override;
  QualifiedName table;
  bool if_exists = false;
};

enum class AlterAction : uint8_t {
  kAddColumn,     // ADD [COLUMN] [IF NOT EXISTS] <definition>
  kDropColumn,    // DROP [COLUMN] [IF EXISTS] c
  kRenameColumn,  // RENAME [COLUMN] c TO new_name
  kRenameTable,   // RENAME TO new_name
  kAlterType,     // ALTER [COLUMN] c [SET DATA] TYPE t [USING expr]
  kSetDefault,    // ALTER [COLUMN] c SET DEFAULT expr
  kDropDefault,   // ALTER [COLUMN] c DROP DEFAULT
  kSetNotNull,    // ALTER [COLUMN] c SET NOT NULL
  kDropNotNull,   // ALTER [COLUMN] c DROP NOT NULL
  // Iceberg's (Spark SQL extensions):
  kCreateRef,        // CREATE [OR REPLACE] TAG|BRANCH [IF NOT EXISTS] r [AS OF VERSION v]
                     // [RETAIN n DAYS|HOURS|MINUTES]; REPLACE TAG|BRANCH r ...
  kDropRef,          // DROP TAG|BRANCH [IF EXISTS] r
  kSetProperties,    // SET TBLPROPERTIES ('k' = 'v', ...)
  kUnsetProperties,  // UNSET TBLPROPERTIES [IF EXISTS] ('k', ...)
  kAddPartitionField,      // ADD PARTITION FIELD day(ts)
  kDropPartitionField,     // DROP PARTITION FIELD day(ts)
  kReplacePartitionField,  // REPLACE PARTITION FIELD day(ts) WITH hour(ts)
};

// ALTER TABLE [IF EXISTS] t <action>.
struct AlterTableStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kAlterTable;
  AlterTableStatement() : Statement(kKind) {}
  std::string ToString() const override;
  QualifiedName table;
  bool if_exists = false;
  AlterAction action = AlterAction::kAddColumn;
  ColumnDefinition definition;  // kAddColumn
  bool if_column_exists = false;  // ADD ... IF NOT EXISTS, DROP ... IF EXISTS
  std::string column_name;  // the column changed (not kAddColumn, kRenameTable)
  AstNode column_at;        // where column_name is written
  std::string new_name;  // kRenameColumn, kRenameTable
  TypeName type;         // kAlterType
  ExprPtr expr;          // kAlterType's USING, kSetDefault's value, kCreateRef's AS OF VERSION
  // kCreateRef, kDropRef: the tag or branch (if_column_exists holds IF [NOT] EXISTS).
  std::string ref_name;
  bool ref_is_tag = true;
  bool ref_create = true;   // CREATE (else REPLACE)
  bool ref_replace = false;  // CREATE OR REPLACE, REPLACE
  int64_t retain_ms = -1;    // RETAIN n DAYS; -1 when absent
  // kSetProperties (key, value); kUnsetProperties (key, "").
  std::vector<std::pair<std::string, std::string>> properties;
  // k*PartitionField: the field added, dropped or replaced; kReplacePartitionField's new one
  // second.
  std::vector<CreateTableStatement::PartitionItem> partition_fields;
};

// CALL [catalog.][system.]procedure(arg, name => arg, ...): a stored procedure (Iceberg's
// table maintenance), run by the procedure registry.
struct CallStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kCall;
  CallStatement() : Statement(kKind) {}
  std::string ToString() const override;
  QualifiedName procedure;
  std::vector<ExprPtr> args;
  std::vector<std::string> arg_names;  // parallel to args; empty string = positional
};

}  // namespace sluice::sql
