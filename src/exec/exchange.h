#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "common/memory.h"
#include "exec/exchange_buffer.h"
#include "exec/exec_context.h"
#include "exec/operator.h"

namespace sluice {

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
  // The same, for the scheduler's adaptive decisions (coalescing) between stages.
  ExchangeBuffer& mutable_buffer(ExecContext& ctx) const { return Buffer(ctx); }
  // Frees the buffers of the exchanges that feed the stage containing `op` (`op` itself when
  // it is an exchange, else those below it, not crossing an exchange): called once that stage has finished, when no task re-reads them.
  static void ReleaseStageInputs(const PhysicalOperator& op, ExecContext& ctx);

 private:
  // Created on first use with `map_tasks` writers (-1: one per child partition).
  ExchangeBuffer& Buffer(ExecContext& ctx, int map_tasks = -1) const;
  Partitioning target_;
};

}  // namespace sluice
