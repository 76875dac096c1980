#include "cli/sql_options.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/setting_flags.h"
#include "cli/cli.h"
#include "common/error.h"
#include "shuffle/cluster.h"

namespace sluice {

namespace {

}  // namespace

SqlOptions ParseSqlOptions(const std::vector<std::string>& args, const std::string& command,
                           bool accept_sql) {
  SqlOptions options;
  for (size_t i = 0; i < args.size(); i++) {
    const std::string& a = args[i];
    if (accept_sql && (a == "-c" || a == "--command")) {
      options.sql = NeedValue(args, i);
    } else if (accept_sql && (a == "-f" || a == "--file")) {
      // Under MPI only rank 0 reads the file (SqlCommand sends its text to the others).
      const std::string path = NeedValue(args, i);
      const Cluster* cluster = ProcessCluster();
      options.sql = cluster == nullptr || cluster->rank() == 0 ? ReadSqlFile(path) : "";
    } else if (accept_sql && a == "--resume") {
      options.resume_dir = NeedValue(args, i);
    } else if (a == "--db") {
      options.db_dir = NeedValue(args, i);
    } else if (ParseSettingFlag(args, i, options.settings)) {
      continue;
    } else if (a == "--format") {
      options.format = NeedValue(args, i);
      if (options.format != "table" && options.format != "csv" && options.format != "json") {
        throw UsageError(
            fmt::format("unknown --format '{}': use table, csv or json", options.format));
      }
    } else if (a == "--no-progress") {
      options.progress = false;
    } else if (a == "--timer") {
      options.timer = true;
    } else {
      throw UsageError(fmt::format("unknown option '{}' (see sluice {} --help)", a, command));
    }
  }
  return options;
}

Settings WarehouseSettings(Settings settings, const std::string& db_dir) {
  // Spills stay local: an s3:// warehouse's go to the system temp directory.
  if (!db_dir.empty() && !db_dir.starts_with("s3://") &&
      !settings.IsSet(SettingId::kTempDirectory)) {
    settings.set_temp_directory(db_dir + ".tmp");
  }
  return settings;
}

std::string ReadSqlFile(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw IOError(fmt::format("cannot read SQL file '{}': it is a directory", path));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IOError(fmt::format("cannot open SQL file '{}'", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace sluice
