// One ThreadPool shared by several caller threads (queries of one Session run side by side):
// nested loops started from every caller all finish and every index runs once.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "common/thread_pool.h"

namespace sluice {
namespace {

TEST(ThreadPoolCallers, NestedLoopsFromManyCallersFinish) {
  ThreadPool pool(3);
  constexpr int kCallers = 6, kOuter = 8, kInner = 16;
  std::vector<std::atomic<int>> runs(kCallers * kOuter * kInner);
  std::vector<std::thread> callers;
  for (int c = 0; c < kCallers; c++) {
    callers.emplace_back([&, c] {
      for (int round = 0; round < 20; round++) {
        pool.ParallelFor(kOuter, [&](int o) {
          pool.ParallelFor(kInner, [&](int i) { runs[(c * kOuter + o) * kInner + i]++; });
        });
      }
    });
  }
  for (auto& caller : callers) caller.join();
  for (size_t i = 0; i < runs.size(); i++) EXPECT_EQ(runs[i].load(), 20) << i;
}

}  // namespace
}  // namespace sluice
