#include "io/table_function.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <mutex>

#include "common/error.h"
#include "common/setting_table.h"
#include "common/strings.h"
#include "io/file_format_registry.h"
#include "io/function_listing.h"
#include "io/json_format.h"
#include "io/json_reader.h"
#include "io/memory_table.h"
#include "io/range_source.h"

namespace sluice {

namespace {

// range(end) / range(start, end[, step]); generate_series includes `end`.
TableFunction MakeRangeFunction(std::string name, bool inclusive) {
  TableFunction f;
  f.name = name;
  f.description = inclusive ? "integers from start to end inclusive, by step"
                            : "integers from start up to (not including) end, by step";
  f.positional = {{"start", OptionType::kInteger, "", "first value (end when alone)", {}, {}},
                  {"end", OptionType::kInteger, "", "bound", {}, {}},
                  {"step", OptionType::kInteger, "1", "increment", {}, {}}};
  f.required_positional = 1;
  f.bind = [inclusive](const TableFunctionCall& call) {
    const std::vector<Value>& a = call.positional;
    int64_t start = 0, end = a[0].GetInt(), step = 1;
    if (a.size() >= 2) start = a[0].GetInt(), end = a[1].GetInt();
    if (a.size() == 3) step = a[2].GetInt();
    if (step == 0) throw BindError(call.name + "() step must not be zero");
    if (inclusive) end += step > 0 ? 1 : -1;
    return TableFunctionOutput{std::make_shared<RangeSource>(start, end, step, call.name), ""};
  };
  return f;
}

// read_json_objects(path[, format, maximum_object_size]): one JSON column holding each
// record's text as written; read_ndjson_objects reads newline-delimited files.
TableFunction MakeJsonObjectsFunction(std::string name, bool newline_delimited) {
  TableFunction f;
  f.name = name;
  f.description = "the JSON records of files (a path, directory or glob) as one column json";
  f.positional = {{"path", OptionType::kString, "", "file, directory or glob", {}, {}}};
  f.required_positional = 1;
  f.named = {{"format", OptionType::kString, newline_delimited ? "newline_delimited" : "auto",
              "record layout: auto, newline_delimited (nd), array, unstructured", {},
              {"auto", "newline_delimited", "nd", "array", "unstructured"}},
             {"maximum_object_size", OptionType::kInteger, "67108864",
              "longest record accepted, in bytes", {}, {}}};
  f.bind = [](const TableFunctionCall& call) {
    const std::string path = call.positional[0].ToString();
    JsonReadOptions options;
    options.records_as_text = true;
    options.format = ParseJsonRecordFormat(ToLower(call.named.String("format")));
    options.max_line_size = call.named.Int("maximum_object_size");
    return TableFunctionOutput{JsonSource::Open(path, options),
                               std::filesystem::path(path).stem().string()};
  };
  return f;
}

}  // namespace

std::vector<Value> TableFunction::ConvertPositional(const std::vector<Value>& values) const {
  if (values.size() < required_positional || values.size() > positional.size()) {
    std::vector<std::string> params;
    for (const OptionSpec& p : positional) {
      params.push_back(fmt::format("{} {}", p.name, OptionTypeName(p.type)));
    }
    const std::string count = required_positional == positional.size()
                                  ? std::to_string(positional.size())
                                  : fmt::format("{} to {}", required_positional, positional.size());
    throw BindError(fmt::format("{}() takes {} positional argument{} ({}), got {}", name, count,
                                positional.size() == 1 ? "" : "s", Join(params, ", "),
                                values.size()));
  }
  std::vector<Value> out;
  for (size_t i = 0; i < values.size(); i++) {
    out.push_back(ConvertOptionValue(positional[i], values[i], "function " + name));
  }
  return out;
}

TableFunction MakeReadFunction(const FileFormat& format, std::string name) {
  TableFunction f;
  f.name = std::move(name);
  f.description = fmt::format("reads {} files (a path, directory or glob)", format.name());
  f.positional = {{"path", OptionType::kString, "", "file, directory or glob", {}, {}}};
  f.required_positional = 1;
  f.named = format.read_options();
  const FileFormat* fmt_ptr = &format;
  f.bind = [fmt_ptr](const TableFunctionCall& call) {
    const std::string path = call.positional[0].ToString();
    return TableFunctionOutput{fmt_ptr->Open(path, call.named),
                               std::filesystem::path(path).stem().string()};
  };
  return f;
}

void TableFunctionRegistry::Register(TableFunction function) {
  function.name = ToLower(function.name);
  std::unique_lock lock(mutex_);
  if (functions_.count(function.name)) {
    throw InvalidInputError(
        fmt::format("table function \"{}\" is registered already", function.name));
  }
  std::string name = function.name;
  functions_.emplace(std::move(name), std::move(function));
}

std::optional<TableFunction> TableFunctionRegistry::Find(std::string_view name) const {
  const std::string lower = ToLower(name);
  {
    std::shared_lock lock(mutex_);
    auto it = functions_.find(lower);
    if (it != functions_.end()) return it->second;
  }
  if (formats_ == nullptr) return std::nullopt;
  for (const std::string& format_name : formats_->Names()) {
    const FileFormat* format = formats_->Find(format_name);
    if (lower == "read_" + format_name) return MakeReadFunction(*format, lower);
    for (const std::string& alias : format->read_function_aliases()) {
      if (lower == alias) return MakeReadFunction(*format, lower);
    }
  }
  return std::nullopt;
}

TableFunction TableFunctionRegistry::Get(std::string_view name) const {
  if (std::optional<TableFunction> f = Find(name)) return std::move(*f);
  std::string hint = DidYouMean(name, Names());
  const std::string prefix = ", did you mean ";
  if (hint.rfind(prefix, 0) == 0) hint = " Did you mean " + hint.substr(prefix.size());
  throw BindError(fmt::format("Table Function with name {} does not exist!{}", name, hint));
}

std::vector<std::string> TableFunctionRegistry::Names() const {
  std::vector<std::string> names;
  {
    std::shared_lock lock(mutex_);
    for (const auto& [name, f] : functions_) names.push_back(name);
  }
  if (formats_ != nullptr) {
    for (const std::string& format_name : formats_->Names()) {
      names.push_back("read_" + format_name);
      for (const std::string& alias : formats_->Find(format_name)->read_function_aliases()) {
        names.push_back(alias);
      }
    }
  }
  return names;
}

std::shared_ptr<const DataSource> SettingsTableSource(const Settings& settings) {
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
  return std::make_shared<MemoryTable>(std::move(schema), std::move(batches));
}

void RegisterBuiltinTableFunctions(TableFunctionRegistry& registry) {
  registry.Register(MakeRangeFunction("range", false));
  registry.Register(MakeRangeFunction("generate_series", true));
  registry.Register(MakeJsonObjectsFunction("read_json_objects", false));
  registry.Register(MakeJsonObjectsFunction("read_json_objects_auto", false));
  registry.Register(MakeJsonObjectsFunction("read_ndjson_objects", true));
  for (const char* name : {"duckdb_settings", "sluice_settings"}) {
    TableFunction f;
    f.name = name;
    f.description = "every setting: name, value, description, input_type, scope";
    f.bind = [](const TableFunctionCall& call) {
      const Settings defaults;
      return TableFunctionOutput{
          SettingsTableSource(call.context.settings ? *call.context.settings : defaults), ""};
    };
    registry.Register(std::move(f));
  }
  for (const char* name : {"duckdb_functions", "sluice_functions"}) {
    registry.Register(MakeFunctionListing(name));
  }
}

TableFunctionRegistry& TableFunctions() {
  static TableFunctionRegistry* registry = [] {
    auto* r = new TableFunctionRegistry(&FileFormats());  // never destroyed, like FileFormats()
    RegisterBuiltinTableFunctions(*r);
    return r;
  }();
  return *registry;
}

}  // namespace sluice
