#include "plan/settings_function.h"

#include "common/setting_table.h"

namespace sluice {

Value CurrentSettingValue(const Settings& settings, const std::string& name) {
  const SettingEntry& entry = FindSetting(name);
  const SettingValue& value = settings.ValueOf(entry.id);
  switch (entry.type) {
    case SettingType::kInteger:
      return Value::BigInt(std::get<int64_t>(value));
    case SettingType::kBoolean:
      return Value::Boolean(std::get<bool>(value));
    case SettingType::kDouble:
      return Value::Double(std::get<double>(value));
    case SettingType::kSize:
    case SettingType::kString:
      break;
  }
  return Value::Varchar(FormatSettingValue(entry, value));
}

}  // namespace sluice
