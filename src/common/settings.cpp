#include "common/settings.h"

#include "common/error.h"

namespace sluice {

const SettingValue& Settings::ValueOf(SettingId id) const {
  const std::optional<SettingValue>& set = values_[Index(id)];
  return set.has_value() ? *set : SettingOf(id).default_value;
}

int64_t Settings::Integer(SettingId id) const { return std::get<int64_t>(ValueOf(id)); }

bool Settings::Bool(SettingId id) const { return std::get<bool>(ValueOf(id)); }

double Settings::Double(SettingId id) const { return std::get<double>(ValueOf(id)); }

const std::string& Settings::String(SettingId id) const {
  return std::get<std::string>(ValueOf(id));
}

Settings& Settings::Assign(SettingId id, SettingValue value) {
  ValidateSettingValue(SettingOf(id), value);
  values_[Index(id)] = std::move(value);
  return *this;
}

void Settings::Set(const std::string& name, const std::string& value) {
  const SettingEntry& entry = FindSetting(name);
  values_[Index(entry.id)] = ParseSettingValue(entry, value);
}

void Settings::Reset(const std::string& name) { values_[Index(FindSetting(name).id)].reset(); }

std::string Settings::Get(const std::string& name) const {
  const SettingEntry& entry = FindSetting(name);
  return FormatSettingValue(entry, ValueOf(entry.id));
}

void Settings::CopyGlobalsFrom(const Settings& session) {
  for (const SettingEntry& entry : SettingTable()) {
    if (entry.scope == SettingScope::kGlobal)
      values_[Index(entry.id)] = session.values_[Index(entry.id)];
  }
}

std::vector<std::string> Settings::Names() {
  std::vector<std::string> names;
  for (const SettingEntry& entry : SettingTable()) names.push_back(entry.name);
  return names;
}

int Settings::DefaultThreads() {
  return static_cast<int>(std::get<int64_t>(SettingOf(SettingId::kThreads).default_value));
}

}  // namespace sluice
