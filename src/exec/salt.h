#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

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

// The salt of a row of a hot key in automatic salting: a function of the hash of the salted
// value (HashColumn), so equal values always share a salt. In [0, buckets).
int ValueSalt(uint64_t value_hash, int buckets);

// Keeps, in task t, the rows of salt task_salts[t] (automatic salting of a hot GROUP BY key,
// physical/adaptive_salt_aggregate.cpp): a row whose key columns hash (as the exchange
// partitions them) to one of `hot_hashes` when ValueSalt(hash of its `value_column`)
// equals the task's salt; any other row only in salt 0. Salt -1 keeps every row. Its child
// reads a hot partition once per salt, so each row is kept by exactly one task and the rows
// of one value of a hot key all meet in one task. Narrow.
class HotKeySaltFilter : public PhysicalOperator {
 public:
  // REQUIRES: task_salts.size() == child's partitions; salts in [-1, buckets).
  HotKeySaltFilter(PhysicalOperatorPtr child, std::vector<int> key_columns, int value_column,
                   std::vector<uint64_t> hot_hashes, std::vector<int> task_salts, int buckets);
  std::string name() const override { return "HotKeySaltFilter"; }
  std::string details() const override;
  std::unique_ptr<BatchStream> Execute(int partition, ExecContext& ctx) const override;

 private:
  std::vector<int> key_columns_;
  int value_column_;
  std::vector<uint64_t> hot_hashes_;
  std::vector<int> task_salts_;
  int buckets_;
};

}  // namespace sluice
