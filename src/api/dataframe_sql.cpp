#include "api/dataframe_sql.h"

#include <cmath>
#include <limits>

#include "api/dataframe.h"
#include "api/session.h"
#include "binder/sql_binder.h"
#include "common/strings.h"
#include "optimizer/cardinality.h"
#include "sql/parser.h"

namespace sluice {

namespace {

// The session's catalog with some names bound to given plans first.
class OverlayCatalog : public CatalogReader {
 public:
  OverlayCatalog(Session& session, const std::map<std::string, LogicalPlanPtr>& relations)
      : session_(session) {
    for (const auto& [name, plan] : relations) relations_[ToLower(name)] = plan;
  }

  LogicalPlanPtr FindRelation(const std::string& name) override {
    auto it = relations_.find(ToLower(name));
    return it != relations_.end() ? it->second : session_.FindRelation(name);
  }
  std::vector<std::string> TableNames() const override {
    std::vector<std::string> names = session_.TableNames();
    for (const auto& [name, plan] : relations_) names.push_back(name);
    return names;
  }
  Settings settings() const override { return session_.settings(); }
  std::optional<ScalarUdf> FindScalarUdf(const std::string& name) const override {
    return session_.FindScalarUdf(name);
  }
  std::vector<Batch> RunQuery(const LogicalPlan& plan) override { return session_.RunQuery(plan); }

 private:
  Session& session_;
  std::map<std::string, LogicalPlanPtr> relations_;
};

// Bytes of one value of `type` in a collected result.
int64_t ValueWidth(const LogicalType& type) {
  return type.id() == TypeId::kVarchar ? 32 : type.PhysicalSize();
}

}  // namespace

DataFrame SqlOverPlans(Session& session, const std::string& sql,
                       const std::map<std::string, LogicalPlanPtr>& relations) {
  OverlayCatalog catalog(session, relations);
  sql::StatementPtr statement =
      sql::ParseStatement(sql, session.settings().max_expression_depth());
  SqlBinder binder(catalog, sql);
  if (statement->kind != sql::StatementKind::kSelect) {
    binder.ThrowNotImplemented(*statement, "only queries can become a DataFrame");
  }
  return DataFrame(&session, binder.BindQuery(*statement->As<sql::SelectStatement>().query));
}

int64_t EstimateResultBytes(const LogicalPlan& plan) {
  int64_t row_width = 0;
  for (const Field& f : plan.schema.fields()) row_width += ValueWidth(f.type);
  const double bytes = opt::EstimateRows(plan) * static_cast<double>(row_width);
  if (!(bytes < static_cast<double>(std::numeric_limits<int64_t>::max()))) {
    return std::numeric_limits<int64_t>::max();
  }
  return static_cast<int64_t>(std::llround(bytes));
}

}  // namespace sluice
