#pragma once

#include <string>

#include "common/settings.h"
#include "types/value.h"

namespace sluice {

// current_setting(name), the SQL face of the settings table (common/setting_table.h) that
// the binder plugs in (`duckdb_settings()` is a table function: io/table_function.h): the value of a setting typed as its input_type (threads is a
// BIGINT, memory_limit the VARCHAR SHOW prints). Throws InvalidInputError on an unknown name.
Value CurrentSettingValue(const Settings& settings, const std::string& name);

}  // namespace sluice
