#include "online/feature_view.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "common/duration.h"
#include "common/error.h"
#include "common/file_text.h"

namespace sluice::online {

namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

[[noreturn]] void Fail(const std::string& file, const YAML::Node& node, const std::string& what) {
  const YAML::Mark mark = node.Mark();
  throw InvalidInputError(
      fmt::format("{}:{}:{}: {}", file, mark.line + 1, mark.column + 1, what));
}

std::string Text(const std::string& file, const YAML::Node& node, const std::string& what) {
  if (!node || !node.IsScalar()) Fail(file, node, what + " must be a string");
  return node.as<std::string>();
}

std::vector<std::string> TextList(const std::string& file, const YAML::Node& node,
                                  const std::string& what) {
  if (!node || !node.IsSequence()) Fail(file, node, what + " must be a list");
  std::vector<std::string> out;
  for (const YAML::Node& item : node) out.push_back(Text(file, item, what));
  return out;
}

}  // namespace

int64_t ParseTtlSeconds(const std::string& text) {
  const std::optional<int64_t> ms = ParseDurationMs(text, "s");
  if (!ms) {
    throw InvalidInputError(
        fmt::format("invalid ttl '{}': expected seconds or a number with s, m, h or d", text));
  }
  return *ms / 1000;
}

const FeatureView* FeatureRegistry::Find(const std::string& name) const {
  for (const FeatureView& v : views) {
    if (Lower(v.name) == Lower(name)) return &v;
  }
  return nullptr;
}

FeatureRegistry FeatureRegistry::LoadProject(const std::string& dir) {
  std::vector<std::filesystem::path> paths;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string ext = entry.path().extension().string();
    if (ext == ".yaml" || ext == ".yml") paths.push_back(entry.path());
  }
  if (ec) throw IOError(fmt::format("cannot read the feature project {}: {}", dir, ec.message()));
  std::sort(paths.begin(), paths.end());
  std::vector<std::pair<std::string, std::string>> files;
  for (const auto& path : paths) files.emplace_back(path.string(), ReadFileText(path.string()));
  return FromYaml(files, dir);
}

FeatureRegistry FeatureRegistry::FromYaml(
    const std::vector<std::pair<std::string, std::string>>& files, const std::string& where) {
  FeatureRegistry registry;
  std::map<std::string, std::vector<std::string>> entities;  // name -> join keys
  std::vector<std::pair<std::string, YAML::Node>> view_nodes;
  for (const auto& [file, text] : files) {
    YAML::Node root;
    try {
      root = YAML::Load(text);
    } catch (const YAML::Exception& e) {
      throw InvalidInputError(fmt::format("{}:{}:{}: {}", file, e.mark.line + 1,
                                          e.mark.column + 1, e.msg));
    }
    if (!root || root.IsNull()) continue;
    if (!root.IsMap()) Fail(file, root, "a feature project file must be a mapping");
    if (root["project"]) registry.project = Text(file, root["project"], "project");
    if (const YAML::Node list = root["entities"]) {
      if (!list.IsSequence()) Fail(file, list, "entities must be a list");
      for (const YAML::Node& e : list) {
        const std::string name = Text(file, e["name"], "an entity's name");
        entities[Lower(name)] = e["join_keys"] ? TextList(file, e["join_keys"], "join_keys")
                                               : std::vector<std::string>{name};
      }
    }
    if (const YAML::Node list = root["feature_views"]) {
      if (!list.IsSequence()) Fail(file, list, "feature_views must be a list");
      for (const YAML::Node& v : list) view_nodes.emplace_back(file, v);
    }
  }
  if (registry.project.empty()) {
    throw InvalidInputError(
        fmt::format("the feature project {} names no project (project: NAME)", where));
  }
  for (const auto& [file, node] : view_nodes) {
    FeatureView view;
    view.name = Text(file, node["name"], "a feature view's name");
    if (registry.Find(view.name) != nullptr) {
      Fail(file, node, fmt::format("feature view {} is declared twice", view.name));
    }
    for (const std::string& entity : TextList(file, node["entities"], "entities")) {
      auto it = entities.find(Lower(entity));
      if (it == entities.end()) Fail(file, node["entities"], "unknown entity " + entity);
      view.join_keys.insert(view.join_keys.end(), it->second.begin(), it->second.end());
    }
    const YAML::Node source = node["source"];
    if (source && source.IsScalar()) {
      view.source = source.as<std::string>();
    } else if (source && source.IsMap()) {
      view.source = Text(file, source["table"], "source.table");
      if (source["timestamp_field"]) {
        view.timestamp_field = Text(file, source["timestamp_field"], "timestamp_field");
      }
      if (source["created_timestamp_column"]) {
        view.created_timestamp_field =
            Text(file, source["created_timestamp_column"], "created_timestamp_column");
      }
    } else {
      Fail(file, node, fmt::format("feature view {} needs a source (a table)", view.name));
    }
    if (node["ttl"]) {
      try {
        view.ttl_seconds = ParseTtlSeconds(Text(file, node["ttl"], "ttl"));
      } catch (const InvalidInputError& e) {
        Fail(file, node["ttl"], e.message());
      }
    }
    if (node["online"]) view.online = node["online"].as<bool>();
    if (node["features"]) {
      view.features = TextList(file, node["features"], "features");
    } else if (node["schema"] && node["schema"].IsSequence()) {
      for (const YAML::Node& f : node["schema"]) {
        view.features.push_back(Text(file, f["name"], "a feature's name"));
      }
    }
    if (view.features.empty()) {
      Fail(file, node, fmt::format("feature view {} has no features", view.name));
    }
    registry.views.push_back(std::move(view));
  }
  return registry;
}

std::string FeatureRegistry::ToJson() const {
  nlohmann::json j;
  j["project"] = project;
  j["feature_views"] = nlohmann::json::array();
  for (const FeatureView& v : views) {
    j["feature_views"].push_back({{"name", v.name},
                                  {"join_keys", v.join_keys},
                                  {"source", v.source},
                                  {"timestamp_field", v.timestamp_field},
                                  {"created_timestamp_field", v.created_timestamp_field},
                                  {"ttl_seconds", v.ttl_seconds},
                                  {"features", v.features},
                                  {"online", v.online}});
  }
  return j.dump(2);
}

FeatureRegistry FeatureRegistry::FromJson(const std::string& json) {
  try {
    const nlohmann::json j = nlohmann::json::parse(json);
    FeatureRegistry r;
    r.project = j.at("project").get<std::string>();
    for (const auto& v : j.at("feature_views")) {
      FeatureView view;
      view.name = v.at("name").get<std::string>();
      view.join_keys = v.at("join_keys").get<std::vector<std::string>>();
      view.source = v.at("source").get<std::string>();
      view.timestamp_field = v.at("timestamp_field").get<std::string>();
      view.created_timestamp_field = v.at("created_timestamp_field").get<std::string>();
      view.ttl_seconds = v.at("ttl_seconds").get<int64_t>();
      view.features = v.at("features").get<std::vector<std::string>>();
      view.online = v.at("online").get<bool>();
      r.views.push_back(std::move(view));
    }
    return r;
  } catch (const nlohmann::json::exception& e) {
    throw InvalidInputError(fmt::format("invalid feature registry: {}", e.what()));
  }
}

std::string FeatureRegistry::PathIn(const std::string& db_dir) {
  return (std::filesystem::path(db_dir) / "_features" / "registry.json").string();
}

std::optional<FeatureRegistry> FeatureRegistry::ReadFrom(const std::string& db_dir) {
  const std::string path = PathIn(db_dir);
  std::error_code ec;
  if (db_dir.empty() || !std::filesystem::exists(path, ec)) return std::nullopt;
  return FromJson(ReadFileText(path));
}

void FeatureRegistry::WriteTo(const std::string& db_dir) const {
  const std::filesystem::path path = PathIn(db_dir);
  std::filesystem::create_directories(path.parent_path());
  const std::string tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << ToJson();
    if (!out) throw IOError("cannot write " + tmp);
  }
  std::filesystem::rename(tmp, path);
}

std::string OnlineFeatureKey(const std::string& project, const std::string& view,
                             const std::string& entity_key) {
  return fmt::format("{}:{}:{}", project, view, entity_key);
}

}  // namespace sluice::online
