#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "dbt/project.h"

namespace sluice::dbt {

// The dependency DAG of a compiled project, over unique ids.
class Graph {
 public:
  // Builds the graph from each node's depends_on. Throws DbtError naming the cycle path
  // ("model.p.a -> model.p.b -> model.p.a") when there is one.
  explicit Graph(const Project& project);

  const std::vector<std::string>& Parents(const std::string& id) const;
  const std::vector<std::string>& Children(const std::string& id) const;
  // Ancestors / descendants up to `depth` edges away (-1: unlimited), excluding `id`.
  std::set<std::string> Ancestors(const std::string& id, int depth = -1) const;
  std::set<std::string> Descendants(const std::string& id, int depth = -1) const;
  // Every node, parents before children (ties broken by unique id).
  const std::vector<std::string>& TopologicalOrder() const { return order_; }

 private:
  std::map<std::string, std::vector<std::string>> parents_;
  std::map<std::string, std::vector<std::string>> children_;
  std::vector<std::string> order_;
};

// Evaluates dbt selection syntax. Each `select` / `exclude` argument may hold several
// space-separated selectors (a union); a selector of comma-separated parts is their
// intersection. A part is [@][N+|+]method:value[+|+N] where method is one of tag, path,
// source, resource_type, config.<key>, state (modified | new, against
// project.state_checksums), fqn (the default: a node name, possibly a glob).
// An empty `select` means every node except sources. Tests whose tested nodes are selected
// are added (dbt's eager indirect selection); the same applies to exclusion. Selectors of
// `select` that match no node are appended to `unmatched` when given.
std::set<std::string> SelectNodes(const Project& project, const Graph& graph,
                                  const std::vector<std::string>& select,
                                  const std::vector<std::string>& exclude,
                                  std::vector<std::string>* unmatched = nullptr);

}  // namespace sluice::dbt
