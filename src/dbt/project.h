#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/error.h"
#include "jinja/jinja_value.h"

namespace sluice::dbt {

// A bad project: a missing file, bad YAML, an unknown ref, a cycle. The message names the
// file and line when there is one.
class DbtError : public UserError {
 public:
  explicit DbtError(std::string message) : UserError("dbt", std::move(message)) {}
};

enum class ResourceType { kModel, kSeed, kTest, kSource, kSnapshot };

// "model", "seed", "test", "source", "snapshot" (dbt's resource_type strings).
const char* ResourceTypeName(ResourceType type);

// Config values as merged from dbt_project.yml, properties files and config() calls.
using Config = std::map<std::string, jinja::Value>;

// One node of a project: a model, seed, test or source table.
struct Node {
  ResourceType type = ResourceType::kModel;
  std::string unique_id;  // model.<project>.<name>, source.<project>.<source>.<table>, ...
  std::string name;
  std::string path;  // relative to the project root: models/staging/stg_orders.sql
  std::vector<std::string> fqn;
  std::string raw_code;  // Jinja SQL (models, tests); empty for seeds and sources
  Config config;
  std::string description;
  // Columns described in properties files: name and description, in file order.
  std::vector<std::pair<std::string, std::string>> columns;

  // Sources: the source name and the table's identifier in the warehouse.
  std::string source_name;
  std::string identifier;
  // Generic tests: the test kind ("unique", ...), the node and column it checks.
  std::string test_kind;
  std::string attached_node;
  std::string column;
  // Generic tests whose name is 64 characters or more: dbt's short name (files, relations).
  std::string alias;
  // Generic tests: config keys set in the properties file, which win over config() calls in
  // the test's definition (dbt's precedence; dbt_project.yml comes last).
  std::set<std::string> properties_config;

  // Filled when the project is compiled (parse phase).
  std::vector<std::string> depends_on;  // unique ids, in order of first reference
  std::string schema;    // the warehouse schema the node builds into
  std::string relation;  // schema.alias
};

// Helpers over config values.
std::string ConfigString(const Node& node, const std::string& key, const std::string& fallback = "");
std::vector<std::string> ConfigList(const Node& node, const std::string& key);

// A dbt project directory loaded into memory (not yet compiled).
struct Project {
  std::string name;
  std::string root;  // absolute path
  std::vector<std::string> model_paths{"models"};
  std::vector<std::string> seed_paths{"seeds"};
  std::vector<std::string> macro_paths{"macros"};
  std::vector<std::string> test_paths{"tests"};
  std::vector<std::string> snapshot_paths{"snapshots"};
  std::unordered_map<std::string, jinja::Value> vars;
  // Macro files: path relative to the root, source text.
  std::vector<std::pair<std::string, std::string>> macro_files;
  std::vector<Node> nodes;
  std::unordered_map<std::string, size_t> by_id;  // unique_id -> index in nodes
  // The node checksums of a previous manifest (--state DIR), for `state:` selection; unset
  // when no state was given.
  std::optional<std::map<std::string, std::string>> state_checksums;

  Node* Find(const std::string& unique_id);
  const Node* Find(const std::string& unique_id) const;
  // The model or seed named `name`, or nullptr.
  const Node* FindRefable(const std::string& name) const;
  const Node* FindSource(const std::string& source, const std::string& table) const;
};

// A fingerprint of what defines a node: its raw SQL (a seed's CSV contents) and its config,
// as 16 hex digits (FNV-1a 64). Equal checksums in two manifests mean an unmodified node.
std::string NodeChecksum(const Project& project, const Node& node);

// Loads dbt_project.yml, models (SQL and YAML properties), seeds, macros and singular tests
// under `dir`. Throws InvalidInputError naming the file and line of a bad definition.
Project LoadProject(const std::string& dir);

// Internal steps of LoadProject (project_properties.cpp).
// Adds the config `value` under `key` ("+materialized", "pre-hook", ...); tags accumulate.
void MergeConfig(Config& config, std::string key, const jinja::Value& value);
// Reads a version-2 properties file: model and seed configs, sources, generic tests.
void LoadPropertiesFile(Project& project, const std::string& path, const std::string& text);
// Adds a node, making its unique_id unique. Returns its index.
size_t AddNode(Project& project, Node node);

}  // namespace sluice::dbt
