// The Session's view of its warehouse's Iceberg tables: time travel and metadata locations.
#include <fmt/format.h>

#include "api/session.h"
#include "catalog/file_table_store.h"
#include "expr/expr.h"
#include "iceberg/iceberg_source.h"
#include "iceberg/table_files.h"

namespace sluice {

namespace {

bool AllDigits(const std::string& text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

std::optional<std::string> Session::IcebergMetadataLocation(const std::string& name) const {
  std::shared_ptr<TableStore> store;
  try {
    store = FindStore(name);
  } catch (const UserError&) {
    return std::nullopt;  // not a usable catalog name
  }
  const auto* table = dynamic_cast<const FileTableStore*>(store.get());
  if (table == nullptr) return std::nullopt;
  return table->MetadataLocation();
}

LogicalPlanPtr Session::FindRelationAt(const std::string& name, const SnapshotChoice& at) {
  if (!HasTable(name)) return nullptr;
  const std::optional<std::string> location = IcebergMetadataLocation(name);
  if (!location) return CatalogReader::FindRelationAt(name, at);
  iceberg::SnapshotSelector selector;
  selector.snapshot_id = at.snapshot_id;
  selector.as_of_ms = at.as_of_ms;
  if (at.ref) {
    // VERSION AS OF '123' names snapshot 123 unless a branch or tag has that name.
    const iceberg::TableMetadata metadata = iceberg::LoadTableMetadata(*location);
    if (metadata.refs.count(*at.ref) == 0 && AllDigits(*at.ref)) {
      selector.snapshot_id = std::stoll(*at.ref);
    } else {
      selector.ref = at.ref;
    }
  }
  std::shared_ptr<const DataSource> source = iceberg::IcebergSource::Open(*location, selector);
  LogicalPlanPtr plan = MakeScan(source);
  // Iceberg has no TINYINT, SMALLINT or INTERVAL: columns the table still has come back as
  // the table's types.
  const Schema current = FindStore(name)->Current().schema;
  std::vector<ExprPtr> columns;
  bool cast = false;
  for (const auto& f : plan->schema.fields()) {
    const int i = current.Find(f.name);
    ExprPtr column = Col(f.name);
    if (i >= 0 && !(current.field(static_cast<size_t>(i)).type == f.type)) {
      column = Alias(CastTo(column, current.field(static_cast<size_t>(i)).type), f.name);
      cast = true;
    }
    columns.push_back(std::move(column));
  }
  return cast ? MakeProject(plan, columns) : plan;
}

}  // namespace sluice
