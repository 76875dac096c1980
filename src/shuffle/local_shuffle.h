#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/memory.h"
#include "shuffle/shuffle_transport.h"
#include "shuffle/spill_file.h"
#include "shuffle/temp_directory.h"
#include "types/logical_type.h"
#include "vector/batch_stream.h"

namespace sluice {

// The in-process transport's exchange: batches per (map task, output partition) in this
// process's memory, spilled to files under the budget. Written by the map stage (each task
// through its own writer, into its own slots), read by the next stage after the barrier.
//
// Memory: every buffered batch is reserved from the MemoryManager. When the shuffle holds
// more than a quarter of the memory limit, or a reservation is refused, the writing task
// spills its largest partition buffer to a SpillFile (LZ4) in the query's TempDirectory; a
// task that commits while the shuffle is over its share spills all it holds. Reading
// partition p streams, per map task in task order, the spilled batches and then the
// in-memory ones (write order, so deterministic), and releases memory as batches are
// handed out: unless retained, each partition is read once.
class LocalShuffle : public Shuffle {
 public:
  // `memory` (may be null: untracked), `temp` and spec.spilled_metric outlive the shuffle.
  LocalShuffle(MemoryManager* memory, TempDirectory* temp, const ShuffleSpec& spec);
  ~LocalShuffle() override;

  std::unique_ptr<ShuffleWriter> OpenWriter(int task) override;
  std::unique_ptr<BatchStream> Open(const ShuffleRead& read) override;
  ExchangeStats Stats() const override;
  int partitions() const override { return partitions_; }
  int map_tasks() const override { return map_tasks_; }
  void set_retained(bool retained) override { retained_ = retained; }
  void ReleaseAll() override;
  int64_t spilled_bytes() const override { return spilled_bytes_.load(std::memory_order_relaxed); }

 private:
  class Writer;
  class PartitionReader;
  // What map task t wrote for partition p: in-memory batches and, once spilled, a file
  // holding the earlier ones.
  struct Slot {
    std::vector<Batch> batches;
    int64_t memory_bytes = 0;  // reserved for `batches`
    std::unique_ptr<SpillFile> file;
    int64_t rows = 0;   // statistics, spilled or not
    int64_t bytes = 0;  // DataBytes of the rows
  };
  Slot& slot(int task, int partition) { return slots_[task * partitions_ + partition]; }
  // Called by map task `task`'s writer only.
  void Add(int task, int partition, Batch batch);
  void FinishTask(int task);
  void ResetTask(int task);
  // Streams one whole partition, or its rows from map task `first_task` on.
  std::unique_ptr<BatchStream> OpenPartition(int partition, int first_task = 0);
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
  std::vector<Slot> slots_;               // [task * partitions_ + partition]
  // Per map task: the heaviest keys it wrote, when its writer recorded them.
  std::vector<std::optional<HeavyHitters>> key_summaries_;
  std::atomic<int64_t> memory_bytes_{0};  // reserved for all in-memory batches
  std::atomic<int64_t> spilled_bytes_{0};
  std::atomic<int64_t>* spilled_metric_;
  bool retained_ = false;
};

// The in-process transport: every exchange is a LocalShuffle.
class LocalShuffleTransport : public ShuffleTransport {
 public:
  // `memory` and `temp` outlive the transport and the shuffles it creates.
  LocalShuffleTransport(MemoryManager* memory, TempDirectory* temp)
      : memory_(memory), temp_(temp) {}
  std::unique_ptr<Shuffle> Create(const ShuffleSpec& spec) override {
    return std::make_unique<LocalShuffle>(memory_, temp_, spec);
  }

 private:
  MemoryManager* memory_;
  TempDirectory* temp_;
};

}  // namespace sluice
