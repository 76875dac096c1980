// Iceberg tables read at a snapshot (`t FOR VERSION AS OF v`, `t FOR TIMESTAMP AS OF ts`) and
// their metadata tables (`t$snapshots`, ...).
#include <fmt/format.h>

#include "binder/sql_binder.h"
#include "common/strings.h"
#include "io/table_function.h"
#include "types/date_time.h"

namespace sluice {

namespace {

// The table function that lists a metadata table of `t$<kind>`, or empty.
std::string MetadataFunction(const std::string& kind) {
  static constexpr std::pair<std::string_view, std::string_view> kTables[] = {
      {"snapshots", "iceberg_snapshots"},
      {"history", "iceberg_history"},
      {"refs", "iceberg_refs"},
      {"files", "iceberg_files"},
      {"partitions", "iceberg_partitions"},
  };
  for (const auto& [k, function] : kTables) {
    if (k == kind) return std::string(function);
  }
  return "";
}

// The time a FOR TIMESTAMP AS OF value names, in UTC milliseconds.
int64_t TimeOf(const Value& v) {
  switch (v.type().id()) {
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:  // now() - INTERVAL 1 DAY
      return v.GetInt() / 1000;
    case TypeId::kDate:
      return v.GetInt() * 86400000;
    case TypeId::kVarchar: {
      const std::optional<int64_t> micros = ParseTimestamp(v.GetString());
      if (!micros) throw InvalidInputError(fmt::format("'{}' is not a timestamp", v.GetString()));
      return *micros / 1000;
    }
    default:
      throw InvalidInputError(
          fmt::format("TIMESTAMP AS OF takes a timestamp, not {}", v.type().ToString()));
  }
}

}  // namespace

LogicalPlanPtr SqlBinder::BindTimeTravel(const sql::TableRef& ref, const std::string& qualified) {
  const sql::Expr& at = *ref.time_travel_at;
  const Value v = EvaluateConstantExpr(at);
  if (v.is_null()) ThrowBind(at, "AS OF takes a value, not NULL");
  SnapshotChoice choice;
  try {
    if (ref.time_travel == sql::TimeTravelKind::kTimestamp) {
      choice.as_of_ms = TimeOf(v);
    } else if (v.type().IsInteger()) {
      choice.snapshot_id = v.GetInt();
    } else if (v.type().id() == TypeId::kVarchar) {
      choice.ref = v.GetString();
    } else {
      throw InvalidInputError(
          fmt::format("VERSION AS OF takes a snapshot id or a branch or tag name, not {}",
                      v.type().ToString()));
    }
    LogicalPlanPtr plan = catalog_.FindRelationAt(qualified, choice);
    if (plan == nullptr) {
      ThrowBind(ref, fmt::format("Table with name {} does not exist!{}", ref.name.parts.back(),
                                 sql_bind::Suggest(ref.name.parts.back(), catalog_.TableNames())));
    }
    return plan;
  } catch (const InvalidInputError& e) {
    std::string message = e.message();
    if (message.starts_with("the table ")) message = message.substr(10);
    ThrowBind(at, fmt::format("table {} {}", qualified, message));
  }
}

void SqlBinder::BindTableFunctionTimeTravel(const sql::TableRef& ref, TableFunctionCall& call) {
  const sql::Expr& at = *ref.time_travel_at;
  const Value v = EvaluateConstantExpr(at);
  if (v.is_null()) ThrowBind(at, "AS OF takes a value, not NULL");
  std::string option;
  Value value = v;
  if (ref.time_travel == sql::TimeTravelKind::kTimestamp) {
    option = "snapshot_from_timestamp";
    value = Value::Varchar(v.ToString());
  } else if (v.type().IsInteger()) {
    option = "snapshot_from_id";
  } else if (v.type().id() == TypeId::kVarchar) {
    option = "ref";
  } else {
    ThrowBind(at, fmt::format("VERSION AS OF takes a snapshot id or a branch or tag name, not {}",
                              v.type().ToString()));
  }
  if (call.named.Has(option)) ThrowBind(at, fmt::format("{} is given twice", option));
  try {
    call.named.Set(option, value);
  } catch (const UserError&) {
    ThrowBind(at, fmt::format("{} does not read a table at a snapshot (AS OF)", call.name));
  }
}

LogicalPlanPtr SqlBinder::BindMetadataTable(const sql::TableRef& ref,
                                            const std::string& qualified) {
  const size_t dollar = qualified.rfind('$');
  if (dollar == std::string::npos || dollar == 0) return nullptr;
  const std::string function_name = MetadataFunction(ToLower(qualified.substr(dollar + 1)));
  if (function_name.empty()) return nullptr;
  const std::optional<std::string> location =
      catalog_.IcebergMetadataLocation(qualified.substr(0, dollar));
  if (!location) return nullptr;
  const TableFunction function = At(ref, [&] { return TableFunctions().Get(function_name); });
  const Settings settings = catalog_.settings();
  TableFunctionCall call{
      function_name,
      {},
      OptionValues(&function.named, "function " + function_name, "Invalid named parameter"),
      TableFunctionContext{&settings}};
  call.positional =
      At(ref, [&] { return function.ConvertPositional({Value::Varchar(*location)}); });
  try {
    return MakeScan(function.bind(call).source);
  } catch (const InvalidInputError& e) {
    ThrowBind(ref, e.message());
  }
}

}  // namespace sluice
