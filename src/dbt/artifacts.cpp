#include "dbt/artifacts.h"

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "api/dataframe.h"
#include "api/session.h"
#include "common/error.h"

namespace sluice::dbt {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

json ToJson(const jinja::Value& v) {
  switch (v.kind()) {
    case jinja::Value::Kind::kBool: return v.AsBool();
    case jinja::Value::Kind::kInt: return v.AsInt();
    case jinja::Value::Kind::kFloat: return v.AsDouble();
    case jinja::Value::Kind::kString: return v.AsString();
    case jinja::Value::Kind::kList:
    case jinja::Value::Kind::kTuple: {
      json out = json::array();
      for (const auto& item : v.AsList()) out.push_back(ToJson(item));
      return out;
    }
    case jinja::Value::Kind::kDict: {
      json out = json::object();
      for (const auto& [k, item] : v.AsDict().entries()) out[k.Str()] = ToJson(item);
      return out;
    }
    case jinja::Value::Kind::kObject: return v.Str();
    default: return nullptr;
  }
}

std::string Iso8601(double seconds) {
  const auto whole = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&whole, &tm);
  char buf[40];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
  const int micros = static_cast<int>((seconds - static_cast<double>(whole)) * 1e6);
  char out[64];
  std::snprintf(out, sizeof(out), "%s.%06dZ", buf, micros);
  return out;
}

double Now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

json Metadata(const std::string& schema, const std::string& invocation_id) {
  return {{"dbt_schema_version", "https://schemas.getdbt.com/dbt/" + schema},
          {"dbt_version", "1.7.0"},
          {"generated_at", Iso8601(Now())},
          {"invocation_id", invocation_id},
          {"env", json::object()},
          {"adapter_type", "sluice"}};
}

// Writes `text` to `path` as a new file. An existing file is unlinked first rather than
// truncated: ext4 flushes a file truncated and rewritten when it is closed, which made
// `compile` of a large project spend most of its time waiting on the disk.
void ReplaceFile(const fs::path& path, const std::string& text) {
  std::error_code ignored;
  fs::remove(path, ignored);
  std::ofstream out(path, std::ios::binary);
  out << text;
}

// Compact, as dbt writes its artifacts: a large project's manifest is megabytes.
void WriteJson(const fs::path& path, const json& value) {
  fs::create_directories(path.parent_path());
  ReplaceFile(path, value.dump() + "\n");
}

}  // namespace

std::map<std::string, std::string> ReadManifestChecksums(const std::string& state_dir) {
  const fs::path path = fs::path(state_dir) / "manifest.json";
  std::ifstream in(path);
  if (!in) throw DbtError("--state: cannot read " + path.string());
  json manifest;
  try {
    manifest = json::parse(in);
  } catch (const json::exception& e) {
    throw DbtError("--state: " + path.string() + " is not valid JSON: " + e.what());
  }
  std::map<std::string, std::string> checksums;
  for (const char* section : {"nodes", "sources"}) {
    if (!manifest.contains(section)) continue;
    for (const auto& [id, entry] : manifest[section].items()) {
      const auto& c = entry.contains("checksum") ? entry["checksum"] : json();
      checksums[id] = c.is_object() && c.contains("checksum") && c["checksum"].is_string()
                          ? c["checksum"].get<std::string>()
                          : "";
    }
  }
  return checksums;
}

namespace {

// dbt's column entries: name -> {name, description, meta, data_type, constraints, quote, tags}.
json ColumnsJson(const Node& node) {
  json columns = json::object();
  for (const auto& [name, description] : node.columns) {
    columns[name] = {{"name", name},          {"description", description},
                     {"meta", json::object()}, {"data_type", nullptr},
                     {"constraints", json::array()}, {"quote", nullptr},
                     {"tags", json::array()}};
  }
  return columns;
}

json MetaJson(const Node& node) {
  auto it = node.config.find("meta");
  if (it == node.config.end()) return json::object();
  json meta = ToJson(it->second);
  return meta.is_object() ? meta : json::object();
}

json NodeJson(const Project& project, const Node& node,
              const std::map<std::string, std::string>& compiled) {
  json config = json::object();
  for (const auto& [k, v] : node.config) config[k] = ToJson(v);
  config["tags"] = ConfigList(node, "tags");
  json entry = {{"unique_id", node.unique_id},
                {"name", node.name},
                {"resource_type", ResourceTypeName(node.type)},
                {"package_name", project.name},
                {"path", node.path},
                {"original_file_path", node.path},
                {"fqn", node.fqn},
                {"database", "sluice"},
                {"schema", node.schema},
                {"relation_name", node.relation.empty() ? json(nullptr) : json(node.relation)},
                {"tags", ConfigList(node, "tags")},
                {"description", node.description},
                {"columns", ColumnsJson(node)},
                {"meta", MetaJson(node)},
                {"checksum", {{"name", "fnv1a64"}, {"checksum", NodeChecksum(project, node)}}},
                {"config", std::move(config)}};
  if (node.type == ResourceType::kSource) {
    entry["source_name"] = node.source_name;
    entry["identifier"] = node.identifier;
    entry["source_meta"] = json::object();
    entry["loader"] = "";
    return entry;
  }
  entry["alias"] = !node.alias.empty() ? node.alias : ConfigString(node, "alias", node.name);
  entry["raw_code"] = node.raw_code;
  entry["language"] = "sql";
  entry["docs"] = {{"show", true}, {"node_color", nullptr}};
  json refs = json::array(), sources = json::array();
  for (const auto& id : node.depends_on) {
    const Node* parent = project.Find(id);
    if (parent == nullptr) continue;
    if (parent->type == ResourceType::kSource) {
      sources.push_back({parent->source_name, parent->name});
    } else {
      refs.push_back({{"name", parent->name}, {"package", nullptr}, {"version", nullptr}});
    }
  }
  entry["refs"] = std::move(refs);
  entry["sources"] = std::move(sources);
  entry["depends_on"] = {{"nodes", node.depends_on}, {"macros", json::array()}};
  auto code = compiled.find(node.unique_id);
  entry["compiled"] = code != compiled.end();
  if (code != compiled.end()) entry["compiled_code"] = code->second;
  if (node.type == ResourceType::kTest && !node.test_kind.empty()) {
    entry["test_metadata"] = {{"name", node.test_kind},
                              {"kwargs", {{"column_name", node.column}}},
                              {"namespace", nullptr}};
    entry["column_name"] = node.column;
    entry["attached_node"] = node.attached_node;
  }
  return entry;
}

}  // namespace

void WriteManifest(const Project& project, const Graph& graph, const std::string& target_dir,
                   const std::string& invocation_id,
                   const std::map<std::string, std::string>& compiled) {
  json nodes = json::object(), sources = json::object();
  json parent_map = json::object(), child_map = json::object();
  for (const auto& node : project.nodes) {
    (node.type == ResourceType::kSource ? sources : nodes)[node.unique_id] =
        NodeJson(project, node, compiled);
    parent_map[node.unique_id] = graph.Parents(node.unique_id);
    child_map[node.unique_id] = graph.Children(node.unique_id);
  }
  json macros = json::object();
  for (const auto& [path, text] : project.macro_files) {
    macros["macro." + project.name + "." + fs::path(path).stem().string()] = {
        {"path", path}, {"package_name", project.name}};
  }
  // Moved in, not listed in an initializer list: that would copy every node once more.
  json manifest = json::object();
  manifest["metadata"] = Metadata("manifest/v11.json", invocation_id);
  manifest["metadata"]["project_name"] = project.name;
  manifest["nodes"] = std::move(nodes);
  manifest["sources"] = std::move(sources);
  manifest["macros"] = std::move(macros);
  for (const char* empty : {"docs", "exposures", "metrics", "groups", "selectors", "disabled",
                            "semantic_models", "saved_queries"}) {
    manifest[empty] = json::object();
  }
  manifest["parent_map"] = std::move(parent_map);
  manifest["child_map"] = std::move(child_map);
  manifest["group_map"] = json::object();
  WriteJson(fs::path(target_dir) / "manifest.json", manifest);
}

void WriteRunResults(const DbtReport& report, const std::string& command_name,
                     const std::string& target_dir) {
  json results = json::array();
  for (const auto& r : report.results) {
    json timing = json::array();
    if (r.status != "skipped") {
      timing.push_back({{"name", "execute"},
                        {"started_at", Iso8601(r.started_at)},
                        {"completed_at", Iso8601(r.completed_at)}});
    }
    json adapter_response = json::object();
    if (r.rows_affected >= 0) adapter_response["rows_affected"] = r.rows_affected;
    results.push_back(
        {{"unique_id", r.unique_id},
         {"status", r.status},
         {"timing", timing},
         {"thread_id", "Thread-" + std::to_string(r.thread_id)},
         {"execution_time", r.execution_time},
         {"message", r.message},
         {"failures", r.resource_type == "test" ? json(r.failures) : json(nullptr)},
         {"adapter_response", adapter_response},
         {"compiled", !r.compiled_code.empty()},
         {"compiled_code", r.compiled_code.empty() ? json(nullptr) : json(r.compiled_code)},
         {"relation_name", r.relation_name.empty() ? json(nullptr) : json(r.relation_name)}});
  }
  json run_results = {{"metadata", Metadata("run-results/v5.json", report.invocation_id)},
                      {"results", results},
                      {"elapsed_time", report.elapsed},
                      {"args", {{"which", command_name}}}};
  WriteJson(fs::path(target_dir) / "run_results.json", run_results);
}

void WriteCatalog(const Project& project, Session& session, const std::string& target_dir,
                  const std::string& invocation_id) {
  json nodes = json::object(), sources = json::object();
  for (const auto& node : project.nodes) {
    if (node.relation.empty() || node.type == ResourceType::kTest) continue;
    if (!session.HasTable(node.relation)) continue;  // not built yet: dbt leaves it out too
    Schema schema;
    try {
      schema = session.Table(node.relation).schema();
    } catch (const UserError&) {
      continue;  // a view that no longer binds
    }
    json columns = json::object();
    for (size_t i = 0; i < schema.size(); i++) {
      const Field& f = schema.field(i);
      columns[f.name] = {{"type", f.type.ToString()},
                         {"index", static_cast<int64_t>(i + 1)},
                         {"name", f.name},
                         {"comment", nullptr}};
    }
    const auto dot = node.relation.find('.');
    json entry = {
        {"metadata",
         {{"type", session.IsTable(node.relation) ? "BASE TABLE" : "VIEW"},
          {"schema", node.schema},
          {"name", dot == std::string::npos ? node.relation : node.relation.substr(dot + 1)},
          {"database", "sluice"},
          {"comment", nullptr},
          {"owner", nullptr}}},
        {"columns", std::move(columns)},
        {"stats",
         {{"has_stats",
           {{"id", "has_stats"}, {"label", "Has Stats?"}, {"value", false},
            {"include", false}, {"description", "Indicates whether there are statistics for "
                                                 "this table"}}}}},
        {"unique_id", node.unique_id}};
    (node.type == ResourceType::kSource ? sources : nodes)[node.unique_id] = std::move(entry);
  }
  json catalog = json::object();
  catalog["metadata"] = Metadata("catalog/v1.json", invocation_id);
  catalog["nodes"] = std::move(nodes);
  catalog["sources"] = std::move(sources);
  catalog["errors"] = nullptr;
  WriteJson(fs::path(target_dir) / "catalog.json", catalog);
}

void WriteCompiled(const Project& project, const Node& node, const std::string& sql,
                   const std::string& target_dir) {
  fs::path path = fs::path(target_dir) / "compiled" / project.name / node.path;
  if (node.type == ResourceType::kTest && !node.test_kind.empty()) {
    // dbt's place: the properties file as a folder, the test's short name as the file.
    path = path / ((node.alias.empty() ? node.name : node.alias) + ".sql");
  }
  const std::string text = sql + "\n";
  // Unchanged SQL (the common case when compiling again) is left alone: reading is cheaper
  // than writing.
  std::error_code ec;
  if (fs::file_size(path, ec) == text.size() && !ec) {
    std::ifstream in(path, std::ios::binary);
    std::string existing(text.size(), '\0');
    if (in.read(existing.data(), static_cast<std::streamsize>(existing.size())) && existing == text) {
      return;
    }
  }
  fs::create_directories(path.parent_path());
  ReplaceFile(path, text);
}

}  // namespace sluice::dbt
