#pragma once

#include <memory>
#include <string>
#include <vector>

#include "exec/join_type.h"
#include "exec/operator.h"
#include "expr/expr.h"

namespace sluice {

// How the two inputs of a join meet.
enum class JoinDistribution {
  kBroadcast,    // the build side is one partition, built once and probed by every task
  kPartitioned,  // both sides hash-partitioned alike on the keys; task p joins partition p
};

std::string ToString(JoinDistribution distribution);

// An equi-join by hashing the build (right) input and probing it with the probe (left)
// input, vectorized: a probe batch is hashed and looked up at once, and output rows are
// gathered column-wise from (probe row, build row) pairs.
//
// Output: probe columns ++ build columns (kSemi, kAnti: probe columns only), in batches of
// at most kBatchSize; a probe row with many matches continues in the next batch. Keys have
// the same types on both sides (the planner casts). NULL keys never match. `residual`
// (may be null) is bound over probe schema ++ build schema and filters candidate pairs; a
// probe row whose candidates all fail it counts as unmatched (left/full/anti).
//
// kBroadcast: the build child has one partition; its table is built once per query
// (ExecContext shared state) and shared by all probe tasks. Inner, left, semi and anti
// only. kPartitioned: both children have the same number of partitions; task p builds
// from build partition p, probes with probe partition p, and for right/full emits the
// unmatched build rows at the end. Output partitioning is the probe side's.
class HashJoin : public PhysicalOperator {
 public:
  HashJoin(PhysicalOperatorPtr probe, PhysicalOperatorPtr build, JoinType type,
           std::vector<int> probe_keys, std::vector<int> build_keys, ExprPtr residual,
           JoinDistribution distribution, Schema output_schema);

  std::string name() const override { return "HashJoin"; }
  std::string details() const override;
  bool is_wide() const override { return true; }
  Partitioning output_partitioning() const override;
  std::unique_ptr<BatchStream> Execute(int partition, ExecContext& ctx) const override;

  JoinType type() const { return type_; }
  JoinDistribution distribution() const { return distribution_; }
  const std::vector<int>& probe_keys() const { return probe_keys_; }
  const std::vector<int>& build_keys() const { return build_keys_; }
  const Expr* residual() const { return residual_.get(); }

 private:
  JoinType type_;
  std::vector<int> probe_keys_;
  std::vector<int> build_keys_;
  ExprPtr residual_;
  JoinDistribution distribution_;
};

}  // namespace sluice
