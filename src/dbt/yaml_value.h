#pragma once

#include <string>

#include <yaml-cpp/yaml.h>

#include "jinja/jinja_value.h"

namespace sluice::dbt {

// Converts YAML to a Jinja value: maps to dicts, sequences to lists, scalars to int, float,
// bool, None or string as YAML 1.1 would read them (dbt reads YAML with PyYAML).
jinja::Value YamlToValue(const YAML::Node& node);

// "file:line" of a YAML node (1-based line), for error messages.
std::string YamlWhere(const std::string& file, const YAML::Node& node);

// Parses `text` (from `file`), turning a syntax error into a DbtError naming file and line.
YAML::Node ParseYaml(const std::string& file, const std::string& text);

}  // namespace sluice::dbt
