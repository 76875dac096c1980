#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "expr/aggregate_function.h"
#include "types/logical_type.h"
#include "types/value.h"
#include "vector/column.h"
#include "vector/schema.h"

namespace sluice {

struct Expr;
class AggregateFunction;
struct SubqueryRef;  // plan/subquery.h: expressions only carry it
// Expressions are immutable trees shared between plans (a DataFrame derived from another
// shares its expressions), hence shared_ptr to const.
using ExprPtr = std::shared_ptr<const Expr>;

enum class ExprKind {
  kColumnRef,  // name (and qualifier) before binding; column_index after
  kLiteral,    // value
  kCall,       // scalar function `name`(args): operators (+, =, like, ...) and functions
  kCast,       // CAST(args[0] AS type); try_cast when `try_cast`
  kAnd,        // args[0] AND args[1] AND ... (three-valued)
  kOr,
  kNot,
  kIsNull,     // args[0] IS NULL
  kIsNotNull,
  kIn,         // args[0] IN (args[1..]); `negated` for NOT IN
  kCase,       // CASE WHEN args[0] THEN args[1] [WHEN args[2] THEN args[3]]... [ELSE last]
  kCoalesce,   // COALESCE(args...)
  kAggregate,  // aggregate `name`(args) [DISTINCT]; only in Aggregate plan nodes
  kStar,       // * (count(*) argument, or select *) before expansion
  kWindow,     // window function `name`(args) OVER (`window`); only in Window plan nodes
  kSubquery,   // an uncorrelated subquery's result (`subquery`); args[0] is the operand of
               // IN; `name` is its label in EXPLAIN ("$1"). Replaced by its value before the
               // plan holding it runs (plan/subquery.h); never evaluated.
};

// Frame of a window call (see WindowSpec). Offsets are constant expressions.
enum class WindowFrameUnit { kRows, kRange, kGroups };
enum class WindowBoundKind {
  kUnboundedPreceding,
  kPreceding,
  kCurrentRow,
  kFollowing,
  kUnboundedFollowing
};
struct WindowBound {
  WindowBoundKind kind = WindowBoundKind::kCurrentRow;
  ExprPtr offset;  // kPreceding / kFollowing
};

struct WindowOrder {
  ExprPtr expr;
  bool ascending = true;
  bool nulls_first = false;
};

// The OVER clause of a window call. Without an explicit frame, the default applies: RANGE
// BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW with ORDER BY, the whole partition without.
struct WindowSpec {
  std::vector<ExprPtr> partition_by;
  std::vector<WindowOrder> order_by;
  bool has_frame = false;
  WindowFrameUnit unit = WindowFrameUnit::kRange;
  WindowBound start{WindowBoundKind::kUnboundedPreceding, nullptr};
  WindowBound end{WindowBoundKind::kCurrentRow, nullptr};

  // " OVER (PARTITION BY ... ORDER BY ... ROWS BETWEEN ...)" rendering, without the name.
  std::string ToString() const;
};

// A scalar kernel: computes a column of `num_rows` values from argument columns (which may
// be constant columns). Bound per call site, so it may capture state prepared at bind time
// (a compiled LIKE pattern, decimal scales). Thread-safe: called from many tasks at once.
using ScalarKernel =
    std::function<ColumnPtr(const std::vector<ColumnPtr>& args, size_t num_rows)>;

// One node of an expression tree. Built unbound by the DataFrame API (col("x") + 1) and the
// SQL binder; BindExpression resolves column references against an input schema, picks
// function kernels and sets `type`.
struct Expr {
  ExprKind kind = ExprKind::kLiteral;
  std::string name;       // column name, function or aggregate name
  std::string qualifier;  // table or alias for qualified column references
  Value value;            // kLiteral
  LogicalType type;       // result type once bound; target type of kCast
  std::vector<ExprPtr> args;
  std::string alias;      // output column name requested with AS / alias()
  bool distinct = false;  // kAggregate: count(DISTINCT x)
  bool negated = false;   // kIn: NOT IN
  bool try_cast = false;  // kCast: NULL instead of an error
  // kAggregate with ORDER BY (string_agg(x, ',' ORDER BY y)): the last order.size() args are
  // its sort keys, one direction each.
  std::vector<AggregateOrder> order;
  // kAggregate fed through the ordered wrapper: its last arg (after the sort keys) is the
  // FILTER (WHERE ...) condition, and rows where it is not TRUE are skipped.
  bool filtered = false;

  // Set by binding.
  bool bound = false;
  int column_index = -1;  // kColumnRef
  ScalarKernel kernel;    // kCall
  std::shared_ptr<const AggregateFunction> aggregate;  // kAggregate; aggregate kWindow calls
  std::shared_ptr<const WindowSpec> window;            // kWindow (its expressions bound too)
  std::shared_ptr<const SubqueryRef> subquery;         // kSubquery

  // A SQL-like rendering used for default output column names and EXPLAIN ("sum(x)",
  // "(a + 1)").
  std::string ToString() const;
  // The output column name: alias if set, the column name for a column reference, else
  // ToString().
  std::string OutputName() const;
};

// Builders used by the DataFrame API, the SQL binder and tests.
ExprPtr Col(std::string name, std::string qualifier = "");
ExprPtr Lit(Value value);
ExprPtr Call(std::string name, std::vector<ExprPtr> args);
ExprPtr CastTo(ExprPtr arg, LogicalType type, bool try_cast = false);
ExprPtr And(std::vector<ExprPtr> args);
ExprPtr Or(std::vector<ExprPtr> args);
ExprPtr Not(ExprPtr arg);
ExprPtr IsNull(ExprPtr arg);
ExprPtr IsNotNull(ExprPtr arg);
ExprPtr In(ExprPtr arg, std::vector<ExprPtr> list, bool negated = false);
ExprPtr Case(std::vector<ExprPtr> when_then_else);
ExprPtr Coalesce(std::vector<ExprPtr> args);
ExprPtr Aggregate(std::string name, std::vector<ExprPtr> args, bool distinct = false);
ExprPtr Star();
// A window call `name`(args) OVER (spec); `distinct` for sum(DISTINCT x) OVER (...).
ExprPtr WindowCall(std::string name, std::vector<ExprPtr> args, WindowSpec spec,
                   bool distinct = false);
ExprPtr Alias(ExprPtr e, std::string alias);

// A copy of `e` with the given children (for rewrites).
ExprPtr WithArgs(const Expr& e, std::vector<ExprPtr> args);

// A bound reference to column `index` of `schema` (by position: names may repeat).
ExprPtr BoundColumnRef(const Schema& schema, int index);
// A copy of a bound expression with every column index i replaced by remap(i); subtrees
// that do not change are shared.
ExprPtr RemapColumns(const ExprPtr& expr, const std::function<int(int)>& remap);

}  // namespace sluice
