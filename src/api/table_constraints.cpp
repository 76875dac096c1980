#include "api/table_constraints.h"

#include <fmt/format.h>

#include "api/session.h"
#include "binder/sql_binder.h"
#include "catalog/constraint_target.h"
#include "catalog/warehouse.h"
#include "expr/binder.h"
#include "sql/parser.h"

namespace sluice {

namespace {

// A scope over `schema` for stored constraint text.
BoundRelation RelationOf(const Schema& schema) {
  BoundRelation relation;
  relation.schema = UnqualifiedSchema(schema);
  relation.hidden.assign(schema.size(), false);
  return relation;
}

}  // namespace

TableConstraints ConstraintsOf(const sql::CreateTableStatement& create) {
  TableConstraints out;
  bool any_default = false;
  for (const auto& column : create.columns) {
    out.defaults.push_back(column.default_value ? column.default_value->ToString() : "");
    any_default = any_default || column.default_value != nullptr;
    if (column.check) out.checks.push_back(column.check->ToString());
  }
  if (!any_default) out.defaults.clear();
  for (const auto& check : create.checks) out.checks.push_back(check->ToString());
  for (const auto& column : create.columns) {
    if (column.primary_key) out.keys.push_back({{column.name}, true});
  }
  if (!create.primary_key.empty()) out.keys.push_back({create.primary_key, true});
  for (const auto& column : create.columns) {
    if (column.unique) out.keys.push_back({{column.name}, false});
  }
  for (const auto& key : create.uniques) out.keys.push_back({key, false});
  return out;
}

ExprPtr BindViolation(Session& session, const std::string& sql, const Schema& schema) {
  const sql::ExprPtr ast = sql::ParseExpression(sql, session.settings().max_expression_depth());
  SqlBinder binder(session, sql);
  const BoundRelation relation = RelationOf(schema);
  const BindScope scope{&relation, nullptr};
  return BindExpression(Not(binder.TranslateExpr(*ast, scope)), relation.schema);
}

std::shared_ptr<const DataTarget> WithConstraints(Session& session, const std::string& name,
                                                  const Snapshot& table,
                                                  std::shared_ptr<const DataTarget> target,
                                                  KeyCheck key_check,
                                                  std::shared_ptr<const DataSource> existing) {
  bool not_null = false;
  for (const auto& f : table.schema.fields()) not_null = not_null || !f.nullable;
  std::vector<ConstraintTarget::Key> keys;
  if (key_check != KeyCheck::kNone) {
    for (const auto& key : table.constraints.keys) {
      ConstraintTarget::Key k;
      k.primary = key.primary;
      for (const auto& column : key.columns) {
        const int i = table.schema.Find(column);
        if (i >= 0) k.columns.push_back(i);
      }
      if (k.columns.size() == key.columns.size()) keys.push_back(std::move(k));
    }
  }
  if (!not_null && table.constraints.checks.empty() && keys.empty()) return target;
  std::vector<ConstraintTarget::Check> checks;
  for (const auto& sql : table.constraints.checks) {
    checks.push_back({BindViolation(session, sql, table.schema), sql});
  }
  return std::make_shared<ConstraintTarget>(std::move(target), ParseCatalogName(name).name,
                                            table.schema, std::move(checks), std::move(keys),
                                            std::move(existing), key_check == KeyCheck::kRewrite);
}

ExprPtr DefaultValueOrNull(Session& session, const Snapshot& table, size_t i,
                           const LogicalType& type) {
  return i < table.schema.size() ? DefaultValueOf(session, table, i) : Lit(Value::Null(type));
}

ExprPtr DefaultValueOf(Session& session, const Snapshot& table, size_t i) {
  const LogicalType& type = table.schema.field(i).type;
  const std::string& sql = table.constraints.DefaultOf(i);
  if (sql.empty()) return Lit(Value::Null(type));
  const sql::ExprPtr ast = sql::ParseExpression(sql, session.settings().max_expression_depth());
  SqlBinder binder(session, sql);
  const BoundRelation none;
  return CastTo(binder.TranslateExpr(*ast, BindScope{&none, nullptr}), type);
}

}  // namespace sluice
