#include "api/session.h"

#include <chrono>

#include "api/dataframe.h"
#include "common/strings.h"
#include "exec/scheduler.h"
#include "expr/function_registry.h"
#include "io/csv_reader.h"
#include "io/memory_table.h"
#include "io/parquet_reader.h"
#include "io/range_source.h"
#include "optimizer/optimizer.h"
#include "physical/explain.h"
#include "physical/planner.h"

namespace sluice {

namespace {

// `plan` optimized; the caller's plan outlives the call, so it is borrowed, not owned.
LogicalPlanPtr Optimized(const LogicalPlan& plan, const Settings& settings) {
  return Optimize(LogicalPlanPtr(LogicalPlanPtr(), &plan), settings);
}

}  // namespace

Session::Session(Settings settings)
    : settings_(std::move(settings)),
      memory_(settings_.memory_limit > 0 ? settings_.memory_limit : MemoryManager::DefaultLimit()),
      pool_(std::make_unique<ThreadPool>(settings_.threads)) {
  RegisterBuiltinFunctions();
  if (settings_.memory_limit <= 0) settings_.memory_limit = memory_.limit();
}

Session::~Session() = default;

void Session::Set(const std::string& name, const std::string& value) {
  Settings updated = settings_;
  updated.Set(name, value);
  if (updated.threads != settings_.threads) pool_ = std::make_unique<ThreadPool>(updated.threads);
  if (updated.memory_limit != settings_.memory_limit) memory_.set_limit(updated.memory_limit);
  settings_ = updated;
}

DataFrame Session::ReadCsv(const std::string& path, const CsvOptions& options) {
  std::shared_ptr<const DataSource> source = CsvSource::Open(path, options);
  return DataFrame(this, MakeScan(std::move(source)));
}

DataFrame Session::ReadParquet(const std::string& path) {
  std::shared_ptr<const DataSource> source = ParquetSource::Open(path);
  return DataFrame(this, MakeScan(std::move(source)));
}

DataFrame Session::Range(int64_t start, int64_t end, int64_t step) {
  return DataFrame(this, MakeScan(std::make_shared<RangeSource>(start, end, step)));
}

DataFrame Session::FromPlan(LogicalPlanPtr plan) { return DataFrame(this, std::move(plan)); }

void Session::RegisterView(const std::string& name, const DataFrame& df, bool replace) {
  std::lock_guard lock(catalog_mutex_);
  const std::string key = ToLower(name);
  if (!replace && catalog_.count(key)) {
    throw InvalidInputError(fmt::format("table or view \"{}\" already exists", name));
  }
  catalog_[key] = df.plan();
}

void Session::CreateTable(const std::string& name, const DataFrame& df, bool replace) {
  const std::string key = ToLower(name);
  {
    std::lock_guard lock(catalog_mutex_);
    if (!replace && catalog_.count(key)) {
      throw InvalidInputError(fmt::format("table \"{}\" already exists", name));
    }
  }
  std::vector<Batch> rows = Execute(*df.plan());
  std::lock_guard lock(catalog_mutex_);
  // Replacing a table's rows under the same schema keeps the table object, so views and
  // prepared plans that scan it see the new rows.
  auto existing = tables_.find(key);
  if (existing != tables_.end() && catalog_.count(key) &&
      catalog_[key]->source.get() == existing->second.get() &&
      existing->second->schema() == df.schema()) {
    existing->second->Replace(std::move(rows));
    return;
  }
  Schema schema = df.schema();
  for (auto& f : schema.mutable_fields()) f.qualifier.clear();
  auto table = std::make_shared<MemoryTable>(std::move(schema), std::move(rows));
  tables_[key] = table;
  catalog_[key] = MakeScan(table);
}

void Session::Drop(const std::string& name, bool if_exists) {
  std::lock_guard lock(catalog_mutex_);
  tables_.erase(ToLower(name));
  if (catalog_.erase(ToLower(name)) == 0 && !if_exists) {
    throw BindError(fmt::format("table \"{}\" does not exist", name));
  }
}

bool Session::HasTable(const std::string& name) const {
  std::lock_guard lock(catalog_mutex_);
  return catalog_.count(ToLower(name)) > 0;
}

DataFrame Session::Table(const std::string& name) {
  std::lock_guard lock(catalog_mutex_);
  auto it = catalog_.find(ToLower(name));
  if (it == catalog_.end()) {
    std::vector<std::string> names;
    for (const auto& [n, p] : catalog_) names.push_back(n);
    throw BindError(fmt::format("table \"{}\" does not exist{}", name, DidYouMean(name, names)));
  }
  return DataFrame(this, it->second);
}

std::vector<std::string> Session::TableNames() const {
  std::lock_guard lock(catalog_mutex_);
  std::vector<std::string> names;
  for (const auto& [n, p] : catalog_) names.push_back(n);
  return names;
}

std::vector<std::vector<Batch>> Session::Materialize(const LogicalPlan& plan) {
  PhysicalPlanner planner(settings_, [this](const LogicalPlan& p) { return Materialize(p); });
  PhysicalOperatorPtr root = planner.Plan(*Optimized(plan, settings_));
  ExecContext ctx(settings_, &memory_, pool_.get());
  std::vector<std::vector<Batch>> parts(root->num_partitions());
  Scheduler::Run(*root, ctx, [&](int p, BatchStream& stream) {
    Batch b;
    while (stream.Next(&b)) parts[p].push_back(std::move(b));
  });
  return parts;
}

std::vector<Batch> Session::Execute(const LogicalPlan& plan, QueryProfile* profile) {
  const auto start = std::chrono::steady_clock::now();
  PhysicalPlanner planner(settings_, [this](const LogicalPlan& p) { return Materialize(p); });
  PhysicalOperatorPtr root = planner.Plan(*Optimized(plan, settings_));
  ExecContext ctx(settings_, &memory_, pool_.get());
  ctx.set_progress(progress_);
  std::vector<Batch> result = Scheduler::Collect(*root, ctx);
  if (profile != nullptr) {
    profile->seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    profile->explain = ExplainPlan(*root, &ctx);
    profile->peak_memory = memory_.peak();
  }
  return result;
}

void Session::ExecuteParallel(const LogicalPlan& plan,
                              const std::function<void(int, BatchStream&)>& task) {
  PhysicalPlanner planner(settings_, [this](const LogicalPlan& p) { return Materialize(p); });
  PhysicalOperatorPtr root = planner.Plan(*Optimized(plan, settings_));
  ExecContext ctx(settings_, &memory_, pool_.get());
  ctx.set_progress(progress_);
  Scheduler::Run(*root, ctx, task);
}

std::string Session::Explain(const LogicalPlan& plan) {
  PhysicalPlanner planner(settings_, [this](const LogicalPlan& p) { return Materialize(p); });
  PhysicalOperatorPtr root = planner.Plan(*Optimized(plan, settings_));
  return ExplainPlan(*root);
}

}  // namespace sluice
