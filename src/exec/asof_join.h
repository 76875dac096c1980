#pragma once

#include <memory>
#include <string>
#include <vector>

#include "exec/operator.h"

namespace sluice {

// ASOF [LEFT] JOIN (DuckDB's semantics): each left row meets the one right row with equal
// keys whose time is the closest on the side the inequality allows: for `left.t >= right.t`
// the latest right row at or before the left time, for `left.t <= right.t` the earliest at
// or after it (strict with > and <). Rows with a NULL key or time never match; a LEFT join
// keeps the left rows without a match, with NULL right columns.
//
// The planner hash-partitions both inputs on the keys (one partition without keys) and sorts
// each partition: the left by (keys, time), the right by (keys, time, then every other right
// column), all ascending with NULLs last. The join then merges the two streams in one pass.
// Ties: among right rows with equal keys and time, the first in that order wins, i.e. the
// one smallest by the other right columns left to right, so the answer does not depend on
// input order, partitioning or thread count. Memory is the current left batch plus a
// bounded buffer of right rows (the batch being scanned and the current candidate); the
// sorts below spill.
//
// Output: left columns ++ right columns, in the left input's order, batches of at most
// kBatchSize; partitioned as the left input.
class AsofJoin : public PhysicalOperator {
 public:
  struct Spec {
    bool left_outer = false;
    std::vector<int> left_keys;   // columns of the left input; may be empty
    std::vector<int> right_keys;  // same count and types as left_keys
    int left_time = -1;
    int right_time = -1;          // same type as left_time
    bool right_before = true;     // >= or >: right time <= left time; else <= or <
    bool strict = false;          // > or <: equal times do not match
  };

  // REQUIRES: both children have the same number of partitions, partitioned on the keys
  // and sorted as described above.
  AsofJoin(PhysicalOperatorPtr left, PhysicalOperatorPtr right, Spec spec, Schema output_schema);

  std::string name() const override { return "AsofJoin"; }
  std::string details() const override;
  bool is_wide() const override { return true; }
  Partitioning output_partitioning() const override { return child(0).output_partitioning(); }
  std::unique_ptr<BatchStream> Execute(int partition, ExecContext& ctx) const override;

  const Spec& spec() const { return spec_; }

 private:
  Spec spec_;
};

}  // namespace sluice
