#include "dbt/microbatch.h"

#include <fmt/format.h>

#include "api/sql_runner.h"
#include "common/error.h"
#include "common/strings.h"
#include "dbt/schema_change.h"

#include "sql/ast_expr.h"

namespace sluice::dbt {

namespace {

// SQL string literals, quoted as the SQL front end writes them.
using sql::QuoteString;

std::string TimestampLiteral(const std::string& text) {
  return "cast(" + QuoteString(text) + " as timestamp)";
}

// The non-NULL values of column `c` of the last statement's rows, as text.
std::vector<std::string> ColumnValues(const std::vector<StatementResult>& results, size_t c = 0) {
  std::vector<std::string> out;
  for (auto it = results.rbegin(); it != results.rend(); ++it) {
    if (!it->has_rows) continue;
    for (const auto& batch : it->batches) {
      for (size_t r = 0; r < batch.num_rows(); ++r) {
        const Value v = batch.column(c)->GetValue(r);
        if (!v.is_null()) out.push_back(v.ToString());
      }
    }
    return out;
  }
  return out;
}

}  // namespace

NodeOutcome BuildMicrobatch(Materializer& materializer, const Node& node, const std::string& sql,
                            bool is_incremental, const std::string& start, const std::string& end) {
  const std::string event_time = ConfigString(node, "event_time");
  if (event_time.empty())
    throw InvalidInputError("microbatch model " + node.name + " needs event_time");
  const std::string unit = ToLower(ConfigString(node, "batch_size"));
  if (unit != "hour" && unit != "day" && unit != "month" && unit != "year") {
    throw InvalidInputError("microbatch model " + node.name +
                            " needs batch_size hour, day, month "
                            "or year (got '" +
                            unit + "')");
  }
  const std::string begin = ConfigString(node, "begin");
  const std::string lookback_text = ConfigString(node, "lookback", "1");
  int lookback = 1;
  try {
    lookback = std::stoi(lookback_text);
  } catch (const std::exception&) {
    throw InvalidInputError("microbatch lookback must be a number of batches, got '" +
                            lookback_text + "'");
  }
  const std::string now_batch = fmt::format("date_trunc('{}', now())", unit);
  std::string start_expr, end_expr;
  if (!start.empty()) {
    start_expr = fmt::format("date_trunc('{}', {})", unit, TimestampLiteral(start));
  } else if (!is_incremental) {
    if (begin.empty()) throw InvalidInputError("microbatch model " + node.name + " needs begin");
    start_expr = fmt::format("date_trunc('{}', {})", unit, TimestampLiteral(begin));
  } else {
    start_expr = fmt::format("{} - interval '{} {}'", now_batch, lookback, unit);
  }
  end_expr =
      !end.empty() ? TimestampLiteral(end) : fmt::format("{} + interval '1 {}'", now_batch, unit);
  const auto bounds = materializer.Sql(
      fmt::format("select cast({} as varchar) as range_start, cast({} as varchar) as range_end",
                  start_expr, end_expr));
  const std::vector<std::string> range_start = ColumnValues(bounds, 0);
  const std::vector<std::string> range_end = ColumnValues(bounds, 1);
  if (range_start.size() != 1 || range_end.size() != 1) {
    throw InvalidInputError("microbatch range of " + node.name + " is not a pair of timestamps");
  }
  const std::vector<std::string> range{range_start[0], range_end[0]};
  const std::string et = "cast(" + event_time + " as timestamp)";
  const std::string in_range = fmt::format("{0} >= {1} and {0} < {2}", et,
                                           TimestampLiteral(range[0]), TimestampLiteral(range[1]));

  NodeOutcome outcome;
  const std::string temp = node.relation + "__dbt_tmp";
  materializer.Sql(
      fmt::format("create or replace table {} as select * from ({}\n) dbt_microbatch where {}",
                  temp, sql, in_range));
  outcome.rows_affected = materializer.Count(temp);
  if (!is_incremental) {
    materializer.SwapInTable(temp, node.relation);
    outcome.message = fmt::format("microbatch {}", outcome.rows_affected);
    return outcome;
  }

  const std::vector<std::string> written = ApplyOnSchemaChange(
      materializer, ConfigString(node, "on_schema_change", "ignore"), node.relation, temp);
  // The new rows in the target's column order, NULL for target columns they lack.
  std::string target_list, source_list;
  for (const auto& c : materializer.Columns(node.relation)) {
    target_list += (target_list.empty() ? "" : ", ") + c.name;
    bool has = false;
    for (const auto& w : written) has = has || EqualsIgnoreCase(w, c.name);
    source_list += (source_list.empty() ? "" : ", ") +
                   (has ? c.name : fmt::format("cast(null as {}) as {}", c.type, c.name));
  }
  const std::string batch_of = fmt::format("cast(date_trunc('{}', {}) as varchar)", unit, et);
  const std::vector<std::string> batches = ColumnValues(materializer.Sql(fmt::format(
      "select distinct {0} as b from {1} union select distinct {0} from {2} where {3} order by b",
      batch_of, temp, node.relation, in_range)));
  for (const auto& b : batches) {
    const std::string slice =
        fmt::format("{0} >= {1} and {0} < {1} + interval '1 {2}'", et, TimestampLiteral(b), unit);
    materializer.Sql(fmt::format(
        "create or replace table {0} as select {1} from {0} where not coalesce({3}, false) "
        "union all select {2} from {4} where {3}",
        node.relation, target_list, source_list, slice, temp));
  }
  materializer.Sql("drop table if exists " + temp);
  outcome.message = fmt::format("microbatch {} batch{}, {} rows", batches.size(),
                                batches.size() == 1 ? "" : "es", outcome.rows_affected);
  return outcome;
}

}  // namespace sluice::dbt
