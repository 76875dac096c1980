#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "api/sql_runner.h"
#include "dbt/compiler.h"

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
// Thread-safety: Build and Test may be called from several threads; statements are
// serialized on `sql_mutex` because a Session runs one query at a time.
class Materializer {
 public:
  Materializer(Session& session, std::mutex& sql_mutex, const Compiler& compiler,
               std::string project_root, bool full_refresh);

  // Builds a model or loads a seed. Errors become an outcome with status "error".
  NodeOutcome Build(const Node& node);
  // Runs a test: counts failing rows and, when there are some, keeps a sample in the message.
  NodeOutcome Test(const Node& node);

  // Runs SQL under the session lock.
  std::vector<StatementResult> Sql(const std::string& sql);

 private:
  NodeOutcome BuildModel(const Node& node);
  NodeOutcome BuildSeed(const Node& node);
  int64_t Count(const std::string& relation);
  void EnsureSchema(const std::string& schema);
  // Replaces `target` by the table `temp` in one commit and drops `temp`.
  void SwapInTable(const std::string& temp, const std::string& target);
  void RunHooks(const Node& node, const char* key, bool is_incremental);
  void CheckUniqueKey(const std::string& temp, const std::vector<std::string>& key);

  Session& session_;
  std::mutex& sql_mutex_;
  const Compiler& compiler_;
  std::string project_root_;
  bool full_refresh_;
};

}  // namespace sluice::dbt
