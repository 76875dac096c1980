#include "dbt/project.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "dbt/yaml_value.h"

namespace sluice::dbt {

namespace fs = std::filesystem;

namespace {

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DbtError("cannot read " + path.string());
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::vector<std::string> StringList(const YAML::Node& node) {
  std::vector<std::string> out;
  if (!node) return out;
  if (node.IsSequence()) {
    for (const auto& item : node) out.push_back(item.Scalar());
  } else {
    out.push_back(node.Scalar());
  }
  return out;
}

// Files under root/dir with the extension, sorted, as paths relative to root.
std::vector<std::string> FilesUnder(const fs::path& root, const std::string& dir,
                                    const std::string& extension) {
  std::vector<std::string> out;
  const fs::path base = root / dir;
  if (!fs::is_directory(base)) return out;
  for (const auto& entry : fs::recursive_directory_iterator(base)) {
    if (entry.is_regular_file() && entry.path().extension() == extension) {
      out.push_back(fs::relative(entry.path(), root).generic_string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The fqn of a file: project, folders below the resource path, file stem.
std::vector<std::string> FqnOf(const std::string& project, const std::string& resource_dir,
                               const std::string& relative_path) {
  std::vector<std::string> fqn{project};
  fs::path inner = fs::path(relative_path).lexically_relative(resource_dir);
  for (const auto& part : inner.parent_path()) fqn.push_back(part.string());
  fqn.push_back(inner.stem().string());
  return fqn;
}

bool IsConfigKey(const std::string& key) {
  static const char* kKeys[] = {"materialized", "schema", "tags", "enabled", "alias",
                                "unique_key", "incremental_strategy", "column_types",
                                "pre-hook", "post-hook", "pre_hook", "post_hook", "severity",
                                "where", "full_refresh", "quote_columns", "delimiter", "docs",
                                "persist_docs", "database", "on_schema_change", "meta", "grants",
                                "contract"};
  for (const char* k : kKeys) {
    if (key == k) return true;
  }
  return false;
}

// Applies a `models:` / `seeds:` block of dbt_project.yml to a node whose fqn is `fqn`:
// `+key` (and bare known keys) are configs, other keys are folders or the node's own name
// (the last part of its fqn), deeper ones win.
void ApplyFolderConfig(const YAML::Node& block, const std::vector<std::string>& fqn, size_t depth,
                       Config& config) {
  if (!block.IsMap()) return;
  for (const auto& kv : block) {
    const std::string key = kv.first.Scalar();
    if (!key.empty() && key[0] == '+') {
      MergeConfig(config, key.substr(1), YamlToValue(kv.second));
    } else if (IsConfigKey(key) && !kv.second.IsMap()) {
      MergeConfig(config, key, YamlToValue(kv.second));
    }
  }
  for (const auto& kv : block) {
    const std::string key = kv.first.Scalar();
    if (kv.second.IsMap() && !key.empty() && key[0] != '+' && depth < fqn.size() &&
        fqn[depth] == key && !IsConfigKey(key)) {
      ApplyFolderConfig(kv.second, fqn, depth + 1, config);
    }
  }
}

}  // namespace

const char* ResourceTypeName(ResourceType type) {
  switch (type) {
    case ResourceType::kModel: return "model";
    case ResourceType::kSeed: return "seed";
    case ResourceType::kTest: return "test";
    case ResourceType::kSource: return "source";
    case ResourceType::kSnapshot: return "snapshot";
  }
  return "?";
}

std::string ConfigString(const Node& node, const std::string& key, const std::string& fallback) {
  auto it = node.config.find(key);
  if (it == node.config.end() || it->second.IsNone() || it->second.IsUndefined()) return fallback;
  return it->second.Str();
}

std::vector<std::string> ConfigList(const Node& node, const std::string& key) {
  std::vector<std::string> out;
  auto it = node.config.find(key);
  if (it == node.config.end() || it->second.IsNone() || it->second.IsUndefined()) return out;
  if (it->second.IsSequence()) {
    for (const auto& v : it->second.AsList()) out.push_back(v.Str());
  } else if (!it->second.Str().empty()) {
    out.push_back(it->second.Str());
  }
  return out;
}

void MergeConfig(Config& config, std::string key, const jinja::Value& value) {
  std::replace(key.begin(), key.end(), '-', '_');
  if (key == "tags" || key == "pre_hook" || key == "post_hook") {
    jinja::Value& list = config[key];
    if (!list.IsList()) list = jinja::Value::MakeList();
    if (value.IsSequence()) {
      for (const auto& v : value.AsList()) list.AsList().push_back(v);
    } else if (!value.IsNone() && !value.IsUndefined()) {
      list.AsList().push_back(value);
    }
    return;
  }
  config[key] = value;
}

Node* Project::Find(const std::string& unique_id) {
  auto it = by_id.find(unique_id);
  return it == by_id.end() ? nullptr : &nodes[it->second];
}

const Node* Project::Find(const std::string& unique_id) const {
  auto it = by_id.find(unique_id);
  return it == by_id.end() ? nullptr : &nodes[it->second];
}

const Node* Project::FindRefable(const std::string& ref_name) const {
  if (const Node* n = Find("model." + name + "." + ref_name)) return n;
  if (const Node* n = Find("seed." + name + "." + ref_name)) return n;
  return Find("snapshot." + name + "." + ref_name);
}

std::string NodeChecksum(const Project& project, const Node& node) {
  std::string text = ResourceTypeName(node.type);
  text += '\n' + node.raw_code;
  if (node.type == ResourceType::kSeed) text += '\n' + ReadFile(std::filesystem::path(project.root) / node.path);
  for (const auto& [key, value] : node.config) text += '\n' + key + '=' + value.Str();
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  char hex[17];
  std::snprintf(hex, sizeof(hex), "%016llx", static_cast<unsigned long long>(hash));
  return hex;
}

const Node* Project::FindSource(const std::string& source, const std::string& table) const {
  return Find("source." + name + "." + source + "." + table);
}

size_t AddNode(Project& project, Node node) {
  if (project.by_id.count(node.unique_id)) {
    if (node.type != ResourceType::kTest) {
      throw DbtError("two " + std::string(ResourceTypeName(node.type)) + "s are named '" +
                     node.name + "': " + project.Find(node.unique_id)->path + " and " + node.path);
    }
    int suffix = 2;
    while (project.by_id.count(node.unique_id + "_" + std::to_string(suffix))) ++suffix;
    node.unique_id += "_" + std::to_string(suffix);
    node.name += "_" + std::to_string(suffix);
  }
  project.by_id[node.unique_id] = project.nodes.size();
  project.nodes.push_back(std::move(node));
  return project.nodes.size() - 1;
}

Project LoadProject(const std::string& dir) {
  Project project;
  const fs::path root = fs::absolute(dir).lexically_normal();
  project.root = root.generic_string();
  const fs::path config_path = root / "dbt_project.yml";
  if (!fs::exists(config_path)) throw DbtError("no dbt_project.yml in " + project.root);
  const YAML::Node config = ParseYaml("dbt_project.yml", ReadFile(config_path));
  if (!config.IsMap() || !config["name"]) {
    throw DbtError("dbt_project.yml: the project needs a `name`");
  }
  project.name = config["name"].Scalar();
  if (config["model-paths"]) project.model_paths = StringList(config["model-paths"]);
  if (config["source-paths"]) project.model_paths = StringList(config["source-paths"]);
  if (config["seed-paths"]) project.seed_paths = StringList(config["seed-paths"]);
  if (config["data-paths"]) project.seed_paths = StringList(config["data-paths"]);
  if (config["macro-paths"]) project.macro_paths = StringList(config["macro-paths"]);
  if (config["test-paths"]) project.test_paths = StringList(config["test-paths"]);
  if (config["snapshot-paths"]) project.snapshot_paths = StringList(config["snapshot-paths"]);
  if (config["vars"] && config["vars"].IsMap()) {
    for (const auto& kv : config["vars"]) {
      // Vars may be scoped to a project: `vars: {jaffle: {x: 1}}`.
      if (kv.first.Scalar() == project.name && kv.second.IsMap()) {
        for (const auto& inner : kv.second) {
          project.vars[inner.first.Scalar()] = YamlToValue(inner.second);
        }
      } else {
        project.vars[kv.first.Scalar()] = YamlToValue(kv.second);
      }
    }
  }
  const YAML::Node models_block = config["models"] ? config["models"][project.name] : YAML::Node();
  const YAML::Node seeds_block = config["seeds"] ? config["seeds"][project.name] : YAML::Node();
  const YAML::Node tests_block =
      config["data_tests"] ? config["data_tests"][project.name]
                           : (config["tests"] ? config["tests"][project.name] : YAML::Node());

  std::vector<std::string> property_files;
  for (const auto& model_dir : project.model_paths) {
    for (const auto& path : FilesUnder(root, model_dir, ".sql")) {
      Node node;
      node.type = ResourceType::kModel;
      node.path = path;
      node.fqn = FqnOf(project.name, model_dir, path);
      node.name = node.fqn.back();
      node.unique_id = "model." + project.name + "." + node.name;
      node.raw_code = ReadFile(root / path);
      node.config["materialized"] = jinja::Value("view");
      if (models_block) ApplyFolderConfig(models_block, node.fqn, 1, node.config);
      AddNode(project, std::move(node));
    }
    for (const auto& ext : {".yml", ".yaml"}) {
      for (const auto& path : FilesUnder(root, model_dir, ext)) property_files.push_back(path);
    }
  }
  for (const auto& seed_dir : project.seed_paths) {
    for (const auto& path : FilesUnder(root, seed_dir, ".csv")) {
      Node node;
      node.type = ResourceType::kSeed;
      node.path = path;
      node.fqn = FqnOf(project.name, seed_dir, path);
      node.name = node.fqn.back();
      node.unique_id = "seed." + project.name + "." + node.name;
      node.config["materialized"] = jinja::Value("seed");
      if (seeds_block) ApplyFolderConfig(seeds_block, node.fqn, 1, node.config);
      AddNode(project, std::move(node));
    }
    for (const auto& ext : {".yml", ".yaml"}) {
      for (const auto& path : FilesUnder(root, seed_dir, ext)) property_files.push_back(path);
    }
  }
  for (const auto& test_dir : project.test_paths) {
    for (const auto& path : FilesUnder(root, test_dir, ".sql")) {
      // tests/generic/ holds `{% test %}` definitions (macros), not singular tests.
      if (fs::path(path).lexically_relative(test_dir).begin()->string() == "generic") {
        project.macro_files.emplace_back(path, ReadFile(root / path));
        continue;
      }
      Node node;
      node.type = ResourceType::kTest;
      node.path = path;
      node.fqn = FqnOf(project.name, test_dir, path);
      node.name = node.fqn.back();
      node.unique_id = "test." + project.name + "." + node.name;
      node.raw_code = ReadFile(root / path);
      node.config["materialized"] = jinja::Value("test");
      node.config["severity"] = jinja::Value("error");
      if (tests_block) ApplyFolderConfig(tests_block, node.fqn, 1, node.config);
      AddNode(project, std::move(node));
    }
  }
  // Snapshots: the Jinja engine turns `{% snapshot name %}` blocks into macros named
  // snapshot_<name>; the node renders the file and then calls its macro.
  static const std::regex kSnapshotBlock(R"(\{%-?\s*snapshot\s+(\w+)\s*-?%\})");
  for (const auto& snapshot_dir : project.snapshot_paths) {
    for (const auto& path : FilesUnder(root, snapshot_dir, ".sql")) {
      const std::string text = ReadFile(root / path);
      for (std::sregex_iterator it(text.begin(), text.end(), kSnapshotBlock), end; it != end; ++it) {
        Node node;
        node.type = ResourceType::kSnapshot;
        node.path = path;
        node.name = (*it)[1].str();
        node.fqn = FqnOf(project.name, snapshot_dir, path);
        node.fqn.back() = node.name;
        node.unique_id = "snapshot." + project.name + "." + node.name;
        node.raw_code = text + "\n{{ snapshot_" + node.name + "() }}";
        node.config["materialized"] = jinja::Value("snapshot");
        AddNode(project, std::move(node));
      }
    }
  }
  for (const auto& macro_dir : project.macro_paths) {
    for (const auto& path : FilesUnder(root, macro_dir, ".sql")) {
      project.macro_files.emplace_back(path, ReadFile(root / path));
    }
  }
  for (const auto& path : property_files) {
    LoadPropertiesFile(project, path, ReadFile(root / path));
  }
  if (tests_block) {
    for (auto& node : project.nodes) {
      if (node.type == ResourceType::kTest && !node.test_kind.empty()) {
        Config overrides = node.config;
        ApplyFolderConfig(tests_block, {project.name, node.name}, 1, node.config);
        for (auto& [k, v] : overrides) {
          if (k != "tags") node.config[k] = v;
        }
      }
    }
  }
  return project;
}

}  // namespace sluice::dbt
