#pragma once

#include <memory>
#include <string>
#include <vector>

#include "exec/exchange.h"
#include "exec/operator.h"
#include "shuffle/shuffle_reader.h"

namespace sluice {

// How an exchange's finished output is read when the adaptive pass changed it (Spark's
// AQEShuffleRead): task i reads reads()[i], a coalesced range of adjacent partitions or a
// row slice of a skewed one, or a partition read once per salt of its hot keys. Placed directly above the Exchange by the re-planning pass
// (physical/adaptive_planner.h) between stages, never by the planner; the exchange's map
// stage has run by then. Output partitioning is unknown(reads().size()): a range or a slice
// is not hash(keys) modulo the task count.
class AdaptiveShuffleRead : public PhysicalOperator {
 public:
  enum class Kind {
    kCoalesced,       // task i reads a range of adjacent partitions
    kSkewSplit,       // task i reads a row slice of a partition, or a copy of one
    kBroadcastBuild,  // one task reads every partition (the build of a switched join)
    kSaltSplit,       // a partition holding a hot key is read by one task per salt
  };

  // REQUIRES: `exchange` is an Exchange whose map stage has run; every read names
  // partitions of it.
  AdaptiveShuffleRead(PhysicalOperatorPtr exchange, Kind kind, std::vector<ShuffleRead> reads,
                      std::string note);

  std::string name() const override { return "AdaptiveShuffleRead"; }
  // "coalesced 16 -> 2 partitions", "skew split: partition 3 (...) -> 8 sub-partitions".
  std::string details() const override { return note_; }
  Partitioning output_partitioning() const override {
    return Partitioning::Unknown(static_cast<int>(reads_.size()));
  }
  std::unique_ptr<BatchStream> Execute(int partition, ExecContext& ctx) const override;

  Kind kind() const { return kind_; }
  const std::vector<ShuffleRead>& reads() const { return reads_; }
  const Exchange& exchange() const { return static_cast<const Exchange&>(child()); }

 private:
  Kind kind_;
  std::vector<ShuffleRead> reads_;
  std::string note_;
};

}  // namespace sluice
