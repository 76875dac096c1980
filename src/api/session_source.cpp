// Tables over streams (connector DDL): stored as view entries carrying their
// SourceDefinition, read by batch queries through the connector registry.
#include <fmt/format.h>

#include "api/session.h"
#include "common/error.h"

namespace sluice {

void Session::CreateSource(const std::string& name, const SourceDefinition& def,
                           const std::string& sql, bool replace) {
  const CatalogName catalog_name = ParseCatalogName(name);
  if (HasTable(name)) {
    if (!replace) throw InvalidInputError(fmt::format("table or view \"{}\" already exists", name));
    if (IsTable(name)) {
      throw InvalidInputError(fmt::format("\"{}\" is a stored table; DROP it first", name));
    }
  }
  warehouse_->CreateView(catalog_name, ViewDefinition{sql, {}, def.ToJson()});
}

std::optional<SourceDefinition> Session::FindSource(const std::string& name) const {
  const CatalogName catalog_name = ParseCatalogName(name);
  if (!warehouse_->HasView(catalog_name)) return std::nullopt;
  const ViewDefinition view = warehouse_->View(catalog_name);
  if (view.source.empty()) return std::nullopt;
  return SourceDefinition::FromJson(view.source, "of table " + catalog_name.Display());
}

LogicalPlanPtr Session::SourcePlan(const ViewDefinition& view, const std::string& name) const {
  const SourceDefinition def = SourceDefinition::FromJson(view.source, "of table " + name);
  const Connector* connector = Connectors().Find(def.connector());
  if (connector == nullptr) {
    throw InvalidInputError(fmt::format(
        "table {} reads connector '{}', which this program does not have (the sluice command "
        "registers filesystem, kafka, nexmark and redis-stream)",
        name, def.connector()));
  }
  return MakeScan(connector->open_bounded(def));
}

}  // namespace sluice
