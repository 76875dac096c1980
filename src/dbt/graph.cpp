#include "dbt/graph.h"

#include <fnmatch.h>

#include <algorithm>
#include <functional>
#include <sstream>

#include "common/strings.h"

namespace sluice::dbt {

namespace {

const std::vector<std::string> kNone;

std::set<std::string> Walk(const std::map<std::string, std::vector<std::string>>& edges,
                           const std::string& start, int depth) {
  std::set<std::string> out;
  std::vector<std::pair<std::string, int>> stack{{start, 0}};
  while (!stack.empty()) {
    auto [id, d] = stack.back();
    stack.pop_back();
    if (depth >= 0 && d >= depth) continue;
    auto it = edges.find(id);
    if (it == edges.end()) continue;
    for (const auto& next : it->second) {
      if (out.insert(next).second) stack.push_back({next, d + 1});
    }
  }
  return out;
}

bool MatchesPath(const std::string& node_path, std::string prefix) {
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  if (fnmatch(prefix.c_str(), node_path.c_str(), 0) == 0) return true;
  return node_path == prefix || (node_path.size() > prefix.size() &&
                                 node_path.compare(0, prefix.size(), prefix) == 0 &&
                                 node_path[prefix.size()] == '/');
}

bool MatchesMethod(const Node& node, const std::string& method, const std::string& value) {
  auto glob = [&](const std::string& text) { return fnmatch(value.c_str(), text.c_str(), 0) == 0; };
  if (method == "tag") {
    for (const auto& tag : ConfigList(node, "tags")) {
      if (glob(tag)) return true;
    }
    return false;
  }
  if (method == "path" || method == "file") return MatchesPath(node.path, value);
  if (method == "resource_type") return value == ResourceTypeName(node.type);
  if (method == "source") {
    if (node.type != ResourceType::kSource) return false;
    return glob(node.source_name) || glob(node.source_name + "." + node.name);
  }
  if (method == "test_name" || method == "test_type") {
    return node.type == ResourceType::kTest &&
           (glob(node.test_kind) || (value == "singular" && node.test_kind.empty()) ||
            (value == "generic" && !node.test_kind.empty()));
  }
  if (method.rfind("config.", 0) == 0) {
    return ToLower(ConfigString(node, method.substr(7))) == ToLower(value);
  }
  if (method == "fqn") {
    if (node.type == ResourceType::kSource) return false;
    if (glob(node.name)) return true;
    // Dotted fqn suffixes: "staging.stg_orders", "jaffle.staging".
    std::string joined;
    for (size_t start = 0; start < node.fqn.size(); ++start) {
      joined.clear();
      for (size_t i = start; i < node.fqn.size(); ++i) {
        joined += (i == start ? "" : ".") + node.fqn[i];
        if (glob(joined)) return true;
      }
    }
    return false;
  }
  throw DbtError("unknown selector method '" + method + "'");
}

// One selector part: graph operators around a method:value.
// `state:new` (absent from the previous manifest) and `state:modified` (new, or with another
// checksum; `modified.body` / `modified.configs` are accepted as the same).
std::set<std::string> SelectByState(const Project& project, const std::string& value) {
  if (!project.state_checksums) {
    throw DbtError("the selector 'state:" + value + "' needs --state DIR (a previous target/ "
                   "holding manifest.json)");
  }
  const bool only_new = value == "new";
  if (!only_new && value != "modified" && value.rfind("modified.", 0) != 0) {
    throw DbtError("unknown state selector 'state:" + value + "' (supported: modified, new)");
  }
  std::set<std::string> out;
  for (const auto& node : project.nodes) {
    if (node.type == ResourceType::kSource) continue;
    auto it = project.state_checksums->find(node.unique_id);
    if (it == project.state_checksums->end() ||
        (!only_new && it->second != NodeChecksum(project, node))) {
      out.insert(node.unique_id);
    }
  }
  return out;
}

std::set<std::string> SelectPart(const Project& project, const Graph& graph, std::string part) {
  bool at = false;
  int parents = 0, children = 0;  // 0 none, -1 all, N depth
  if (!part.empty() && part[0] == '@') {
    at = true;
    part = part.substr(1);
  }
  size_t digits = 0;
  while (digits < part.size() && std::isdigit(static_cast<unsigned char>(part[digits]))) ++digits;
  if (digits < part.size() && part[digits] == '+') {
    parents = digits == 0 ? -1 : std::stoi(part.substr(0, digits));
    part = part.substr(digits + 1);
  }
  const size_t plus = part.rfind('+');
  if (plus != std::string::npos && plus > 0) {
    const std::string tail = part.substr(plus + 1);
    if (std::all_of(tail.begin(), tail.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
      children = tail.empty() ? -1 : std::stoi(tail);
      part = part.substr(0, plus);
    }
  }
  std::string method = "fqn", value = part;
  const size_t colon = part.find(':');
  if (colon != std::string::npos) {
    method = part.substr(0, colon);
    value = part.substr(colon + 1);
  } else if (part.find('/') != std::string::npos || part.ends_with(".sql")) {
    method = "path";
  }
  std::set<std::string> out;
  if (method == "state") {
    out = SelectByState(project, value);
  } else {
    for (const auto& node : project.nodes) {
      if (MatchesMethod(node, method, value)) out.insert(node.unique_id);
    }
  }
  std::set<std::string> base = out;
  for (const auto& id : base) {
    if (parents != 0) {
      for (const auto& a : graph.Ancestors(id, parents)) out.insert(a);
    }
    if (children != 0 || at) {
      for (const auto& d : graph.Descendants(id, at ? -1 : children)) {
        out.insert(d);
        // Tests are leaves: their other parents are not pulled in by @.
        if (at && project.Find(d)->type != ResourceType::kTest) {
          for (const auto& a : graph.Ancestors(d)) out.insert(a);
        }
      }
    }
  }
  return out;
}

std::set<std::string> Evaluate(const Project& project, const Graph& graph,
                               const std::vector<std::string>& args,
                               std::vector<std::string>* unmatched = nullptr) {
  std::set<std::string> result;
  for (const auto& arg : args) {
    std::istringstream words(arg);
    std::string selector;
    while (words >> selector) {
      std::set<std::string> current;
      bool first = true;
      for (const auto& part : Split(selector, ',')) {
        if (part.empty()) continue;
        std::set<std::string> chosen = SelectPart(project, graph, part);
        if (first) {
          current = std::move(chosen);
          first = false;
        } else {
          std::set<std::string> both;
          std::set_intersection(current.begin(), current.end(), chosen.begin(), chosen.end(),
                                std::inserter(both, both.begin()));
          current = std::move(both);
        }
      }
      if (current.empty() && unmatched != nullptr) unmatched->push_back(selector);
      result.insert(current.begin(), current.end());
    }
  }
  return result;
}

// Adds the tests any of whose tested nodes is in `ids`.
void AddAttachedTests(const Project& project, std::set<std::string>& ids) {
  std::vector<std::string> extra;
  for (const auto& node : project.nodes) {
    if (node.type != ResourceType::kTest) continue;
    for (const auto& parent : node.depends_on) {
      if (ids.count(parent)) {
        extra.push_back(node.unique_id);
        break;
      }
    }
  }
  ids.insert(extra.begin(), extra.end());
}

}  // namespace

Graph::Graph(const Project& project) {
  for (const auto& node : project.nodes) {
    parents_[node.unique_id];
    children_[node.unique_id];
  }
  for (const auto& node : project.nodes) {
    for (const auto& parent : node.depends_on) {
      parents_[node.unique_id].push_back(parent);
      children_[parent].push_back(node.unique_id);
    }
  }
  // Depth-first search; a grey node reached again closes a cycle.
  std::map<std::string, int> color;  // 0 white, 1 grey, 2 black
  std::vector<std::string> path;
  std::function<void(const std::string&)> visit = [&](const std::string& id) {
    color[id] = 1;
    path.push_back(id);
    for (const auto& parent : parents_[id]) {
      if (color[parent] == 1) {
        auto start = std::find(path.begin(), path.end(), parent);
        std::string cycle;
        // path runs child -> parent; print it in dependency order (parent -> child).
        std::vector<std::string> loop(start, path.end());
        std::reverse(loop.begin(), loop.end());
        for (const auto& step : loop) cycle += step + " -> ";
        throw DbtError("found a cycle: " + cycle + loop.front());
      }
      if (color[parent] == 0) visit(parent);
    }
    path.pop_back();
    color[id] = 2;
    order_.push_back(id);  // after all its parents
  };
  for (const auto& [id, unused] : parents_) {
    if (color[id] == 0) visit(id);
  }
}

const std::vector<std::string>& Graph::Parents(const std::string& id) const {
  auto it = parents_.find(id);
  return it == parents_.end() ? kNone : it->second;
}

const std::vector<std::string>& Graph::Children(const std::string& id) const {
  auto it = children_.find(id);
  return it == children_.end() ? kNone : it->second;
}

std::set<std::string> Graph::Ancestors(const std::string& id, int depth) const {
  return Walk(parents_, id, depth);
}

std::set<std::string> Graph::Descendants(const std::string& id, int depth) const {
  return Walk(children_, id, depth);
}

std::set<std::string> SelectNodes(const Project& project, const Graph& graph,
                                  const std::vector<std::string>& select,
                                  const std::vector<std::string>& exclude,
                                  std::vector<std::string>* unmatched) {
  std::set<std::string> selected;
  bool any_select = false;
  for (const auto& s : select) any_select |= !s.empty();
  if (!any_select) {
    for (const auto& node : project.nodes) {
      if (node.type != ResourceType::kSource) selected.insert(node.unique_id);
    }
  } else {
    selected = Evaluate(project, graph, select, unmatched);
    AddAttachedTests(project, selected);
  }
  std::set<std::string> excluded = Evaluate(project, graph, exclude);
  AddAttachedTests(project, excluded);
  for (const auto& id : excluded) selected.erase(id);
  return selected;
}

}  // namespace sluice::dbt
