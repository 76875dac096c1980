// The progress line moves inside a stage's tasks: leaves report the rows they read against
// the rows the stage is expected to read.
#include "cli/progress_bar.h"

#include <gtest/gtest.h>

#include <mutex>
#include <vector>

#include "api/session.h"
#include "api/sql_runner.h"

namespace sluice {
namespace {

TEST(ProgressLineTest, RowsMoveTheBarWithinTasks) {
  // No task finished yet, half the rows read: half the bar.
  EXPECT_EQ(ProgressLine({2, 1, 0, 500000, 1000000}),
            "[###############...............] stage 2: 0/1 tasks, 500.0K/1.0M rows");
  // Rows alone never fill the bar before the last task finishes.
  EXPECT_EQ(ProgressLine({1, 4, 3, 2000, 1000}),
            "[#############################.] stage 1: 3/4 tasks, 1000/1000 rows");
  EXPECT_EQ(ProgressLine({1, 4, 4, 1000, 1000}),
            "[##############################] stage 1: 4/4 tasks, 1000/1000 rows");
  // Unknown input: by tasks only.
  EXPECT_EQ(ProgressLine({3, 4, 1, 123, 0}), "[#######.......................] stage 3: 1/4 tasks");
  EXPECT_EQ(ProgressLine({0, 9, 3, 0, 0}, "models"), "[##########....................] models: 3/9 steps");
}

// Records what the scheduler reports.
class Recorder : public ProgressListener {
 public:
  void StageStarted(int stage, int tasks) override {
    std::lock_guard lock(mutex_);
    events.push_back({'S', stage});
  }
  void TaskFinished(int stage) override {
    std::lock_guard lock(mutex_);
    events.push_back({'F', stage});
  }
  void StageInputExpected(int stage, int64_t rows) override {
    std::lock_guard lock(mutex_);
    expected.push_back(rows);
  }
  void InputRead(int64_t rows) override {
    std::lock_guard lock(mutex_);
    events.push_back({'R', rows});
  }
  std::vector<std::pair<char, int64_t>> events;
  std::vector<int64_t> expected;

 private:
  std::mutex mutex_;
};

TEST(ProgressListenerTest, ScanRowsAreReportedBeforeTheirTaskFinishes) {
  Settings settings;
  settings.Set("threads", "1");
  Session session(settings);
  Recorder recorder;
  session.set_progress(&recorder);
  RunSqlScript(session, "SELECT count(*) FROM range(1000000)");
  // One scan task of a million rows: many reads, all before the first task finishes.
  int64_t read = 0;
  int reads_before_finish = 0;
  bool finished = false;
  for (const auto& [kind, n] : recorder.events) {
    if (kind == 'F') finished = true;
    if (kind == 'R') {
      read += n;
      if (!finished) reads_before_finish++;
    }
  }
  EXPECT_GE(reads_before_finish, 10);
  EXPECT_GE(read, 1000000);
  ASSERT_FALSE(recorder.expected.empty());
  EXPECT_EQ(recorder.expected.front(), 1000000);
}

}  // namespace
}  // namespace sluice
