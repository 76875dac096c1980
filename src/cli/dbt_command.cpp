// `sluice run | test | build | seed | compile | ls`: the dbt project runner (src/dbt/).
#include <algorithm>
#include <iostream>
#include <limits>

#include <fmt/format.h>

#include "api/session.h"
#include "api/sql_runner.h"
#include "cli/cli.h"
#include "cli/setting_flags.h"
#include "common/error.h"
#include "common/version.h"
#include "dbt/profiles.h"
#include "dbt/project.h"
#include "dbt/runner.h"

namespace sluice {

namespace {

constexpr const char* kDbtUsage = R"(Usage: sluice {} [options]

{}

Options:
  --project DIR        the project directory holding dbt_project.yml (default: .)
  --db DIR             the warehouse directory (default: the profile's path; else in memory)
  --profiles-dir DIR   where profiles.yml is (default: $DBT_PROFILES_DIR, the project, ~/.dbt)
  --profile NAME       the profile (default: the project's profile:)
  --target NAME        the profile's output (default: its target:); an output gives
                       type: sluice, path: DIR, threads: N, schema: S
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
    {"debug", "check",
     "Checks the project and the profile, opens the warehouse and runs a query on it, and\n"
     "says what it found (dbt debug)."},
    {"docs", "document",
     "docs generate: writes target/index.html, a page with the lineage graph and every\n"
     "node's description and columns. Usage: sluice docs generate [options]"},
};

// `sluice debug`: what dbt debug checks, for this engine.
int Debug(const dbt::DbtOptions& options, const std::optional<dbt::ProfileTarget>& profile,
          const std::string& db_dir, const Settings& settings) {
  bool ok = true;
  fmt::print("Running with sluice={}\n", kSluiceVersion);
  try {
    const dbt::Project project = dbt::LoadProject(options.project_dir);
    fmt::print("dbt_project.yml file [OK found and valid] ({}, project {})\n", project.root,
               project.name);
  } catch (const Error& e) {
    fmt::print("dbt_project.yml file [ERROR not found or invalid]\n  {}\n", e.what());
    ok = false;
  }
  if (profile) {
    fmt::print("profiles.yml file [OK found and valid] ({}, profile {}, target {})\n",
               profile->profiles_file, profile->profile, profile->target);
  } else {
    fmt::print("profiles.yml file [not found: the warehouse is --db or memory]\n");
  }
  fmt::print("Connection:\n  path: {}\n  schema: {}\n  threads: {}\n",
             db_dir.empty() ? "(memory: nothing persists)" : db_dir, options.target_schema,
             options.threads);
  try {
    Session session(settings, db_dir);
    RunSqlScript(session, "SELECT 1");
    fmt::print("  Connection test: [OK connection ok]\n");
  } catch (const Error& e) {
    fmt::print("  Connection test: [ERROR]\n  {}\n", e.what());
    ok = false;
  }
  fmt::print("{}\n", ok ? "All checks passed!" : "Some checks failed.");
  return ok ? 0 : 1;
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
  std::string profiles_dir, profile, target;
  bool threads_given = false, schema_given = false;
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
    } else if (a == "--profiles-dir") {
      profiles_dir = NeedValue(args, i);
    } else if (a == "--profile") {
      profile = NeedValue(args, i);
    } else if (a == "--target" || a == "-t") {
      target = NeedValue(args, i);
    } else if (a == "-s" || a == "--select" || a == "-m" || a == "--models") {
      options.select.push_back(NeedValue(args, i));
      // dbt accepts `--select a b`: following words up to the next flag belong to it.
      while (i + 1 < args.size() && args[i + 1].rfind("-", 0) != 0) options.select.push_back(args[++i]);
    } else if (a == "--exclude") {
      options.exclude.push_back(NeedValue(args, i));
      while (i + 1 < args.size() && args[i + 1].rfind("-", 0) != 0) options.exclude.push_back(args[++i]);
    } else if (a == "--threads") {
      options.threads = static_cast<int>(std::min<int64_t>(
          ParsePositiveInt(a, NeedValue(args, i)), std::numeric_limits<int>::max()));
      threads_given = true;
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
      schema_given = true;
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
  // A profiles.yml output fills in what the command line left out, as dbt's profiles do.
  const std::optional<dbt::ProfileTarget> found =
      dbt::ResolveProfile(options.project_dir, profiles_dir, profile, target);
  if (found) {
    if (db_dir.empty()) db_dir = found->path;
    if (!threads_given && found->threads) options.threads = *found->threads;
    if (!schema_given && !found->schema.empty()) options.target_schema = found->schema;
  } else if (!profile.empty() || !target.empty()) {
    throw UsageError("--profile / --target: no profiles.yml found (see sluice " + command +
                     " --help)");
  }
  if (command == "debug") return Debug(options, found, db_dir, settings);
  options.out = &std::cout;
  Session session(settings, db_dir);
  const dbt::DbtReport report = dbt::RunDbt(session, which, options);
  std::cout.flush();
  return report.success ? 0 : 1;
}

}  // namespace sluice
