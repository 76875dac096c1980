#include "api/session.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <set>
#include <tuple>

#include "api/dataframe.h"
#include "api/sql_runner.h"
#include "api/table_constraints.h"
#include "binder/sql_binder.h"
#include "binder/table_sources.h"
#include "catalog/bucketing.h"
#include "catalog/table_target.h"
#include "catalog/warehouse.h"
#include "common/strings.h"
#include "exec/scheduler.h"
#include "expr/function_registry.h"
#include "expr/statement_time.h"
#include "iceberg/iceberg_functions.h"
#include "io/table_function.h"
#include "objstore/s3_config.h"
#include "optimizer/cardinality.h"
#include "optimizer/optimizer.h"
#include "physical/adaptive_planner.h"
#include "physical/explain.h"
#include "physical/planner.h"
#include "plan/recursive_cte.h"
#include "plan/shared_subplans.h"
#include "plan/subquery.h"
#include "types/timestamp_tz.h"

namespace sluice {

namespace {

// Temporary objects live in the session's own schema main (DuckDB: temp.main).
void CheckTemporarySchema(const CatalogName& name) {
  if (name.schema != kDefaultSchema) {
    throw BindError(fmt::format("a temporary table or view lives in schema {}, not \"{}\"",
                                kDefaultSchema, name.schema));
  }
}

// `plan` optimized; the caller's plan outlives the call, so it is borrowed, not owned.
LogicalPlanPtr Optimized(const LogicalPlan& plan, const Settings& settings) {
  return Optimize(LogicalPlanPtr(LogicalPlanPtr(), &plan), settings);
}

// The session's warehouse (in memory without `db_dir`). The object store configuration is
// installed first: a warehouse at s3://bucket/prefix reads its views from the bucket as it
// opens, and its default catalog file is named after the endpoint.
std::unique_ptr<Warehouse> OpenWarehouse(const Settings& settings, const std::string& db_dir) {
  if (db_dir.empty()) return std::make_unique<Warehouse>();
  SetCurrentS3Config(S3ConfigOf(settings));
  return std::make_unique<Warehouse>(db_dir, settings.s3_catalog());
}

}  // namespace

Session::Session(Settings settings) : Session(std::move(settings), std::string()) {}

ml::ModelPtr Session::FindModel(const std::string& name) const { return models_->Find(name); }

std::optional<online::FeatureRegistry> Session::FeatureViews() const {
  return feature_views_->Get();
}

Session::Session(Settings settings, const std::string& db_dir)
    : settings_(std::move(settings)),
      memory_(settings_.memory_limit()),
      pool_(std::make_shared<ThreadPool>(settings_.threads())),
      warehouse_(OpenWarehouse(settings_, db_dir)),
      temporary_(std::make_unique<Warehouse>()),
      models_(std::make_unique<ModelStore>(warehouse_->local_root())),
      feature_views_(std::make_unique<FeatureViewStore>(warehouse_->local_root())) {
  RegisterBuiltinFunctions();
  static std::once_flag iceberg_functions;
  std::call_once(iceberg_functions, [] { iceberg::RegisterIcebergTableFunctions(TableFunctions()); });
  warehouse_->SetTargetFileRows(settings_.target_file_rows());  // a kGlobal setting
  SetCurrentTimeZone(TimeZone::Find(settings_.time_zone()));   // process-wide, see TimeZone
  SetCurrentS3Config(S3ConfigOf(settings_));                    // process-wide, see S3Config
}

Session::~Session() = default;

namespace {

// The SettingsScopes open on this thread, innermost first (linked by `enclosing_`).
thread_local Session::SettingsScope* t_innermost_scope = nullptr;

// Views being bound inside one another on this thread (guards against cycles). Binding a
// view happens on the thread that binds the query, so a per-thread count is per query.
thread_local int t_view_depth = 0;

}  // namespace

Session::SettingsScope::SettingsScope(Session& session)
    : session_(session), enclosing_(t_innermost_scope) {
  const QueryEnv env = session.CurrentEnv();
  settings_ = env.settings;
  pool_ = env.pool;
  t_innermost_scope = this;
}

Session::SettingsScope::~SettingsScope() {
  SLUICE_CHECK(t_innermost_scope == this, "settings scopes destroyed out of order");
  t_innermost_scope = enclosing_;
}

Session::SettingsScope* Session::CurrentScope() const {
  for (SettingsScope* scope = t_innermost_scope; scope != nullptr; scope = scope->enclosing_) {
    if (&scope->session_ == this) return scope;
  }
  return nullptr;
}

Session::QueryEnv Session::CurrentEnv() const {
  const SettingsScope* scope = CurrentScope();
  std::lock_guard lock(settings_mutex_);
  if (scope == nullptr) return QueryEnv{settings_, pool_, interrupted_};
  QueryEnv env{scope->settings_, scope->pool_, interrupted_};
  env.settings.CopyGlobalsFrom(settings_);  // kGlobal settings are the session's
  return env;
}

void Session::Interrupt() {
  std::lock_guard lock(settings_mutex_);
  interrupted_->store(true);
  interrupted_ = std::make_shared<std::atomic<bool>>(false);
}

Settings Session::settings() const { return CurrentEnv().settings; }

std::shared_ptr<ThreadPool> Session::pool() const { return CurrentEnv().pool; }

void Session::Set(const std::string& name, const std::string& value) {
  Update(name, [&](Settings& s) { s.Set(name, value); });
}

void Session::Reset(const std::string& name) {
  Update(name, [&](Settings& s) { s.Reset(name); });
}

void Session::ResetAll() {
  for (const SettingEntry& entry : SettingTable()) Reset(entry.name);
}

void Session::Update(const std::string& name, const std::function<void(Settings&)>& change) {
  const SettingEntry& entry = FindSetting(name);
  SettingsScope* scope = CurrentScope();
  std::unique_lock lock(settings_mutex_);
  const bool in_scope = scope != nullptr && entry.scope == SettingScope::kLocal;
  Settings& target = in_scope ? scope->settings_ : settings_;
  std::shared_ptr<ThreadPool>& pool = in_scope ? scope->pool_ : pool_;
  Settings updated = target;
  change(updated);
  // The zone is looked up before anything changes: an unknown name is an error naming it.
  const TimeZone& zone = TimeZone::Find(updated.time_zone());
  // A new pool for new queries; running ones keep the old one alive until they finish.
  if (updated.threads() != target.threads()) pool = std::make_shared<ThreadPool>(updated.threads());
  if (updated.memory_limit() != target.memory_limit()) memory_.set_limit(updated.memory_limit());
  if (updated.target_file_rows() != target.target_file_rows()) {
    warehouse_->SetTargetFileRows(updated.target_file_rows());
  }
  target = std::move(updated);
  SetCurrentTimeZone(zone);
  SetCurrentS3Config(S3ConfigOf(settings_));  // the s3_* settings are kGlobal: the session's
}

DataFrame Session::ReadCsv(const std::string& path, const CsvOptions& options) {
  return DataFrame(this, CsvScan(path, options));
}

DataFrame Session::ReadParquet(const std::string& path) {
  return DataFrame(this, ParquetScan(path));
}

DataFrame Session::ReadJson(const std::string& path, const JsonReadOptions& options) {
  return DataFrame(this, JsonScan(path, options));
}

DataFrame Session::Range(int64_t start, int64_t end, int64_t step) {
  return DataFrame(this, RangeScan(start, end, step));
}

DataFrame Session::FromPlan(LogicalPlanPtr plan) { return DataFrame(this, std::move(plan)); }

namespace {

// The name as the catalog knows it: "t" in the default schema, "s.t" elsewhere.
std::string DisplayName(const std::string& name) { return ParseCatalogName(name).Display(); }

// Views bound inside views deeper than this are taken for a cycle.
constexpr int kMaxViewDepth = 32;

}  // namespace

void Session::RegisterView(const std::string& name, const DataFrame& df, bool replace) {
  const std::string key = DisplayName(name);
  if (!replace && HasTable(key)) {
    throw InvalidInputError(fmt::format("table or view \"{}\" already exists", name));
  }
  std::lock_guard lock(temp_views_mutex_);
  cached_.erase(key);
  temp_views_[key] = df.plan();
}

void Session::CreateView(const std::string& name, const std::string& sql,
                         const std::vector<std::string>& column_aliases, bool replace,
                         bool temporary) {
  const CatalogName catalog_name = ParseCatalogName(name);
  if (temporary ? HasTemporary(name) : HasTable(name)) {
    if (!replace) throw InvalidInputError(fmt::format("table or view \"{}\" already exists", name));
    if (IsTable(name)) {
      throw InvalidInputError(fmt::format("\"{}\" is a table, not a view", name));
    }
  }
  {
    std::lock_guard lock(temp_views_mutex_);
    temp_views_.erase(catalog_name.Display());
    cached_.erase(catalog_name.Display());
  }
  Warehouse& target = temporary ? *temporary_ : *warehouse_;
  if (temporary) CheckTemporarySchema(catalog_name);
  target.CreateView(catalog_name, ViewDefinition{sql, column_aliases});
}

bool Session::HasTemporary(const std::string& name) const {
  return IsTemporary(ParseCatalogName(name));
}

bool Session::IsTemporary(const CatalogName& name) const {
  return temporary_->HasTable(name) || temporary_->HasView(name);
}

Warehouse& Session::Holder(const CatalogName& name) const {
  return IsTemporary(name) ? *temporary_ : *warehouse_;
}

std::shared_ptr<TableStore> Session::FindStore(const std::string& name) const {
  const CatalogName catalog_name = ParseCatalogName(name);
  if (auto store = temporary_->FindTable(catalog_name)) return store;
  return warehouse_->FindTable(catalog_name);
}

std::optional<ViewDefinition> Session::FindViewDefinition(const std::string& name) const {
  const CatalogName catalog_name = ParseCatalogName(name);
  for (const Warehouse* w : {temporary_.get(), warehouse_.get()}) {
    if (!w->HasView(catalog_name)) continue;
    try {
      return w->View(catalog_name);
    } catch (const InvalidInputError&) {
      return std::nullopt;  // dropped meanwhile
    }
  }
  return std::nullopt;
}

void Session::CreateTable(const std::string& name, const DataFrame& df, bool replace,
                          const BucketSpec& buckets, bool temporary,
                          const TableConstraints& constraints) {
  const CatalogName catalog_name = ParseCatalogName(name);
  if (temporary ? HasTemporary(name) : HasTable(name)) {
    if (!replace) throw InvalidInputError(fmt::format("table \"{}\" already exists", name));
  }
  if (temporary) CheckTemporarySchema(catalog_name);
  Warehouse& target = temporary ? *temporary_ : *warehouse_;
  if (!target.HasSchema(catalog_name.schema)) {
    throw BindError(fmt::format("Schema with name {} does not exist!", catalog_name.schema));
  }
  BucketSpec layout =
      buckets.bucketed() || !buckets.columns.empty()
          ? ResolveBucketSpec(UnqualifiedSchema(df.schema()), buckets, catalog_name.Display())
          : BucketSpec{};
  if (buckets.partitioned()) {
    // Hidden partitioning is the Iceberg table's partition spec: warehouse tables only.
    if (!target.persistent()) {
      throw InvalidInputError(fmt::format(
          "table \"{}\": PARTITIONED BY needs a warehouse table (sluice sql --db DIR)",
          catalog_name.Display()));
    }
    layout.partition_by = buckets.partition_by;
  }
  if (target.HasView(catalog_name)) {
    // Rows first: a failing query leaves the view in place.
    std::vector<Batch> rows = Execute(*df.plan());
    target.Drop(catalog_name);
    target.CreateTable(catalog_name, df.schema(), rows, layout, constraints);
  } else {
    // Streams into the table's files; a failing query commits nothing.
    Execute(*MakeWrite(df.plan(), std::make_shared<CreateTableTarget>(
                                      target, catalog_name, df.schema(), layout, constraints)));
  }
  std::lock_guard lock(temp_views_mutex_);
  temp_views_.erase(catalog_name.Display());
  cached_.erase(catalog_name.Display());
}

int64_t Session::Insert(const std::string& name, const LogicalPlanPtr& rows) {
  const CatalogName catalog_name = ParseCatalogName(name);
  std::shared_ptr<TableStore> store = FindStore(name);
  if (store == nullptr) {
    throw BindError(fmt::format("Table with name {} does not exist!", catalog_name.Display()));
  }
  const Snapshot current = store->Current();
  std::shared_ptr<const DataSource> existing = store->Source();
  const auto target = WithConstraints(
      *this, name, current,
      std::make_shared<AppendTarget>(std::move(store), catalog_name.Display()),
      KeyCheck::kInsert, std::move(existing));
  return RunWrite(*MakeWrite(rows, target), name);
}

int64_t Session::RunWrite(const LogicalPlan& write, const std::string& name) {
  int64_t count = 0;
  for (const auto& b : Execute(write)) {
    for (size_t r = 0; r < b.num_rows(); r++) count += b.column(0)->GetValue(r).GetInt();
  }
  RefreshCache(ParseCatalogName(name));
  return count;
}

void Session::RefreshCache(const CatalogName& name) {
  std::lock_guard lock(temp_views_mutex_);
  auto it = cached_.find(name.Display());
  if (it == cached_.end()) return;
  if (std::shared_ptr<TableStore> table = Holder(name).FindTable(name)) {
    it->second = MakeCache(MakeScan(table->Source()));  // filled on its next use
  }
}

void Session::CacheTable(const std::string& name, const DataFrame* df) {
  const std::string key = DisplayName(name);
  LogicalPlanPtr child;
  if (df != nullptr) {
    if (HasTable(name) && !IsCached(name)) {
      throw InvalidInputError(fmt::format("table or view \"{}\" already exists", name));
    }
    child = df->plan();
  } else {
    UncacheTable(name);
    child = Table(name).plan();
  }
  LogicalPlanPtr cache = MakeCache(child);
  cache->cache->partitions = Materialize(*child, CurrentEnv());
  cache->cache->filled = true;
  std::lock_guard lock(temp_views_mutex_);
  cached_[key] = std::move(cache);
}

bool Session::UncacheTable(const std::string& name) {
  std::lock_guard lock(temp_views_mutex_);
  return cached_.erase(DisplayName(name)) > 0;
}

bool Session::IsCached(const std::string& name) const {
  std::lock_guard lock(temp_views_mutex_);
  return cached_.count(DisplayName(name)) > 0;
}

void Session::ReloadCatalog() { warehouse_->Reload(); }

void Session::CreateSchema(const std::string& name, bool if_not_exists) {
  warehouse_->CreateSchema(name, if_not_exists);
}

void Session::DropSchema(const std::string& name, bool if_exists, bool cascade) {
  warehouse_->DropSchema(name, if_exists, cascade);
}

void Session::Drop(const std::string& name, bool if_exists) {
  bool was_cached = false;
  {
    std::lock_guard lock(temp_views_mutex_);
    was_cached = cached_.erase(DisplayName(name)) > 0;
    if (temp_views_.erase(DisplayName(name)) > 0) return;
  }
  const CatalogName catalog_name = ParseCatalogName(name);
  if (!Holder(catalog_name).Drop(catalog_name) && !if_exists && !was_cached) {
    throw BindError(fmt::format("table \"{}\" does not exist", name));
  }
}

bool Session::HasTable(const std::string& name) const {
  const CatalogName catalog_name = ParseCatalogName(name);
  {
    std::lock_guard lock(temp_views_mutex_);
    if (temp_views_.count(catalog_name.Display())) return true;
    if (cached_.count(catalog_name.Display())) return true;
  }
  return IsTemporary(catalog_name) || warehouse_->HasTable(catalog_name) ||
         warehouse_->HasView(catalog_name);
}

bool Session::IsTable(const std::string& name) const {
  const CatalogName catalog_name = ParseCatalogName(name);
  {
    std::lock_guard lock(temp_views_mutex_);
    if (temp_views_.count(catalog_name.Display())) return false;
  }
  return Holder(catalog_name).HasTable(catalog_name);
}

DataFrame Session::Table(const std::string& name) {
  const CatalogName catalog_name = ParseCatalogName(name);
  {
    std::lock_guard lock(temp_views_mutex_);
    auto cached = cached_.find(catalog_name.Display());
    if (cached != cached_.end()) return DataFrame(this, cached->second);
    auto it = temp_views_.find(catalog_name.Display());
    if (it != temp_views_.end()) return DataFrame(this, it->second);
  }
  Warehouse& holder = Holder(catalog_name);
  if (std::shared_ptr<TableStore> table = holder.FindTable(catalog_name)) {
    return DataFrame(this, MakeScan(table->Source()));
  }
  if (holder.HasView(catalog_name)) {
    const ViewDefinition view = holder.View(catalog_name);
    if (!view.source.empty()) return DataFrame(this, SourcePlan(view, name));
    if (t_view_depth >= kMaxViewDepth) {
      throw BindError(fmt::format("view \"{}\" refers to itself", name));
    }
    t_view_depth++;
    struct DepthGuard {
      ~DepthGuard() { t_view_depth--; }
    } guard;
    if (!view.lambda.empty()) return DataFrame(this, LambdaPlan(view, name));
    LogicalPlanPtr plan = SqlQuery(*this, view.sql).plan();
    if (!view.column_aliases.empty()) {
      plan = sql_bind::WithFields(plan, [&](Field& f, size_t i) {
        if (i < view.column_aliases.size()) f.name = view.column_aliases[i];
      });
    }
    return DataFrame(this, plan);
  }
  std::vector<std::string> names = TableNames();
  throw BindError(fmt::format("table \"{}\" does not exist{}", name, DidYouMean(name, names)));
}

LogicalPlanPtr Session::FindRelation(const std::string& name) {
  if (!HasTable(name)) return nullptr;
  return Table(name).plan();
}

std::vector<std::string> Session::TableNames() const {
  std::vector<std::string> names;
  for (const auto& n : warehouse_->Names()) names.push_back(n.Display());
  for (const auto& n : temporary_->Names()) names.push_back(n.Display());
  std::lock_guard lock(temp_views_mutex_);
  for (const auto& [n, p] : temp_views_) names.push_back(n);
  for (const auto& [n, p] : cached_) names.push_back(n);
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

std::vector<RelationInfo> Session::Relations() const {
  std::vector<RelationInfo> out;
  std::set<std::string> stored;  // a temporary view or cache of the same name shadows these
  // Temporary tables and views first: they shadow stored ones of the same name.
  for (Warehouse* w : {temporary_.get(), warehouse_.get()}) {
    const bool temporary = w == temporary_.get();
    for (const auto& n : w->Names()) {
      if (!stored.insert(n.Display()).second) continue;
      RelationInfo r{n.schema, n.name, false, temporary, ""};
      if (w->HasView(n)) {
        r.view = true;
        try {
          r.sql = w->View(n).sql;
        } catch (const InvalidInputError&) {
          continue;  // dropped meanwhile
        }
      }
      out.push_back(std::move(r));
    }
  }
  std::lock_guard lock(temp_views_mutex_);
  for (const auto& [display, plan] : temp_views_) {
    if (stored.count(display)) continue;
    const CatalogName n = ParseCatalogName(display);
    out.push_back(RelationInfo{n.schema, n.name, true, true, ""});
  }
  for (const auto& [display, plan] : cached_) {
    if (stored.count(display) || temp_views_.count(display)) continue;
    const CatalogName n = ParseCatalogName(display);
    out.push_back(RelationInfo{n.schema, n.name, false, true, ""});
  }
  std::sort(out.begin(), out.end(), [](const RelationInfo& a, const RelationInfo& b) {
    return std::tie(a.schema, a.name) < std::tie(b.schema, b.name);
  });
  return out;
}

std::vector<std::string> Session::SchemaNames() const {
  std::vector<std::string> names = warehouse_->SchemaNames();
  for (const auto& r : Relations()) names.push_back(r.schema);
  names.push_back(kDefaultSchema);
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

std::string Session::DatabaseName() const {
  if (!warehouse_->persistent()) return "memory";
  const std::filesystem::path root(warehouse_->root());
  const std::string name = (root.has_filename() ? root : root.parent_path()).filename().string();
  return name.empty() ? "memory" : name;
}

namespace {

// The adaptive re-planning pass every query's scheduler calls between stages (stateless).
const AdaptivePlanner& AdaptivePass() {
  static const AdaptivePlanner pass;
  return pass;
}

// Fills the caches `plan` reads that are not filled yet (not those beneath a filled one),
// each with `fill(child)`, under the cache's lock so that concurrent queries fill it once.
void FillCaches(const LogicalPlan& plan,
                const std::function<std::vector<std::vector<Batch>>(const LogicalPlan&)>& fill) {
  if (plan.kind == LogicalKind::kCache) {
    CacheStore& store = *plan.cache;
    if (store.filled) return;
    std::lock_guard lock(store.mutex);
    if (!store.filled) {
      store.partitions = fill(plan.child());
      store.filled = true;
    }
    return;
  }
  for (const auto& c : plan.children) FillCaches(*c, fill);
}

// On a cluster, every rank must have planned the same physical plan (the exchanges are matched
// up by the order they are made in): compares a hash of each rank's plan. Collective; throws
// the same error on every rank when they differ (different settings, data or statements).
void CheckSamePlanOnEveryRank(Cluster& cluster, const PhysicalOperator& root) {
  const std::string mine = std::to_string(std::hash<std::string>()(ExplainPlan(root)));
  const std::vector<std::string> all = cluster.AllGather(mine);
  for (size_t rank = 1; rank < all.size(); rank++) {
    if (all[rank] != all[0]) {
      throw InternalError(fmt::format(
          "rank {} planned a different physical plan than rank 0: every rank must run the same "
          "statements with the same settings and data (docs/scale-out.md)",
          rank));
    }
  }
}

// plan/shared_subplans.h with this session's budget: a subplan read twice is held in memory
// only when its estimated rows take at most a quarter of memory_limit.
LogicalPlanPtr WithSharedSubplansCached(const LogicalPlan& plan, const Settings& settings) {
  const double budget = static_cast<double>(settings.memory_limit()) / 4;
  return CacheSharedSubplans(LogicalPlanPtr(LogicalPlanPtr(), &plan), [&](const LogicalPlan& p) {
    const double width = 16.0 * static_cast<double>(std::max<size_t>(1, p.schema.size()));
    return opt::EstimateRows(p) * width <= budget;
  });
}

}  // namespace

PhysicalOperatorPtr Session::PlanPhysical(const LogicalPlan& plan, const QueryEnv& env) {
  PhysicalPlanner planner(env.settings);
  planner.set_single_process(cluster_ == nullptr);
  PhysicalOperatorPtr root = planner.Plan(*Optimized(plan, env.settings));
  if (cluster_ != nullptr) CheckSamePlanOnEveryRank(*cluster_, *root);
  return root;
}

LogicalPlanPtr Session::RunPrerequisites(const LogicalPlan& plan, const QueryEnv& env,
                                         EarlierJobs* jobs) {
  FillCaches(plan,
             [&](const LogicalPlan& child) { return Materialize(child, env, jobs, "Cache"); });
  LogicalPlanPtr borrowed(LogicalPlanPtr(), &plan);
  if (!ContainsSubquery(plan)) return borrowed;
  // A dependent subquery runs once per outer value set: EXPLAIN ANALYZE shows the first run.
  std::set<const SubqueryRef*> shown;
  SubqueryResolver resolver([&](const LogicalPlan& subquery, const SubqueryRef& ref) {
    std::string title = fmt::format("Subquery {} ({})", ref.label, SubqueryKindName(ref.kind));
    if (ref.kind == SubqueryKind::kParameter) {
      title = ref.label;
    } else if (ref.correlated()) {
      title = fmt::format("Subquery {} ({}), the first of its runs per outer value set",
                          ref.label, SubqueryKindName(ref.kind));
    }
    EarlierJobs* record = jobs;
    if (ref.correlated() && !shown.insert(&ref).second) record = nullptr;
    if (ref.kind == SubqueryKind::kParameter && ref.label.empty()) record = nullptr;
    std::vector<Batch> rows;
    for (auto& partition : Materialize(subquery, env, record, title)) {
      for (auto& b : partition) rows.push_back(std::move(b));
    }
    return rows;
  });
  return resolver.Resolve(borrowed);
}

std::vector<std::vector<Batch>> Session::Materialize(const LogicalPlan& plan, const QueryEnv& env,
                                                     EarlierJobs* jobs, const std::string& title) {
  LogicalPlanPtr ready = RunPrerequisites(plan, env, jobs);
  PhysicalOperatorPtr root = PlanPhysical(*ready, env);
  ExecContext ctx(env.settings, &memory_, env.pool.get());
  ctx.set_cluster(cluster_);
  if (resume_ != nullptr) ctx.set_resume(resume_, resume_->NextJob());
  ctx.set_cancel_flag(env.interrupted.get());
  ctx.set_stage_replanner(&AdaptivePass());
  std::vector<std::vector<Batch>> result = Scheduler::CollectPartitions(root, ctx);
  if (jobs != nullptr) jobs->sections.push_back({title, ExplainPlan(*root, &ctx, jobs->format)});
  return result;
}

ExprPtr Session::ResolveSubqueries(const ExprPtr& e) {
  const StatementTimeScope statement_time;
  if (!ContainsSubquery(*e)) return e;
  const QueryEnv env = CurrentEnv();
  SubqueryResolver resolver([&](const LogicalPlan& subquery, const SubqueryRef&) {
    std::vector<Batch> rows;
    for (auto& partition : Materialize(subquery, env)) {
      for (auto& b : partition) rows.push_back(std::move(b));
    }
    return rows;
  });
  return resolver.Resolve(e);
}

std::vector<Batch> Session::Execute(const LogicalPlan& plan, QueryProfile* profile) {
  const StatementTimeScope statement_time;  // one now() for the whole query
  const auto start = std::chrono::steady_clock::now();
  const QueryEnv env = CurrentEnv();
  EarlierJobs jobs;
  LogicalPlanPtr query = WithSharedSubplansCached(plan, env.settings);
  if (profile != nullptr) {
    jobs.format = profile->explain_format;
    std::vector<LabelledSubquery> labelled;  // numbered as EXPLAIN numbers them
    query = LabelSubqueries(query, &labelled);
  }
  LogicalPlanPtr ready = RunPrerequisites(*query, env, profile != nullptr ? &jobs : nullptr);
  PhysicalOperatorPtr root = PlanPhysical(*ready, env);
  ExecContext ctx(env.settings, &memory_, env.pool.get());
  ctx.set_cluster(cluster_);
  if (resume_ != nullptr) ctx.set_resume(resume_, resume_->NextJob());
  ctx.set_cancel_flag(env.interrupted.get());
  ctx.set_progress(progress_.load());
  ctx.set_stage_replanner(&AdaptivePass());
  std::vector<Batch> result = Scheduler::Collect(root, ctx);
  if (profile != nullptr) {
    profile->seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    profile->explain = ExplainWithEarlier(
        jobs.sections, ExplainPlan(*root, &ctx, profile->explain_format), profile->explain_format);
    profile->peak_memory = memory_.peak();
  }
  return result;
}

void Session::ExecuteParallel(const LogicalPlan& plan,
                              const std::function<void(int, BatchStream&)>& task) {
  const StatementTimeScope statement_time;  // one now() for the whole query
  const QueryEnv env = CurrentEnv();
  const LogicalPlanPtr query = WithSharedSubplansCached(plan, env.settings);
  PhysicalOperatorPtr root = PlanPhysical(*RunPrerequisites(*query, env, nullptr), env);
  ExecContext ctx(env.settings, &memory_, env.pool.get());
  ctx.set_cluster(cluster_);
  if (resume_ != nullptr) ctx.set_resume(resume_, resume_->NextJob());
  ctx.set_cancel_flag(env.interrupted.get());
  ctx.set_progress(progress_.load());
  ctx.set_stage_replanner(&AdaptivePass());
  Scheduler::Run(root, ctx, task);
}

void Session::ExecuteInOrder(const LogicalPlan& plan,
                             const std::function<void(const Batch&)>& consume) {
  // The task of partition `next` owns `consume`; ownership passes (under `mutex`) only when
  // that task finishes, after it has also consumed the later partitions already finished.
  std::mutex mutex;
  int next = 0;
  std::map<int, std::vector<Batch>> finished;
  ExecuteParallel(plan, [&](int partition, BatchStream& stream) {
    std::vector<Batch> held;
    Batch batch;
    while (stream.Next(&batch)) {
      bool owner;
      {
        std::lock_guard<std::mutex> lock(mutex);
        owner = partition == next;
      }
      if (!owner) {
        held.push_back(std::move(batch));
        continue;
      }
      for (const Batch& b : held) consume(b);
      held.clear();
      consume(batch);
    }
    std::lock_guard<std::mutex> lock(mutex);
    if (partition != next) {
      finished.emplace(partition, std::move(held));
      return;
    }
    for (const Batch& b : held) consume(b);
    for (next++; finished.count(next) > 0; next++) {
      for (const Batch& b : finished[next]) consume(b);
      finished.erase(next);
    }
  });
}

std::string Session::Explain(const LogicalPlan& plan, ExplainFormat format) {
  const QueryEnv env = CurrentEnv();
  std::vector<LabelledSubquery> subqueries;
  LogicalPlanPtr labelled = LabelSubqueries(WithSharedSubplansCached(plan, env.settings), &subqueries);
  std::vector<ExplainSection> earlier;
  for (const auto& cte : RecursiveCtesOf(*labelled)) {
    earlier.push_back({fmt::format("Recursive CTE {}: anchor", cte->name),
                       ExplainPlan(*PlanPhysical(*cte->anchor, env), nullptr, format)});
    earlier.push_back({fmt::format("Recursive CTE {}: step, repeated on the previous step's rows "
                                   "until it adds none",
                                   cte->name),
                       ExplainPlan(*PlanPhysical(*cte->recursive, env), nullptr, format)});
  }
  for (const auto& s : subqueries) {
    earlier.push_back({fmt::format("Subquery {} ({}{})", s.label, SubqueryKindName(s.kind),
                                   s.correlated ? ", once per distinct outer value set" : ""),
                       ExplainPlan(*PlanPhysical(*s.plan, env), nullptr, format)});
  }
  PhysicalOperatorPtr root = PlanPhysical(*labelled, env);
  return ExplainWithEarlier(earlier, ExplainPlan(*root, nullptr, format), format);
}

}  // namespace sluice
