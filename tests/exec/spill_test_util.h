#pragma once

// Running operators under a memory limit with spill files in a test's own directory: shared
// by the spilling tests (spill_test.cpp, memory_limit_test.cpp).

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "common/memory.h"
#include "common/settings.h"
#include "common/thread_pool.h"
#include "exec/exchange.h"
#include "exec/exec_context.h"
#include "exec/scheduler.h"
#include "tests/exec/test_util.h"

namespace sluice::exec_test {

inline constexpr int64_t kTinyLimit = int64_t{4} << 20;
inline constexpr int64_t kNoLimit = int64_t{1} << 34;

// A fresh, empty directory for one test's spill files.
inline std::filesystem::path TestTempDir() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      (std::string("sluice_spill_test_") + info->name() + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

inline bool IsEmptyDir(const std::filesystem::path& dir) { return std::filesystem::is_empty(dir); }

struct SpillRun {
  std::vector<Row> rows;
  int64_t spilled_bytes = 0;  // over all operators
  int64_t peak = 0;
};

// Runs every partition of `op` (running the map stages of exchanges first) with a memory
// limit and spill files under `temp`. `settings` gives the rest (task_retries > 0 keeps
// exchange buffers reserved while they are read, as the scheduler does).
inline SpillRun RunSpilling(PhysicalOperator& op, int64_t limit, const std::filesystem::path& temp,
                            int threads = 2, Settings settings = Settings()) {
  int next_id = 0;
  std::function<void(PhysicalOperator&)> assign = [&](PhysicalOperator& o) {
    o.set_id(next_id++);
    for (const auto& c : o.children()) assign(*c);
  };
  assign(op);
  ThreadPool pool(threads);
  MemoryManager memory(limit);
  settings.set_temp_directory(temp.string());
  SpillRun out;
  {
    ExecContext ctx(settings, &memory, &pool);
    int next_stage = 1;
    Scheduler::RunStagesBelow(op, ctx, next_stage);
    std::vector<std::vector<Batch>> results(op.num_partitions());
    pool.ParallelFor(op.num_partitions(), [&](int p) {
      auto stream = ctx.Execute(op, p);
      Batch b;
      while (stream->Next(&b)) results[p].push_back(b);
    });
    for (const auto& part : results) {
      for (const auto& b : part) {
        for (size_t r = 0; r < b.num_rows(); r++) out.rows.push_back(b.GetRow(r));
      }
    }
    for (int id = 0; id < next_id; id++) out.spilled_bytes += ctx.metrics(id).spilled_bytes.load();
  }
  out.peak = memory.peak();
  EXPECT_EQ(memory.used(), 0) << "memory not given back";
  return out;
}

}  // namespace sluice::exec_test
