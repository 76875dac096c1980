#pragma once

#include <memory>
#include <string>
#include <vector>

#include "exec/join_type.h"
#include "exec/operator.h"
#include "expr/expr.h"

namespace sluice {

// An equi-join of two inputs that arrive sorted on their keys: task p merges partition p of
// the left input with partition p of the right input. The planner hash-partitions both
// inputs on the keys (same partition count) and puts a Sort (keys ascending, NULLs last)
// beneath each side, so the join itself only streams: memory is the current left batch plus
// the right rows of the current key (a run), never a hash table of a whole side. When sorts
// spill, the join inherits it for free; that is its reason to exist next to HashJoin.
//
// Same contract as HashJoin: output left columns ++ right columns (kSemi, kAnti: left
// columns only) in batches of at most kBatchSize; a left row whose right run is longer than
// a batch continues in the next one. Keys have the same types on both sides (the planner
// casts). A row with a NULL in any key never matches. `residual` (may be null) is bound over
// left schema ++ right schema and filters candidate pairs; a row whose candidates all fail
// it counts as unmatched (left/right/full/anti). Output partitioning is the left side's
// (unknown for right/full, whose unmatched right rows carry NULL left columns).
class SortMergeJoin : public PhysicalOperator {
 public:
  // REQUIRES: both children have the same number of partitions and every partition is
  // ordered by its keys ascending with NULLs last (Sort with SortKey{k, true, false}).
  SortMergeJoin(PhysicalOperatorPtr left, PhysicalOperatorPtr right, JoinType type,
                std::vector<int> left_keys, std::vector<int> right_keys, ExprPtr residual,
                Schema output_schema);

  std::string name() const override { return "SortMergeJoin"; }
  std::string details() const override;
  bool is_wide() const override { return true; }
  Partitioning output_partitioning() const override;
  std::unique_ptr<BatchStream> Execute(int partition, ExecContext& ctx) const override;

  JoinType type() const { return type_; }
  const std::vector<int>& left_keys() const { return left_keys_; }
  const std::vector<int>& right_keys() const { return right_keys_; }
  const Expr* residual() const { return residual_.get(); }

 private:
  JoinType type_;
  std::vector<int> left_keys_;
  std::vector<int> right_keys_;
  ExprPtr residual_;
};

}  // namespace sluice
