#include "exec/task_stats.h"

#include <algorithm>
#include <chrono>

namespace sluice {

namespace {

// Shared-state slots are keyed by operator id; task statistics use negative keys so they
// never meet the operator's own state (an exchange buffer, a broadcast table).
int StatsKey(const PhysicalOperator& op) { return -2 - op.id(); }

StageTaskStats& Stats(ExecContext& ctx, const PhysicalOperator& op) {
  return ctx.GetSharedState<StageTaskStats>(
      StatsKey(op), std::function<std::unique_ptr<StageTaskStats>()>(
                        [] { return std::make_unique<StageTaskStats>(); }));
}

template <typename T>
T Median(std::vector<T> values) {
  if (values.empty()) return T{};
  const size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid),
                   values.end());
  return values[mid];
}

class MeasuredTaskStream : public BatchStream {
 public:
  MeasuredTaskStream(StageTaskStats* stats, int task, std::unique_ptr<BatchStream> input)
      : stats_(stats), task_(task), input_(std::move(input)),
        start_(std::chrono::steady_clock::now()) {}
  ~MeasuredTaskStream() override {
    stats_->Record(task_, rows_, std::chrono::duration<double>(
                                     std::chrono::steady_clock::now() - start_).count());
  }

  bool Next(Batch* out) override {
    if (!input_->Next(out)) return false;
    rows_ += static_cast<int64_t>(out->num_rows());
    return true;
  }

 private:
  StageTaskStats* stats_;
  int task_;
  std::unique_ptr<BatchStream> input_;
  std::chrono::steady_clock::time_point start_;
  int64_t rows_ = 0;
};

}  // namespace

void StageTaskStats::Record(int task, int64_t rows, double seconds) {
  std::lock_guard lock(mutex_);
  if (static_cast<size_t>(task) >= rows_.size()) {
    rows_.resize(task + 1, -1);
    seconds_.resize(task + 1, -1);
  }
  rows_[task] = rows;
  seconds_[task] = seconds;
}

StageTaskStats::Summary StageTaskStats::Summarize() const {
  std::lock_guard lock(mutex_);
  std::vector<int64_t> rows;
  std::vector<double> seconds;
  for (size_t t = 0; t < rows_.size(); t++) {
    if (rows_[t] < 0) continue;
    rows.push_back(rows_[t]);
    seconds.push_back(seconds_[t]);
  }
  Summary s;
  s.retries = retries_.load(std::memory_order_relaxed);
  s.tasks = static_cast<int>(rows.size());
  if (rows.empty()) return s;
  s.max_rows = *std::max_element(rows.begin(), rows.end());
  s.max_seconds = *std::max_element(seconds.begin(), seconds.end());
  s.median_rows = Median(rows);
  s.median_seconds = Median(seconds);
  return s;
}

std::unique_ptr<BatchStream> MeasureTask(ExecContext& ctx, const PhysicalOperator& stage_end,
                                         int task, std::unique_ptr<BatchStream> stream) {
  return std::make_unique<MeasuredTaskStream>(&Stats(ctx, stage_end), task, std::move(stream));
}

const StageTaskStats& TaskStatsOf(ExecContext& ctx, const PhysicalOperator& stage_end) {
  return Stats(ctx, stage_end);
}

StageTaskStats& MutableTaskStatsOf(ExecContext& ctx, const PhysicalOperator& stage_end) {
  return Stats(ctx, stage_end);
}

}  // namespace sluice
