#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "binder/catalog_reader.h"
#include "catalog/snapshot.h"
#include "api/feature_view_store.h"
#include "catalog/source_definition.h"
#include "api/model_store.h"
#include "catalog/warehouse.h"
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
class PhysicalOperator;
class Warehouse;
struct CatalogName;

// A Lambda serving view's parts (CREATE LAMBDA VIEW v AS BATCH batch SPEED speed ON
// time_column; api/lambda_view.cpp).
struct LambdaViewSpec {
  std::string batch;
  std::string speed;
  std::string time_column;
};

// Per-query statistics handed back by Session::Execute (EXPLAIN ANALYZE, benchmarks).
struct QueryProfile {
  std::string explain;  // the executed stage graph with metrics
  ExplainFormat explain_format = ExplainFormat::kText;  // set by the caller: how `explain` is rendered
  double seconds = 0;
  int64_t peak_memory = 0;
};

// The entry point of the C++ API: settings, the catalog of named tables and views (a
// Warehouse, in memory or in a directory), and the resources queries run on (worker pool,
// memory budget). Names are case-insensitive and may be schema-qualified ("s.t"; "main" by
// default).
//
// Thread-safety: every method may be called from several threads at once, so one session
// runs several queries side by side (dbt models on --threads workers). Each query takes a
// snapshot of the settings and the worker pool when it starts: a concurrent Set (or SET)
// changes what later queries see, never a running one. All queries share the memory budget
// (memory_limit) and, unless a SettingsScope says otherwise, the worker pool; ParallelFor
// callers help with their own loops, so queries nested in one another or started from many
// threads cannot deadlock on the pool. Catalog changes commit one at a time (Warehouse);
// a statement sees each table as of the moment its scan starts. Statements are not
// isolated from one another: of two that rewrite the same table at once (UPDATE, DELETE,
// MERGE, CREATE OR REPLACE), in a --db warehouse the later fails with a Conflict error and
// writes nothing (appends are rebased); in memory the later commit wins. Dropping a table
// while another thread starts a query on it is an error in that query or a lost read.
//
// A query runs in two steps: first what it depends on (caches not filled yet, uncorrelated
// subqueries: plan/subquery.h), each as an earlier job, then the query itself, planned with
// the subqueries' values as constants. Planning and Explain never run anything.
class Session : public CatalogReader {
 public:
  // Settings of the calling thread while alive: queries this thread starts on `session` run
  // with them, and Set / SET from this thread change them instead of the session's, so they
  // do not leak to queries of other threads. Starts as a copy of the session's settings.
  // Settings of kGlobal scope (memory_limit: one budget is shared by all queries;
  // target_file_rows) stay session-wide: setting them in a scope changes the session's. A dbt node runs in one, so a model's `SET` in a hook
  // does not reach models running beside it. Scopes nest; destroy them in reverse order, on
  // the thread that created them.
  class SettingsScope {
   public:
    explicit SettingsScope(Session& session);
    ~SettingsScope();
    SettingsScope(const SettingsScope&) = delete;
    SettingsScope& operator=(const SettingsScope&) = delete;

   private:
    friend class Session;
    Session& session_;
    Settings settings_;
    std::shared_ptr<ThreadPool> pool_;
    SettingsScope* enclosing_;  // the scope this one hides on this thread, or null
  };

  explicit Session(Settings settings = {});
  // A session over the warehouse in directory `db_dir` (created if absent; in memory when
  // empty), or at an object store prefix `s3://bucket/prefix` (reached with the s3_*
  // settings; its catalog is the local file settings.s3_catalog(), by default one per
  // warehouse under the user's cache directory: catalog/warehouse.h). Throws IOError when the
  // directory or bucket cannot be opened.
  Session(Settings settings, const std::string& db_dir);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // The settings a query started now by this thread would run with (a copy: see Set).
  Settings settings() const override;
  // SET name = value; validates, and resizes the pool or memory budget as needed. Queries
  // already running keep the settings and pool they started with. Inside a SettingsScope of
  // this session, changes that scope only (except kGlobal settings, see SettingsScope).
  void Set(const std::string& name, const std::string& value);
  // RESET name: the setting goes back to its default (for memory_limit, the budget goes back
  // to MemoryManager::DefaultLimit), in the same place Set would change it.
  void Reset(const std::string& name);
  // RESET ALL.
  void ResetAll();

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
  // With `temporary` (CREATE TEMP VIEW/TABLE), the object lives in this session's memory
  // only, is never persisted and shadows a stored one of the same name, as in DuckDB.
  void RegisterView(const std::string& name, const DataFrame& df, bool replace = true);
  void CreateView(const std::string& name, const std::string& sql,
                  const std::vector<std::string>& column_aliases, bool replace = true,
                  bool temporary = false);
  // Stores a Lambda serving view: each query of it reads `spec.batch` (an Iceberg table of
  // the warehouse) as of its current snapshot where time < that snapshot's high-water mark,
  // and `spec.speed` where time >= the mark (all of it with no mark yet). `sql` is the
  // statement, for display. Binds it once first (errors are thrown before storing).
  void CreateLambdaView(const std::string& name, const LambdaViewSpec& spec,
                        const std::string& sql, bool replace);
  // Materializes `df` now and commits the result as a table (replacing an existing table's
  // rows, schema and bucket layout in one commit when `replace`). With `buckets`, the table
  // is bucketed (CLUSTERED BY ... INTO n BUCKETS): checked against df's columns before
  // anything runs (BindError for an unknown column, InvalidInputError for a bad count).
  // `constraints` (DEFAULTs, CHECKs) are the new table's; NOT NULL columns are df's fields
  // that are not nullable.
  void CreateTable(const std::string& name, const DataFrame& df, bool replace = false,
                   const BucketSpec& buckets = {}, bool temporary = false,
                   const TableConstraints& constraints = {});
  // A temporary table or view of that name (CREATE TEMP ...).
  bool HasTemporary(const std::string& name) const;
  // INSERT: streams the rows of `rows` (of the table's column types) into table `name`,
  // commits them appended once every task has succeeded, and returns how many there were.
  // BindError when there is no such table.
  int64_t Insert(const std::string& name, const LogicalPlanPtr& rows);
  // Runs `write` (a kWrite plan into table `name`: INSERT, DELETE, UPDATE, MERGE), which
  // commits once every task has succeeded, and returns the sum of its counts (the rows
  // written, or hit by a change write). The table's cache is filled again on its next use.
  int64_t RunWrite(const LogicalPlan& write, const std::string& name);
  void CreateSchema(const std::string& name, bool if_not_exists = false);
  void DropSchema(const std::string& name, bool if_exists = false, bool cascade = false);
  void Drop(const std::string& name, bool if_exists = false);
  // A table or view (of any kind) of that name, or a cached query result (CACHE TABLE).
  bool HasTable(const std::string& name) const;
  // CatalogReader: the plan of Table(name), or null when HasTable(name) is false.
  LogicalPlanPtr FindRelation(const std::string& name) override;
  // CatalogReader, for the Iceberg tables of the warehouse (session_iceberg.cpp).
  LogicalPlanPtr FindRelationAt(const std::string& name, const SnapshotChoice& at) override;
  std::vector<Batch> RunQuery(const LogicalPlan& plan) override { return Execute(plan); }
  std::optional<std::string> IcebergMetadataLocation(const std::string& name) const override;
  // CatalogReader: the latest version of model `name` (CREATE MODEL), or null.
  ml::ModelPtr FindModel(const std::string& name) const override;
  // CatalogReader: the scalar function `name` registered with RegisterScalarUdf, or nullopt.
  std::optional<ScalarUdf> FindScalarUdf(const std::string& name) const override;
  // Registers `udf` as a scalar function of this session only (SQL and DataFrames bound by
  // it see it; plans bound before keep what they bound), replacing one of the same name.
  // Throws InvalidInputError for an empty name or a missing kernel.
  void RegisterScalarUdf(ScalarUdf udf);
  // Forgets the session's function `name`; false when there was none.
  bool DropScalarUdf(const std::string& name);
  // The session's models: in memory, or under the warehouse directory (api/model_store.h).
  ModelStore& models() { return *models_; }
  // CatalogReader: the feature views applied (get_historical_features), or nullopt.
  std::optional<online::FeatureRegistry> FeatureViews() const override;
  // The session's feature views: in memory, or the warehouse's registry.
  FeatureViewStore& feature_views() { return *feature_views_; }
  // CREATE TABLE ... WITH ('connector' = ...): stores `def` (a table over a stream) in the
  // warehouse; `sql` is the statement, shown where views show their query. A batch query of
  // the name reads what the stream holds now (the connector's open_bounded).
  void CreateSource(const std::string& name, const SourceDefinition& def, const std::string& sql,
                    bool replace);
  // The definition of `name` when it is a table over a stream.
  std::optional<SourceDefinition> FindSource(const std::string& name) const;
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
  std::vector<std::string> TableNames() const override;
  std::vector<RelationInfo> Relations() const override;
  std::vector<std::string> SchemaNames() const override;
  // The warehouse directory's name, or "memory" without one.
  std::string DatabaseName() const override;
  Warehouse& warehouse() { return *warehouse_; }
  // The stored table `name` (a temporary one first), or null.
  std::shared_ptr<TableStore> FindStore(const std::string& name) const;
  // The definition of view `name` when it is a SQL view (a temporary one first).
  std::optional<ViewDefinition> FindViewDefinition(const std::string& name) const;

  // Runs a plan and returns its result batches in partition order.
  std::vector<Batch> Execute(const LogicalPlan& plan, QueryProfile* profile = nullptr);
  // Runs a plan and calls `task(partition, stream)` per final partition in parallel.
  void ExecuteParallel(const LogicalPlan& plan,
                       const std::function<void(int, BatchStream&)>& task);
  // Runs a plan and hands its result batches to `consume` in the order Execute returns
  // them, one call at a time, without holding the whole result: the first unfinished
  // partition streams straight through, later ones wait in memory for their turn.
  void ExecuteInOrder(const LogicalPlan& plan, const std::function<void(const Batch&)>& consume);
  // The physical plan as a stage graph (EXPLAIN), after the plans of the subqueries that
  // run first. Runs nothing: caches are not filled, subqueries not run.
  std::string Explain(const LogicalPlan& plan, ExplainFormat format = ExplainFormat::kText);
  // `e` with its uncorrelated subqueries run and replaced by their values (for statements
  // that judge files by a predicate before they run a plan: UPDATE, DELETE, MERGE).
  ExprPtr ResolveSubqueries(const ExprPtr& e);

  // Stops every query of this session that is running now, from any thread (Ctrl-C in the
  // shell): each fails with an InterruptError at its next batch. Queries started after the
  // call run as usual. Thread-safe.
  void Interrupt();

  // The processes this session's queries run on (docs/scale-out.md): ProcessCluster() when
  // the session is made, null for one process. On a cluster, every process runs the same
  // statements in the same order on one thread; each runs its share of every stage and gets
  // every query's whole result. REQUIRES: no query running; `cluster` outlives the session.
  void set_cluster(Cluster* cluster) { cluster_ = cluster; }
  // Reads the --db warehouse's catalog again (Warehouse::Reload): after another process
  // changed it. REQUIRES: no query running.
  void ReloadCatalog();
  Cluster* cluster() const { return cluster_; }
  // Keeps the output of every completed map stage of this session's queries in `resume`, and
  // loads a stage's stored output instead of running it (sluice sql --resume DIR,
  // docs/scale-out.md); null: neither. REQUIRES: no query running; `resume` outlives the
  // session; queries run from one thread (the numbering of jobs must match between runs).
  void set_resume(ResumeDirectory* resume) { resume_ = resume; }
  ResumeDirectory* resume() const { return resume_; }

  // Receives the stage progress of queries started after the call (null: none).
  void set_progress(ProgressListener* listener) { progress_.store(listener); }
  MemoryManager& memory() { return memory_; }
  // The worker pool a query started now by this thread would run on; also lends its threads
  // to writers (Parquet encoding). Shared, so that it outlives a Set of `threads`.
  std::shared_ptr<ThreadPool> pool() const;

 private:
  // The bounded read of a table over a stream (session_source.cpp).
  LogicalPlanPtr SourcePlan(const ViewDefinition& view, const std::string& name) const;
  // The plan of one query of a Lambda serving view (lambda_view.cpp).
  LogicalPlanPtr LambdaPlan(const ViewDefinition& view, const std::string& name);
  // What one query runs with, taken when it starts.
  struct QueryEnv {
    Settings settings;
    std::shared_ptr<ThreadPool> pool;
    // Set by Interrupt: shared by the queries running when it is called.
    std::shared_ptr<const std::atomic<bool>> interrupted;
  };
  QueryEnv CurrentEnv() const;
  // Applies `change` to the settings SET `name` would change (the scope's or the session's,
  // by the setting's scope) and resizes the pool, the memory budget or the warehouse's file
  // size when their setting changed. Throws InvalidInputError, changing nothing, when
  // `change` does.
  void Update(const std::string& name, const std::function<void(Settings&)>& change);
  // The innermost SettingsScope of this session on the calling thread, or null.
  SettingsScope* CurrentScope() const;
  // What ran before a query (a cache filled, a subquery), rendered for EXPLAIN ANALYZE.
  struct EarlierJobs {
    ExplainFormat format = ExplainFormat::kText;
    std::vector<ExplainSection> sections;
  };
  // `plan` optimized and planned under `env`. Runs nothing.
  std::unique_ptr<PhysicalOperator> PlanPhysical(const LogicalPlan& plan, const QueryEnv& env);
  // What `plan` depends on run under `env` as earlier jobs: caches it reads filled, its
  // subqueries run and replaced by their values. `jobs` (optional) receives what ran.
  LogicalPlanPtr RunPrerequisites(const LogicalPlan& plan, const QueryEnv& env,
                                  EarlierJobs* jobs);
  // `plan` run to completion under `env` (prerequisites first); its result per partition.
  std::vector<std::vector<Batch>> Materialize(const LogicalPlan& plan, const QueryEnv& env,
                                              EarlierJobs* jobs = nullptr,
                                              const std::string& title = "");
  // After a write to table `name`: its cache (if any) is filled again on its next use.
  void RefreshCache(const CatalogName& name);
  // A temporary table or view of that name.
  bool IsTemporary(const CatalogName& name) const;
  // The warehouse that holds `name`: the temporary one when it has a table or view of that
  // name, else the session's warehouse.
  Warehouse& Holder(const CatalogName& name) const;

  mutable std::mutex settings_mutex_;  // guards settings_, pool_ and interrupted_ (the pointers)
  Settings settings_;
  // The flag Interrupt sets for the queries started since the last Interrupt; each call
  // replaces it with a fresh one, so later queries are not stopped.
  std::shared_ptr<std::atomic<bool>> interrupted_ = std::make_shared<std::atomic<bool>>(false);
  MemoryManager memory_;
  std::shared_ptr<ThreadPool> pool_;
  std::atomic<ProgressListener*> progress_{nullptr};
  Cluster* cluster_ = ProcessCluster();
  ResumeDirectory* resume_ = nullptr;
  std::unique_ptr<Warehouse> warehouse_;
  // CREATE TEMP TABLE / VIEW: in memory, for this session only; searched first.
  std::unique_ptr<Warehouse> temporary_;
  std::unique_ptr<ModelStore> models_;
  std::unique_ptr<FeatureViewStore> feature_views_;
  mutable std::mutex temp_views_mutex_;
  std::map<std::string, LogicalPlanPtr> temp_views_;  // display name -> plan
  // CACHE TABLE results: display name -> kCache plan. Guarded by temp_views_mutex_.
  std::map<std::string, LogicalPlanPtr> cached_;
  mutable std::mutex udfs_mutex_;
  std::map<std::string, ScalarUdf> udfs_;  // lower-case name -> function
};

}  // namespace sluice
