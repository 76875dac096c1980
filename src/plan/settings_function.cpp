#include "plan/settings_function.h"

#include <algorithm>

#include "vector/batch.h"

namespace sluice {

LogicalPlanPtr SettingsTablePlan(const Settings& settings) {
  std::vector<const SettingEntry*> entries;
  for (const SettingEntry& entry : SettingTable()) entries.push_back(&entry);
  std::sort(entries.begin(), entries.end(),
            [](const SettingEntry* a, const SettingEntry* b) { return a->name < b->name; });
  Schema schema;
  for (const char* name : {"name", "value", "description", "input_type", "scope"}) {
    schema.Add(Field{name, TypeId::kVarchar, false, ""});
  }
  const size_t n = entries.size();
  std::vector<ColumnPtr> columns;
  for (size_t c = 0; c < schema.size(); c++) {
    auto column = Column::Make(TypeId::kVarchar, n);
    for (size_t r = 0; r < n; r++) {
      const SettingEntry& e = *entries[r];
      std::string cell;
      switch (c) {
        case 0: cell = e.name; break;
        case 1: cell = FormatSettingValue(e, settings.ValueOf(e.id)); break;
        case 2: cell = e.description; break;
        case 3: cell = SettingTypeName(e.type); break;
        default: cell = SettingScopeName(e.scope); break;
      }
      column->SetValue(r, Value::Varchar(std::move(cell)));
    }
    column->set_size(n);
    columns.push_back(std::move(column));
  }
  std::vector<Batch> batches;
  batches.emplace_back(std::move(columns), n);
  return MakeValues(std::move(schema), std::move(batches));
}

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
