#pragma once

#include <map>
#include <string>

#include "dbt/graph.h"
#include "dbt/project.h"
#include "dbt/runner.h"

namespace sluice {
class Session;
}

namespace sluice::dbt {

// The node checksums (unique_id -> checksum) of <state_dir>/manifest.json, for `state:`
// selection. Throws DbtError when the file is missing or not JSON.
std::map<std::string, std::string> ReadManifestChecksums(const std::string& state_dir);
// Writes target/manifest.json in the shape of dbt's published manifest schema (v11): nodes
// with columns, refs, sources, depends_on, meta, docs and language; sources; parent and
// child maps. `compiled` holds the SQL of the nodes compiled so far (unique_id -> SQL); they
// get compiled: true and compiled_code.
void WriteManifest(const Project& project, const Graph& graph, const std::string& target_dir,
                   const std::string& invocation_id,
                   const std::map<std::string, std::string>& compiled = {});
// Writes target/catalog.json (dbt docs generate): for each model, seed, snapshot and source
// that exists in the session's warehouse, its type and its columns with their types.
void WriteCatalog(const Project& project, Session& session, const std::string& target_dir,
                  const std::string& invocation_id);
// Writes target/run_results.json for `report` of the command `command_name`.
void WriteRunResults(const DbtReport& report, const std::string& command_name,
                     const std::string& target_dir);
// Writes target/compiled/<project>/<path> for a node.
void WriteCompiled(const Project& project, const Node& node, const std::string& sql,
                   const std::string& target_dir);

}  // namespace sluice::dbt
