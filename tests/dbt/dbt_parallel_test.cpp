// dbt models on several workers: independent models run their SQL at the same time on one
// Session, give the same tables as a run on one worker, and keep their SETs to themselves.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>

#include "expr/function_registry.h"
#include "dbt_test_util.h"

namespace sluice::dbt {
namespace {

// test_rendezvous(id): a barrier across statements. A call waits until calls with
// `g_parties` distinct ids are waiting at the same time, then returns true, and so does every
// later call. Statements that cannot run side by side never meet: after a generous timeout
// (a deadlock guard, not a time assertion) the call returns false and later calls stop
// waiting. Evaluating it once per row or per batch is fine: ids, not calls, are counted.
std::atomic<int> g_parties{1};
std::mutex g_mutex;
std::condition_variable g_arrived;
std::multiset<int64_t> g_waiting;
bool g_met = false;
bool g_gave_up = false;

bool Rendezvous(int64_t id) {
  std::unique_lock lock(g_mutex);
  if (g_met || g_gave_up) return g_met;
  g_waiting.insert(id);
  auto distinct = [] {
    return std::set<int64_t>(g_waiting.begin(), g_waiting.end()).size();
  };
  if (distinct() >= static_cast<size_t>(g_parties.load())) g_met = true;
  g_arrived.notify_all();
  if (!g_arrived.wait_for(lock, std::chrono::seconds(60), [] { return g_met || g_gave_up; })) {
    g_gave_up = true;
    g_arrived.notify_all();
  }
  g_waiting.erase(g_waiting.find(id));
  return g_met;
}

void ResetRendezvous(int parties) {
  std::lock_guard lock(g_mutex);
  g_parties = parties;
  g_waiting.clear();
  g_met = false;
  g_gave_up = false;
}

void RegisterRendezvous() {
  static std::once_flag once;
  std::call_once(once, [] {
    RegisterBuiltinFunctions();
    const LogicalType kBigInt(TypeId::kBigInt);
    const LogicalType kBoolean(TypeId::kBoolean);
    FunctionRegistry::Global().AddScalar(
        "test_rendezvous",
        [kBigInt, kBoolean](const std::vector<ExprPtr>& args) -> std::optional<BoundScalar> {
          if (args.size() != 1) return std::nullopt;
          BoundScalar bound;
          bound.result_type = kBoolean;
          bound.arg_types = {kBigInt};
          bound.kernel = [kBoolean](const std::vector<ColumnPtr>& in, size_t rows) {
            bool met = true;
            for (size_t r = 0; r < rows; r++) met = Rendezvous(in[0]->GetValue(r).GetInt()) && met;
            return Column::MakeConstant(kBoolean, Value::Boolean(met), rows);
          };
          return bound;
        },
        "test_rendezvous(BIGINT)");
  });
}

constexpr int kModels = 4;

// kModels independent table models, each meeting the others in test_rendezvous, and one
// model over all of them.
void WriteProject(const TempDir& project) {
  project.Write("dbt_project.yml", "name: p\nversion: '1.0'\nprofile: p\n");
  std::string all;
  for (int m = 0; m < kModels; m++) {
    project.Write(fmt::format("models/m{}.sql", m),
                  fmt::format("{{{{ config(materialized='table') }}}}\n"
                              "select {0} as model, test_rendezvous({0}) as met, count(*) as n, "
                              "sum(range * {1}) as s from range({2}) group by 1, 2",
                              m, m + 1, 1000 * (m + 1)));
    all += fmt::format("{}select model, met, n, s from {{{{ ref('m{}') }}}}\n",
                       m == 0 ? "" : "union all ", m);
  }
  project.Write("models/combined.sql", "{{ config(materialized='table') }}\n" + all);
}

struct RunOutcome {
  DbtReport report;
  std::string combined;
};

RunOutcome RunProject(const TempDir& project, const TempDir& dir, int threads) {
  Settings settings;
  settings.set_threads(2);
  Session session(settings, dir.Sub("db"));
  DbtOptions options;
  options.project_dir = project.path();
  options.target_path = dir.Sub("target");
  options.threads = threads;
  RunOutcome run;
  run.report = RunDbt(session, DbtCommand::kRun, options);
  run.combined = QueryCsv(session, "select * from combined order by model");
  return run;
}

TEST(DbtParallelTest, IndependentModelsRunTheirSqlAtTheSameTime) {
  RegisterRendezvous();
  TempDir project;
  WriteProject(project);

  TempDir serial_dir;
  ResetRendezvous(1);
  const RunOutcome serial = RunProject(project, serial_dir, 1);
  ASSERT_TRUE(serial.report.success);

  TempDir parallel_dir;
  ResetRendezvous(kModels);
  const RunOutcome parallel = RunProject(project, parallel_dir, kModels);
  ASSERT_TRUE(parallel.report.success);
  for (const auto& r : parallel.report.results) EXPECT_EQ(r.status, "success") << r.message;

  // Every model met the others inside its CREATE TABLE AS: their statements overlapped.
  EXPECT_EQ(parallel.combined,
            "model,met,n,s\n0,true,1000,499500\n1,true,2000,3998000\n"
            "2,true,3000,13495500\n3,true,4000,31992000\n");
  EXPECT_EQ(parallel.combined, serial.combined);
  // And so did their runs as recorded in run_results: each model started before any of the
  // others had completed.
  double last_start = 0;
  double first_end = 1e300;
  std::set<int> workers;
  for (int m = 0; m < kModels; m++) {
    const NodeResult* r = parallel.report.Find(fmt::format("model.p.m{}", m));
    ASSERT_NE(r, nullptr);
    last_start = std::max(last_start, r->started_at);
    first_end = std::min(first_end, r->completed_at);
    workers.insert(r->thread_id);
  }
  EXPECT_LT(last_start, first_end);
  EXPECT_EQ(workers.size(), static_cast<size_t>(kModels));
  // combined waited for all four.
  const NodeResult* combined = parallel.report.Find("model.p.combined");
  ASSERT_NE(combined, nullptr);
  for (int m = 0; m < kModels; m++) {
    EXPECT_GE(combined->started_at, parallel.report.Find(fmt::format("model.p.m{}", m))->completed_at);
  }
}

TEST(DbtParallelTest, SetInAHookStaysWithItsModel) {
  TempDir project;
  project.Write("dbt_project.yml", "name: p\nversion: '1.0'\nprofile: p\n");
  project.Write("models/first.sql",
                "{{ config(materialized='table', pre_hook='set shuffle_partitions = 3') }}\n"
                "select 1 as x");
  // Compiled (and its run_query run) after `first` was built, on a worker that built it.
  project.Write("models/second.sql",
                "{% set r = run_query('show shuffle_partitions') %}\n"
                "{% if execute %}{% set sp = r.rows[0][0] %}{% else %}{% set sp = 0 %}{% endif %}\n"
                "{{ config(materialized='table') }}\n"
                "select x, '{{ sp }}' as sp from {{ ref('first') }}");
  TempDir dir;
  Session session(Settings{}, dir.Sub("db"));
  const int before = session.settings().shuffle_partitions();
  DbtOptions options;
  options.project_dir = project.path();
  options.target_path = dir.Sub("target");
  options.threads = 1;
  const DbtReport report = RunDbt(session, DbtCommand::kRun, options);
  ASSERT_TRUE(report.success) << report.results[0].message;
  EXPECT_EQ(QueryCsv(session, "select x, sp from second"),
            fmt::format("x,sp\n1,{}\n", before));
  EXPECT_EQ(session.settings().shuffle_partitions(), before);
}

}  // namespace
}  // namespace sluice::dbt
