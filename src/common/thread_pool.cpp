#include "common/thread_pool.h"

#include <atomic>
#include <exception>
#include <memory>

namespace sluice {

ThreadPool::ThreadPool(int threads) : threads_(threads < 1 ? 1 : threads) {
  for (int i = 0; i + 1 < threads_; i++) workers_.emplace_back([this] { WorkerLoop(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  work_available_.notify_all();
  for (auto& worker : workers_) worker.join();
}

void ThreadPool::WorkerLoop() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock lock(mutex_);
      work_available_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    job();
  }
}

namespace {

// The shared state of one ParallelFor: indices are claimed from `next` by whoever runs.
struct LoopState {
  int n = 0;
  const std::function<void(int)>* fn = nullptr;
  std::atomic<int> next{0};
  std::atomic<bool> failed{false};
  std::mutex mutex;
  std::condition_variable finished;
  int done = 0;
  int error_index = -1;
  std::exception_ptr error;

  // Claims and runs indices until none are left.
  void Drain() {
    for (;;) {
      const int i = next.fetch_add(1);
      if (i >= n) return;
      if (!failed.load(std::memory_order_relaxed)) {
        try {
          (*fn)(i);
        } catch (...) {
          std::lock_guard lock(mutex);
          failed = true;
          if (error_index < 0 || i < error_index) {
            error_index = i;
            error = std::current_exception();
          }
        }
      }
      std::lock_guard lock(mutex);
      if (++done == n) finished.notify_all();
    }
  }
};

}  // namespace

void ThreadPool::ParallelFor(int n, const std::function<void(int)>& fn) {
  if (n <= 0) return;
  if (n == 1 || threads_ == 1) {
    for (int i = 0; i < n; i++) fn(i);
    return;
  }
  auto state = std::make_shared<LoopState>();
  state->n = n;
  state->fn = &fn;
  const int helpers = std::min(n - 1, threads_ - 1);
  {
    std::lock_guard lock(mutex_);
    for (int i = 0; i < helpers; i++) {
      queue_.emplace_back([state] { state->Drain(); });
    }
  }
  work_available_.notify_all();
  state->Drain();
  std::unique_lock lock(state->mutex);
  // Once every index is done nobody calls `fn` again: a helper that starts late finds no
  // index left, so the caller never waits for queued helpers (no deadlock when nested).
  state->finished.wait(lock, [&] { return state->done == n; });
  if (state->error) std::rethrow_exception(state->error);
}

}  // namespace sluice
