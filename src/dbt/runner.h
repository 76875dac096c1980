#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace sluice {
class Session;
}

namespace sluice::dbt {

// kDocs: `docs generate`, writing target/index.html (see WriteDocsPage).
enum class DbtCommand { kRun, kTest, kBuild, kSeed, kCompile, kList, kSnapshot, kDocs };

struct DbtOptions {
  std::string project_dir = ".";
  std::vector<std::string> select;   // dbt selection syntax, see SelectNodes
  std::vector<std::string> exclude;
  int threads = 1;
  bool full_refresh = false;
  // --event-time-start / --event-time-end: the range microbatch models rebuild (timestamps
  // as text); empty: from `begin` (first build) or the lookback window (incremental runs).
  std::string event_time_start;
  std::string event_time_end;
  // --state: a directory with a previous manifest.json, for `state:modified` selection.
  std::string state_dir;
  std::string target_schema = "main";
  // Where manifest.json, run_results.json and compiled/ go; <project>/target when empty.
  std::string target_path;
  // Progress lines and the summary; nullptr for quiet.
  std::ostream* out = nullptr;
};

// The result of one node, as in run_results.json.
struct NodeResult {
  std::string unique_id;
  std::string resource_type;
  std::string status;  // success | error | skipped | pass | fail | warn
  std::string message;
  int64_t rows_affected = -1;
  int64_t failures = 0;
  double started_at = 0;  // seconds since the epoch
  double completed_at = 0;
  double execution_time = 0;
  int thread_id = 0;
  std::string compiled_code;  // the SQL the node ran (empty for seeds and skipped nodes)
  std::string relation_name;  // schema.alias of a model, seed or snapshot
};

struct DbtReport {
  std::vector<NodeResult> results;  // in completion order
  std::vector<std::string> listed;  // `ls`: selected unique ids in DAG order
  double elapsed = 0;
  bool success = true;  // no error and no failing test of severity error
  std::string invocation_id;  // a UUID naming this invocation in manifest and run_results

  const NodeResult* Find(const std::string& unique_id) const;
};

// Runs a dbt command over the project against the session's warehouse. Writes
// target/manifest.json, target/run_results.json and target/compiled/ under the project.
// Nodes run in DAG order on `threads` workers; a node whose upstream failed is skipped.
// Throws DbtError / JinjaError when the project does not load or compile (a cycle, an
// unknown ref, bad YAML); errors of single nodes are reported in their results instead.
DbtReport RunDbt(Session& session, DbtCommand command, const DbtOptions& options);

}  // namespace sluice::dbt
