#include "catalog/source_definition.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "common/strings.h"

namespace sluice {

const std::string& SourceDefinition::connector() const {
  static const std::string kNone;
  auto it = options.find("connector");
  return it == options.end() ? kNone : it->second;
}

std::string SourceDefinition::Option(const std::string& key, const std::string& fallback) const {
  auto it = options.find(key);
  return it == options.end() ? fallback : it->second;
}

std::string SourceDefinition::ToJson() const {
  nlohmann::json columns = nlohmann::json::array();
  for (const Field& f : schema.fields()) {
    columns.push_back({{"name", f.name}, {"type", f.type.ToString()}, {"nullable", f.nullable}});
  }
  nlohmann::json doc = {{"name", name},
                        {"columns", columns},
                        {"watermark_column", watermark_column},
                        {"watermark_delay_us", watermark_delay_us},
                        {"options", options}};
  return doc.dump(2) + "\n";
}

SourceDefinition SourceDefinition::FromJson(const std::string& text, const std::string& where) {
  try {
    const nlohmann::json doc = nlohmann::json::parse(text);
    SourceDefinition def;
    def.name = doc.at("name").get<std::string>();
    for (const auto& c : doc.at("columns")) {
      def.schema.Add(Field{c.at("name").get<std::string>(),
                           ParseTypeName(c.at("type").get<std::string>()),
                           c.at("nullable").get<bool>(), ""});
    }
    def.watermark_column = doc.at("watermark_column").get<std::string>();
    def.watermark_delay_us = doc.at("watermark_delay_us").get<int64_t>();
    def.options = doc.at("options").get<std::map<std::string, std::string>>();
    return def;
  } catch (const nlohmann::json::exception& e) {
    throw InvalidInputError(fmt::format("corrupt source definition {}: {}", where, e.what()));
  }
}

void ConnectorRegistry::Register(Connector connector) {
  std::lock_guard lock(mutex_);
  const std::string name = connector.name;
  connectors_[name] = std::make_unique<Connector>(std::move(connector));
}

const Connector* ConnectorRegistry::Find(const std::string& name) const {
  std::lock_guard lock(mutex_);
  auto it = connectors_.find(name);
  return it == connectors_.end() ? nullptr : it->second.get();
}

std::vector<std::string> ConnectorRegistry::Names() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> names;
  for (const auto& [n, c] : connectors_) names.push_back(n);
  return names;
}

std::string ConnectorRegistry::Check(const std::map<std::string, std::string>& options,
                                     std::string* bad_key) const {
  bad_key->clear();
  auto it = options.find("connector");
  if (it == options.end()) return "WITH (...) needs 'connector' = one of " + Join(Names(), ", ");
  const Connector* c = Find(it->second);
  if (c == nullptr) {
    *bad_key = "connector";
    return fmt::format("unknown connector '{}' (known: {})", it->second, Join(Names(), ", "));
  }
  for (const std::string& key : c->required) {
    if (!options.count(key)) return fmt::format("connector '{}' needs option '{}'", c->name, key);
  }
  for (const auto& [key, value] : options) {
    if (key == "connector") continue;
    bool known = std::find(c->required.begin(), c->required.end(), key) != c->required.end();
    for (const std::string& k : c->optional) {
      if (k == key || (k.ends_with(".*") && key.starts_with(k.substr(0, k.size() - 1)))) {
        known = true;
      }
    }
    if (!known) {
      *bad_key = key;
      std::vector<std::string> all = c->required;
      all.insert(all.end(), c->optional.begin(), c->optional.end());
      return fmt::format("connector '{}' has no option '{}' (it takes {})", c->name, key,
                         Join(all, ", "));
    }
  }
  return "";
}

ConnectorRegistry& Connectors() {
  static ConnectorRegistry registry;
  return registry;
}

}  // namespace sluice
