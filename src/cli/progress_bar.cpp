#include "cli/progress_bar.h"

#include <unistd.h>

#include <cstdio>
#include <string>

#include <fmt/format.h>

namespace sluice {

ProgressBar::ProgressBar(bool enabled, std::string what)
    : enabled_(enabled && isatty(STDERR_FILENO) != 0),
      what_(std::move(what)),
      start_(std::chrono::steady_clock::now()) {
  if (enabled_) thread_ = std::thread([this] { Loop(); });
}

ProgressBar::~ProgressBar() { Finish(); }

void ProgressBar::StageStarted(int stage, int tasks) {
  stage_ = stage;
  done_ = 0;
  tasks_ = tasks;
}

void ProgressBar::TaskFinished(int stage) { done_++; }

void ProgressBar::Loop() {
  std::unique_lock lock(mutex_);
  while (!stop_) {
    wake_.wait_for(lock, std::chrono::milliseconds(250));
    if (stop_) break;
    if (std::chrono::steady_clock::now() - start_ < std::chrono::seconds(2)) continue;
    const int tasks = tasks_.load();
    const int done = std::min(done_.load(), tasks);
    const int width = 30;
    const int filled = tasks > 0 ? done * width / tasks : 0;
    if (what_.empty()) {
      fmt::print(stderr, "\r[{}{}] stage {}: {}/{} tasks", std::string(filled, '#'),
                 std::string(width - filled, '.'), stage_.load(), done, tasks);
    } else {
      fmt::print(stderr, "\r[{}{}] {}: {}/{} steps", std::string(filled, '#'),
                 std::string(width - filled, '.'), what_, done, tasks);
    }
    std::fflush(stderr);
    drawn_ = true;
  }
}

void ProgressBar::Finish() {
  if (!enabled_) return;
  {
    std::lock_guard lock(mutex_);
    if (stop_) return;
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
  if (drawn_) {
    fmt::print(stderr, "\r{}\r", std::string(60, ' '));
    std::fflush(stderr);
  }
}

}  // namespace sluice
