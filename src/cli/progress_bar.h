#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "exec/exec_context.h"

namespace sluice {

// Draws "[#####.....] stage 2: 12/16 tasks" on stderr for work that has run longer than 2 s,
// refreshed a few times a second from its own thread. Draws nothing when stderr is not a
// terminal (so pipes and logs stay clean) or when disabled.
class ProgressBar : public ProgressListener {
 public:
  // `what`: the work counted, drawn as "<what>: 4/9 steps" (default: a query's stages).
  explicit ProgressBar(bool enabled, std::string what = "");
  ~ProgressBar() override;

  void StageStarted(int stage, int tasks) override;
  void TaskFinished(int stage) override;
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
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  bool drawn_ = false;
  std::thread thread_;
};

}  // namespace sluice
