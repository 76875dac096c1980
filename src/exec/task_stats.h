#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "exec/exec_context.h"
#include "exec/operator.h"

namespace sluice {

// What each task of one stage did: rows it read from the stage's top operator and its wall
// time, for task skew in EXPLAIN ANALYZE. Thread-safe; one per stage, in ExecContext shared
// state keyed by the operator that ends the stage (its exchange, or the plan root).
class StageTaskStats : public SharedState {
 public:
  struct Summary {
    int tasks = 0;  // tasks recorded
    double max_seconds = 0;
    double median_seconds = 0;
    int64_t max_rows = 0;
    int64_t median_rows = 0;
    int retries = 0;  // task attempts that failed with a RetryableError and were re-run
  };

  void Record(int task, int64_t rows, double seconds);
  // Counts one failed attempt that is re-run.
  void AddRetry() { retries_.fetch_add(1, std::memory_order_relaxed); }
  Summary Summarize() const;

 private:
  mutable std::mutex mutex_;
  std::vector<int64_t> rows_;
  std::vector<double> seconds_;
  std::atomic<int> retries_{0};
};

// Wraps the stream of task `task` of the stage ended by `stage_end` (an Exchange, whose child
// stream is passed, or the plan root): counts its rows and, when the wrapper is destroyed at
// the end of the task, records rows and the time since it was made.
std::unique_ptr<BatchStream> MeasureTask(ExecContext& ctx, const PhysicalOperator& stage_end,
                                         int task, std::unique_ptr<BatchStream> stream);

// The task statistics of the stage ended by `stage_end` (empty when it has not run).
const StageTaskStats& TaskStatsOf(ExecContext& ctx, const PhysicalOperator& stage_end);
// The same, for recording (retries).
StageTaskStats& MutableTaskStatsOf(ExecContext& ctx, const PhysicalOperator& stage_end);

}  // namespace sluice
