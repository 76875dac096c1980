#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "exec/exec_context.h"

namespace sluice {

// What a progress line shows: the stage, its finished tasks, and the rows its leaves have
// read of those expected (expected_rows <= 0: unknown).
struct ProgressState {
  int stage = 0;
  int tasks = 0;
  int done = 0;
  int64_t read_rows = 0;
  int64_t expected_rows = 0;
};

// "[#####.........] stage 2: 3/16 tasks, 1.2M/4.0M rows" (or "<what>: 4/9 steps"): the bar
// is filled by finished tasks or by rows read, whichever is further, so it moves inside a
// long task; rows alone never fill it before the last task finishes.
std::string ProgressLine(const ProgressState& state, const std::string& what = "");

// Draws ProgressLine on stderr for work that has run longer than 2 s, refreshed a few times
// a second from its own thread. Draws nothing when stderr is not a terminal (so pipes and
// logs stay clean) or when disabled.
class ProgressBar : public ProgressListener {
 public:
  // `what`: the work counted, drawn as "<what>: 4/9 steps" (default: a query's stages).
  explicit ProgressBar(bool enabled, std::string what = "");
  ~ProgressBar() override;

  void StageStarted(int stage, int tasks) override;
  void TaskFinished(int stage) override;
  void StageInputExpected(int stage, int64_t rows) override;
  void InputRead(int64_t rows) override;
  // Clears the line; call before printing results.
  void Finish();

 private:
  void Loop();

  bool enabled_;
  const std::string what_;
  std::chrono::steady_clock::time_point start_;
  std::atomic<int> stage_{0};
  std::atomic<int> tasks_{0};
  std::atomic<int> done_{0};
  std::atomic<int64_t> read_rows_{0};
  std::atomic<int64_t> expected_rows_{0};
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  bool drawn_ = false;
  std::thread thread_;
};

}  // namespace sluice
