#include "dbt/snapshot.h"

#include <fmt/format.h>

#include "common/error.h"
#include "common/strings.h"

namespace sluice::dbt {

namespace {

std::string Join(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

}  // namespace

NodeOutcome BuildSnapshot(Materializer& materializer, const Node& node, const std::string& sql) {
  const std::vector<std::string> key = ConfigList(node, "unique_key");
  if (key.empty()) throw InvalidInputError("snapshot " + node.name + " needs a unique_key");
  const std::string strategy = ConfigString(node, "strategy", "timestamp");
  const std::string updated_at = ConfigString(node, "updated_at");
  if (strategy == "timestamp" && updated_at.empty()) {
    throw InvalidInputError("snapshot " + node.name +
                            " with strategy 'timestamp' needs updated_at");
  }
  if (strategy != "timestamp" && strategy != "check") {
    throw InvalidInputError("snapshot " + node.name + ": unknown strategy '" + strategy +
                            "' (supported: timestamp, check)");
  }

  const std::string target = node.relation;
  const std::string source = target + "__dbt_tmp";
  const std::string changes = target + "__dbt_changes";
  NodeOutcome outcome;
  materializer.Sql("create or replace table " + source + " as " + sql);
  materializer.CheckUniqueKey(source, key);
  std::vector<std::string> columns;
  for (const auto& c : materializer.Columns(source)) columns.push_back(c.name);

  std::vector<std::string> key_text;
  for (const auto& k : key) key_text.push_back("coalesce(cast(dbt_src." + k + " as varchar), '')");
  // When this version of the row starts: its updated_at, or the time of this snapshot run.
  const std::string valid_from = strategy == "timestamp"
                                     ? "cast(dbt_src." + updated_at + " as timestamp)"
                                     : "cast(now() as timestamp)";
  const std::string scd_id = fmt::format("cast(hash({} || '|' || cast({} as varchar)) as varchar)",
                                         Join(key_text, " || '|' || "), valid_from);
  const std::string new_rows_select = fmt::format(
      "select {}, {} as dbt_scd_id, {} as dbt_updated_at, {} as dbt_valid_from, "
      "cast(null as timestamp) as dbt_valid_to",
      Join(
          [&] {
            std::vector<std::string> v;
            for (const auto& c : columns) v.push_back("dbt_src." + c);
            return v;
          }(),
          ", "),
      scd_id, valid_from, valid_from);

  if (!materializer.IsTable(target)) {
    materializer.Sql(fmt::format("create or replace table {} as {} from {} as dbt_src", changes,
                                 new_rows_select, source));
    outcome.rows_affected = materializer.Count(changes);
    materializer.SwapInTable(changes, target);
    materializer.Sql("drop table if exists " + source);
    outcome.message = fmt::format("INSERT {}", outcome.rows_affected);
    return outcome;
  }

  std::vector<std::string> on, changed;
  for (const auto& k : key) on.push_back(fmt::format("dbt_cur.{0} = dbt_src.{0}", k));
  if (strategy == "timestamp") {
    changed.push_back(fmt::format("{} > dbt_cur.dbt_updated_at", valid_from));
  } else {
    std::vector<std::string> check = ConfigList(node, "check_cols");
    if (check.empty() || (check.size() == 1 && ToLower(check[0]) == "all")) check = columns;
    for (const auto& c : check) {
      changed.push_back(fmt::format(
          "not (dbt_src.{0} = dbt_cur.{0} or (dbt_src.{0} is null and dbt_cur.{0} is null))", c));
    }
  }
  // The new versions: keys without a current row, and current rows that changed.
  materializer.Sql(fmt::format(
      "create or replace table {0} as {1} from {2} as dbt_src left join "
      "(select * from {3} where dbt_valid_to is null) as dbt_cur on {4} "
      "where dbt_cur.dbt_scd_id is null or ({5})",
      changes, new_rows_select, source, target, Join(on, " and "), Join(changed, " or ")));
  outcome.rows_affected = materializer.Count(changes);
  if (outcome.rows_affected > 0) {
    std::vector<std::string> old_columns, change_on;
    for (const auto& c : materializer.Columns(target)) {
      old_columns.push_back(
          c.name == "dbt_valid_to"
              ? "case when dbt_cur.dbt_valid_to is null and dbt_chg.dbt_scd_id is "
                "not null then dbt_chg.dbt_valid_from else dbt_cur.dbt_valid_to "
                "end as dbt_valid_to"
              : "dbt_cur." + c.name);
    }
    for (const auto& k : key) change_on.push_back(fmt::format("dbt_cur.{0} = dbt_chg.{0}", k));
    std::vector<std::string> change_columns;
    for (const auto& c : materializer.Columns(target)) change_columns.push_back(c.name);
    // One commit: current rows of changed keys are closed and their new versions added.
    materializer.Sql(fmt::format(
        "create or replace table {0} as select {1} from {0} as dbt_cur left join {2} as dbt_chg "
        "on {3} union all select {4} from {2}",
        target, Join(old_columns, ", "), changes, Join(change_on, " and "),
        Join(change_columns, ", ")));
  }
  materializer.Sql("drop table if exists " + changes);
  materializer.Sql("drop table if exists " + source);
  outcome.message = fmt::format("SNAPSHOT {}", outcome.rows_affected);
  return outcome;
}

}  // namespace sluice::dbt
