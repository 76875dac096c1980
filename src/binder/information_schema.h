#pragma once

#include <string>

#include "binder/catalog_reader.h"
#include "plan/logical_plan.h"

namespace sluice {

// The SQL standard's information_schema views over a catalog, with DuckDB's columns:
// schemata, tables, columns and views. `table` is the part after "information_schema."
// (case-insensitive); returns null for a name that is not one of them. The rows are read from
// `catalog` now (a plan over an in-memory snapshot).
LogicalPlanPtr InformationSchemaRelation(const std::string& table, CatalogReader& catalog);

}  // namespace sluice
