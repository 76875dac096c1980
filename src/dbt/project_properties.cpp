// Properties files (models/**/*.yml, version 2): model and seed configs, sources, and the
// generic tests declared on columns, which become test nodes with generated Jinja SQL.
#include <fmt/format.h>

#include "dbt/project.h"
#include "dbt/yaml_value.h"

namespace sluice::dbt {

namespace {

// The SQL (Jinja) that selects the failing rows of a generic test. `relation` is a Jinja
// expression such as `ref('orders')`.
std::string GenericTestSql(const std::string& file, const YAML::Node& where_node,
                           const std::string& kind, const std::string& relation,
                           const std::string& column, const YAML::Node& args,
                           const std::string& where) {
  std::string model = "{{ " + relation + " }}";
  if (!where.empty()) model = "(select * from " + model + " where " + where + ") dbt_subquery";
  if (kind == "not_null") {
    return fmt::format("select * from {} where {} is null", model, column);
  }
  if (kind == "unique") {
    return fmt::format(
        "select {0} as unique_field, count(*) as n_records from {1} where {0} is not null "
        "group by {0} having count(*) > 1",
        column, model);
  }
  if (kind == "accepted_values") {
    const YAML::Node values = args["values"];
    if (!values || !values.IsSequence()) {
      throw DbtError(YamlWhere(file, where_node) + ": accepted_values needs a `values` list");
    }
    const bool quote = !args["quote"] || args["quote"].as<bool>();
    std::string list;
    for (const auto& v : values) {
      if (!list.empty()) list += ", ";
      std::string text = v.Scalar();
      if (quote) {
        std::string escaped;
        for (char c : text) escaped += c == '\'' ? std::string("''") : std::string(1, c);
        text = "'" + escaped + "'";
      }
      list += text;
    }
    return fmt::format(
        "select * from (select {0} as value_field, count(*) as n_records from {1} group by {0}) "
        "dbt_values where value_field not in ({2})",
        column, model, list);
  }
  if (kind == "relationships") {
    if (!args["to"] || !args["field"]) {
      throw DbtError(YamlWhere(file, where_node) + ": relationships needs `to` and `field`");
    }
    return fmt::format(
        "select child.{0} as from_field from {1} child left join {{{{ {2} }}}} parent "
        "on child.{0} = parent.{3} where child.{0} is not null and parent.{3} is null",
        column, model, args["to"].Scalar(), args["field"].Scalar());
  }
  throw DbtError(YamlWhere(file, where_node) + ": unknown generic test '" + kind +
                 "' (supported: unique, not_null, accepted_values, relationships)");
}

std::string Sanitize(const std::string& s) {
  std::string out;
  for (char c : s) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return out;
}

// Adds the generic tests in `tests` (a list of names or one-key maps) for `column` (empty
// for model-level tests) of the node `attached`.
void AddTests(Project& project, const std::string& file, const YAML::Node& tests,
              const Node& attached, const std::string& relation_expr, const std::string& column) {
  if (!tests) return;
  if (!tests.IsSequence()) throw DbtError(YamlWhere(file, tests) + ": tests must be a list");
  for (const auto& test : tests) {
    std::string kind;
    YAML::Node args;
    if (test.IsScalar()) {
      kind = test.Scalar();
    } else if (test.IsMap() && test.size() == 1) {
      kind = test.begin()->first.Scalar();
      args = test.begin()->second;
    } else {
      throw DbtError(YamlWhere(file, test) + ": a test is a name or a map with one key");
    }
    if (kind.find('.') != std::string::npos) kind = kind.substr(kind.rfind('.') + 1);
    std::string test_column = column;
    if (args && args.IsMap() && args["column_name"]) test_column = args["column_name"].Scalar();
    Node node;
    node.type = ResourceType::kTest;
    node.test_kind = kind;
    node.attached_node = attached.unique_id;
    node.column = test_column;
    node.path = file;
    node.config["materialized"] = jinja::Value("test");
    node.config["severity"] = jinja::Value("error");
    std::string where;
    if (args && args.IsMap()) {
      for (const char* key : {"severity", "where", "tags", "enabled"}) {
        if (args[key]) MergeConfig(node.config, key, YamlToValue(args[key]));
      }
      if (args["config"] && args["config"].IsMap()) {
        for (const auto& kv : args["config"]) {
          MergeConfig(node.config, kv.first.Scalar(), YamlToValue(kv.second));
        }
      }
      where = ConfigString(node, "where");
    }
    std::string suffix;
    if (kind == "accepted_values" && args["values"]) {
      for (const auto& v : args["values"]) suffix += "__" + Sanitize(v.Scalar());
    } else if (kind == "relationships" && args["to"]) {
      suffix = "__" + Sanitize(args["field"].Scalar()) + "__" + Sanitize(args["to"].Scalar());
    }
    node.name = kind + "_" + attached.name + (test_column.empty() ? "" : "_" + test_column) + suffix;
    if (args && args.IsMap() && args["name"]) node.name = args["name"].Scalar();
    if (node.name.size() > 80) node.name = node.name.substr(0, 80);
    node.unique_id = "test." + project.name + "." + node.name;
    node.fqn = {project.name, node.name};
    node.raw_code = GenericTestSql(file, test, kind, relation_expr, test_column, args, where);
    AddNode(project, std::move(node));
  }
}

void AddColumnTests(Project& project, const std::string& file, const YAML::Node& entry,
                    const Node& attached, const std::string& relation_expr) {
  for (const char* key : {"tests", "data_tests"}) {
    AddTests(project, file, entry[key], attached, relation_expr, "");
  }
  if (!entry["columns"]) return;
  for (const auto& column : entry["columns"]) {
    if (!column["name"]) throw DbtError(YamlWhere(file, column) + ": a column needs a `name`");
    for (const char* key : {"tests", "data_tests"}) {
      AddTests(project, file, column[key], attached, relation_expr, column["name"].Scalar());
    }
  }
}

void LoadResourceEntries(Project& project, const std::string& file, const YAML::Node& list,
                         const std::string& prefix) {
  if (!list) return;
  if (!list.IsSequence()) throw DbtError(YamlWhere(file, list) + ": expected a list");
  for (const auto& entry : list) {
    if (!entry["name"]) throw DbtError(YamlWhere(file, entry) + ": an entry needs a `name`");
    const std::string name = entry["name"].Scalar();
    Node* node = project.Find(prefix + "." + project.name + "." + name);
    if (node == nullptr) {
      throw DbtError(YamlWhere(file, entry) + ": " + prefix + " '" + name +
                     "' is described here but has no file");
    }
    if (entry["description"]) node->description = entry["description"].Scalar();
    if (entry["config"] && entry["config"].IsMap()) {
      for (const auto& kv : entry["config"]) {
        MergeConfig(node->config, kv.first.Scalar(), YamlToValue(kv.second));
      }
    }
    if (entry["columns"] && entry["columns"].IsSequence()) {
      for (const auto& column : entry["columns"]) {
        if (!column["name"]) continue;  // reported by AddColumnTests
        node->columns.emplace_back(column["name"].Scalar(),
                                   column["description"] ? column["description"].Scalar() : "");
      }
    }
    const Node attached = *node;  // AddColumnTests may reallocate project.nodes
    AddColumnTests(project, file, entry, attached, "ref('" + name + "')");
  }
}

void LoadSources(Project& project, const std::string& file, const YAML::Node& list) {
  if (!list) return;
  for (const auto& source : list) {
    if (!source["name"]) throw DbtError(YamlWhere(file, source) + ": a source needs a `name`");
    const std::string source_name = source["name"].Scalar();
    const std::string schema = source["schema"] ? source["schema"].Scalar() : source_name;
    if (!source["tables"]) continue;
    for (const auto& table : source["tables"]) {
      if (!table["name"]) throw DbtError(YamlWhere(file, table) + ": a table needs a `name`");
      Node node;
      node.type = ResourceType::kSource;
      node.name = table["name"].Scalar();
      node.source_name = source_name;
      node.identifier = table["identifier"] ? table["identifier"].Scalar() : node.name;
      node.path = file;
      node.unique_id = "source." + project.name + "." + source_name + "." + node.name;
      node.fqn = {project.name, source_name, node.name};
      node.schema = schema;
      node.relation = schema + "." + node.identifier;
      if (table["description"]) node.description = table["description"].Scalar();
      const size_t index = AddNode(project, node);
      const Node attached = project.nodes[index];
      AddColumnTests(project, file, table, attached,
                     "source('" + source_name + "', '" + attached.name + "')");
    }
  }
}

}  // namespace

void LoadPropertiesFile(Project& project, const std::string& path, const std::string& text) {
  const YAML::Node root = ParseYaml(path, text);
  if (!root || root.IsNull()) return;
  if (!root.IsMap()) throw DbtError(path + ": a properties file is a YAML map");
  LoadResourceEntries(project, path, root["models"], "model");
  LoadResourceEntries(project, path, root["seeds"], "seed");
  LoadSources(project, path, root["sources"]);
}

}  // namespace sluice::dbt
