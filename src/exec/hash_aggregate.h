#pragma once

#include <memory>
#include <string>
#include <vector>

#include "exec/operator.h"
#include "expr/expr.h"

namespace sluice {

// Which half of a two-phase aggregation an operator runs (DESIGN.md "Aggregation").
enum class AggregateMode {
  kPartial,  // input rows -> group keys + intermediate states (before the exchange)
  kFinal,    // a kPartial's output -> group keys + results (after the exchange)
  kSingle,   // input rows -> group keys + results, in one step
  kIntermediate,  // a kPartial's output -> group keys + merged states (salted group-by)
};

std::string ToString(AggregateMode mode);

// GROUP BY with aggregate functions, by hashing the group keys (KeyHashTable).
//
// kSingle, kPartial: `groups` are bound expressions over the child's schema and
// `aggregates` bound kAggregate expressions whose arguments are bound over it.
// kPartial outputs the group columns, then each aggregate's state_types() columns in order.
// kFinal, kIntermediate: the child produces a kPartial's output; `groups` and `aggregates`
// are the same expressions the partial got and serve only for types and AggregateFunctions.
// kIntermediate outputs what kPartial does (states merged per group), for a second exchange.
// kFinal and kSingle output the group columns, then one result column per aggregate.
//
// Without groups there is exactly one output row per partition (count(*) of no rows is 0);
// the planner runs such final aggregates on a single partition. Groups come out in the
// order they were first seen, in batches of at most kBatchSize, so the output does not
// depend on the thread count. Each task aggregates its partition alone; the partitioning
// of the output is the child's.
class HashAggregate : public PhysicalOperator {
 public:
  HashAggregate(PhysicalOperatorPtr child, std::vector<ExprPtr> groups,
                std::vector<ExprPtr> aggregates, AggregateMode mode, Schema output_schema);

  std::string name() const override { return "HashAggregate"; }
  std::string details() const override;
  bool is_wide() const override { return mode_ != AggregateMode::kPartial; }
  // Rows stay in their partition but the columns change: a hash partitioning survives only
  // when every key column is a group key (renumbered to its output position).
  Partitioning output_partitioning() const override {
    const Partitioning in = child().output_partitioning();
    if (in.kind == Partitioning::Kind::kSingle || in.kind == Partitioning::Kind::kBroadcast) {
      return in;
    }
    if (in.kind != Partitioning::Kind::kHash) return Partitioning::Unknown(in.num_partitions);
    std::vector<int> keys;
    for (int key : in.keys) {
      int found = -1;
      for (size_t g = 0; g < groups_.size() && found < 0; g++) {
        const bool same = mode_ == AggregateMode::kFinal || mode_ == AggregateMode::kIntermediate
                              ? static_cast<int>(g) == key
                              : groups_[g]->kind == ExprKind::kColumnRef &&
                                    groups_[g]->column_index == key;
        if (same) found = static_cast<int>(g);
      }
      if (found < 0) return Partitioning::Unknown(in.num_partitions);
      keys.push_back(found);
    }
    return Partitioning::Hash(std::move(keys), in.num_partitions, in.hash);
  }
  std::unique_ptr<BatchStream> Execute(int partition, ExecContext& ctx) const override;

  AggregateMode mode() const { return mode_; }
  const std::vector<ExprPtr>& groups() const { return groups_; }
  const std::vector<ExprPtr>& aggregates() const { return aggregates_; }

 private:
  std::vector<ExprPtr> groups_;
  std::vector<ExprPtr> aggregates_;
  AggregateMode mode_;
};

}  // namespace sluice
