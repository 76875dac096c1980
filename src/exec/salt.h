#pragma once

#include <memory>
#include <string>

#include "exec/operator.h"

namespace sluice {

// Salting a hot key (SQL /*+ SKEW(t, key) */, DataFrame.Salt): the skewed input gets a salt
// column and the other join input is replicated once per salt value, so that rows of one key
// spread over `buckets` shuffle partitions (physical/plan_salted_join.h).

// Appends a BIGINT column `__salt` in [0, buckets): a hash of (partition, row position in the
// partition). Partition streams are deterministic, so the salt of a row does not depend on
// the thread count, and it spreads the rows of any one key evenly. Narrow.
class SaltColumn : public PhysicalOperator {
 public:
  SaltColumn(PhysicalOperatorPtr child, int buckets);
  std::string name() const override { return "SaltColumn"; }
  std::string details() const override;
  std::unique_ptr<BatchStream> Execute(int partition, ExecContext& ctx) const override;

 private:
  int buckets_;
};

// Emits every input row `buckets` times, with a BIGINT column `__salt` = 0 .. buckets - 1
// appended (the join input that meets a salted one). Narrow: rows stay in their partition,
// so a hash partitioning on the input's columns survives.
class ReplicateSalt : public PhysicalOperator {
 public:
  ReplicateSalt(PhysicalOperatorPtr child, int buckets);
  std::string name() const override { return "ReplicateSalt"; }
  std::string details() const override;
  std::unique_ptr<BatchStream> Execute(int partition, ExecContext& ctx) const override;

 private:
  int buckets_;
};

}  // namespace sluice
