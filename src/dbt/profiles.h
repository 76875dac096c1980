#pragma once

#include <optional>
#include <string>

namespace sluice::dbt {

// One output of a dbt profiles.yml: where the warehouse is and how to run against it.
struct ProfileTarget {
  std::string profile;      // the profile's name
  std::string target;       // the output's name (dev, prod, ...)
  std::string path;         // the warehouse directory ("" or ":memory:": in memory)
  std::optional<int> threads;
  std::string schema;       // the schema models build into ("" = main)
  std::string profiles_file;
};

// Finds profiles.yml as dbt does: `profiles_dir` (--profiles-dir) when given, else
// $DBT_PROFILES_DIR, else the project directory, else ~/.dbt; nullopt when there is none (the
// run uses --db or memory). The profile is `profile` (--profile) or the project's
// `profile:`; the output is `target` (--target) or the profile's `target:`. Output keys:
// `type` (sluice or duckdb), `path` (relative paths are taken from the current directory,
// as dbt-duckdb does), `threads`, `schema`. Throws DbtError naming the file when the profile
// or target is missing or is not of type sluice/duckdb, if the user asked for a profile
// (--profiles-dir, --profile or --target); a file found only by looking around that does
// not fit is ignored (nullopt), since it may be a dbt user's file for other engines.
std::optional<ProfileTarget> ResolveProfile(const std::string& project_dir,
                                            const std::string& profiles_dir,
                                            const std::string& profile,
                                            const std::string& target);

}  // namespace sluice::dbt
