#include "stream/lookup_tables.h"

#include "api/dataframe.h"
#include "catalog/sql_catalog.h"
#include "catalog/warehouse.h"
#include "iceberg/iceberg_source.h"

namespace sluice::stream {

namespace {

void FindIn(const sql::TableRef* ref, std::vector<std::string>& out) {
  if (ref == nullptr) return;
  switch (ref->kind) {
    case sql::TableRefKind::kBaseTable:
      if (ref->time_travel == sql::TimeTravelKind::kTimestamp && ref->time_travel_at &&
          ref->time_travel_at->kind == sql::ExprKind::kColumnRef) {
        out.push_back(ref->name.ToString());
      }
      break;
    case sql::TableRefKind::kSubquery:
      if (ref->query->kind == sql::QueryKind::kSelect) {
        FindIn(ref->query->As<sql::SelectNode>().from.get(), out);
      }
      break;
    case sql::TableRefKind::kJoin:
      FindIn(ref->left.get(), out);
      FindIn(ref->right.get(), out);
      break;
    default:
      break;
  }
}

}  // namespace

std::vector<std::string> LookupTables::Find(const sql::TableRef* from) {
  std::vector<std::string> out;
  FindIn(from, out);
  return out;
}

LookupTables::LookupTables(Session& session, std::vector<std::string> names)
    : session_(session), names_(std::move(names)) {
  if (!names_.empty()) {
    // The warehouse's catalog (catalog/warehouse.h), opened again to see other processes' commits.
    catalog_ = std::make_unique<SqlCatalog>(session_.warehouse().catalog_path());
  }
}

LookupTables::~LookupTables() = default;

void LookupTables::Refresh() {
  for (const std::string& name : names_) {
    const CatalogName catalog_name = ParseCatalogName(name);
    const std::optional<std::string> location =
        catalog_->Load(catalog_name.schema, catalog_name.name);
    // Not an Iceberg table of the warehouse (a view, a temporary table): the session's own.
    if (!location || locations_[name] == *location) continue;
    session_.RegisterView(
        name, DataFrame(&session_, MakeScan(iceberg::IcebergSource::Open(*location))), true);
    locations_[name] = *location;
  }
}

}  // namespace sluice::stream
