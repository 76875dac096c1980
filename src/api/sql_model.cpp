#include "api/sql_model.h"

#include <set>

#include <fmt/format.h>

#include "api/session.h"
#include "binder/sql_binder.h"
#include "catalog/table_store.h"
#include "common/strings.h"
#include "ml/trainer.h"

namespace sluice {

namespace {

// An option value as text: strings as they are, lists as their elements joined by ",",
// structs (class_weights' STRUCT(label, weight)) as their fields joined by ":".
std::string OptionText(const Value& v) {
  if (v.is_null()) return "";
  if (v.type().id() == TypeId::kList || v.type().id() == TypeId::kStruct) {
    std::vector<std::string> parts;
    for (const Value& e : v.GetChildren()) parts.push_back(OptionText(e));
    return Join(parts, v.type().id() == TypeId::kList ? "," : ":");
  }
  if (v.type().id() == TypeId::kVarchar) return v.GetString();
  return v.ToString();
}

void CollectTables(const sql::TableRef& ref, std::set<std::string>& out);

void CollectTables(const sql::QueryNode& query, std::set<std::string>& out) {
  if (query.kind == sql::QueryKind::kSelect) {
    const auto& select = query.As<sql::SelectNode>();
    if (select.from) CollectTables(*select.from, out);
  } else if (query.kind == sql::QueryKind::kSetOperation) {
    const auto& set = query.As<sql::SetOperationNode>();
    CollectTables(*set.left, out);
    CollectTables(*set.right, out);
  }
}

void CollectTables(const sql::TableRef& ref, std::set<std::string>& out) {
  switch (ref.kind) {
    case sql::TableRefKind::kBaseTable: out.insert(Join(ref.name.parts, ".")); break;
    case sql::TableRefKind::kSubquery: CollectTables(*ref.query, out); break;
    case sql::TableRefKind::kJoin:
      CollectTables(*ref.left, out);
      CollectTables(*ref.right, out);
      break;
    default: break;
  }
}

}  // namespace

StatementResult RunCreateModel(Session& session, SqlBinder& binder,
                               const sql::CreateModelStatement& statement) {
  const std::string name = Join(statement.name.parts, ".");
  StatementResult done;
  done.message = "CREATE MODEL";
  if (session.FindModel(name) != nullptr && !statement.or_replace) {
    if (statement.if_not_exists) return done;
    binder.ThrowBind(statement.name, fmt::format("Model with name {} already exists!", name));
  }
  std::vector<std::pair<std::string, std::string>> written;
  for (const auto& [key, expr] : statement.options) {
    written.emplace_back(ToLower(key), OptionText(binder.EvaluateConstantExpr(*expr)));
  }
  ml::TrainingOptions options;
  try {
    options = ml::TrainingOptions::Parse(written);
  } catch (const InvalidInputError& e) {
    binder.ThrowBind(statement, e.message());
  }
  LogicalPlanPtr plan = binder.BindQuery(*statement.query);
  const std::vector<Batch> batches = session.Execute(*plan);
  std::unique_ptr<ml::Model> model;
  try {
    model = ml::Train(name, options, plan->schema, batches);
  } catch (const InvalidInputError& e) {
    binder.ThrowBind(statement, e.message());
  }
  std::set<std::string> tables;
  CollectTables(*statement.query, tables);
  for (const std::string& table : tables) {
    if (auto store = session.FindStore(table)) {
      model->lineage.emplace_back(table, store->Current().snapshot_id);
    }
  }
  session.models().Save(std::move(model));
  return done;
}

}  // namespace sluice
