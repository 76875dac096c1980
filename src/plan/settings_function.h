#pragma once

#include <string>

#include "common/settings.h"
#include "plan/logical_plan.h"
#include "types/value.h"

namespace sluice {

// The SQL face of the settings table (common/setting_table.h), so that the binder only
// plugs these in: `duckdb_settings()` (also `sluice_settings()`) and `current_setting(name)`.

// duckdb_settings(): one row per setting, ordered by name, with DuckDB's columns name,
// value (as SHOW prints it), description, input_type (BIGINT, VARCHAR, BOOLEAN, DOUBLE) and
// scope (LOCAL or GLOBAL); all VARCHAR. Values are those of `settings`.
LogicalPlanPtr SettingsTablePlan(const Settings& settings);

// current_setting(name): the value of a setting typed as its input_type (threads is a
// BIGINT, memory_limit the VARCHAR SHOW prints). Throws InvalidInputError on an unknown name.
Value CurrentSettingValue(const Settings& settings, const std::string& name);

}  // namespace sluice
