#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "catalog/snapshot.h"
#include "common/memory.h"
#include "common/settings.h"
#include "common/thread_pool.h"
#include "exec/exec_context.h"
#include "io/csv_options.h"
#include "io/json_reader.h"
#include "physical/explain.h"
#include "plan/logical_plan.h"

namespace sluice {

class DataFrame;
class Warehouse;
struct CatalogName;

// Per-query statistics handed back by Session::Execute (EXPLAIN ANALYZE, benchmarks).
struct QueryProfile {
  std::string explain;  // the executed stage graph with metrics
  ExplainFormat explain_format = ExplainFormat::kText;  // set by the caller: how `explain` is rendered
  double seconds = 0;
  int64_t peak_memory = 0;
};

// The entry point of the C++ API: settings, the catalog of named tables and views (a
// Warehouse, in memory or in a directory), and the resources queries run on (worker pool,
// memory budget). One session serves one user; queries of one session run one at a time.
// Names are case-insensitive and may be schema-qualified ("s.t"; "main" by default).
class Session {
 public:
  explicit Session(Settings settings = {});
  // A session over the warehouse in directory `db_dir` (created if absent; in memory when
  // empty). Throws IOError when the directory cannot be opened.
  Session(Settings settings, const std::string& db_dir);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  const Settings& settings() const { return settings_; }
  // SET name = value; validates, and resizes the pool or memory budget as needed.
  void Set(const std::string& name, const std::string& value);

  // Lazy readers: nothing is read until an action runs (the schema is sniffed now).
  DataFrame ReadCsv(const std::string& path, const CsvOptions& options = {});
  DataFrame ReadParquet(const std::string& path);
  // JSON lines (newline-delimited objects); see JsonSource. Like the other readers, files in
  // key=value directories get their partition columns (HiveDataset).
  DataFrame ReadJson(const std::string& path, const JsonReadOptions& options = {});
  // Rows 0..end-1 (or start..end-1 by step) in a BIGINT column `range`, like DuckDB.
  DataFrame Range(int64_t start, int64_t end, int64_t step = 1);
  DataFrame FromPlan(LogicalPlanPtr plan);

  // Catalog. A view registered from a DataFrame is a temporary view: it keeps the plan, lives
  // as long as the session and is not persisted. CreateView stores SQL text in the warehouse
  // (persisted with --db) and binds it again each time it is used.
  void RegisterView(const std::string& name, const DataFrame& df, bool replace = true);
  void CreateView(const std::string& name, const std::string& sql,
                  const std::vector<std::string>& column_aliases, bool replace = true);
  // Materializes `df` now and commits the result as a table (replacing an existing table's
  // rows, schema and bucket layout in one commit when `replace`). With `buckets`, the table
  // is bucketed (CLUSTERED BY ... INTO n BUCKETS): checked against df's columns before
  // anything runs (BindError for an unknown column, InvalidInputError for a bad count).
  void CreateTable(const std::string& name, const DataFrame& df, bool replace = false,
                   const BucketSpec& buckets = {});
  // Commits `rows` (of the table's column types) appended to / replacing the table's rows.
  // REQUIRES: IsTable(name).
  void AppendRows(const std::string& name, const std::vector<Batch>& rows);
  void ReplaceRows(const std::string& name, const std::vector<Batch>& rows);
  void CreateSchema(const std::string& name, bool if_not_exists = false);
  void DropSchema(const std::string& name, bool if_exists = false, bool cascade = false);
  void Drop(const std::string& name, bool if_exists = false);
  // A table or view (of any kind) of that name, or a cached query result (CACHE TABLE).
  bool HasTable(const std::string& name) const;
  // A stored table (not a view): the target of INSERT, UPDATE, DELETE, MERGE.
  bool IsTable(const std::string& name) const;
  DataFrame Table(const std::string& name);
  // CACHE TABLE: materializes `df` (or, without it, the table or view `name`) in memory now;
  // later uses of `name` read the cached rows instead of running the plan again. A write to
  // the table (INSERT, UPDATE, replace) re-fills its cache on the next use; dropping it or
  // UncacheTable forgets the cache. A cached view is not refreshed when its inputs change.
  void CacheTable(const std::string& name, const DataFrame* df = nullptr);
  // UNCACHE TABLE; false when `name` was not cached.
  bool UncacheTable(const std::string& name);
  bool IsCached(const std::string& name) const;
  std::vector<std::string> TableNames() const;
  Warehouse& warehouse() { return *warehouse_; }

  // Runs a plan and returns its result batches in partition order.
  std::vector<Batch> Execute(const LogicalPlan& plan, QueryProfile* profile = nullptr);
  // Runs a plan and calls `task(partition, stream)` per final partition in parallel.
  void ExecuteParallel(const LogicalPlan& plan,
                       const std::function<void(int, BatchStream&)>& task);
  // Runs a plan and hands its result batches to `consume` in the order Execute returns
  // them, one call at a time, without holding the whole result: the first unfinished
  // partition streams straight through, later ones wait in memory for their turn.
  void ExecuteInOrder(const LogicalPlan& plan, const std::function<void(const Batch&)>& consume);
  // The physical plan as a stage graph (EXPLAIN).
  std::string Explain(const LogicalPlan& plan, ExplainFormat format = ExplainFormat::kText);

  void set_progress(ProgressListener* listener) { progress_ = listener; }
  MemoryManager& memory() { return memory_; }
  // The worker pool queries run on; also lends its threads to writers (Parquet encoding).
  ThreadPool& pool() { return *pool_; }

 private:
  std::vector<std::vector<Batch>> Materialize(const LogicalPlan& plan);
  // After a write to table `name`: its cache (if any) is filled again on its next use.
  void RefreshCache(const CatalogName& name);

  Settings settings_;
  MemoryManager memory_;
  std::unique_ptr<ThreadPool> pool_;
  ProgressListener* progress_ = nullptr;
  std::unique_ptr<Warehouse> warehouse_;
  mutable std::mutex temp_views_mutex_;
  std::map<std::string, LogicalPlanPtr> temp_views_;  // display name -> plan
  // CACHE TABLE results: display name -> kCache plan. Guarded by temp_views_mutex_.
  std::map<std::string, LogicalPlanPtr> cached_;
  int view_depth_ = 0;  // views being bound inside one another (guards against cycles)
};

}  // namespace sluice
