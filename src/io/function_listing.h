#pragma once

#include "io/table_function.h"

namespace sluice {

// duckdb_functions() (also sluice_functions()): one row per scalar, aggregate and table
// function (database_name, schema_name, function_name, function_type, description, internal),
// read from the function registries when the call is bound.
TableFunction MakeFunctionListing(const std::string& name);

}  // namespace sluice
