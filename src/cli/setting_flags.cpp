#include "cli/setting_flags.h"

#include "common/strings.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "cli/cli.h"
#include "common/error.h"

namespace sluice {

namespace {

// "memory_limit" -> "memory-limit", "TimeZone" -> "timezone": settings are spelled in lower
// case with dashes on the command line.
std::string FlagName(std::string name) {
  std::replace(name.begin(), name.end(), '_', '-');
  return ToLower(name);
}

const char* ValueHint(SettingType type) {
  switch (type) {
    case SettingType::kInteger:
      return "N";
    case SettingType::kSize:
      return "SIZE";
    case SettingType::kBoolean:
      return "BOOL";
    case SettingType::kDouble:
      return "X";
    case SettingType::kString:
      return "TEXT";
  }
  return "VALUE";
}

// Applies one flag's value; a bad value's message names the flag.
void Apply(Settings& settings, const std::string& flag, const std::string& name,
           const std::string& value) {
  try {
    settings.Set(name, value);
  } catch (const InvalidInputError& e) {
    throw UsageError(fmt::format("{}: {}", flag, e.message()));
  }
}

}  // namespace

bool ParseSetFlag(const std::vector<std::string>& args, size_t& i, Settings& settings) {
  const std::string& flag = args[i];
  std::string assignment;
  if (flag == "--set") {
    assignment = NeedValue(args, i);
  } else if (flag.starts_with("--set=")) {
    assignment = flag.substr(6);
  } else {
    return false;
  }
  const size_t eq = assignment.find('=');
  if (eq == std::string::npos) {
    throw UsageError(fmt::format("--set needs name=value, got '{}'", assignment));
  }
  Apply(settings, "--set", assignment.substr(0, eq), assignment.substr(eq + 1));
  return true;
}

bool ParseSettingFlag(const std::vector<std::string>& args, size_t& i, Settings& settings) {
  if (ParseSetFlag(args, i, settings)) return true;
  const std::string& flag = args[i];
  if (!flag.starts_with("--")) return false;
  std::string name = flag.substr(2);
  std::optional<std::string> value;
  if (const size_t eq = name.find('='); eq != std::string::npos) {
    value = name.substr(eq + 1);
    name.resize(eq);
  }
  std::replace(name.begin(), name.end(), '-', '_');
  const SettingEntry* entry = LookupSetting(name);
  if (entry == nullptr) return false;
  const std::string shown = value ? flag.substr(0, flag.find('=')) : flag;
  if (!value) value = NeedValue(args, i);
  Apply(settings, shown, entry->name, *value);
  return true;
}

std::string SettingFlagsHelp() {
  std::string out;
  for (const SettingEntry& entry : SettingTable()) {
    out += fmt::format("      --{} {}  (default: {})\n          {}\n", FlagName(entry.name),
                       ValueHint(entry.type), SettingDefaultText(entry), entry.description);
  }
  return out;
}

}  // namespace sluice
