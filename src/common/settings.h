#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sluice {

// The knobs of a session (`SET name = value`, CLI flags, Session config). See DESIGN.md.
struct Settings {
  int threads = DefaultThreads();
  int64_t memory_limit = 0;  // bytes; 0 means MemoryManager::DefaultLimit()
  std::string temp_directory;
  // Partitions after a hash exchange. Fixed, not derived from `threads`, so that results are
  // byte-identical whatever the thread count.
  int shuffle_partitions = 16;
  int64_t target_partition_bytes = int64_t{128} << 20;
  int64_t broadcast_threshold = int64_t{10} << 20;  // -1 turns broadcast joins off
  // Broadcast a build side that is <= 1/4 of the probe side and <= memory_limit/8 even above
  // broadcast_threshold: within one process a broadcast ships nothing (join_strategy.h).
  bool prefer_in_process_broadcast = true;
  // Shuffled joins use sort-merge even when the build side fits in memory per partition.
  bool prefer_sort_merge_join = false;
  bool adaptive = true;
  // Adaptive skew split of partitioned joins (exec/adaptive_skew_join.h): a shuffle partition
  // over skew_factor x the median and over skew_threshold is read as slices by several tasks.
  // Needs `adaptive`; skew_join = false turns only the split off.
  bool skew_join = true;
  double skew_factor = 5;
  int64_t skew_threshold = int64_t{64} << 20;
  bool progress_bar = true;
  // Salt buckets for grouped count(DISTINCT x) (which cannot aggregate partially): group by
  // (keys, hash(x) % buckets) first, then by keys, so a hot key spreads over several tasks.
  // 0 turns salting off.
  int skew_salt_buckets = 0;
  // Re-runs of a task that failed with a RetryableError before the query fails.
  int task_retries = 3;
  // Deterministic fault injection for tests: "site:probability[,site:probability][,seed:N]"
  // with site exchange (map stages), final (the last stage) or all. Empty: the environment
  // variable SLUICE_INJECT_FAULTS, if set.
  std::string inject_faults;
  // Rows per data file of a --db table: writes start a new file after this many rows, and
  // UPDATE / DELETE / MERGE rewrite only the files holding changed rows.
  int64_t target_file_rows = int64_t{1} << 20;

  // Sets one setting from its text form; throws InvalidInputError on an unknown name (with a
  // suggestion) or a bad value.
  void Set(const std::string& name, const std::string& value);
  // The current value of a setting as text; throws InvalidInputError on an unknown name.
  std::string Get(const std::string& name) const;
  static std::vector<std::string> Names();

  static int DefaultThreads();
};

}  // namespace sluice
