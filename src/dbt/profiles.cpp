#include "dbt/profiles.h"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "dbt/project.h"
#include "dbt/yaml_value.h"

namespace sluice::dbt {

namespace fs = std::filesystem;

namespace {

std::optional<fs::path> FindProfilesFile(const std::string& project_dir,
                                         const std::string& profiles_dir) {
  if (!profiles_dir.empty()) {
    const fs::path file = fs::path(profiles_dir) / "profiles.yml";
    if (!fs::exists(file)) throw DbtError("--profiles-dir: no profiles.yml in " + profiles_dir);
    return file;
  }
  std::vector<fs::path> candidates;
  if (const char* env = std::getenv("DBT_PROFILES_DIR"); env != nullptr && *env != '\0') {
    candidates.push_back(fs::path(env) / "profiles.yml");
  }
  candidates.push_back(fs::path(project_dir) / "profiles.yml");
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    candidates.push_back(fs::path(home) / ".dbt" / "profiles.yml");
  }
  for (const auto& file : candidates) {
    if (fs::exists(file)) return file;
  }
  return std::nullopt;
}

std::string ProjectProfileName(const std::string& project_dir) {
  const fs::path file = fs::path(project_dir) / "dbt_project.yml";
  std::ifstream in(file);
  if (!in) return "";
  std::stringstream text;
  text << in.rdbuf();
  const YAML::Node config = ParseYaml("dbt_project.yml", text.str());
  return config.IsMap() && config["profile"] ? config["profile"].Scalar() : "";
}

}  // namespace

std::optional<ProfileTarget> ResolveProfile(const std::string& project_dir,
                                            const std::string& profiles_dir,
                                            const std::string& profile,
                                            const std::string& target) {
  const std::optional<fs::path> file = FindProfilesFile(project_dir, profiles_dir);
  if (!file) return std::nullopt;
  const std::string where = file->string();
  std::ifstream in(*file);
  std::stringstream text;
  text << in.rdbuf();
  const YAML::Node root = ParseYaml(where, text.str());
  // A profiles.yml found only by looking around (the project, ~/.dbt) may be a dbt user's
  // file for other engines: unless the user asked for a profile, one that does not fit is
  // left alone rather than failing a run that names its warehouse with --db.
  const bool asked = !profiles_dir.empty() || !profile.empty() || !target.empty();
  auto fail = [&](const std::string& message) {
    if (asked) throw DbtError(message);
  };
  ProfileTarget out;
  out.profiles_file = where;
  out.profile = profile.empty() ? ProjectProfileName(project_dir) : profile;
  if (out.profile.empty()) {
    fail(where + ": the project names no `profile:` and no --profile was given");
    return std::nullopt;
  }
  const YAML::Node entry = root.IsMap() ? root[out.profile] : YAML::Node();
  if (!entry || !entry.IsMap()) {
    fail(fmt::format("{}: could not find profile named '{}'", where, out.profile));
    return std::nullopt;
  }
  out.target = !target.empty() ? target : entry["target"] ? entry["target"].Scalar() : "";
  const YAML::Node outputs = entry["outputs"];
  if (out.target.empty() || !outputs || !outputs.IsMap() || !outputs[out.target]) {
    fail(fmt::format("{}: the profile '{}' has no output named '{}'", where, out.profile,
                     out.target));
    return std::nullopt;
  }
  const YAML::Node output = outputs[out.target];
  const std::string at = YamlWhere(where, output);
  if (output["type"]) {
    const std::string type = output["type"].Scalar();
    if (type != "sluice" && type != "duckdb") {
      fail(fmt::format("{}: output type '{}' (sluice runs type: sluice or duckdb)", at, type));
      return std::nullopt;
    }
  }
  if (output["path"]) out.path = output["path"].Scalar();
  if (out.path == ":memory:") out.path.clear();
  if (output["schema"]) out.schema = output["schema"].Scalar();
  if (output["threads"]) {
    try {
      out.threads = output["threads"].as<int>();
    } catch (const YAML::Exception&) {
      out.threads = 0;
    }
    if (*out.threads < 1) throw DbtError(at + ": threads must be a positive integer");
  }
  return out;
}

}  // namespace sluice::dbt
