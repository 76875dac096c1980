#pragma once

#include <memory>
#include <string>
#include <vector>

#include "exec/join_type.h"
#include "exec/operator.h"
#include "expr/expr.h"

namespace sluice {

// A semi or anti join whose left input is far smaller than its right (TPC-H q21: 0.7M
// lineitem rows EXISTS in 60M others), run without shuffling or holding the right input:
//
//   MarkJoinEmit                      stage B: partition p emits the p-th of P equal ranges
//     Exchange round robin(P)                  of the left rows, marked (semi) or not (anti)
//       MarkJoinProbe                 stage A: task p probes the left's table with right
//         <right input>                        partition p where it is produced and marks
//         Exchange broadcast(1)                the left rows some pair matches (residual
//           <left input>                       included); it outputs no rows
//
// The left's table (a JoinBuildTable) and its marks are ExecContext shared state of the
// MarkJoinProbe, built once and marked by every task with relaxed atomic stores; the
// exchange between the two is the barrier after which every mark is final. Output: the
// left's columns, in the left's order: the same rows in the same order whatever the thread
// count. One process only: the marks are not combined across the ranks of a cluster.
class MarkJoinProbe : public PhysicalOperator {
 public:
  // `right_keys` index the right input's columns, `left_keys` the left's; `residual` (may be
  // null) is bound over left ++ right. `left_schema` is the left input's (its output schema:
  // no rows are output, the emit stage outputs them).
  MarkJoinProbe(Schema left_schema, PhysicalOperatorPtr right, PhysicalOperatorPtr left,
                JoinType type, std::vector<int> right_keys, std::vector<int> left_keys,
                ExprPtr residual);

  std::string name() const override { return "MarkJoinProbe"; }
  std::string details() const override;
  bool is_wide() const override { return true; }
  std::unique_ptr<BatchStream> Execute(int partition, ExecContext& ctx) const override;

  JoinType type() const { return type_; }
  const std::vector<int>& right_keys() const { return right_keys_; }
  const std::vector<int>& left_keys() const { return left_keys_; }
  const Expr* residual() const { return residual_.get(); }

 private:
  JoinType type_;
  std::vector<int> right_keys_;
  std::vector<int> left_keys_;
  ExprPtr residual_;
};

// The second stage of a mark join (see MarkJoinProbe): its child is the exchange over the
// MarkJoinProbe (possibly under an adaptive read).
class MarkJoinEmit : public PhysicalOperator {
 public:
  explicit MarkJoinEmit(PhysicalOperatorPtr exchange, Schema left_schema);

  std::string name() const override { return "MarkJoinEmit"; }
  std::string details() const override;
  bool is_wide() const override { return true; }
  Partitioning output_partitioning() const override {
    return Partitioning::Unknown(child().num_partitions());
  }
  std::unique_ptr<BatchStream> Execute(int partition, ExecContext& ctx) const override;
};

// The mark join over `left` and `right` for a semi or anti join (keys and residual as for
// MarkJoinProbe), with its exchanges, in `partitions` output partitions.
PhysicalOperatorPtr MakeMarkJoin(PhysicalOperatorPtr left, PhysicalOperatorPtr right,
                                 JoinType type, std::vector<int> left_keys,
                                 std::vector<int> right_keys, ExprPtr residual, int partitions);

}  // namespace sluice
