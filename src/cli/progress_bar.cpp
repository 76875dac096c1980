#include "cli/progress_bar.h"

#include <unistd.h>

#include <algorithm>
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
  read_rows_ = 0;
  expected_rows_ = 0;
  tasks_ = tasks;
}

void ProgressBar::TaskFinished(int stage) { done_++; }

void ProgressBar::StageInputExpected(int stage, int64_t rows) { expected_rows_ = rows; }

void ProgressBar::InputRead(int64_t rows) { read_rows_ += rows; }

namespace {

// 1234 -> "1234", 12345 -> "12.3K", 1234567 -> "1.2M".
std::string Count(int64_t n) {
  if (n < 10000) return std::to_string(n);
  if (n < 1000000) return fmt::format("{:.1f}K", static_cast<double>(n) / 1e3);
  if (n < 1000000000) return fmt::format("{:.1f}M", static_cast<double>(n) / 1e6);
  return fmt::format("{:.1f}G", static_cast<double>(n) / 1e9);
}

}  // namespace

std::string ProgressLine(const ProgressState& s, const std::string& what) {
  const int width = 30;
  const int done = std::min(s.done, s.tasks);
  double fraction = s.tasks > 0 ? static_cast<double>(done) / s.tasks : 0;
  const bool rows_known = s.expected_rows > 0 && what.empty();
  if (rows_known && done < s.tasks) {
    const double by_rows = static_cast<double>(s.read_rows) / static_cast<double>(s.expected_rows);
    fraction = std::max(fraction, std::min(by_rows, static_cast<double>(width - 1) / width));
  }
  const int filled = std::clamp(static_cast<int>(fraction * width), 0, width);
  const std::string bar = "[" + std::string(filled, '#') + std::string(width - filled, '.') + "]";
  if (!what.empty()) return fmt::format("{} {}: {}/{} steps", bar, what, done, s.tasks);
  std::string line = fmt::format("{} stage {}: {}/{} tasks", bar, s.stage, done, s.tasks);
  if (rows_known) {
    line += fmt::format(", {}/{} rows", Count(std::min(s.read_rows, s.expected_rows)),
                        Count(s.expected_rows));
  }
  return line;
}

void ProgressBar::Loop() {
  std::unique_lock lock(mutex_);
  size_t last_width = 0;
  while (!stop_) {
    wake_.wait_for(lock, std::chrono::milliseconds(250));
    if (stop_) break;
    if (std::chrono::steady_clock::now() - start_ < std::chrono::seconds(2)) continue;
    const std::string line = ProgressLine(
        {stage_.load(), tasks_.load(), done_.load(), read_rows_.load(), expected_rows_.load()},
        what_);
    // Pad over what a longer previous line left.
    fmt::print(stderr, "\r{}{}", line,
               std::string(last_width > line.size() ? last_width - line.size() : 0, ' '));
    last_width = line.size();
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
    fmt::print(stderr, "\r{}\r", std::string(80, ' '));
    std::fflush(stderr);
  }
}

}  // namespace sluice
