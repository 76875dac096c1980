#include "dbt/schema_change.h"

#include <fmt/format.h>

#include "common/error.h"
#include "common/strings.h"
#include "dbt/materialization.h"

namespace sluice::dbt {

namespace {

const RelationColumn* FindColumn(const std::vector<RelationColumn>& columns,
                                 const std::string& name) {
  for (const auto& c : columns) {
    if (EqualsIgnoreCase(c.name, name)) return &c;
  }
  return nullptr;
}

std::string Names(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace

std::vector<std::string> ApplyOnSchemaChange(Materializer& materializer, const std::string& mode,
                                             const std::string& target, const std::string& temp) {
  if (mode != "ignore" && mode != "fail" && mode != "append_new_columns" &&
      mode != "sync_all_columns") {
    throw InvalidInputError("unknown on_schema_change '" + mode +
                            "' (supported: ignore, fail, append_new_columns, sync_all_columns)");
  }
  const std::vector<RelationColumn> old_columns = materializer.Columns(target);
  const std::vector<RelationColumn> new_columns = materializer.Columns(temp);
  std::vector<std::string> added, removed, retyped;
  for (const auto& c : new_columns) {
    const RelationColumn* old = FindColumn(old_columns, c.name);
    if (old == nullptr) {
      added.push_back(c.name);
    } else if (old->type != c.type) {
      retyped.push_back(c.name);
    }
  }
  for (const auto& c : old_columns) {
    if (FindColumn(new_columns, c.name) == nullptr) removed.push_back(c.name);
  }

  std::vector<std::string> written;
  if (mode == "ignore" || (added.empty() && removed.empty() && retyped.empty())) {
    for (const auto& c : old_columns) {
      if (FindColumn(new_columns, c.name) != nullptr) written.push_back(c.name);
    }
    return written;
  }
  if (mode == "fail") {
    std::string detail;
    if (!added.empty()) detail += "\n  new columns: " + Names(added);
    if (!removed.empty()) detail += "\n  removed columns: " + Names(removed);
    if (!retyped.empty()) detail += "\n  columns with a new type: " + Names(retyped);
    throw InvalidInputError("the schema of " + target +
                            " changed and on_schema_change is 'fail':" + detail);
  }

  // The rebuilt target: old columns (cast to the new type under sync_all_columns, dropped
  // when sync_all_columns and gone from the new rows), then the new columns as NULL.
  const bool sync = mode == "sync_all_columns";
  std::string projection;
  auto add = [&](const std::string& expr) {
    projection += (projection.empty() ? "" : ", ") + expr;
  };
  for (const auto& c : old_columns) {
    const RelationColumn* now = FindColumn(new_columns, c.name);
    if (now == nullptr) {
      if (sync) continue;
      add(c.name);
      continue;
    }
    written.push_back(c.name);
    add(sync && now->type != c.type ? fmt::format("cast({0} as {1}) as {0}", c.name, now->type)
                                    : c.name);
  }
  for (const auto& name : added) {
    add(fmt::format("cast(null as {}) as {}", FindColumn(new_columns, name)->type, name));
    written.push_back(name);
  }
  if (!sync && added.empty()) return written;  // only removals or type changes: nothing to add
  materializer.Sql(
      fmt::format("create or replace table {0} as select {1} from {0}", target, projection));
  return written;
}

}  // namespace sluice::dbt
