#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "common/memory.h"
#include "exec/exec_context.h"
#include "exec/operator.h"

namespace sluice {

// What an exchange moved, per output partition; the basis of adaptive decisions and of
// EXPLAIN ANALYZE.
struct ExchangeStats {
  std::vector<int64_t> rows;   // per output partition
  std::vector<int64_t> bytes;  // per output partition
  int64_t total_rows() const;
  int64_t total_bytes() const;
};

// The materialized output of an exchange: batches per (map task, output partition). Written
// by the map stage (one task per input partition, each writing only its own slot), read by
// the next stage after the barrier. Buffers are reserved from the MemoryManager; spilling
// them to disk when a reservation is refused is the seam for the spill issue.
class ExchangeBuffer : public SharedState {
 public:
  ExchangeBuffer(MemoryManager* memory, int map_tasks, int partitions);

  // Called by map task `task` only.
  void Add(int task, int partition, Batch batch);
  // Batches of output partition `partition`, in map task order (deterministic).
  std::vector<Batch> Read(int partition) const;
  // All batches of all partitions in order (for broadcast reads).
  std::vector<Batch> ReadAll() const;
  ExchangeStats Stats() const;
  void set_complete() { complete_ = true; }
  bool complete() const { return complete_; }
  // Wall time of the map stage that filled the buffer.
  void set_map_seconds(double s) { map_seconds_ = s; }
  double map_seconds() const { return map_seconds_; }

 private:
  int map_tasks_;
  int partitions_;
  std::vector<std::vector<std::vector<Batch>>> slots_;  // [task][partition]
  std::vector<MemoryReservation> reservations_;         // per task
  bool complete_ = false;
  double map_seconds_ = 0;
};

// A stage boundary: repartitions its child's rows (hash of key columns, round robin, all to
// one partition, or broadcast to every reader). The scheduler runs the child's stage to
// completion (RunMapStage) before any task reads the exchange (Execute).
class Exchange : public PhysicalOperator {
 public:
  Exchange(PhysicalOperatorPtr child, Partitioning target)
      : PhysicalOperator(std::move(child)), target_(std::move(target)) {}

  std::string name() const override { return "Exchange"; }
  std::string details() const override { return target_.ToString(); }
  bool is_exchange() const override { return true; }
  Partitioning output_partitioning() const override;
  std::unique_ptr<BatchStream> Execute(int partition, ExecContext& ctx) const override;

  const Partitioning& target() const { return target_; }
  // Runs every partition of the child as a task and fills this exchange's buffer.
  // REQUIRES: the stages below the child have run.
  void RunMapStage(ExecContext& ctx, int stage_id) const;
  // The buffer, once RunMapStage has run (for statistics).
  const ExchangeBuffer* buffer(ExecContext& ctx) const;

 private:
  ExchangeBuffer& Buffer(ExecContext& ctx) const;
  Partitioning target_;
};

}  // namespace sluice
