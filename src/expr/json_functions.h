#pragma once

#include <string>

#include "expr/function_registry.h"
#include "types/value.h"

// Shared by the JSON scalar functions (scalar_json.cpp) and aggregates (aggregates_json.cpp).
namespace sluice {

// Appends the JSON form of one SQL value: numbers as numbers (DECIMAL through DOUBLE, as
// DuckDB does), BOOLEAN as true/false, NULL as null, text and temporal values as strings.
void AppendValueJson(const Value& value, std::string* out);

// json_group_array(x) and json_group_object(key, value).
void RegisterJsonAggregates(FunctionRegistry& registry);

}  // namespace sluice
