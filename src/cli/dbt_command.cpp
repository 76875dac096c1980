// `sluice run | test | build | seed | compile | ls`: the dbt project runner (src/dbt/).
#include <iostream>

#include <fmt/format.h>

#include "api/session.h"
#include "cli/cli.h"
#include "cli/setting_flags.h"
#include "common/error.h"
#include "dbt/runner.h"

namespace sluice {

namespace {

constexpr const char* kDbtUsage = R"(Usage: sluice {} [options]

Runs a dbt project against a warehouse (run: models, test: tests, build: seeds, models and
tests in DAG order, seed: CSV seeds, snapshot: SCD type 2 snapshots, docs generate:
target/index.html with the lineage graph, compile: render SQL into target/compiled, ls: list nodes).

Options:
  --project DIR        the project directory holding dbt_project.yml (default: .)
  --db DIR             the warehouse directory (in memory when absent)
  -s, --select SEL     nodes to run: name, +name, name+, 2+name, @name, tag:x,
                       path:models/x, source:s, resource_type:model, state:modified;
                       spaces = union,
                       commas = intersection (may repeat)
  --exclude SEL        nodes to leave out (same syntax)
  --state DIR          a previous target/ (manifest.json) for state:modified / state:new
  --threads N          models run in parallel (default 1)
  --full-refresh       rebuild incremental models from scratch
  --event-time-start T --event-time-end T
                       the time range microbatch models rebuild (backfill)
  --target-schema S    the schema models build into (default main)
  --target-path DIR    where artifacts go (default: <project>/target)
  --set NAME=VALUE     an engine setting for the session (see sluice sql --help)
)";

std::string NeedValue(const std::vector<std::string>& args, size_t& i) {
  if (i + 1 >= args.size()) throw InvalidInputError(args[i] + " needs a value");
  return args[++i];
}

}  // namespace

int DbtProjectCommand(const std::string& command, const std::vector<std::string>& args) {
  if (WantsHelp(args)) {
    fmt::print(kDbtUsage, command);
    return 0;
  }
  dbt::DbtOptions options;
  Settings settings;
  std::string db_dir;
  size_t first = 0;
  if (command == "docs") {
    if (args.empty() || args[0] != "generate") {
      throw InvalidInputError("usage: sluice docs generate [--project DIR] [--db DIR]");
    }
    first = 1;
  }
  for (size_t i = first; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--project" || a == "--project-dir") {
      options.project_dir = NeedValue(args, i);
    } else if (a == "--db") {
      db_dir = NeedValue(args, i);
    } else if (a == "-s" || a == "--select" || a == "-m" || a == "--models") {
      options.select.push_back(NeedValue(args, i));
      // dbt accepts `--select a b`: following words up to the next flag belong to it.
      while (i + 1 < args.size() && args[i + 1].rfind("-", 0) != 0) options.select.push_back(args[++i]);
    } else if (a == "--exclude") {
      options.exclude.push_back(NeedValue(args, i));
      while (i + 1 < args.size() && args[i + 1].rfind("-", 0) != 0) options.exclude.push_back(args[++i]);
    } else if (a == "--threads") {
      options.threads = std::stoi(NeedValue(args, i));
    } else if (a == "--full-refresh") {
      options.full_refresh = true;
    } else if (a == "--state") {
      options.state_dir = NeedValue(args, i);
    } else if (a == "--event-time-start") {
      options.event_time_start = NeedValue(args, i);
    } else if (a == "--event-time-end") {
      options.event_time_end = NeedValue(args, i);
    } else if (a == "--target-path") {
      options.target_path = NeedValue(args, i);
    } else if (a == "--target-schema") {
      options.target_schema = NeedValue(args, i);
    } else if (ParseSetFlag(args, i, settings)) {
      continue;
    } else {
      throw InvalidInputError("unknown option '" + a + "' for sluice " + command);
    }
  }
  dbt::DbtCommand which = command == "run"       ? dbt::DbtCommand::kRun
                          : command == "test"    ? dbt::DbtCommand::kTest
                          : command == "build"   ? dbt::DbtCommand::kBuild
                          : command == "seed"    ? dbt::DbtCommand::kSeed
                          : command == "compile" ? dbt::DbtCommand::kCompile
                          : command == "snapshot" ? dbt::DbtCommand::kSnapshot
                          : command == "docs"    ? dbt::DbtCommand::kDocs
                                                 : dbt::DbtCommand::kList;
  options.out = &std::cout;
  Session session(settings, db_dir);
  const dbt::DbtReport report = dbt::RunDbt(session, which, options);
  std::cout.flush();
  return report.success ? 0 : 1;
}

}  // namespace sluice
