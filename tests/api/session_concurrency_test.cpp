// One Session used from several threads at once: reads, CREATE TABLE AS into different
// tables, views over views, temporary views, INSERT and CACHE TABLE side by side, while
// another thread changes settings; and SettingsScope keeps a thread's SETs to itself.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "api/dataframe.h"
#include "api/session.h"
#include "api/sql_runner.h"
#include "sql_test_util.h"

namespace sluice {
namespace {

using testing::ResultText;

constexpr int64_t kRows = 20000;
constexpr int kThreads = 4;
constexpr int kIterations = 12;

// count(*) and sum(id) of the ids in [0, kRows) with id % 7 == k.
std::pair<int64_t, int64_t> CountAndSum(int k) {
  int64_t count = 0, sum = 0;
  for (int64_t id = k; id < kRows; id += 7) {
    count++;
    sum += id;
  }
  return {count, sum};
}

// Runs `body(t)` on kThreads threads and returns the first failure any of them reported.
std::string RunOnThreads(const std::function<void(int, std::string&)>& body) {
  std::mutex mutex;
  std::string first_failure;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; t++) {
    threads.emplace_back([&, t] {
      std::string failure;
      try {
        body(t, failure);
      } catch (const std::exception& e) {
        failure = fmt::format("thread {}: {}", t, e.what());
      }
      std::lock_guard lock(mutex);
      if (first_failure.empty()) first_failure = failure;
    });
  }
  for (auto& thread : threads) thread.join();
  return first_failure;
}

// Checks `actual` == `expected`, recording the first difference in `failure`.
void Expect(const std::string& what, const std::string& actual, const std::string& expected,
            std::string& failure) {
  if (actual != expected && failure.empty()) {
    failure = fmt::format("{}: got '{}', expected '{}'", what, actual, expected);
  }
}

class SessionConcurrencyTest : public ::testing::TestWithParam<bool> {
 protected:
  SessionConcurrencyTest()
      : dir_(std::filesystem::temp_directory_path() /
             fmt::format("sluice_session_concurrency_{}", ::getpid())) {
    std::filesystem::remove_all(dir_);
    Settings settings;
    settings.set_threads(2);
    settings.set_shuffle_partitions(4);
    settings.set_progress_bar(false);
    session_ = std::make_unique<Session>(settings, GetParam() ? dir_.string() : std::string());
    RunSqlScript(*session_,
                 fmt::format("create table base as select range as id, range % 7 as k "
                             "from range({}); "
                             "create view by_k as select k, count(*) as n, sum(id) as s "
                             "from base group by k",
                             kRows));
  }
  ~SessionConcurrencyTest() override {
    session_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::filesystem::path dir_;
  std::unique_ptr<Session> session_;
};

TEST_P(SessionConcurrencyTest, QueriesFromManyThreadsAllGetTheirResults) {
  Session& session = *session_;
  std::atomic<bool> done{false};
  // Changes settings the running queries read; none of them may see a torn value or lose
  // its pool (results do not depend on threads or shuffle_partitions).
  std::thread setter([&] {
    for (int i = 0; !done.load(); i++) {
      session.Set("threads", std::to_string(1 + i % 3));
      session.Set("shuffle_partitions", std::to_string(2 + i % 5));
      std::this_thread::yield();
    }
  });
  const std::string failure = RunOnThreads([&](int t, std::string& failure) {
    const auto [count, sum] = CountAndSum(t);
    RunSqlScript(session, fmt::format("create table acc_{} (i bigint)", t));
    for (int i = 1; i <= kIterations && failure.empty(); i++) {
      Expect("read", ResultText(session, fmt::format(
                                             "select count(*), sum(id) from base where k = {}", t)),
             fmt::format("{}|{}|\n", count, sum), failure);
      RunSqlScript(session, fmt::format("create or replace table out_{0} as "
                                        "select id * {1} as x from base where k = {0}",
                                        t, i));
      Expect("ctas", ResultText(session, fmt::format("select count(*), sum(x) from out_{}", t)),
             fmt::format("{}|{}|\n", count, sum * i), failure);
      RunSqlScript(session, fmt::format("create or replace view v_{0} as select n, s + {1} as s "
                                        "from by_k where k = {0}; "
                                        "create or replace view vv_{0} as select n * 2 as n2, s "
                                        "from v_{0}",
                                        t, i));
      Expect("view", ResultText(session, fmt::format("select n2, s from vv_{}", t)),
             fmt::format("{}|{}|\n", 2 * count, sum + i), failure);
      session.RegisterView(fmt::format("tv_{}", t), session.Range(0, i));
      Expect("temp view", ResultText(session, fmt::format("select count(*) from tv_{}", t)),
             fmt::format("{}|\n", i), failure);
      RunSqlScript(session, fmt::format("insert into acc_{} values ({})", t, i));
      RunSqlScript(session, fmt::format("cache table c_{0} as select sum(x) as s from out_{0}", t));
      Expect("cache", ResultText(session, fmt::format("select s from c_{}", t)),
             fmt::format("{}|\n", sum * i), failure);
      RunSqlScript(session, fmt::format("uncache table c_{}", t));
    }
    Expect("inserts", ResultText(session, fmt::format("select count(*), sum(i) from acc_{}", t)),
           fmt::format("{}|{}|\n", kIterations, kIterations * (kIterations + 1) / 2), failure);
  });
  done = true;
  setter.join();
  EXPECT_EQ(failure, "");
  // Every thread's tables are there, and nothing else changed the shared ones.
  EXPECT_EQ(ResultText(session, "select count(*), sum(n) from by_k"), fmt::format("7|{}|\n", kRows));
  for (int t = 0; t < kThreads; t++) {
    EXPECT_TRUE(session.IsTable(fmt::format("out_{}", t)));
    EXPECT_FALSE(session.IsTable(fmt::format("vv_{}", t)));
  }
}

TEST_P(SessionConcurrencyTest, SettingsScopeKeepsSetsToItsThread) {
  Session& session = *session_;
  const int session_threads = session.pool()->threads();
  std::atomic<int> phase{0};
  std::string scoped_show, other_show, after_show;
  int scoped_pool_threads = 0;
  std::thread scoped([&] {
    {
      Session::SettingsScope scope(session);
      RunSqlScript(session, "set shuffle_partitions = 3; set threads = 1");
      scoped_show = ResultText(session, "show shuffle_partitions");
      scoped_pool_threads = session.pool()->threads();
      phase = 1;
      while (phase.load() != 2) std::this_thread::yield();
    }
    after_show = ResultText(session, "show shuffle_partitions");
  });
  while (phase.load() != 1) std::this_thread::yield();
  // The scope is alive on the other thread, and this thread does not see its settings.
  other_show = ResultText(session, "show shuffle_partitions");
  EXPECT_EQ(session.settings().shuffle_partitions(), 4);
  EXPECT_EQ(session.pool()->threads(), session_threads);
  phase = 2;
  scoped.join();
  EXPECT_EQ(scoped_show, "3|\n");
  EXPECT_EQ(scoped_pool_threads, 1);
  EXPECT_EQ(other_show, "4|\n");
  EXPECT_EQ(after_show, "4|\n");
  // memory_limit is one budget for the whole session, even when set in a scope.
  {
    Session::SettingsScope scope(session);
    session.Set("memory_limit", "123MB");
  }
  EXPECT_EQ(session.memory().limit(), 123000000);
  EXPECT_EQ(session.settings().memory_limit(), 123000000);
}

INSTANTIATE_TEST_SUITE_P(InMemoryAndOnDisk, SessionConcurrencyTest, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? std::string("Warehouse") : std::string("Memory");
                         });

}  // namespace
}  // namespace sluice
