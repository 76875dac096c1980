#include "dbt/yaml_value.h"

#include <charconv>

#include "dbt/project.h"

namespace sluice::dbt {

namespace {

jinja::Value ScalarToValue(const YAML::Node& node) {
  const std::string& s = node.Scalar();
  if (node.Tag() == "!") return jinja::Value(s);  // quoted in the file: always a string
  if (s == "true" || s == "True" || s == "TRUE" || s == "yes") return jinja::Value(true);
  if (s == "false" || s == "False" || s == "FALSE" || s == "no") return jinja::Value(false);
  if (s == "null" || s == "~" || s.empty()) return jinja::Value::None();
  int64_t i = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), i);
  if (ec == std::errc() && end == s.data() + s.size()) return jinja::Value(i);
  double d = 0;
  auto [dend, dec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (dec == std::errc() && dend == s.data() + s.size()) return jinja::Value(d);
  return jinja::Value(s);
}

}  // namespace

jinja::Value YamlToValue(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      jinja::Value dict = jinja::Value::MakeDict();
      for (const auto& kv : node) {
        dict.AsDict().Set(jinja::Value(kv.first.Scalar()), YamlToValue(kv.second));
      }
      return dict;
    }
    case YAML::NodeType::Sequence: {
      jinja::List items;
      for (const auto& item : node) items.push_back(YamlToValue(item));
      return jinja::Value::MakeList(std::move(items));
    }
    case YAML::NodeType::Scalar:
      return ScalarToValue(node);
    default:
      return jinja::Value::None();
  }
}

std::string YamlWhere(const std::string& file, const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  if (mark.line < 0) return file;
  return file + ":" + std::to_string(mark.line + 1);
}

YAML::Node ParseYaml(const std::string& file, const std::string& text) {
  try {
    return YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw DbtError(file + ":" + std::to_string(e.mark.line + 1) + ": invalid YAML: " + e.msg);
  }
}

}  // namespace sluice::dbt
