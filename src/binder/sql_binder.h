#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "binder/catalog_reader.h"
#include "common/error.h"
#include "plan/logical_plan.h"
#include "plan/subquery.h"
#include "plan/window_tvf.h"
#include "sql/ast.h"

namespace sluice {

struct TableFunctionCall;

// A relation of a FROM clause while it is being bound: its plan and output schema plus the
// columns hidden from `*` and from unqualified references (the right copy of a USING or
// NATURAL join column).
struct BoundRelation {
  LogicalPlanPtr plan;  // null while only the combined schema of a join is needed
  Schema schema;
  std::vector<bool> hidden;  // parallel to schema
  // Left column -> right column of a RIGHT/FULL USING join: an unqualified reference means
  // COALESCE(left, right).
  std::map<int, int> coalesce_with;
};

// The names an expression can see. `outer` is the enclosing query's scope: a name not found
// in `relation` is looked up there, which makes a correlated reference (decorrelated by
// sql_bind_subquery.cpp where supported, rejected elsewhere).
struct BindScope {
  const BoundRelation* relation = nullptr;
  const BindScope* outer = nullptr;
};

// A subquery being bound for decorrelation. Its outer references resolve in `outer`; the
// WHERE conjuncts of its top SELECT that contain them are pulled out into `conjuncts`
// instead of filtering, and that SELECT also outputs the inner expressions they compare.
struct SubqueryCorrelation {
  const BindScope* outer = nullptr;
  const sql::SelectNode* select = nullptr;  // the subquery's top SELECT (null: set operation)
  std::string qualifier;                    // of the subquery's output columns ("#sq<n>")
  std::set<const Expr*> outer_refs;         // column references resolved in `outer`
  std::vector<ExprPtr> conjuncts;           // pulled-out WHERE conjuncts
  // Filled while binding the SELECT: join conditions over outer ++ subquery output, where
  // inner expressions became the output columns "#corr<k>".
  std::vector<ExprPtr> conditions;
  size_t outputs = 0;       // number of "#corr" columns
  bool single_row = false;  // an aggregate without GROUP BY/HAVING: exactly one row
  bool bare_count = false;  // its only column is count(...): 0, not NULL, for no rows
};

// A dependent subquery being bound (bind_dependent.cpp): its references to `outer` become
// parameters, whose values in `outer` the expression left there carries.
struct SubqueryParameters {
  const BindScope* outer = nullptr;
  SubqueryParameters* parent = nullptr;  // the enclosing dependent subquery's, if any
  std::vector<ExprPtr> values;           // in `outer`
  std::vector<ExprPtr> parameters;       // kParameter expressions, parallel to `values`
  std::map<std::string, size_t> index;   // value's ToString() -> position
};

// A subquery joined to the relation of the clause it appears in.
struct SubqueryJoin {
  LogicalPlanPtr plan;
  JoinKind kind = JoinKind::kLeft;
  ExprPtr condition;  // over relation ++ plan; null for a cross join
};

// Translates SQL syntax trees into bound LogicalPlans against a catalog (DuckDB semantics).
// Binding executes nothing: uncorrelated scalar, IN and EXISTS subqueries outside a WHERE
// conjunct become kSubquery expressions (plan/subquery.h) that run before the query does.
// Errors are BindError / NotImplementedError whose message quotes the offending line of the
// script with a caret. One binder per statement script; not thread-safe.
class SqlBinder {
 public:
  // `script` is the whole text the AST positions refer to; `catalog` outlives the binder.
  SqlBinder(CatalogReader& catalog, std::string_view script) : catalog_(catalog), script_(script) {}

  LogicalPlanPtr BindQuery(const sql::QueryNode& query, const BindScope* outer = nullptr);
  // For an INSERT's VALUES: the value a DEFAULT in column `c` of the VALUES rows stands for.
  // Applies to the next VALUES bound (the INSERT's own), not to VALUES inside it.
  void SetValuesDefaults(std::function<ExprPtr(size_t c)> defaults) {
    values_defaults_ = std::move(defaults);
  }
  // An AST expression as an unbound engine expression over `scope`.
  ExprPtr TranslateExpr(const sql::Expr& e, const BindScope& scope);
  // A constant expression (no columns, no subqueries) evaluated now.
  Value EvaluateConstantExpr(const sql::Expr& e);
  LogicalType TranslateType(const sql::TypeName& type);
  // A FROM item (table, subquery, table function, join) with its columns qualified by its
  // name or alias (the target and source of UPDATE, DELETE and MERGE).
  BoundRelation BindRelation(const sql::TableRef& ref) { return BindTableRef(ref, nullptr); }
  // The window a TUMBLE / HOP / CUMULATE / SESSION call assigns (bind_window_tvf.cpp);
  // REQUIRES: IsWindowTvf(ref). A streaming job reads it to close windows by watermark.
  WindowTvf BindWindowTvfSpec(const sql::TableRef& ref);
  static bool IsWindowTvf(const sql::TableRef& ref);

  [[noreturn]] void ThrowBind(const sql::AstNode& at, const std::string& message) const;
  [[noreturn]] void ThrowNotImplemented(const sql::AstNode& at, const std::string& message) const;
  // Runs `f`; a BindError or NotImplementedError it throws without a location gets one at `at`.
  template <typename F>
  auto At(const sql::AstNode& at, F&& f) -> decltype(f()) {
    try {
      return f();
    } catch (const BindError& e) {
      Relocate(at, e, false);
    } catch (const NotImplementedError& e) {
      Relocate(at, e, true);
    }
  }

  CatalogReader& catalog() { return catalog_; }
  std::string_view script() const { return script_; }
  // The AST node an engine expression was translated from (for carets), or null.
  const sql::AstNode* OriginOf(const Expr* e) const;

 private:
  [[noreturn]] void Relocate(const sql::AstNode& at, const UserError& e, bool not_implemented) const;

  // sql_binder.cpp
  LogicalPlanPtr BindSelect(const sql::SelectNode& node, const BindScope* outer);
  // A WITH RECURSIVE CTE whose body is `anchor UNION [ALL] step` with the step reading the
  // CTE (plan/recursive_cte.h); null when the body is not of that form (bound as usual).
  LogicalPlanPtr BindRecursiveCte(const sql::CommonTableExpr& cte, const BindScope* outer);
  LogicalPlanPtr BindValues(const sql::ValuesNode& node);
  // VALUES whose rows hold subqueries (translated `rows`), as a UNION ALL of projections.
  LogicalPlanPtr BindValuesWithSubqueries(const sql::ValuesNode& node,
                                          const std::vector<std::vector<ExprPtr>>& rows);
  LogicalPlanPtr ApplyModifiers(const sql::QueryNode& query, LogicalPlanPtr plan);

  // bind_set_operation.cpp
  LogicalPlanPtr BindSetOperation(const sql::SetOperationNode& node, const BindScope* outer);

  // sql_bind_from.cpp
  BoundRelation BindFromWhere(const sql::SelectNode& node, const BindScope* outer);
  BoundRelation BindTableRef(const sql::TableRef& ref, const BindScope* outer);
  BoundRelation BindJoin(const sql::TableRef& ref, const BindScope* outer);
  BoundRelation BindTableFunction(const sql::TableRef& ref);
  // bind_window_tvf.cpp: TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), INTERVAL ...)) and HOP,
  // CUMULATE, SESSION.
  BoundRelation BindWindowTvf(const sql::TableRef& ref);
  int64_t WindowTvfDuration(const sql::TableRef& ref, const sql::Expr& arg, const char* what);
  // bind_ml.cpp: ML.PREDICT, ML.EVALUATE, ML.FEATURE_IMPORTANCE, ML.TRAINING_INFO.
  BoundRelation BindMlFunction(const sql::TableRef& ref);
  // get_historical_features(entities, ['view:feature', ...]): point-in-time feature
  // retrieval as ASOF joins (bind_features.cpp).
  BoundRelation BindHistoricalFeatures(const sql::TableRef& ref);
  LogicalPlanPtr BindMlInput(const sql::TableRef& ref, const sql::Expr& arg,
                             const std::string& arg_name);
  LogicalPlanPtr BindMlEvaluate(const sql::TableRef& ref, const ml::Model& model,
                                const std::string& input_sql);
  // bind_time_travel.cpp: `t FOR VERSION AS OF v` (REQUIRES: ref.time_travel set), and the
  // metadata tables `t$snapshots`, `t$history`, `t$refs`, `t$files` (null when `qualified`
  // names none).
  LogicalPlanPtr BindTimeTravel(const sql::TableRef& ref, const std::string& qualified);
  // Checks `left JOIN t FOR SYSTEM_TIME AS OF <column of left> ON ...` (ref: the join).
  void CheckTemporalJoin(const sql::TableRef& ref, const BoundRelation& left,
                         const BindScope* outer);
  LogicalPlanPtr BindMetadataTable(const sql::TableRef& ref, const std::string& qualified);
  // `f(...) FOR VERSION AS OF v` as f's named snapshot argument (snapshot_from_id, ref,
  // snapshot_from_timestamp), for the table functions that take them.
  void BindTableFunctionTimeTravel(const sql::TableRef& ref, TableFunctionCall& call);

  // sql_bind_expr.cpp
  ExprPtr ResolveColumn(const sql::ColumnRefExpr& ref, const BindScope& scope);
  ExprPtr TranslateFunction(const sql::FunctionExpr& f, const BindScope& scope);
  ExprPtr TranslateSubquery(const sql::SubqueryExpr& s, const BindScope& scope);
  ExprPtr TranslateQuantified(const sql::InExpr& in, ExprPtr x, LogicalPlanPtr plan);
  ExprPtr TranslateInSubquery(const sql::InExpr& in, const BindScope& scope);
  ExprPtr Remember(ExprPtr e, const sql::AstNode& origin);

  // sql_bind_subquery.cpp: decorrelation.
  struct BoundSubquery {
    LogicalPlanPtr plan;  // columns "#v<i>" then "#corr<k>", all qualified `qualifier`
    std::string qualifier;
    size_t visible = 0;               // number of "#v" columns
    std::vector<ExprPtr> conditions;  // over outer ++ plan; empty when uncorrelated
    bool single_row = false;
    bool bare_count = false;
  };
  // Binds a subquery of an expression over `outer`, pulling its correlation out.
  // Throws NotImplementedError for correlation it cannot turn into join conditions.
  BoundSubquery BindSubquery(const sql::QueryNode& query, const BindScope& outer);
  // Called by BindSelect for the top SELECT of a subquery being decorrelated: the inner
  // expressions to output as "#corr<k>" (group keys when `aggregate`).
  std::vector<ExprPtr> CorrelationOutputs(const sql::SelectNode& node,
                                          const std::vector<ExprPtr>& select_exprs, bool aggregate);
  // True for the WHERE conjuncts that become semi/anti joins: [NOT] EXISTS, [NOT] IN (query).
  static bool IsSubqueryConjunct(const sql::Expr& e);
  BoundRelation BindSubqueryConjunct(BoundRelation rel, const sql::Expr& conjunct,
                                     const BindScope& scope);
  // A scalar subquery inside a WHERE conjunct: a column of a join queued in scalar_joins_
  // when correlated, else a kSubquery expression.
  ExprPtr PlanScalarSubquery(const sql::SubqueryExpr& s, const BindScope& scope);
  // Joins `joins` to rel's plan, filters by `predicates` and projects back to rel's columns.
  BoundRelation ApplySubqueryJoins(BoundRelation rel, const std::vector<SubqueryJoin>& joins,
                                   const std::vector<ExprPtr>& predicates, const sql::AstNode& at);

  // bind_dependent.cpp: correlated subqueries evaluated per outer value set.
  ExprPtr ParameterFor(SubqueryParameters& scope, const sql::ColumnRefExpr& ref);
  ExprPtr AddParameter(SubqueryParameters& scope, const ExprPtr& value);
  LogicalPlanPtr BindDependentQuery(const sql::QueryNode& query, const BindScope& scope,
                                    SubqueryParameters& parameters);
  ExprPtr DependentValue(SubqueryKind kind, LogicalPlanPtr plan,
                         const SubqueryParameters& parameters, const sql::AstNode& at);
  // A scalar or EXISTS subquery of an expression, correlated in a way no join replaces.
  ExprPtr TranslateDependentSubquery(const sql::QueryNode& query, SubqueryKind kind,
                                     const BindScope& scope, const sql::AstNode& at);
  // LATERAL (subquery) on the right of a join with `left`: a lateral leaf when it reads left.
  BoundRelation BindLateral(const sql::TableRef& ref, const BoundRelation& left,
                            const BindScope* outer);
  // x [NOT] IN (S) or x op ANY|ALL (S), S correlated; x already translated.
  ExprPtr TranslateDependentQuantified(const sql::InExpr& in, const ExprPtr& x,
                                       const BindScope& scope);

  // bind_columns.cpp: COLUMNS(...).
  // The COLUMNS(...) in `e` (not an unpacked one), or null; throws when `e` holds two
  // different ones.
  const sql::StarExpr* FindColumns(const sql::Expr& e);
  // The columns of `rel` that a star or COLUMNS(...) selects, in order; throws when a regex
  // matches none.
  std::vector<int> ColumnsMatches(const sql::StarExpr& star, const BoundRelation& rel);
  // `e` translated once per column its COLUMNS(...) selects, with each copy's name (the
  // column's, or `alias` rewritten by the regex's groups); empty when `e` has no COLUMNS.
  std::vector<std::pair<ExprPtr, std::string>> ExpandColumns(const sql::Expr& e,
                                                             const BindScope& scope,
                                                             const std::string& alias);
  // A WHERE condition: with COLUMNS(...), the copies ANDed.
  ExprPtr TranslateCondition(const sql::Expr& e, const BindScope& scope);
  // Function arguments, *COLUMNS(...) unpacked into one argument per column.
  std::vector<ExprPtr> TranslateArgs(const std::vector<sql::ExprPtr>& args, const BindScope& scope);
  // A star in an expression: the current column of an expanding COLUMNS(...), else an error.
  ExprPtr TranslateStar(const sql::StarExpr& star);

  // bind_pivot.cpp
  struct PivotValues {
    ExprPtr expr;  // the ON expression over the source
    std::vector<Value> values;
    std::vector<std::string> names;  // parallel to values: their columns' names
  };
  std::vector<PivotValues> BindPivotValues(const sql::PivotSpec& p, const BoundRelation& src,
                                           const BindScope& scope);
  BoundRelation BindPivot(const sql::TableRef& ref, const BindScope* outer);
  BoundRelation BindUnpivot(const sql::TableRef& ref, const BindScope* outer);

  // sql_bind_window.cpp: `f` has an OVER clause; named windows come from named_windows_.
  ExprPtr TranslateWindowCall(const sql::FunctionExpr& f, const BindScope& scope);

  // An uncorrelated subquery as a kSubquery expression labelled by next_subquery_.
  ExprPtr SubqueryValue(SubqueryKind kind, LogicalPlanPtr plan, const sql::AstNode& at,
                        ExprPtr operand = nullptr, bool negated = false);

  CatalogReader& catalog_;
  std::string_view script_;
  std::map<std::string, LogicalPlanPtr> ctes_;  // lower-case name -> bound plan
  // Within one query (the outermost BindQuery), each view named is bound once and its plan
  // shared by every reference, so that plan/shared_subplans.h can run it once.
  std::map<std::string, LogicalPlanPtr> views_;
  int query_depth_ = 0;
  // Join strategy hints of the SELECT whose FROM is being bound (/*+ BROADCAST(t) */), or null.
  const std::vector<sql::Hint>* join_hints_ = nullptr;
  // The right side of the JOIN being bound when it is a temporal (lookup) join's table,
  // `JOIN t FOR SYSTEM_TIME AS OF o.ts` (bind_from.cpp), else null.
  const sql::TableRef* lookup_table_ = nullptr;
  std::unordered_map<const Expr*, const sql::AstNode*> origins_;
  SubqueryCorrelation* correlation_ = nullptr;       // the subquery being decorrelated
  SubqueryParameters* parameters_ = nullptr;         // the dependent subquery being bound
  std::function<ExprPtr(size_t)> values_defaults_;    // SetValuesDefaults
  // While HAVING is bound: the select list's names and expressions, which a name not found
  // in FROM refers to (`SELECT count(*) AS c ... HAVING c > 1`, as DuckDB allows).
  const std::vector<std::pair<std::string, ExprPtr>>* select_aliases_ = nullptr;
  std::vector<SubqueryJoin>* scalar_joins_ = nullptr;  // set while binding a WHERE conjunct
  int next_subquery_ = 0;
  int next_subquery_value_ = 0;  // labels of kSubquery expressions ("$1")
  // While COLUMNS(...) is expanded: the column the current copy reads.
  struct ColumnsChoice {
    const sql::StarExpr* star;
    ExprPtr column;
  };
  const ColumnsChoice* columns_choice_ = nullptr;
  // While COLUMNS(c -> condition) is evaluated: c and its value (a column name).
  const std::pair<std::string, Value>* lambda_parameter_ = nullptr;
  // While PIVOT's USING aggregates are bound: the condition every aggregate is filtered by
  // (the rows of one combination of ON values).
  ExprPtr pivot_filter_;
  // The WINDOW clause of the SELECT being bound (null outside one).
  const std::vector<sql::NamedWindow>* named_windows_ = nullptr;
};

// Helpers shared by the binder's files.
namespace sql_bind {
// Gives `target` another value for the guard's lifetime (binder state of a nested scope).
template <typename T>
class ScopedValue {
 public:
  ScopedValue(T& target, T value) : target_(target), saved_(target) { target_ = value; }
  ~ScopedValue() { target_ = saved_; }
  ScopedValue(const ScopedValue&) = delete;
  ScopedValue& operator=(const ScopedValue&) = delete;

 private:
  T& target_;
  T saved_;
};
// A copy of `plan` whose output fields are changed by `edit` (names, qualifiers).
LogicalPlanPtr WithFields(const LogicalPlanPtr& plan, const std::function<void(Field&, size_t)>& edit);
// A projection of columns `indices` of `plan`, with the given output fields.
LogicalPlanPtr ProjectByIndex(const LogicalPlanPtr& plan, const std::vector<int>& indices,
                              const std::vector<Field>& fields);
BoundRelation MakeRelation(LogicalPlanPtr plan);
// " Did you mean "x"?" or "".
std::string Suggest(std::string_view name, const std::vector<std::string>& candidates);
bool ContainsAggregate(const Expr& e);
// Column references (name, qualifier) in `e`.
void CollectColumnRefs(const Expr& e, std::vector<const Expr*>& out);

// sql_bind_window.cpp
// A copy of `e` with fn applied to its children: arguments and window PARTITION / ORDER BY.
ExprPtr MapChildren(const ExprPtr& e, const std::function<ExprPtr(const ExprPtr&)>& fn);
bool ContainsWindow(const Expr& e);
// Replaces each window call in `e` by a reference to column "#w<k>", appending the call
// (aliased "#w<k>") to `windows` unless an identical call is there. Throws BindError for
// nested window calls.
ExprPtr ExtractWindows(const ExprPtr& e, std::vector<ExprPtr>& windows);
// Translates `expr` over `rel` where unqualified names may also be select-list aliases
// (FROM columns win), substituting the aliased expressions (QUALIFY).
ExprPtr TranslateWithAliases(SqlBinder& binder, const sql::Expr& expr, const BoundRelation& rel,
                             const BindScope* outer,
                             const std::vector<std::pair<std::string, ExprPtr>>& aliases);
// DISTINCT ON: the first row (by `order`) of each group of equal `on_columns` of `plan`;
// the output has one extra column (the row number) at the end.
LogicalPlanPtr KeepFirstPerGroup(const LogicalPlanPtr& plan, const std::vector<int>& on_columns,
                                 const std::vector<SortSpec>& order);

// sql_bind_grouping.cpp
// The grouping sets of one GROUP BY element, from the group ids of its expressions: one
// list for ROLLUP / CUBE / a plain expression, one list per set for GROUPING SETS.
std::vector<std::vector<size_t>> ExpandGroupingElement(sql::GroupingKind kind,
                                                        const std::vector<std::vector<size_t>>& lists);
// Every union of one set of `left` with one set of `right` (GROUP BY a, ROLLUP(b)).
std::vector<std::vector<size_t>> CrossGroupingSets(const std::vector<std::vector<size_t>>& left,
                                                   const std::vector<std::vector<size_t>>& right);
// A UNION ALL of one Aggregate per grouping set, each projected to the columns of an
// aggregate over all `groups` ("#g<i>", NULL where the set lacks the key), then the
// aggregates ("#a<j>"), then one BIGINT "#q<k>" per GROUPING() call (group ids per call).
LogicalPlanPtr MakeGroupingSets(const LogicalPlanPtr& child, const std::vector<ExprPtr>& groups,
                                const std::vector<ExprPtr>& aggregates,
                                const std::vector<std::vector<size_t>>& sets,
                                const std::vector<std::vector<size_t>>& grouping_calls);
}  // namespace sql_bind

}  // namespace sluice
