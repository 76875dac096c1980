#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "plan/logical_plan.h"

namespace sluice {

// Uncorrelated subqueries used as values (Spark's ScalarSubquery): the binder leaves an
// ExprKind::kSubquery expression holding the subquery's plan, so binding and EXPLAIN run
// nothing. Before a query runs, its subqueries run first as earlier jobs and their values
// replace the expressions (SubqueryResolver); the rest of the query is then optimized and
// planned with constants, so `ts > (select max(ts) from t)` prunes files and row groups by
// their statistics like `ts > 42`.

//
// Correlated subqueries that the binder could not turn into joins (a correlation that is not
// an equality, one in the select list, under GROUP BY, LIMIT, ...) are dependent: their plan
// reads kParameter expressions standing for values of the enclosing query's row. Before the
// query runs, each is evaluated once per distinct set of those values and joined back
// (plan/correlated_subquery.h).

enum class SubqueryKind {
  kScalar,     // the value of its one column in its one row (NULL for no rows)
  kExists,     // TRUE when it has a row
  kIn,         // operand [NOT] IN (its one column's values)
  kParameter,  // a value of the enclosing query's row, inside a dependent subquery's plan
};

// What a kSubquery expression stands for. Immutable; shared by the copies of the expression.
struct SubqueryRef {
  SubqueryKind kind = SubqueryKind::kScalar;
  LogicalPlanPtr plan;  // one column for kScalar and kIn; null for kParameter
  std::string label;    // "$1": how EXPLAIN names it
  // kScalar: the error (with the SQL position) thrown when it returns a second row.
  std::string too_many_rows;
  // A dependent kScalar or kExists subquery: the parameters its plan reads; the expression's
  // args are their values in the enclosing query, in the same order.
  std::vector<std::shared_ptr<const SubqueryRef>> parameters;

  bool correlated() const { return !parameters.empty(); }
};

// An unbound kSubquery expression labelled `label` ("$1"); `operand` for kIn only.
ExprPtr MakeSubqueryExpr(SubqueryKind kind, LogicalPlanPtr plan, std::string label,
                         ExprPtr operand = nullptr, bool negated = false,
                         std::string too_many_rows = "");

// A kParameter expression of `type` named `label` in EXPLAIN ("outer(t.a)").
ExprPtr MakeParameterExpr(LogicalType type, std::string label);
// A dependent subquery expression (kScalar or kExists) whose `plan` reads `parameters`, their
// values in the enclosing query being `values` (unbound or bound there).
ExprPtr MakeCorrelatedSubqueryExpr(SubqueryKind kind, LogicalPlanPtr plan, std::string label,
                                   std::vector<std::shared_ptr<const SubqueryRef>> parameters,
                                   std::vector<ExprPtr> values, std::string too_many_rows = "");
// How EXPLAIN names a subquery labelled `label`: "EXISTS($1)"; a dependent one shows its
// `values` too: "$1(t.a)".
std::string CorrelatedName(SubqueryKind kind, const std::string& label,
                           const std::vector<ExprPtr>* values);
// A bound literal of `value` standing where `e` was (same type and alias).
ExprPtr LiteralFor(const Expr& e, const Value& value);

bool ContainsSubquery(const Expr& e);
bool ContainsSubquery(const LogicalPlan& plan);

// A copy of `plan` with every expression of its nodes mapped by `map` (called on each
// kSubquery expression, after its operand was mapped; returns the replacement). Nodes and
// expressions without subqueries are shared, not copied. The children of a filled cache are
// not visited (they will not run again).
LogicalPlanPtr MapSubqueries(const LogicalPlanPtr& plan,
                             const std::function<ExprPtr(const ExprPtr&)>& map);
ExprPtr MapSubqueries(const ExprPtr& e, const std::function<ExprPtr(const ExprPtr&)>& map);

// Runs `plan` (subquery `ref`'s plan, maybe under a LIMIT) to completion and returns its rows.
// A plan run for another purpose (a recursive CTE's step, a dependent subquery's outer values)
// comes with a kParameter ref whose label is the title to show in EXPLAIN ANALYZE.
using SubqueryRunner =
    std::function<std::vector<Batch>(const LogicalPlan& plan, const SubqueryRef& ref)>;

// The value of scalar subquery `ref` whose plan (parameters replaced, for a dependent one) is
// `plan`: its one row's value, NULL without a row. Throws InvalidInputError (ref's
// too_many_rows) for a second row.
Value RunScalar(const SubqueryRunner& run, const LogicalPlan& plan, const SubqueryRef& ref);
// Whether `plan` (of EXISTS subquery `ref`) has a row; reads at most one.
bool RunExists(const SubqueryRunner& run, const LogicalPlan& plan, const SubqueryRef& ref);

// Replaces subqueries by their values, running each subquery once (the runner resolves the
// subqueries nested in it). Not thread-safe: one per query.
class SubqueryResolver {
 public:
  explicit SubqueryResolver(SubqueryRunner run) : run_(std::move(run)) {}

  // Throws InvalidInputError when a scalar subquery returns more than one row.
  LogicalPlanPtr Resolve(const LogicalPlanPtr& plan);
  // Throws NotImplementedError for a dependent subquery (it needs the rows of a plan).
  ExprPtr Resolve(const ExprPtr& e);

 private:
  struct Result {
    std::shared_ptr<const SubqueryRef> ref;  // keeps the key alive
    Value scalar;
    bool exists = false;
    std::vector<Value> values;  // kIn
  };
  const Result& Run(const std::shared_ptr<const SubqueryRef>& ref);
  ExprPtr Replace(const ExprPtr& e);

  SubqueryRunner run_;
  std::map<const SubqueryRef*, Result> results_;
};

// One subquery of a plan labelled for EXPLAIN, with its own subqueries labelled too.
struct LabelledSubquery {
  std::string label;  // "$1"
  SubqueryKind kind;
  LogicalPlanPtr plan;
  bool correlated = false;  // runs once per distinct set of outer values
};

// `plan` with its subqueries (and theirs, recursively) labelled $1, $2, ... in the order
// they must run (a nested subquery before the one holding it); `out` receives them in that
// order. Subqueries under filled caches are left out.
LogicalPlanPtr LabelSubqueries(const LogicalPlanPtr& plan, std::vector<LabelledSubquery>* out);

const char* SubqueryKindName(SubqueryKind kind);

}  // namespace sluice
