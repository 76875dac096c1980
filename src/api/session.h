#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/memory.h"
#include "common/settings.h"
#include "common/thread_pool.h"
#include "exec/exec_context.h"
#include "io/csv_options.h"
#include "io/memory_table.h"
#include "plan/logical_plan.h"

namespace sluice {

class DataFrame;

// Per-query statistics handed back by Session::Execute (EXPLAIN ANALYZE, benchmarks).
struct QueryProfile {
  std::string explain;  // the executed stage graph with metrics
  double seconds = 0;
  int64_t peak_memory = 0;
};

// The entry point of the C++ API: settings, the catalog of named tables and views, and the
// resources queries run on (worker pool, memory budget). One session serves one user;
// queries of one session run one at a time.
class Session {
 public:
  explicit Session(Settings settings = {});
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  const Settings& settings() const { return settings_; }
  // SET name = value; validates, and resizes the pool or memory budget as needed.
  void Set(const std::string& name, const std::string& value);

  // Lazy readers: nothing is read until an action runs (the schema is sniffed now).
  DataFrame ReadCsv(const std::string& path, const CsvOptions& options = {});
  DataFrame ReadParquet(const std::string& path);
  // Rows 0..end-1 (or start..end-1 by step) in a BIGINT column `range`, like DuckDB.
  DataFrame Range(int64_t start, int64_t end, int64_t step = 1);
  DataFrame FromPlan(LogicalPlanPtr plan);

  // Catalog: named relations (views store a plan; tables a materialized plan).
  void RegisterView(const std::string& name, const DataFrame& df, bool replace = true);
  // Materializes `df` now and registers the result as a table.
  void CreateTable(const std::string& name, const DataFrame& df, bool replace = false);
  void Drop(const std::string& name, bool if_exists = false);
  bool HasTable(const std::string& name) const;
  DataFrame Table(const std::string& name);
  std::vector<std::string> TableNames() const;

  // Runs a plan and returns its result batches in partition order.
  std::vector<Batch> Execute(const LogicalPlan& plan, QueryProfile* profile = nullptr);
  // Runs a plan and calls `task(partition, stream)` per final partition in parallel.
  void ExecuteParallel(const LogicalPlan& plan,
                       const std::function<void(int, BatchStream&)>& task);
  // The physical plan as a stage graph (EXPLAIN).
  std::string Explain(const LogicalPlan& plan);

  void set_progress(ProgressListener* listener) { progress_ = listener; }
  MemoryManager& memory() { return memory_; }

 private:
  std::vector<std::vector<Batch>> Materialize(const LogicalPlan& plan);

  Settings settings_;
  MemoryManager memory_;
  std::unique_ptr<ThreadPool> pool_;
  ProgressListener* progress_ = nullptr;
  mutable std::mutex catalog_mutex_;
  std::map<std::string, LogicalPlanPtr> catalog_;  // lower-case name -> plan
  std::map<std::string, std::shared_ptr<MemoryTable>> tables_;  // the tables among them
};

}  // namespace sluice
