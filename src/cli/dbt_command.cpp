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

{}

Options:
  --project DIR        the project directory holding dbt_project.yml (default: .)
  --db DIR             the warehouse directory (in memory when absent)
  -s, --select SEL     nodes to {}: name, +name, name+, 2+name, @name, tag:x,
                       path:models/x, source:s, resource_type:model, state:modified;
                       spaces = union,
                       commas = intersection (may repeat)
  --exclude SEL        nodes to leave out (same syntax)
  --state DIR          a previous target/ (manifest.json) for state:modified / state:new
  --threads N          nodes run in parallel (default 1)
  --full-refresh       rebuild incremental models from scratch
  --event-time-start T --event-time-end T
                       the time range microbatch models rebuild (backfill)
  --target-schema S    the schema models build into (default main)
  --target-path DIR    where artifacts go (default: <project>/target)
  --set NAME=VALUE     an engine setting for the session (see sluice sql --help)

Exit code 0 when every selected node succeeded, 1 when one failed, 2 on a usage error.
)";

// What each dbt subcommand does, for its --help.
struct DbtCommandHelp {
  const char* name;
  const char* verb;  // "nodes to <verb>"
  const char* summary;
};

constexpr DbtCommandHelp kDbtCommands[] = {
    {"run", "run",
     "Builds the selected models in DAG order (views, tables, incremental models) and writes\n"
     "target/manifest.json and target/run_results.json."},
    {"test", "test",
     "Runs the selected data tests (generic and singular) against the warehouse; a failing\n"
     "test prints sample rows."},
    {"build", "build",
     "Loads seeds, builds models and snapshots and runs tests, all in DAG order; a failing\n"
     "node skips its descendants."},
    {"seed", "load", "Loads the selected CSV seeds into tables."},
    {"snapshot", "snapshot",
     "Records the changes of the selected snapshots' sources as SCD type 2 rows\n"
     "(dbt_valid_from, dbt_valid_to)."},
    {"compile", "compile",
     "Renders every selected model's SQL (Jinja, ref, source) into target/compiled without\n"
     "touching the warehouse; an incremental model shows the SQL run would execute."},
    {"ls", "list", "Lists the project's nodes (models, seeds, snapshots, tests, sources)."},
    {"list", "list", "Lists the project's nodes (models, seeds, snapshots, tests, sources)."},
    {"docs", "document",
     "docs generate: writes target/index.html, a page with the lineage graph and every\n"
     "node's description and columns. Usage: sluice docs generate [options]"},
};

std::string NeedValue(const std::vector<std::string>& args, size_t& i) {
  if (i + 1 >= args.size()) throw UsageError(args[i] + " needs a value");
  return args[++i];
}

}  // namespace

int DbtProjectCommand(const std::string& command, const std::vector<std::string>& args) {
  if (WantsHelp(args)) {
    for (const auto& help : kDbtCommands) {
      if (command == help.name) fmt::print(kDbtUsage, command, help.summary, help.verb);
    }
    return 0;
  }
  dbt::DbtOptions options;
  Settings settings;
  std::string db_dir;
  size_t first = 0;
  if (command == "docs") {
    if (args.empty() || args[0] != "generate") {
      throw UsageError("usage: sluice docs generate [--project DIR] [--db DIR]");
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
      const std::string value = NeedValue(args, i);
      size_t used = 0;
      try {
        options.threads = std::stoi(value, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used != value.size() || options.threads < 1) {
        throw UsageError(fmt::format("--threads needs a positive integer, got '{}'", value));
      }
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
      throw UsageError("unknown option '" + a + "' (see sluice " + command + " --help)");
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
