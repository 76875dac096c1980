#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/settings.h"
#include "io/data_source.h"
#include "io/option_spec.h"

namespace sluice {

class FileFormat;
class FileFormatRegistry;

// What a table function's bind callback may use besides its arguments (never the Session:
// table functions sit below the binder and the API).
struct TableFunctionContext {
  const Settings* settings = nullptr;  // the query's settings; may be null
};

// The arguments of one call, validated: positional values converted to the declared types,
// named ones set in `named` (against the function's named parameters).
struct TableFunctionCall {
  std::string name;  // as called, lower-case
  std::vector<Value> positional;
  OptionValues named;
  TableFunctionContext context;
};

// What a call produces: the rows (a source the scan reads) and the qualifier its columns get
// when the query gives no alias ("" = the function's name).
struct TableFunctionOutput {
  std::shared_ptr<const DataSource> source;
  std::string alias;
};

// A function in FROM (range(10), read_csv('x.csv', header = true)): its parameters (typed,
// so the binder checks calls before `bind` runs) and the callback that makes the source.
struct TableFunction {
  std::string name;  // lower-case
  std::string description;
  // Positional parameters in order; those from `required_positional` on may be left out.
  std::vector<OptionSpec> positional;
  size_t required_positional = 0;
  std::vector<OptionSpec> named;
  // Throws UserError subclasses (BindError without a location: the binder adds it).
  std::function<TableFunctionOutput(const TableFunctionCall&)> bind;

  // Checks the count and converts the types of positional arguments (BindError otherwise).
  std::vector<Value> ConvertPositional(const std::vector<Value>& values) const;
};

// The table functions: those registered by name, and read_<format> (plus the format's
// aliases) for every format of a FileFormatRegistry, derived when looked up, so a registered
// format has its read function with no second registration. Thread-safe.
class TableFunctionRegistry {
 public:
  // `formats` (may be null) must outlive the registry.
  explicit TableFunctionRegistry(const FileFormatRegistry* formats) : formats_(formats) {}

  // Throws InvalidInputError when the name is taken.
  void Register(TableFunction function);
  // The function called `name` (any case), or nullopt.
  std::optional<TableFunction> Find(std::string_view name) const;
  // The function called `name`; BindError "Table Function with name x does not exist!" with
  // a suggestion otherwise.
  TableFunction Get(std::string_view name) const;
  // Registered names, then the derived read functions.
  std::vector<std::string> Names() const;

 private:
  mutable std::shared_mutex mutex_;
  std::map<std::string, TableFunction> functions_;
  const FileFormatRegistry* formats_;
};

// read_<format>(path, options...) (or `name`, one of its aliases): a scan of the files, the
// file name's stem as the default qualifier.
TableFunction MakeReadFunction(const FileFormat& format, std::string name);

// The process-wide registry over FileFormats(), with the built-in functions registered on
// first use.
TableFunctionRegistry& TableFunctions();

// Registers range and generate_series: one line per function.
void RegisterBuiltinTableFunctions(TableFunctionRegistry& registry);

// duckdb_settings() (also sluice_settings()): one row per setting of `settings`, ordered by
// name, with DuckDB's columns name, value (as SHOW prints it), description, input_type
// (BIGINT, VARCHAR, BOOLEAN, DOUBLE) and scope (LOCAL or GLOBAL); all VARCHAR.
std::shared_ptr<const DataSource> SettingsTableSource(const Settings& settings);

}  // namespace sluice
