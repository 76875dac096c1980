// Task retries: a query with injected faults gives the same answer as without, retries show
// in EXPLAIN ANALYZE, and a task that keeps failing fails the query.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>

#include "api/session.h"
#include "api/sql_runner.h"
#include "exec/task_retry.h"

namespace sluice {
namespace {

Settings TestSettings() {
  Settings s;
  s.set_threads(2);
  s.set_shuffle_partitions(8);
  s.set_progress_bar(false);
  // Shuffled joins: more stages and tasks for faults to hit.
  s.set_broadcast_threshold(-1);
  s.set_prefer_in_process_broadcast(false);
  return s;
}

std::vector<std::string> Rows(Session& session, const std::string& sql) {
  std::vector<std::string> out;
  const StatementResult result = RunSqlScript(session, sql).back();
  for (const auto& b : result.batches) {
    for (size_t i = 0; i < b.num_rows(); i++) {
      std::string line;
      for (const auto& v : b.GetRow(i)) line += v.ToString() + "|";
      out.push_back(line);
    }
  }
  return out;
}

std::string Text(Session& session, const std::string& sql) {
  std::string out;
  for (const auto& line : Rows(session, sql)) out += line + "\n";
  return out;
}

// A shuffled join feeding a grouped aggregate and a global sort: several map stages.
constexpr const char* kQuery =
    "SELECT a.k, count(*), sum(b.v), count(DISTINCT a.range % 13) "
    "FROM (SELECT range, range % 97 AS k FROM range(20000)) a "
    "JOIN (SELECT range AS id, range * 3 AS v FROM range(20000)) b ON a.range = b.id "
    "GROUP BY a.k ORDER BY a.k";

TEST(FaultInjectorTest, DeterministicAndRoughlyAtTheProbability) {
  const FaultInjector f("exchange:0.2,seed:7");
  int failures = 0;
  for (int task = 0; task < 1000; task++) {
    const bool fail = f.ShouldFail(FaultSite::kExchange, 1, task, 0);
    EXPECT_EQ(fail, f.ShouldFail(FaultSite::kExchange, 1, task, 0));
    EXPECT_FALSE(f.ShouldFail(FaultSite::kFinal, 1, task, 0));
    failures += fail ? 1 : 0;
  }
  EXPECT_GT(failures, 120);
  EXPECT_LT(failures, 280);
  EXPECT_THROW(FaultInjector("exchange:2"), InvalidInputError);
  EXPECT_THROW(FaultInjector("disk:0.1"), InvalidInputError);
  EXPECT_FALSE(FaultInjector("").ShouldFail(FaultSite::kFinal, 1, 1, 0));
}

TEST(FaultToleranceTest, InjectedFaultsGiveTheSameAnswer) {
  Session clean(TestSettings());
  const auto expected = Rows(clean, kQuery);
  ASSERT_EQ(expected.size(), 97u);
  for (const char* spec : {"exchange:0.3", "final:0.3", "all:0.25,seed:3"}) {
    Session faulty(TestSettings());
    RunSqlScript(faulty, std::string("SET inject_faults = '") + spec + "'");
    EXPECT_EQ(Rows(faulty, kQuery), expected) << spec;
  }
}

TEST(FaultToleranceTest, RetriesWithSpilledExchanges) {
  Settings s = TestSettings();
  s.set_memory_limit(int64_t{24} << 20);
  Session clean(s);
  const std::string q =
      "SELECT count(*), sum(k), sum(c) FROM (SELECT range % 300000 AS k, count(*) AS c "
      "FROM range(1200000) GROUP BY k)";
  const auto expected = Rows(clean, q);
  Session faulty(s);
  RunSqlScript(faulty, "SET inject_faults = 'all:0.3,seed:11'");
  EXPECT_EQ(Rows(faulty, q), expected);
}

TEST(FaultToleranceTest, EnvironmentVariableInjectsFaults) {
  Session clean(TestSettings());
  const auto expected = Rows(clean, kQuery);
  ::setenv("SLUICE_INJECT_FAULTS", "exchange:0.3,seed:9", 1);
  struct Unset {
    ~Unset() { ::unsetenv("SLUICE_INJECT_FAULTS"); }
  } unset;
  Session faulty(TestSettings());
  const std::string plan = Text(faulty, std::string("EXPLAIN ANALYZE ") + kQuery);
  const auto rows = Rows(faulty, kQuery);
  EXPECT_NE(plan.find("retries="), std::string::npos) << plan;
  EXPECT_EQ(rows, expected);
}

TEST(FaultToleranceTest, ExplainAnalyzeShowsRetriesPerStage) {
  Session session(TestSettings());
  RunSqlScript(session, "SET inject_faults = 'all:0.3,seed:2'");
  const std::string plan = Text(session, std::string("EXPLAIN ANALYZE ") + kQuery);
  EXPECT_NE(plan.find("retries="), std::string::npos) << plan;
  Session clean(TestSettings());
  const std::string clean_plan = Text(clean, std::string("EXPLAIN ANALYZE ") + kQuery);
  EXPECT_EQ(clean_plan.find("retries="), std::string::npos) << clean_plan;
}

TEST(FaultToleranceTest, ATaskThatAlwaysFailsFailsTheQuery) {
  Session session(TestSettings());
  RunSqlScript(session, "SET inject_faults = 'exchange:1'; SET task_retries = 2");
  try {
    RunSqlScript(session, kQuery);
    FAIL() << "expected the query to fail";
  } catch (const IOError& e) {
    EXPECT_NE(std::string(e.what()).find("failed after 3 attempts"), std::string::npos) << e.what();
  }
  // Without retries the first injected fault fails the query.
  RunSqlScript(session, "SET task_retries = 0; SET inject_faults = 'exchange:0.5'");
  EXPECT_THROW(RunSqlScript(session, kQuery), IOError);
  RunSqlScript(session, "RESET inject_faults");
  EXPECT_EQ(Rows(session, kQuery).size(), 97u);
}

}  // namespace
}  // namespace sluice
