#pragma once

#include <memory>
#include <string>
#include <vector>

#include "exec/exec_context.h"
#include "exec/operator.h"
#include "shuffle/shuffle_transport.h"

namespace sluice {

// The run state of one exchange in one query: the shuffle that holds its data (created by
// the scheduler with the map stage's task count). Reads other than partition by partition
// are operators of the plan (AdaptiveShuffleRead), not state.
struct ExchangeState : SharedState {
  std::unique_ptr<Shuffle> shuffle;
  double map_seconds = 0;  // wall time of the map stage
  bool complete = false;   // every map task committed
};

// A stage boundary: repartitions its child's rows (hash of key columns, round robin, all to
// one partition, or broadcast to every reader). It only names the partitioning and reads:
// the Scheduler runs the child's stage into the exchange's shuffle (a barrier) before any
// task reads it through Execute.
class Exchange : public PhysicalOperator {
 public:
  Exchange(PhysicalOperatorPtr child, Partitioning target)
      : PhysicalOperator(std::move(child)), target_(std::move(target)) {}

  std::string name() const override { return "Exchange"; }
  std::string details() const override { return target_.ToString(child().schema()); }
  bool is_exchange() const override { return true; }
  Partitioning output_partitioning() const override;
  // Streams output partition `partition` of the shuffle. REQUIRES: state complete.
  std::unique_ptr<BatchStream> Execute(int partition, ExecContext& ctx) const override;
  // The rows the map stage wrote (-1 before it ran).
  int64_t ExpectedInputRows(ExecContext& ctx) const override;

  const Partitioning& target() const { return target_; }
  // A hash exchange on GROUP BY or join keys: its map tasks summarize the heaviest keys
  // (ExchangeStats::heavy_keys) when auto_salting and adaptive are on, for hot-key salting.
  // Set by the planner only.
  bool track_keys() const { return track_keys_; }
  void set_track_keys(bool track) { track_keys_ = track; }
  // True once the exchange's map stage has run in this query (its state is complete).
  bool HasRun(ExecContext& ctx) const;
  // The run state, created on first use with a shuffle of `map_tasks` writers (-1: one per
  // child partition) from the context's transport. The scheduler asks first, with the map
  // stage's task count.
  ExchangeState& State(ExecContext& ctx, int map_tasks = -1) const;

 private:
  Partitioning target_;
  bool track_keys_ = false;
};

}  // namespace sluice
