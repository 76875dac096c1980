#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <sstream>

#include "api/result_format.h"
#include "api/session.h"
#include "api/sql_runner.h"
#include "cli/cli.h"
#include "cli/progress_bar.h"
#include "cli/setting_flags.h"
#include "cli/shell.h"
#include "cli/sql_options.h"
#include "common/error.h"
#include "shuffle/cluster.h"
#include "shuffle/resume_directory.h"
#include "sql/parser.h"

namespace sluice {

namespace {

constexpr const char* kSqlUsage = R"(Usage: sluice sql [-c SQL | -f FILE] [options]

Runs SQL statements and prints the result of each statement that returns rows, in order
(as DuckDB's -c does).
Reads standard input when neither -c nor -f is given; when that is a terminal, opens the
interactive shell instead (see sluice shell --help).

Options:
  -c, --command SQL       the SQL to run
  -f, --file FILE         a file of ';'-separated statements
      --db DIR            the warehouse directory, or s3://bucket/prefix (in memory when absent)
      --format FORMAT     table (default), csv or json
      --no-progress       never draw the progress bar
      --timer             print "Run Time: X s" per statement to stderr
      --resume DIR        keep each completed map stage's output in DIR, and on a rerun of
                          a failed job with the same DIR, load the stages stored there
                          instead of running them again and skip the statements whose
                          writes (--db tables, COPY TO) committed; DIR must be on storage
                          every MPI rank sees; emptied when the job succeeds (see
                          docs/scale-out.md)
  -h, --help              show this help

Exit code 0 on success; on an error the message goes to stderr and the exit code is 1; a
usage error (unknown option, option without its value) exits with 2.

Settings: --name VALUE, --name=VALUE or --set name=value (in SQL: SET name = value, RESET
name, RESET ALL; current values: SELECT * FROM duckdb_settings()). Sizes as 500MB, 2GiB.
)";

constexpr const char* kShellUsage = R"(Usage: sluice shell [options]

Opens the interactive SQL shell (also what `sluice` alone and `sluice sql` without -c or -f
do on a terminal). Statements end with ';' and may span lines; every result is printed.
Line editing, history in ~/.sluice_history, TAB completes keywords, tables, columns and
file names. Ctrl-C stops the running query, Ctrl-D leaves. Dot commands (.help lists them):
.tables, .schema, .mode, .timer, .read FILE, .open DIR, .output FILE, .quit.
With standard input not a terminal, runs its lines as a script and prints every result.

Options:
      --db DIR            the warehouse directory, or s3://bucket/prefix (in memory when absent)
      --format FORMAT     the first .mode: table (duckbox, default), csv or json
      --no-progress       never draw the progress bar
      --timer             start with .timer on
  -h, --help              show this help
)";

}  // namespace

int SqlCommand(const std::vector<std::string>& args) {
  if (WantsHelp(args)) {
    fmt::print("{}{}", kSqlUsage, SettingFlagsHelp());
    return 0;
  }
  SqlOptions options = ParseSqlOptions(args, "sql", /*accept_sql=*/true);
  Cluster* cluster = ProcessCluster();
  if (!options.sql && isatty(STDIN_FILENO) != 0 && cluster == nullptr) {
    return Shell(std::move(options)).Run();
  }
  std::string sql;
  if (options.sql) {
    sql = *options.sql;
  } else if (cluster == nullptr || cluster->rank() == 0) {
    std::stringstream buffer;
    buffer << std::cin.rdbuf();
    sql = buffer.str();
  }
  // Under MPI, every rank runs rank 0's script (mpirun gives standard input to rank 0 only;
  // -f FILE is read there).
  if (cluster != nullptr) sql = cluster->Broadcast(sql);
  const Settings settings = WarehouseSettings(options.settings, options.db_dir);
  Session session(settings, options.db_dir);
  ProgressBar bar(options.progress && settings.progress_bar());
  session.set_progress(&bar);
  const bool rank_zero = cluster == nullptr || cluster->rank() == 0;
  std::unique_ptr<ResumeDirectory> resume;
  if (!options.resume_dir.empty()) {
    // Rank 0's view of what committed earlier, so that every rank skips the same statements.
    std::string journal = rank_zero ? ResumeDirectory::ReadJournal(options.resume_dir) : "";
    if (cluster != nullptr) journal = cluster->Broadcast(journal);
    resume = std::make_unique<ResumeDirectory>(options.resume_dir, journal);
    session.set_resume(resume.get());
  }
  std::vector<StatementResult> results;
  if (options.timer) {
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
  if (resume != nullptr) {
    // The job succeeded: what it kept is not needed any more (once no rank reads it).
    if (cluster != nullptr) cluster->Barrier();
    if (rank_zero) resume->RemoveAll();
  }
  for (const auto& r : results) {
    if (!r.has_rows) continue;
    if (options.format == "csv") {
      fmt::print("{}", FormatCsv(r.schema, r.batches));
    } else if (options.format == "json") {
      fmt::print("{}", FormatJson(r.schema, r.batches));
    } else if (r.is_text) {
      std::string text = r.batches.at(0).column(0)->GetValue(0).ToString();
      if (!text.empty() && text.back() != '\n') text += '\n';
      fmt::print("{}", text);
    } else {
      fmt::print("{}", FormatTable(r.schema, r.batches, 10000));
    }
  }
  return 0;
}

int ShellCommand(const std::vector<std::string>& args) {
  if (WantsHelp(args)) {
    fmt::print("{}{}", kShellUsage, SettingFlagsHelp());
    return 0;
  }
  return Shell(ParseSqlOptions(args, "shell", /*accept_sql=*/false)).Run();
}

}  // namespace sluice
