#pragma once

#include <string>
#include <vector>

#include "common/settings.h"

namespace sluice {

// Command-line flags for every entry of the settings table (common/setting_table.h):
// `--<name> VALUE` with the name's underscores written as dashes (--memory-limit 4GB,
// --shuffle-partitions 8, aliases too: --worker-threads 4), `--<name>=VALUE`, and
// `--set name=value`.
//
// When args[i] is such a flag, applies it to `settings`, moves `i` to the flag's last word
// and returns true; returns false, touching nothing, for any other argument. Throws
// InvalidInputError on a missing or bad value and, for --set, on an unknown name.
bool ParseSettingFlag(const std::vector<std::string>& args, size_t& i, Settings& settings);
// Only the `--set name=value` form, for commands whose own flags share a setting's name
// (dbt's --threads counts models run at once, not engine threads).
bool ParseSetFlag(const std::vector<std::string>& args, size_t& i, Settings& settings);
// The --help lines listing every setting's flag, description and default.
std::string SettingFlagsHelp();

}  // namespace sluice
