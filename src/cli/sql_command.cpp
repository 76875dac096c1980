#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/format.h>

#include "api/result_format.h"
#include "api/session.h"
#include "api/sql_runner.h"
#include "cli/cli.h"
#include "cli/progress_bar.h"
#include "cli/setting_flags.h"
#include "common/error.h"
#include "sql/parser.h"

namespace sluice {

namespace {

constexpr const char* kSqlUsage = R"(Usage: sluice sql [-c SQL | -f FILE] [options]

Runs SQL statements and prints the result of the last statement that returns rows.
Reads standard input when neither -c nor -f is given.

Options:
  -c, --command SQL       the SQL to run
  -f, --file FILE         a file of ';'-separated statements
      --db DIR            the warehouse directory (in memory when absent)
      --format FORMAT     table (default), csv or json
      --no-progress       never draw the progress bar
      --timer             print "Run Time: X s" per statement to stderr
  -h, --help              show this help

Exit code 0 on success; on an error the message goes to stderr and the exit code is 1.

Settings: --name VALUE, --name=VALUE or --set name=value (in SQL: SET name = value, RESET
name, RESET ALL; current values: SELECT * FROM duckdb_settings()). Sizes as 500MB, 2GiB.
)";

std::string NeedValue(const std::vector<std::string>& args, size_t& i) {
  if (i + 1 >= args.size()) throw InvalidInputError(fmt::format("option {} needs a value", args[i]));
  return args[++i];
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IOError(fmt::format("cannot open SQL file '{}'", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace

int SqlCommand(const std::vector<std::string>& args) {
  if (WantsHelp(args)) {
    fmt::print("{}{}", kSqlUsage, SettingFlagsHelp());
    return 0;
  }
  std::string sql;
  bool have_sql = false;
  std::string format = "table";
  bool progress = true;
  bool timer = false;
  Settings settings;
  std::string db_dir;  // empty: an in-memory warehouse
  for (size_t i = 0; i < args.size(); i++) {
    const std::string& a = args[i];
    if (a == "-c" || a == "--command") {
      sql = NeedValue(args, i);
      have_sql = true;
    } else if (a == "-f" || a == "--file") {
      sql = ReadFile(NeedValue(args, i));
      have_sql = true;
    } else if (a == "--db") {
      db_dir = NeedValue(args, i);
    } else if (ParseSettingFlag(args, i, settings)) {
      continue;
    } else if (a == "--format") {
      format = NeedValue(args, i);
      if (format != "table" && format != "csv" && format != "json") {
        throw InvalidInputError(fmt::format("unknown --format '{}': use table, csv or json", format));
      }
    } else if (a == "--no-progress") {
      progress = false;
    } else if (a == "--timer") {
      timer = true;
    } else {
      throw InvalidInputError(fmt::format("unknown option '{}' (see sluice sql --help)", a));
    }
  }
  // Spills of a warehouse session go beside it unless --temp-directory says otherwise.
  if (!db_dir.empty() && !settings.IsSet(SettingId::kTempDirectory)) {
    settings.set_temp_directory(db_dir + ".tmp");
  }
  if (!have_sql) {
    std::stringstream buffer;
    buffer << std::cin.rdbuf();
    sql = buffer.str();
  }
  Session session(settings, db_dir);
  ProgressBar bar(progress && settings.progress_bar());
  session.set_progress(&bar);
  std::vector<StatementResult> results;
  if (timer) {
    // One statement at a time, so that each gets its own wall-clock time (as DuckDB's .timer).
    for (const auto& statement : sql::ParseScript(sql)) {
      const auto start = std::chrono::steady_clock::now();
      for (auto& r : RunSqlScript(session, statement->source_text)) results.push_back(std::move(r));
      const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
      fmt::print(stderr, "Run Time: {:.6f} s\n", elapsed.count());
    }
  } else {
    results = RunSqlScript(session, sql);
  }
  bar.Finish();
  const StatementResult* last_rows = nullptr;
  for (const auto& r : results) {
    if (r.has_rows) last_rows = &r;
  }
  if (last_rows == nullptr) return 0;
  if (format == "csv") {
    fmt::print("{}", FormatCsv(last_rows->schema, last_rows->batches));
  } else if (format == "json") {
    fmt::print("{}", FormatJson(last_rows->schema, last_rows->batches));
  } else if (last_rows->is_text) {
    std::string text = last_rows->batches.at(0).column(0)->GetValue(0).ToString();
    if (!text.empty() && text.back() != '\n') text += '\n';
    fmt::print("{}", text);
  } else {
    fmt::print("{}", FormatTable(last_rows->schema, last_rows->batches, 10000));
  }
  return 0;
}

}  // namespace sluice
