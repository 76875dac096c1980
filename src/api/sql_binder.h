#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "api/session.h"
#include "plan/logical_plan.h"
#include "sql/ast.h"

namespace sluice {

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

// The names an expression can see. `outer` is the enclosing query's scope: correlated
// references are detected through it and rejected (decorrelation comes later).
struct BindScope {
  const BoundRelation* relation = nullptr;
  const BindScope* outer = nullptr;
};

// Translates SQL syntax trees into bound LogicalPlans against a session's catalog (DuckDB
// semantics). Errors are BindError / NotImplementedError whose message quotes the offending
// line of the script with a caret. Uncorrelated scalar, IN and EXISTS subqueries outside a
// WHERE conjunct run eagerly while binding and are inlined as constants.
class SqlBinder {
 public:
  // `script` is the whole text the AST positions refer to.
  SqlBinder(Session& session, std::string_view script) : session_(session), script_(script) {}

  LogicalPlanPtr BindQuery(const sql::QueryNode& query, const BindScope* outer = nullptr);
  // An AST expression as an unbound engine expression over `scope`.
  ExprPtr TranslateExpr(const sql::Expr& e, const BindScope& scope);
  // A constant expression (no columns) evaluated now.
  Value EvaluateConstantExpr(const sql::Expr& e);
  LogicalType TranslateType(const sql::TypeName& type);

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

  Session& session() { return session_; }
  std::string_view script() const { return script_; }
  // The AST node an engine expression was translated from (for carets), or null.
  const sql::AstNode* OriginOf(const Expr* e) const;

 private:
  [[noreturn]] void Relocate(const sql::AstNode& at, const UserError& e, bool not_implemented) const;

  // sql_binder.cpp
  LogicalPlanPtr BindSelect(const sql::SelectNode& node, const BindScope* outer);
  LogicalPlanPtr BindSetOperation(const sql::SetOperationNode& node, const BindScope* outer);
  LogicalPlanPtr BindValues(const sql::ValuesNode& node);
  LogicalPlanPtr ApplyModifiers(const sql::QueryNode& query, LogicalPlanPtr plan);

  // sql_bind_from.cpp
  BoundRelation BindFromWhere(const sql::SelectNode& node, const BindScope* outer);
  BoundRelation BindTableRef(const sql::TableRef& ref, const BindScope* outer);
  BoundRelation BindJoin(const sql::TableRef& ref, const BindScope* outer);
  BoundRelation BindTableFunction(const sql::TableRef& ref);
  BoundRelation BindInSubqueryJoin(BoundRelation rel, const sql::InExpr& in, const BindScope& scope);

  // sql_bind_expr.cpp
  ExprPtr ResolveColumn(const sql::ColumnRefExpr& ref, const BindScope& scope);
  ExprPtr TranslateFunction(const sql::FunctionExpr& f, const BindScope& scope);
  ExprPtr TranslateSubquery(const sql::SubqueryExpr& s, const BindScope& scope);
  ExprPtr TranslateInSubquery(const sql::InExpr& in, const BindScope& scope);
  ExprPtr Remember(ExprPtr e, const sql::AstNode& origin);

  Session& session_;
  std::string_view script_;
  std::map<std::string, LogicalPlanPtr> ctes_;  // lower-case name -> bound plan
  std::unordered_map<const Expr*, const sql::AstNode*> origins_;
};

// Helpers shared by the binder's files.
namespace sql_bind {
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
// Rows of values (already of the schema's types, or NULL) as batches.
std::vector<Batch> RowsToBatches(const Schema& schema, const std::vector<std::vector<Value>>& rows);
}  // namespace sql_bind

}  // namespace sluice
