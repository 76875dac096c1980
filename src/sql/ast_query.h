#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sql/ast_expr.h"

namespace sluice::sql {

// A possibly qualified object name: table, view, schema or function.
struct QualifiedName : AstNode {
  std::vector<std::string> parts;
  std::string ToString() const;
};

enum class TableRefKind : uint8_t {
  kBaseTable,      // FROM t
  kSubquery,       // FROM (SELECT ...) s
  kTableFunction,  // FROM read_csv('x', header = true)
  kFilePath,       // FROM 'data/*.csv'
  kJoin,
  kPivot,    // FROM t PIVOT (sum(x) FOR k IN (1, 2)), PIVOT t ON k USING sum(x)
  kUnpivot,  // FROM t UNPIVOT (v FOR n IN (a, b)), UNPIVOT t ON a, b INTO NAME n VALUE v
};

// One value of a PIVOT IN list, with the name of its columns (the value's text when empty).
struct PivotValue {
  ExprPtr value;
  std::string alias;
};

// One ON column (expression) of PIVOT and the values that get columns; `has_in` false:
// every distinct non-NULL value, read from the data when the query is bound, sorted.
struct PivotOn {
  ExprPtr expr;
  bool has_in = false;
  std::vector<PivotValue> in;
};

// One aggregate of PIVOT's USING (count(*) when there are none).
struct PivotAggregate {
  ExprPtr expr;
  std::string alias;
  std::string source_text;  // as written: DuckDB names the columns of unaliased aggregates so
};

// The columns UNPIVOT folds into rows: one column per VALUE column, and the name of its rows
// (the column's own name when `alias` is empty). A COLUMNS(...) or star entry stands for
// one entry per matching column.
struct UnpivotEntry {
  std::vector<ExprPtr> columns;
  std::string alias;
};

// PIVOT / UNPIVOT of a TableRef's `left`. `statement_form`: written as DuckDB's PIVOT and
// UNPIVOT statements (printed back that way).
struct PivotSpec {
  bool statement_form = false;
  // PIVOT
  std::vector<PivotOn> on;
  std::vector<PivotAggregate> aggregates;
  std::vector<ExprPtr> group_by;
  // UNPIVOT
  bool include_nulls = false;
  std::vector<UnpivotEntry> entries;
  std::string name_column = "name";
  std::vector<std::string> value_columns = {"value"};
};

// FOR VERSION AS OF / FOR TIMESTAMP AS OF after a table name: which snapshot of an Iceberg
// table a query reads (kNone: the current one).
enum class TimeTravelKind : uint8_t { kNone, kVersion, kTimestamp };

// A FROM-clause item. One struct with a kind (rather than a hierarchy) because table refs are
// few and the binder walks them in one place; fields not used by a kind stay empty.
struct TableRef : AstNode {
  explicit TableRef(TableRefKind k) : kind(k) {}
  std::string ToString() const;
  // " FOR VERSION AS OF v" / " FOR TIMESTAMP AS OF t", or "".
  std::string TimeTravelSuffix() const;

  TableRefKind kind;
  std::string alias;                        // empty when none
  std::vector<std::string> column_aliases;  // AS s(a, b)

  QualifiedName name;                  // kBaseTable, kTableFunction
  std::unique_ptr<QueryNode> query;    // kSubquery
  std::string path;                    // kFilePath
  std::vector<ExprPtr> args;           // kTableFunction
  std::vector<std::string> arg_names;  // parallel to args; empty string = positional
  TimeTravelKind time_travel = TimeTravelKind::kNone;  // kBaseTable, kTableFunction
  ExprPtr time_travel_at;  // the snapshot id, branch or tag name, or time; null for kNone

  // kJoin fields.
  enum class JoinType : uint8_t { kInner, kLeft, kRight, kFull, kCross, kSemi, kAnti };
  JoinType join_type = JoinType::kInner;
  std::unique_ptr<TableRef> left;
  std::unique_ptr<TableRef> right;
  ExprPtr condition;                       // ON
  std::vector<std::string> using_columns;  // USING (...)
  bool natural = false;
  bool asof = false;   // ASOF [LEFT] JOIN: each left row meets its closest right row
  bool comma = false;  // came from `FROM a, b`; printed back the same way
  // LATERAL (subquery): may read the columns of the FROM items before it (kSubquery).
  bool lateral = false;
  // kPivot, kUnpivot: what is done to `left`.
  std::unique_ptr<PivotSpec> pivot;
};

enum class GroupingKind : uint8_t { kExpr, kRollup, kCube, kGroupingSets };

// One GROUP BY element. kExpr has one expr; kRollup/kCube a list; kGroupingSets one list per
// set (an empty set is the grand total).
struct GroupingElement {
  GroupingKind kind = GroupingKind::kExpr;
  std::vector<ExprPtr> exprs;
  std::vector<std::vector<ExprPtr>> sets;
  std::string ToString() const;
};

struct GroupByClause {
  bool all = false;  // GROUP BY ALL: group by every non-aggregate select item
  std::vector<GroupingElement> elements;
  bool empty() const { return !all && elements.empty(); }
  std::string ToString() const;
};

// An optimizer hint from `SELECT /*+ NAME(arg, ...) */`. Names are upper-cased; arguments keep
// identifier rules (unquoted lowercased).
struct Hint {
  std::string name;
  std::vector<std::string> args;
};

struct CommonTableExpr : AstNode {
  std::string name;
  std::vector<std::string> column_aliases;
  std::unique_ptr<QueryNode> query;
  std::string ToString() const;
};

enum class QueryKind : uint8_t { kSelect, kSetOperation, kValues };

// Base of a query: the parts that any query body can carry (WITH, ORDER BY, LIMIT, OFFSET).
struct QueryNode : AstNode {
  explicit QueryNode(QueryKind k) : kind(k) {}
  virtual ~QueryNode() = default;
  QueryNode(const QueryNode&) = delete;
  QueryNode& operator=(const QueryNode&) = delete;

  // Canonical SQL that re-parses to an equal tree.
  std::string ToString() const;

  template <typename T>
  const T& As() const {
    SLUICE_CHECK(kind == T::kKind, "query kind {}", static_cast<int>(kind));
    return static_cast<const T&>(*this);
  }
  template <typename T>
  T& As() {
    SLUICE_CHECK(kind == T::kKind, "query kind {}", static_cast<int>(kind));
    return static_cast<T&>(*this);
  }
  bool HasModifiers() const { return !order_by.empty() || limit || offset; }

  const QueryKind kind;
  bool recursive = false;  // WITH RECURSIVE
  std::vector<CommonTableExpr> ctes;
  std::vector<OrderByItem> order_by;
  ExprPtr limit;
  ExprPtr offset;

 protected:
  // The query body without WITH and modifiers.
  virtual std::string BodyToString() const = 0;
};

using QueryPtr = std::unique_ptr<QueryNode>;

struct SelectItem : AstNode {
  ExprPtr expr;
  std::string alias;  // empty when none
  // The expression exactly as written (comments and case included), which DuckDB-style column
  // naming uses for unaliased expressions.
  std::string source_text;
};

struct NamedWindow {
  std::string name;
  WindowSpec spec;
};

struct SelectNode : QueryNode {
  static constexpr QueryKind kKind = QueryKind::kSelect;
  SelectNode() : QueryNode(kKind) {}
  std::vector<Hint> hints;
  bool distinct = false;
  std::vector<ExprPtr> distinct_on;  // DISTINCT ON (...)
  std::vector<SelectItem> select_list;
  std::unique_ptr<TableRef> from;  // null without FROM
  ExprPtr where;
  GroupByClause group_by;
  ExprPtr having;
  std::vector<NamedWindow> windows;
  ExprPtr qualify;
  // `SELECT * FROM <PIVOT or UNPIVOT statement>`: what the statements parse to.
  bool IsPivotStatement() const;

 protected:
  std::string BodyToString() const override;
};

// The SQL of a kPivot or kUnpivot TableRef without its alias: DuckDB's statement form when
// the reference was written so, else the SQL-standard FROM-clause form (ast_pivot.cpp).
std::string PivotToString(const TableRef& ref);

enum class SetOpType : uint8_t { kUnion, kIntersect, kExcept };

struct SetOperationNode : QueryNode {
  static constexpr QueryKind kKind = QueryKind::kSetOperation;
  SetOperationNode() : QueryNode(kKind) {}
  SetOpType op = SetOpType::kUnion;
  bool all = false;  // UNION ALL; DISTINCT is the default
  QueryPtr left;
  QueryPtr right;

 protected:
  std::string BodyToString() const override;
};

struct ValuesNode : QueryNode {
  static constexpr QueryKind kKind = QueryKind::kValues;
  ValuesNode() : QueryNode(kKind) {}
  std::vector<std::vector<ExprPtr>> rows;

 protected:
  std::string BodyToString() const override;
};

}  // namespace sluice::sql
