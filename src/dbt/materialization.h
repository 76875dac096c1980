#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "api/sql_runner.h"
#include "dbt/compiler.h"
#include "dbt/schema_change.h"

namespace sluice {
class Session;
}

namespace sluice::dbt {

// What building or testing one node did.
struct NodeOutcome {
  std::string status;  // success | error | pass | fail | warn
  std::string message;
  int64_t rows_affected = -1;
  int64_t failures = 0;
  std::string compiled_sql;
};

// Runs nodes against a session: materializations (view, table, incremental), seeds and
// tests. Every change to an existing relation is built into <name>__dbt_tmp first and then
// swapped in with one commit, so a failing model leaves the old relation as it was.
//
// Thread-safety: Build and Test may be called from several threads; their statements run
// on the session side by side. Each call runs in its own Session::SettingsScope, so a SET
// in a node's hooks or run_query affects that node only.
class Materializer {
 public:
  Materializer(Session& session, const Compiler& compiler,
               std::string project_root, bool full_refresh);

  // Builds a model or snapshot, or loads a seed. Errors become an outcome with status "error".
  NodeOutcome Build(const Node& node);
  // Runs a test: counts failing rows and, when there are some, keeps a sample in the message.
  NodeOutcome Test(const Node& node);

  // Runs a SQL script on the session (RunSqlScript).
  std::vector<StatementResult> Sql(const std::string& sql);
  // The columns of a table or view, in order.
  std::vector<RelationColumn> Columns(const std::string& relation);
  int64_t Count(const std::string& relation);
  // Replaces `target` by the table `temp` in one commit and drops `temp`.
  void SwapInTable(const std::string& temp, const std::string& target);
  bool IsTable(const std::string& relation);
  // Throws InvalidInputError naming up to five keys repeated in `relation` (a table, or a
  // parenthesized query with an alias).
  void CheckUniqueKey(const std::string& relation, const std::vector<std::string>& key);

  // The range microbatch models (re)build, from --event-time-start / --event-time-end
  // (timestamps as text; empty: not given). Call before the first Build.
  void SetEventTimeRange(std::string start, std::string end) {
    event_time_start_ = std::move(start);
    event_time_end_ = std::move(end);
  }

 private:
  NodeOutcome BuildModel(const Node& node);
  NodeOutcome BuildSeed(const Node& node);
  // Parses and types the seed's CSV (seed_load.cpp), registers its texts as the temporary
  // view `text_view` and returns the SELECT that casts them into the seed's columns.
  std::string SeedSelectSql(const Node& node, const std::string& text_view);
  NodeOutcome BuildSnapshotNode(const Node& node);
  // Merges the new rows of an existing incremental model (append, merge, delete+insert),
  // after applying on_schema_change. Fills rows_affected and message.
  void BuildIncremental(const Node& node, const std::string& sql, NodeOutcome& outcome);
  void EnsureSchema(const std::string& schema);
  void RunHooks(const Node& node, const char* key, bool is_incremental);

  Session& session_;
  const Compiler& compiler_;
  std::string project_root_;
  bool full_refresh_;
  std::string event_time_start_;
  std::string event_time_end_;
};

}  // namespace sluice::dbt
