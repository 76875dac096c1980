#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/memory.h"
#include "common/settings.h"
#include "common/thread_pool.h"
#include "exec/operator.h"
#include "shuffle/cluster.h"
#include "shuffle/local_shuffle.h"
#include "shuffle/resume_directory.h"
#include "shuffle/temp_directory.h"

namespace sluice {

class StageReplanner;

// Per-operator run-time counters, summed over all tasks. Thread-safe.
struct OperatorMetrics {
  std::atomic<int64_t> rows_out{0};
  std::atomic<int64_t> batches_out{0};
  std::atomic<int64_t> bytes_out{0};
  std::atomic<int64_t> nanos{0};  // time spent in Next() of this operator, children included
  std::atomic<int64_t> spilled_bytes{0};  // bytes written to spill files (compressed)
};

// State that the tasks of one operator share within a query (a broadcast hash table).
class SharedState {
 public:
  virtual ~SharedState() = default;
};

// Receives progress from the scheduler (the CLI draws a bar from it). Thread-safe calls.
// Within a stage, the stage's leaves (scans, shuffle reads) report the rows they read as
// they read them, against the rows the stage is expected to read (0: unknown), so progress
// moves inside long tasks too.
class ProgressListener {
 public:
  virtual ~ProgressListener() = default;
  virtual void StageStarted(int stage, int tasks) = 0;
  virtual void TaskFinished(int stage) = 0;
  virtual void StageInputExpected(int stage, int64_t rows) {
    (void)stage;
    (void)rows;
  }
  virtual void InputRead(int64_t rows) { (void)rows; }
};

// Everything a query needs at run time: settings, the memory budget, the worker pool,
// per-operator metrics and shared state. One per query execution; thread-safe.
class ExecContext {
 public:
  ExecContext(const Settings& settings, MemoryManager* memory, ThreadPool* pool)
      : settings_(settings),
        memory_(memory),
        pool_(pool),
        temp_directory_(settings.temp_directory()),
        local_transport_(memory, &temp_directory_) {}

  const Settings& settings() const { return settings_; }
  MemoryManager& memory() { return *memory_; }
  ThreadPool& pool() { return *pool_; }
  // Where operators spill; removed with its files when this context is destroyed.
  TempDirectory& temp_directory() { return temp_directory_; }
  // Creates the exchanges' shuffles: in process unless another transport is set.
  ShuffleTransport& shuffle_transport() { return *transport_; }
  // REQUIRES: before any stage runs; `transport` outlives this context.
  void set_shuffle_transport(ShuffleTransport* transport) { transport_ = transport; }
  // Runs the query as one process of `cluster` (null: alone): the scheduler runs this
  // process's share of each stage's tasks and the exchanges span the processes.
  // REQUIRES: before any stage runs; `cluster` outlives this context.
  void set_cluster(Cluster* cluster) {
    cluster_ = cluster;
    if (cluster == nullptr) return;
    cluster_transport_ = cluster->NewTransport(memory_, &temp_directory_);
    transport_ = cluster_transport_.get();
  }
  Cluster* cluster() const { return cluster_; }
  // Keeps the output of this query's completed map stages in `resume` under `job` (a key
  // from ResumeDirectory::NextJob), and loads a stage's stored output instead of running it
  // when every process holds it (sluice sql --resume, exec/stage_resume.h). Null: neither.
  // REQUIRES: before any stage runs; `resume` outlives this context.
  void set_resume(ResumeDirectory* resume, std::string job) {
    resume_ = resume;
    resume_job_ = std::move(job);
  }
  ResumeDirectory* resume() const { return resume_; }
  const std::string& resume_job() const { return resume_job_; }

  // Opens partition `partition` of `op`, recording its metrics. Operators open their
  // children through this, never through child.Execute directly.
  std::unique_ptr<BatchStream> Execute(const PhysicalOperator& op, int partition);

  OperatorMetrics& metrics(int operator_id);

  // Returns the shared state of `op_id`, creating it with `make` exactly once; tasks that
  // ask while another task is creating it wait for it.
  template <typename T>
  T& GetSharedState(int op_id, const std::function<std::unique_ptr<T>()>& make) {
    Slot* slot;
    {
      std::lock_guard lock(mutex_);
      slot = &shared_[op_id];
    }
    std::call_once(slot->once, [&] { slot->state = make(); });
    SLUICE_CHECK(slot->state != nullptr, "shared state of operator {} failed to build", op_id);
    return static_cast<T&>(*slot->state);
  }

  // The shared state of `op_id` if it has been created, else null. REQUIRES: no task is
  // creating it concurrently (the scheduler asks between stages).
  template <typename T>
  T* FindSharedState(int op_id) {
    std::lock_guard lock(mutex_);
    const auto it = shared_.find(op_id);
    return it == shared_.end() ? nullptr : static_cast<T*>(it->second.state.get());
  }

  // Run-time decisions about operator `op_id` (an adaptive skew split, a join strategy
  // switched after its map stage), shown by EXPLAIN ANALYZE next to the planner's note.
  // Notes added twice for one operator are kept once. Thread-safe.
  void AddRuntimeNote(int op_id, const std::string& note) {
    std::lock_guard lock(notes_mutex_);
    std::string& notes = runtime_notes_[op_id];
    if (notes.find(note) != std::string::npos) return;
    notes += (notes.empty() ? "" : "; ") + note;
  }
  std::string RuntimeNote(int op_id) const {
    std::lock_guard lock(notes_mutex_);
    const auto it = runtime_notes_.find(op_id);
    return it == runtime_notes_.end() ? std::string() : it->second;
  }

  // The adaptive re-planning pass the scheduler calls between stages; null: none (the plan
  // runs as planned). `replanner` outlives this context.
  void set_stage_replanner(const StageReplanner* replanner) { replanner_ = replanner; }
  const StageReplanner* stage_replanner() const { return replanner_; }
  // Ids for operators created by the re-planning pass: after `first` (the scheduler passes
  // one past the plan's largest id), so metrics and shared state never mix.
  void set_first_new_operator_id(int first) { next_operator_id_ = first; }
  int NewOperatorId() { return next_operator_id_++; }

  void set_progress(ProgressListener* listener) { progress_ = listener; }
  ProgressListener* progress() const { return progress_; }

  // Set to stop a running query (Ctrl-C); tasks check it between batches and fail with an
  // InterruptError.
  void Cancel() { cancelled_ = true; }
  // A flag owned by someone else (the session's Interrupt) that cancels this query too once
  // set. REQUIRES: before any stage runs; `flag` outlives this context.
  void set_cancel_flag(const std::atomic<bool>* flag) { external_cancel_ = flag; }
  bool cancelled() const {
    return cancelled_.load(std::memory_order_relaxed) ||
           (external_cancel_ != nullptr && external_cancel_->load(std::memory_order_relaxed));
  }

 private:
  struct Slot {
    std::once_flag once;
    std::unique_ptr<SharedState> state;
  };
  Settings settings_;
  MemoryManager* memory_;
  ThreadPool* pool_;
  TempDirectory temp_directory_;  // declared before the shared state whose files it holds
  LocalShuffleTransport local_transport_;
  Cluster* cluster_ = nullptr;
  std::unique_ptr<ShuffleTransport> cluster_transport_;
  ShuffleTransport* transport_ = &local_transport_;
  ResumeDirectory* resume_ = nullptr;
  std::string resume_job_;
  std::mutex mutex_;
  std::map<int, Slot> shared_;
  std::map<int, std::unique_ptr<OperatorMetrics>> metrics_;
  ProgressListener* progress_ = nullptr;
  std::atomic<bool> cancelled_{false};
  const std::atomic<bool>* external_cancel_ = nullptr;
  const StageReplanner* replanner_ = nullptr;
  std::atomic<int> next_operator_id_{0};
  mutable std::mutex notes_mutex_;
  std::map<int, std::string> runtime_notes_;
};

}  // namespace sluice
