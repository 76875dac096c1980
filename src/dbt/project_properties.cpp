// Properties files (models/**/*.yml, version 2): model and seed configs, sources, and the
// generic tests declared on columns, which become test nodes with generated Jinja SQL.
#include <algorithm>
#include <map>
#include <regex>
#include <set>

#include <fmt/format.h>

#include "common/digest.h"
#include "common/strings.h"
#include "dbt/project.h"
#include "dbt/yaml_value.h"

namespace sluice::dbt {

namespace {

// The arguments of a generic test in the order written, a later key replacing an earlier one.
// The values stay nodes of the parsed document: copying a node shares it, whereas assigning
// one into a node of another document merges the two documents' memory (quadratic over a
// properties file with many tests).
class TestArgs {
 public:
  void Set(const std::string& key, const YAML::Node& value) {
    for (auto& [k, v] : entries_) {
      if (k == key) {
        v.reset(value);
        return;
      }
    }
    entries_.emplace_back(key, value);
  }
  // The value of `key`; an undefined node when there is none.
  YAML::Node Get(const std::string& key) const {
    for (const auto& [k, v] : entries_) {
      if (k == key) return v;
    }
    return YAML::Node(YAML::NodeType::Undefined);
  }
  const std::vector<std::pair<std::string, YAML::Node>>& entries() const { return entries_; }

 private:
  std::vector<std::pair<std::string, YAML::Node>> entries_;
};

// The SQL (Jinja) that selects the failing rows of a generic test. `relation` is a Jinja
// expression such as `ref('orders')`.
std::string GenericTestSql(const std::string& file, const YAML::Node& where_node,
                           const std::string& kind, const std::string& relation,
                           const std::string& column, const TestArgs& args,
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
    const YAML::Node values = args.Get("values");
    if (!values || !values.IsSequence()) {
      throw DbtError(YamlWhere(file, where_node) + ": accepted_values needs a `values` list");
    }
    const YAML::Node quote_node = args.Get("quote");
    const bool quote = !quote_node || quote_node.as<bool>();
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
    if (!args.Get("to") || !args.Get("field")) {
      throw DbtError(YamlWhere(file, where_node) + ": relationships needs `to` and `field`");
    }
    return fmt::format(
        "select child.{0} as from_field from {1} child left join {{{{ {2} }}}} parent "
        "on child.{0} = parent.{3} where child.{0} is not null and parent.{3} is null",
        column, model, args.Get("to").Scalar(), args.Get("field").Scalar());
  }
  SLUICE_CHECK(false, "not a built-in generic test: {}", kind);
  return "";
}

// `s` with each run of characters other than [0-9a-zA-Z_] replaced by one "_" (dbt's rule).
std::string Sanitize(const std::string& s) {
  std::string out;
  bool in_run = false;
  for (char c : s) {
    const bool kept = std::isalnum(static_cast<unsigned char>(c)) || c == '_';
    if (kept) out += c;
    if (!kept && !in_run) out += '_';
    in_run = !kept;
  }
  return out;
}

// The generic tests the project defines with `{% test name(...) %}` (in macro files,
// including tests/generic/), by name.
std::set<std::string> ProjectGenericTests(const Project& project) {
  static const std::regex kTestBlock(R"(\{%-?\s*test\s+(\w+)\s*\()");
  std::set<std::string> names;
  for (const auto& [path, text] : project.macro_files) {
    for (std::sregex_iterator it(text.begin(), text.end(), kTestBlock), end; it != end; ++it) {
      names.insert((*it)[1].str());
    }
  }
  return names;
}

bool IsBuiltinTest(const std::string& kind) {
  return kind == "unique" || kind == "not_null" || kind == "accepted_values" ||
         kind == "relationships";
}

// Keys of a test entry that configure the test instead of being arguments of it.
bool IsTestConfigKey(const std::string& key) {
  static const char* kKeys[] = {"name", "config", "arguments", "description", "severity",
                                "where", "tags", "enabled", "warn_if", "error_if", "limit",
                                "fail_calc", "store_failures", "meta", "column_name"};
  for (const char* k : kKeys) {
    if (key == k) return true;
  }
  return false;
}

// A test argument as a Jinja expression: strings that call ref() or source() stay
// expressions (dbt renders `to: ref('customers')`), other values become literals.
std::string ArgumentExpression(const YAML::Node& value) {
  static const std::regex kRelationCall(R"(^\s*(ref|source)\s*\(.*\)\s*$)");
  if (value.IsScalar() && std::regex_match(value.Scalar(), kRelationCall)) return value.Scalar();
  return YamlToValue(value).Repr();
}

std::string JinjaStringLiteral(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\\' || c == '\'') out += '\\';
    out += c;
  }
  return out + "'";
}

// The Jinja that calls a project-defined generic test macro, as dbt does: the tested
// relation as `model` (a subquery when `where` is set) and the column as `column_name`.
std::string CustomTestSql(const std::string& kind, const std::string& relation,
                          const std::string& column, const TestArgs& args,
                          const std::string& where) {
  std::string model = relation;
  if (!where.empty()) {
    model = "'(select * from ' ~ " + relation + " ~ ' where ' ~ " + JinjaStringLiteral(where) +
            " ~ ') dbt_subquery'";
  }
  std::string call = "test_" + kind + "(model=" + model;
  if (!column.empty()) call += ", column_name=" + JinjaStringLiteral(column);
  for (const auto& [key, value] : args.entries()) {
    call += ", " + key + "=" + ArgumentExpression(value);
  }
  return "{{ " + call + ") }}";
}

// dbt's names of a generic test (dbt-core's synthesize_generic_test_names): the full name
// `<kind>_<target>_<args>`, the values of its arguments (column_name among them) in the order
// of the arguments' names, each cleaned to [0-9a-zA-Z_] and joined by "__"; and the short
// name of its files and relation: the full name, or when that has 64 characters or more, the
// first 30 characters of `<kind>_<target>`, "_" and the MD5 of the full name.
struct GenericTestNames {
  std::string full;
  std::string short_name;
};

GenericTestNames SynthesizeTestNames(const std::string& kind, const std::string& target,
                                     const std::string& column, const TestArgs& args) {
  // A value as Python's str() prints what dbt's YAML loader made of it.
  auto text = [](const YAML::Node& v) -> std::string {
    if (!v.IsScalar()) return YAML::Dump(v);
    const std::string& s = v.Scalar();
    if (v.Tag() != "!" && (s == "true" || s == "True")) return "True";
    if (v.Tag() != "!" && (s == "false" || s == "False")) return "False";
    return s;
  };
  std::map<std::string, std::vector<std::string>> sorted;
  if (!column.empty()) sorted["column_name"] = {column};
  for (const auto& [key, value] : args.entries()) {
    std::vector<std::string>& parts = sorted[key];
    parts.clear();
    if (value.IsMap()) {
      for (const auto& kv : value) parts.push_back(text(kv.second));
    } else if (value.IsSequence()) {
      for (const auto& v : value) parts.push_back(text(v));
    } else {
      parts.push_back(text(value));
    }
  }
  std::vector<std::string> flat;
  for (const auto& [key, parts] : sorted) {
    if (key == "model") continue;  // already in the name
    for (const auto& part : parts) flat.push_back(Sanitize(part));
  }
  const std::string identifier = kind + "_" + target;
  GenericTestNames names;
  names.full = identifier + "_" + Join(flat, "__");
  names.short_name = names.full.size() >= 64
                         ? identifier.substr(0, 30) + "_" + Md5Hex(names.full)
                         : names.full;
  return names;
}

// Adds the generic tests in `tests` (a list of names or one-key maps) for `column` (empty
// for model-level tests) of the node `attached`. A test's arguments are the keys of its map
// that are not configs, or (dbt 1.8+) the map under `arguments:`.
void AddTests(Project& project, const std::string& file, const YAML::Node& tests,
              const Node& attached, const std::string& relation_expr, const std::string& column) {
  if (!tests) return;
  if (!tests.IsSequence()) throw DbtError(YamlWhere(file, tests) + ": tests must be a list");
  const std::set<std::string> defined = ProjectGenericTests(project);
  for (const auto& test : tests) {
    std::string kind;
    YAML::Node spec;
    if (test.IsScalar()) {
      kind = test.Scalar();
    } else if (test.IsMap() && test.size() == 1) {
      kind = test.begin()->first.Scalar();
      spec = test.begin()->second;
    } else {
      throw DbtError(YamlWhere(file, test) + ": a test is a name or a map with one key");
    }
    if (spec && !spec.IsNull() && !spec.IsMap()) {
      throw DbtError(YamlWhere(file, spec) + ": the arguments of test '" + kind +
                     "' must be a map");
    }
    if (kind.find('.') != std::string::npos) kind = kind.substr(kind.rfind('.') + 1);
    TestArgs args;
    if (spec && spec.IsMap()) {
      for (const auto& kv : spec) {
        if (!IsTestConfigKey(kv.first.Scalar())) args.Set(kv.first.Scalar(), kv.second);
      }
      if (spec["arguments"]) {
        if (!spec["arguments"].IsMap()) {
          throw DbtError(YamlWhere(file, spec["arguments"]) + ": `arguments` must be a map");
        }
        for (const auto& kv : spec["arguments"]) args.Set(kv.first.Scalar(), kv.second);
      }
    }
    std::string test_column = column;
    if (spec && spec.IsMap() && spec["column_name"]) test_column = spec["column_name"].Scalar();
    Node node;
    node.type = ResourceType::kTest;
    node.test_kind = kind;
    node.attached_node = attached.unique_id;
    node.column = test_column;
    node.path = file;
    node.config["materialized"] = jinja::Value("test");
    if (spec && spec.IsMap()) {
      for (const char* key : {"severity", "where", "tags", "enabled", "warn_if", "error_if",
                              "limit", "fail_calc", "store_failures", "meta"}) {
        if (spec[key]) {
          MergeConfig(node.config, key, YamlToValue(spec[key]));
          node.properties_config.insert(key);
        }
      }
      if (spec["config"] && spec["config"].IsMap()) {
        for (const auto& kv : spec["config"]) {
          MergeConfig(node.config, kv.first.Scalar(), YamlToValue(kv.second));
          std::string key = kv.first.Scalar();
          std::replace(key.begin(), key.end(), '-', '_');
          node.properties_config.insert(key);
        }
      }
    }
    const std::string where = ConfigString(node, "where");
    if (spec && spec.IsMap() && spec["name"]) {
      node.name = spec["name"].Scalar();
    } else {
      // A source's tests are named source_<kind>_<source>_<table>_...
      const bool source = attached.type == ResourceType::kSource;
      const std::string target = source ? attached.source_name + "_" + attached.name : attached.name;
      const GenericTestNames names =
          SynthesizeTestNames(source ? "source_" + kind : kind, target, test_column, args);
      node.name = names.full;
      if (names.short_name != names.full) node.alias = names.short_name;
    }
    node.unique_id = "test." + project.name + "." + node.name;
    node.fqn = {project.name, node.name};
    // A project's own `{% test unique(...) %}` overrides the built-in one, as in dbt.
    if (defined.count(kind)) {
      node.raw_code = CustomTestSql(kind, relation_expr, test_column, args, where);
    } else if (IsBuiltinTest(kind)) {
      node.raw_code = GenericTestSql(file, test, kind, relation_expr, test_column, args, where);
    } else {
      throw DbtError(YamlWhere(file, test) + ": unknown generic test '" + kind +
                     "': define it with {% test " + kind +
                     "(model, column_name) %} in macros/ or tests/generic/ (built in: unique, "
                     "not_null, accepted_values, relationships)");
    }
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
