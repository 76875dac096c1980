#include "stream/stream_source.h"
#include "cli/cli.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

#include "common/error.h"
#include "common/strings.h"
#include "common/version.h"

namespace sluice {

namespace {

constexpr const char* kUsage = R"(sluice — a batch data-processing engine

Usage: sluice <command> [options]

Commands:
  sql           run SQL statements (from -c, a file, or standard input)
  shell         the interactive SQL shell (also `sluice` alone on a terminal)
  demo          generate raw data and run the end-to-end example job
  gen           generate a benchmark data set (gen tpch --sf 1 --out DIR)
  sqllogictest  run sqllogictest (.test) files and report failures
  maintain      compact, expire snapshots and remove orphan files of a --db warehouse
  ml score      score a table with a model into Redis (versioned atomic swap)
  serve         serve a model over HTTP (predictions, batch scores, metrics)
  features      the feature store: apply, list, materialize into Redis
  stream        run a streaming job (stream run -f job.sql --db DIR), list, status, stop
dbt projects (--project DIR --db DIR):
  run           build the models
  test          run the data tests
  build         seeds, models, snapshots and tests in DAG order
  seed          load the CSV seeds
  snapshot      record changes as SCD type 2 snapshots
  compile       render every model's SQL into target/compiled
  ls            list the project's nodes (also: list)
  docs generate write target/index.html with the lineage graph
  debug         check the project, the profile and the warehouse
Other:
  version       print the version
  help          show this help

Run 'sluice <command> --help' for the options of a command.
Exit codes: 0 success, 1 an error (a failed query, model or test), 2 a usage error.
)";

}  // namespace

bool WantsHelp(const std::vector<std::string>& args) {
  for (const auto& a : args) {
    if (a == "-h" || a == "--help") return true;
  }
  return false;
}

std::string NeedValue(const std::vector<std::string>& args, size_t& i) {
  if (i + 1 >= args.size()) throw UsageError(fmt::format("option {} needs a value", args[i]));
  return args[++i];
}

int64_t ParsePositiveInt(const std::string& flag, const std::string& value) {
  size_t used = 0;
  int64_t n = 0;
  try {
    n = std::stoll(value, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != value.size() || n < 1) {
    throw UsageError(fmt::format("{} needs a positive integer, got '{}'", flag, value));
  }
  return n;
}

int RunCli(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  // On a terminal, `sluice` alone opens the shell, as `duckdb` does.
  if (args.empty() && isatty(STDIN_FILENO) != 0 && isatty(STDOUT_FILENO) != 0) args = {"shell"};
  if (args.empty() || args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
    fmt::print("{}", kUsage);
    return args.empty() ? 2 : 0;
  }
  const std::string command = args[0];
  args.erase(args.begin());
  stream::RegisterConnectors();
  try {
    if (command == "sql") return SqlCommand(args);
    if (command == "stream") return StreamCommand(args);
    if (command == "shell") return ShellCommand(args);
    if (command == "demo") return DemoCommand(args);
    if (command == "gen") return GenCommand(args);
    if (command == "sqllogictest") return SqllogictestCommand(args);
    if (command == "maintain") return MaintainCommand(args);
    if (command == "ml") return MlCommand(args);
    if (command == "serve") return ServeCommand(args);
    if (command == "features") return FeaturesCommand(args);
    if (command == "run" || command == "test" || command == "build" || command == "seed" ||
        command == "compile" || command == "ls" || command == "list" || command == "snapshot" ||
        command == "docs" || command == "debug") {
      return DbtProjectCommand(command, args);
    }
    if (command == "version" || command == "--version") {
      fmt::print("sluice {}\n", kSluiceVersion);
      return 0;
    }
    fmt::print(
        stderr, "sluice: unknown command '{}'{}\n\n{}", command,
        DidYouMean(command, {"sql", "shell", "demo", "gen", "sqllogictest", "maintain", "ml", "serve", "features", "stream", "run", "test", "build",
                             "seed", "snapshot", "compile", "ls", "docs", "debug", "version", "help"}),
        kUsage);
    return 2;
  } catch (const UsageError& e) {
    fmt::print(stderr, "{}\n", e.what());
    return 2;
  } catch (const Error& e) {
    fmt::print(stderr, "{}\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    fmt::print(stderr, "Error: {}\n", e.what());
    return 1;
  }
}

}  // namespace sluice
