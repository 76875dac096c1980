#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/memory.h"
#include "exec/exec_context.h"
#include "exec/spill_file.h"
#include "types/logical_type.h"
#include "vector/batch_stream.h"

namespace sluice {

// What an exchange moved, per output partition; the basis of adaptive decisions and of
// EXPLAIN ANALYZE.
struct ExchangeStats {
  std::vector<int64_t> rows;   // per output partition
  std::vector<int64_t> bytes;  // per output partition (in-memory size, spilled or not)
  int64_t total_rows() const;
  int64_t total_bytes() const;
};

// The materialized output of an exchange: batches per (map task, output partition). Written
// by the map stage (one task per input partition, each writing only its own slot), read by
// the next stage after the barrier.
//
// Memory: every buffered batch is reserved from the MemoryManager. When the buffer holds
// more than a quarter of the memory limit, or a reservation is refused, the writing task
// spills its largest partition buffer to a SpillFile (LZ4) in the query's TempDirectory; a
// task that finishes while the buffer is over its share spills all it holds. Reading
// partition p streams, per map task in task order, the spilled batches and then the
// in-memory ones (write order, so deterministic), and releases memory as batches are
// handed out: each partition is read once.
class ExchangeBuffer : public SharedState {
 public:
  // `temp` and `spilled_bytes` (a metrics counter, may be null) outlive the buffer.
  ExchangeBuffer(MemoryManager* memory, TempDirectory* temp, std::vector<LogicalType> types,
                 int map_tasks, int partitions, std::atomic<int64_t>* spilled_bytes = nullptr);
  ~ExchangeBuffer() override;

  // Called by map task `task` only.
  void Add(int task, int partition, Batch batch);
  // Called by map task `task` after its last Add.
  void FinishTask(int task);
  // Discards everything map task `task` wrote (memory and spill files) so that the task can
  // be re-run after a failed attempt. Called by that task only, before it writes again.
  void ResetTask(int task);

  // Retained mode (for task retries): reading a partition copies its batches and keeps its
  // spill files, so a failed reader can open it again; the data stays until ReleaseAll.
  // REQUIRES: set before any partition is opened.
  void set_retained(bool retained) { retained_ = retained; }
  // Drops all buffered data and spill files (statistics stay). Called when the stage reading
  // this buffer has finished; no partition may be opened afterwards.
  void ReleaseAll();

  // Streams output partition `partition`, in map task order (deterministic).
  // REQUIRES: complete(); unless retained, each partition is opened at most once (it is
  // consumed).
  std::unique_ptr<BatchStream> OpenPartition(int partition);
  ExchangeStats Stats() const;

  // Adaptive coalescing: from now on reader task i reads the adjacent partitions
  // [starts[i], starts[i+1]) (the last up to the end) as one stream, in partition order.
  // REQUIRES: complete(), before any partition is opened; starts[0] == 0, ascending.
  void set_coalesced(std::vector<int> starts) { coalesced_starts_ = std::move(starts); }
  // Reader tasks after coalescing, or 0 when not coalesced.
  int coalesced_partitions() const { return static_cast<int>(coalesced_starts_.size()); }
  int partitions() const { return partitions_; }
  // Adaptive skew split (exec/adaptive_skew_join.h): reader task i reads rows
  // [row_begin, row_end) of `partition` in partition order (row_end < 0: all its rows), so a
  // large partition is read by several tasks in slices and a partition can be read whole by
  // several tasks (a copy for each slice of the other join side).
  // REQUIRES: complete(), retained, before any partition is opened; not coalesced.
  struct TaskSlice {
    int partition = 0;
    int64_t row_begin = 0;
    int64_t row_end = -1;
  };
  void set_task_slices(std::vector<TaskSlice> slices) { task_slices_ = std::move(slices); }
  const std::vector<TaskSlice>& task_slices() const { return task_slices_; }
  // What the skew split did to this exchange, for EXPLAIN ANALYZE (empty when nothing).
  void set_skew_note(std::string note) { skew_note_ = std::move(note); }
  const std::string& skew_note() const { return skew_note_; }
  int map_tasks() const { return map_tasks_; }
  // Streams reader task `task`: the partition of that number, its coalesced group, or its
  // skew-split slice.
  std::unique_ptr<BatchStream> OpenTask(int task);
  // Streams rows [row_begin, row_end) of `partition` (row_end < 0: to the end), skipping
  // whole map-task slots before row_begin without reading them.
  std::unique_ptr<BatchStream> OpenPartitionRows(int partition, int64_t row_begin,
                                                 int64_t row_end);
  void set_complete() { complete_ = true; }
  bool complete() const { return complete_; }
  // Wall time of the map stage that filled the buffer.
  void set_map_seconds(double s) { map_seconds_ = s; }
  double map_seconds() const { return map_seconds_; }
  int64_t spilled_bytes() const { return spilled_bytes_.load(std::memory_order_relaxed); }

 private:
  class PartitionReader;
  // What map task t wrote for partition p: in-memory batches and, once spilled, a file
  // holding the earlier ones.
  struct Slot {
    std::vector<Batch> batches;
    int64_t memory_bytes = 0;  // reserved for `batches`
    std::unique_ptr<SpillFile> file;
    int64_t rows = 0;   // statistics, spilled or not
    int64_t bytes = 0;
  };
  Slot& slot(int task, int partition) { return slots_[task * partitions_ + partition]; }
  // Writes the batches of `s` to its file and releases their memory.
  void Spill(Slot& s);
  // Appends one batch to the slot's spill file (created on first use).
  void WriteToFile(Slot& s, const Batch& batch);
  // Spills the largest in-memory slot of `task` holding at least `min_bytes`; false if none.
  bool SpillLargest(int task, int64_t min_bytes);

  MemoryManager* memory_;
  TempDirectory* temp_;
  std::vector<LogicalType> types_;
  int map_tasks_;
  int partitions_;
  std::vector<Slot> slots_;  // [task * partitions_ + partition]
  std::atomic<int64_t> memory_bytes_{0};  // reserved for all in-memory batches
  std::atomic<int64_t> spilled_bytes_{0};
  std::atomic<int64_t>* spilled_metric_;
  bool complete_ = false;
  double map_seconds_ = 0;
  bool retained_ = false;
  std::vector<int> coalesced_starts_;  // empty: not coalesced
  std::vector<TaskSlice> task_slices_;  // empty: not skew-split
  std::string skew_note_;
};

}  // namespace sluice
