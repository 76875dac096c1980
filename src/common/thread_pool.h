#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace sluice {

// A fixed set of worker threads that runs index-parallel loops. The thread that calls
// ParallelFor works on its own loop too, so nested loops (a task that starts a parallel
// loop) always make progress and `threads = 1` means no worker threads at all.
// Thread-safe.
class ThreadPool {
 public:
  // `threads` is the parallelism of one ParallelFor, the caller included.
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int threads() const { return threads_; }

  // Runs fn(0) .. fn(n-1), at most threads() at a time, and returns when all have finished.
  // If any call throws, the remaining unstarted calls are skipped and the exception of the
  // lowest failing index is rethrown (so the error is the same whatever the thread count).
  void ParallelFor(int n, const std::function<void(int)>& fn);

 private:
  void WorkerLoop();

  int threads_;
  std::mutex mutex_;
  std::condition_variable work_available_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace sluice
