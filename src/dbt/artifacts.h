#pragma once

#include <map>
#include <string>

#include "dbt/graph.h"
#include "dbt/project.h"
#include "dbt/runner.h"

namespace sluice::dbt {

// The node checksums (unique_id -> checksum) of <state_dir>/manifest.json, for `state:`
// selection. Throws DbtError when the file is missing or not JSON.
std::map<std::string, std::string> ReadManifestChecksums(const std::string& state_dir);
// Writes target/manifest.json (nodes, sources, parent and child maps, in dbt's shape).
void WriteManifest(const Project& project, const Graph& graph, const std::string& target_dir);
// Writes target/run_results.json for `report` of the command `command_name`.
void WriteRunResults(const DbtReport& report, const std::string& command_name,
                     const std::string& target_dir);
// Writes target/compiled/<project>/<path> for a node.
void WriteCompiled(const Project& project, const Node& node, const std::string& sql,
                   const std::string& target_dir);

}  // namespace sluice::dbt
