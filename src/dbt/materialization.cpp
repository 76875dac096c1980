#include "dbt/materialization.h"

#include <algorithm>
#include <regex>

#include <fmt/format.h>

#include "api/result_format.h"
#include "api/session.h"
#include "api/dataframe.h"
#include "common/error.h"
#include "common/strings.h"
#include "dbt/microbatch.h"
#include "dbt/snapshot.h"

#include "sql/ast_expr.h"

namespace sluice::dbt {

namespace {

// SQL string literals, quoted as the SQL front end writes them.
using sql::QuoteString;

std::string JoinColumns(const std::vector<std::string>& columns, const std::string& prefix = "") {
  std::string out;
  for (const auto& c : columns) out += (out.empty() ? "" : ", ") + prefix + c;
  return out;
}

// The rows of a result as "a=1, b=x" strings.
std::vector<std::string> RowsAsText(const StatementResult& result) {
  std::vector<std::string> rows;
  for (const auto& batch : result.batches) {
    for (size_t r = 0; r < batch.num_rows(); ++r) {
      std::string row;
      for (size_t c = 0; c < result.schema.size(); ++c) {
        row += (c ? ", " : "") + result.schema.field(c).name + "=" +
               batch.column(c)->GetValue(r).ToString();
      }
      rows.push_back(row);
    }
  }
  return rows;
}

// Whether `failures` meets a warn_if / error_if condition such as "!=0", ">10", "= 0".
bool TestConditionHolds(const Node& node, const char* key, const std::string& condition,
                        int64_t failures) {
  static const std::regex kCondition(R"(^\s*(!=|<>|>=|<=|==|=|>|<)\s*(-?\d+)\s*$)");
  std::smatch m;
  if (!std::regex_match(condition, m, kCondition)) {
    throw InvalidInputError(fmt::format("{} ({}): {} '{}' is not a comparison such as '!=0' or "
                                        "'>10'", node.name, node.path, key, condition));
  }
  const std::string op = m[1].str();
  const int64_t n = std::stoll(m[2].str());
  if (op == "!=" || op == "<>") return failures != n;
  if (op == "=" || op == "==") return failures == n;
  if (op == ">=") return failures >= n;
  if (op == "<=") return failures <= n;
  if (op == ">") return failures > n;
  return failures < n;
}

const StatementResult& LastRows(const std::vector<StatementResult>& results) {
  for (auto it = results.rbegin(); it != results.rend(); ++it) {
    if (it->has_rows) return *it;
  }
  throw InternalError("query returned no rows");
}

}  // namespace

Materializer::Materializer(Session& session, const Compiler& compiler, std::string project_root,
                           bool full_refresh)
    : session_(session), compiler_(compiler),
      project_root_(std::move(project_root)), full_refresh_(full_refresh) {}

std::vector<StatementResult> Materializer::Sql(const std::string& sql) {
  return RunSqlScript(session_, sql);
}

int64_t Materializer::Count(const std::string& relation) {
  const auto results = Sql("select count(*) from " + relation);
  const StatementResult& r = LastRows(results);
  return r.batches.empty() ? 0 : r.batches[0].column(0)->GetValue(0).GetInt();
}

void Materializer::EnsureSchema(const std::string& schema) {
  session_.CreateSchema(schema, /*if_not_exists=*/true);
}

void Materializer::SwapInTable(const std::string& temp, const std::string& target) {
  if (session_.HasTable(target) && !session_.IsTable(target)) session_.Drop(target);
  session_.CreateTable(target, session_.Table(temp), /*replace=*/true);
  session_.Drop(temp, /*if_exists=*/true);
}

void Materializer::RunHooks(const Node& node, const char* key, bool is_incremental) {
  for (const auto& hook : ConfigList(node, key)) {
    const std::string sql = compiler_.RenderHook(node, hook, is_incremental);
    if (sql.find_first_not_of(" \t\r\n;") != std::string::npos) Sql(sql);
  }
}

void Materializer::CheckUniqueKey(const std::string& relation,
                                  const std::vector<std::string>& key) {
  const auto results = Sql(fmt::format(
      "select {0}, count(*) as n_rows from {1} group by {0} having count(*) > 1 limit 5",
      JoinColumns(key), relation));
  const auto rows = RowsAsText(LastRows(results));
  if (rows.empty()) return;
  std::string detail;
  for (const auto& row : rows) detail += "\n  " + row;
  throw InvalidInputError("unique_key (" + JoinColumns(key) +
                          ") is not unique in the new rows; duplicated keys:" + detail);
}

namespace {

// An incremental model's new rows: a temporary table (those live in schema main).
std::string IncrementalTempName(const Node& node) {
  std::string name = node.relation + "__dbt_tmp";
  std::replace(name.begin(), name.end(), '.', '_');
  return name;
}

}  // namespace

NodeOutcome Materializer::Build(const Node& node) {
  Session::SettingsScope scope(session_);
  try {
    if (node.type == ResourceType::kSnapshot) return BuildSnapshotNode(node);
    return node.type == ResourceType::kSeed ? BuildSeed(node) : BuildModel(node);
  } catch (const std::exception& e) {
    NodeOutcome outcome;
    outcome.status = "error";
    outcome.message = e.what();
    const std::string temp = node.relation + "__dbt_tmp";
    try {
      session_.Drop(temp, /*if_exists=*/true);
      session_.Drop(IncrementalTempName(node), /*if_exists=*/true);
      session_.Drop(node.relation + "__dbt_changes", /*if_exists=*/true);
    } catch (const Error&) {
      // Cleaning up the temp relation is best effort; the model's own error is what matters.
    }
    return outcome;
  }
}

bool Materializer::IsTable(const std::string& relation) {
  return session_.HasTable(relation) && session_.IsTable(relation);
}

NodeOutcome Materializer::BuildSnapshotNode(const Node& node) {
  EnsureSchema(node.schema);
  const std::string sql = compiler_.Compile(node, false);
  NodeOutcome outcome = BuildSnapshot(*this, node, sql);
  outcome.compiled_sql = sql;
  outcome.status = "success";
  return outcome;
}

NodeOutcome Materializer::BuildSeed(const Node& node) {
  NodeOutcome outcome;
  EnsureSchema(node.schema);
  const std::string temp = node.relation + "__dbt_tmp";
  const std::string text_view = node.relation + "__dbt_seed_text";
  auto drop_text_view = [&] {
    session_.Drop(text_view, /*if_exists=*/true);
  };
  try {
    outcome.compiled_sql = SeedSelectSql(node, text_view);
    Sql("create or replace table " + temp + " as " + outcome.compiled_sql);
  } catch (const DbtError&) {
    drop_text_view();
    throw;
  } catch (const UserError& e) {
    drop_text_view();
    throw DbtError(node.path + ": " + e.what());
  }
  drop_text_view();
  outcome.rows_affected = Count(temp);
  SwapInTable(temp, node.relation);
  outcome.status = "success";
  outcome.message = fmt::format("INSERT {}", outcome.rows_affected);
  return outcome;
}

NodeOutcome Materializer::BuildModel(const Node& node) {
  NodeOutcome outcome;
  const std::string materialized = ConfigString(node, "materialized", "view");
  const std::string temp = node.relation + "__dbt_tmp";
  EnsureSchema(node.schema);
  bool exists, is_table;
  {
    exists = session_.HasTable(node.relation);
    is_table = exists && session_.IsTable(node.relation);
  }
  const bool is_incremental = materialized == "incremental" && is_table && !full_refresh_;
  outcome.compiled_sql = compiler_.Compile(node, is_incremental);
  const std::string& sql = outcome.compiled_sql;
  RunHooks(node, "pre_hook", is_incremental);
  if (materialized == "view") {
    // Bind the new definition first (planning only: nothing reads a row under limit 0), so
    // a broken view leaves the old one.
    Sql("select * from (\n" + sql + "\n) dbt_view_check limit 0");
    if (is_table) session_.Drop(node.relation);
    Sql("create or replace view " + node.relation + " as " + sql);
    outcome.message = "CREATE VIEW";
  } else if (materialized == "incremental" &&
             ConfigString(node, "incremental_strategy") == "microbatch") {
    const NodeOutcome built = BuildMicrobatch(*this, node, sql, is_incremental,
                                              event_time_start_, event_time_end_);
    outcome.rows_affected = built.rows_affected;
    outcome.message = built.message;
  } else if (materialized == "table" || (materialized == "incremental" && !is_incremental)) {
    // The first run and --full-refresh build the table from the SELECT as dbt does, rows
    // repeating the unique_key included (dbt checks nothing here; a unique test reports it).
    if (exists && !is_table) {
      // A view becomes a table: built aside first, so a failing build leaves the view.
      Sql("create or replace table " + temp + " as " + sql);
      SwapInTable(temp, node.relation);
    } else {
      // Replacing a table commits one new snapshot and a failing query commits nothing, so
      // the old table survives a failed build without a temp table (and its copy).
      Sql("create or replace table " + node.relation + " as " + sql);
    }
    outcome.rows_affected = Count(node.relation);
    outcome.message = fmt::format("SELECT {}", outcome.rows_affected);
  } else if (materialized == "incremental") {
    BuildIncremental(node, sql, outcome);
  } else {
    throw InvalidInputError("unknown materialization '" + materialized + "' in " + node.path +
                            " (supported: view, table, incremental, ephemeral)");
  }
  RunHooks(node, "post_hook", is_incremental);
  outcome.status = "success";
  return outcome;
}

void Materializer::BuildIncremental(const Node& node, const std::string& sql, NodeOutcome& outcome) {
  // The new rows go to a session temporary table, as dbt-duckdb does: in memory, never
  // committed to the warehouse (no files to write, sync and collect for each run).
  const std::string temp = IncrementalTempName(node);
  Sql("create or replace temp table " + temp + " as " + sql);
  outcome.rows_affected = Count(temp);
  const auto key = ConfigList(node, "unique_key");
  const std::string strategy =
      ConfigString(node, "incremental_strategy", key.empty() ? "append" : "merge");
  if (strategy != "append" && strategy != "merge" && strategy != "delete+insert") {
    throw InvalidInputError("unknown incremental_strategy '" + strategy +
                            "' (supported: append, merge, delete+insert, microbatch)");
  }
  if (strategy != "append") {
    if (key.empty()) throw InvalidInputError("incremental_strategy '" + strategy + "' needs a unique_key");
    CheckUniqueKey(temp, key);
  }
  const std::vector<std::string> columns = ApplyOnSchemaChange(
      *this, ConfigString(node, "on_schema_change", "ignore"), node.relation, temp);
  // Predicates on DBT_INTERNAL_DEST (the target) that narrow the rows a merge or delete reads.
  std::string predicates;
  for (const auto& p : ConfigList(node, "incremental_predicates")) predicates += " and (" + p + ")";
  if (strategy == "append") {
    Sql(fmt::format("insert into {0} ({1}) select {1} from {2}", node.relation,
                    JoinColumns(columns), temp));
  } else if (strategy == "merge") {
    std::string on, set;
    for (const auto& k : key) {
      on += (on.empty() ? "" : " and ") +
            fmt::format("DBT_INTERNAL_DEST.{0} = DBT_INTERNAL_SOURCE.{0}", k);
    }
    for (const auto& c : columns) {
      set += (set.empty() ? "" : ", ") + fmt::format("{0} = DBT_INTERNAL_SOURCE.{0}", c);
    }
    Sql(fmt::format(
        "merge into {0} as DBT_INTERNAL_DEST using {1} as DBT_INTERNAL_SOURCE on {2}{3} "
        "when matched then update set {4} when not matched then insert ({5}) values ({6})",
        node.relation, temp, on, predicates, set, JoinColumns(columns),
        JoinColumns(columns, "DBT_INTERNAL_SOURCE.")));
  } else {
    // Two commits: between them a reader sees the old rows of the keys removed.
    std::string key_expr = key[0];
    if (key.size() > 1) {
      key_expr.clear();
      for (const auto& k : key) {
        key_expr += (key_expr.empty() ? "" : " || '|' || ") + ("coalesce(cast(" + k + " as varchar), '')");
      }
    }
    Sql(fmt::format("delete from {0} as DBT_INTERNAL_DEST where {1} in (select {1} from {2}){3}",
                    node.relation, key_expr, temp, predicates));
    Sql(fmt::format("insert into {0} ({1}) select {1} from {2}", node.relation,
                    JoinColumns(columns), temp));
  }
  {
    session_.Drop(temp, true);
  }
  outcome.message = fmt::format("{} {}", strategy, outcome.rows_affected);
}

std::vector<RelationColumn> Materializer::Columns(const std::string& relation) {
  std::vector<RelationColumn> columns;
  const DataFrame table = session_.Table(relation);
  for (const auto& field : table.schema().fields()) {
    columns.push_back(RelationColumn{field.name, field.type.ToString()});
  }
  return columns;
}

NodeOutcome Materializer::Test(const Node& node) {
  Session::SettingsScope scope(session_);
  NodeOutcome outcome;
  try {
    outcome.compiled_sql = compiler_.Compile(node, false);
    std::string body = outcome.compiled_sql;
    const std::string limit = ConfigString(node, "limit");
    if (!limit.empty()) body = "select * from (" + body + "\n) dbt_limit limit " + limit;
    const std::string wrapped = "(" + body + "\n) dbt_internal_test";
    const std::string fail_calc = ConfigString(node, "fail_calc", "count(*)");
    const auto calc = Sql("select " + fail_calc + " from " + wrapped);
    const StatementResult& calc_rows = LastRows(calc);
    const sluice::Value failures = calc_rows.batches.empty() || calc_rows.batches[0].num_rows() == 0
                                       ? sluice::Value()
                                       : calc_rows.batches[0].column(0)->GetValue(0);
    outcome.failures =
        failures.is_null() ? 0 : failures.CastTo(LogicalType(TypeId::kBigInt)).GetInt();
    // As dbt: fail when the severity is error and error_if holds, else warn when warn_if
    // holds, else pass.
    const bool error_severity = ToLower(ConfigString(node, "severity", "error")) != "warn";
    const std::string error_if = ConfigString(node, "error_if", "!=0");
    const std::string warn_if = ConfigString(node, "warn_if", "!=0");
    const bool should_error = TestConditionHolds(node, "error_if", error_if, outcome.failures);
    const bool should_warn = TestConditionHolds(node, "warn_if", warn_if, outcome.failures);
    if (error_severity && should_error) {
      outcome.status = "fail";
    } else if (should_warn) {
      outcome.status = "warn";
    } else {
      outcome.status = "pass";
      return outcome;
    }
    const auto sample = Sql("select * from " + wrapped + " limit 5");
    const StatementResult& rows = LastRows(sample);
    outcome.message = fmt::format("Got {} result{}, configured to {} if {}\n{}", outcome.failures,
                                  outcome.failures == 1 ? "" : "s", outcome.status,
                                  outcome.status == "fail" ? error_if : warn_if,
                                  FormatTable(rows.schema, rows.batches));
  } catch (const std::exception& e) {
    outcome.status = "error";
    outcome.message = e.what();
  }
  return outcome;
}

}  // namespace sluice::dbt
