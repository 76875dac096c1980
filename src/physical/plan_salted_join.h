#pragma once

#include <optional>
#include <string>
#include <vector>

#include "exec/join_type.h"
#include "exec/operator.h"
#include "expr/expr.h"
#include "plan/logical_plan.h"
#include "vector/schema.h"

namespace sluice {

// A hot key declared on a relation (SQL /*+ SKEW(t, key[, buckets]) */, DataFrame.Salt).
struct SkewKey {
  std::string key;  // column name
  int buckets = 0;
};

// The skew annotation on `plan` or on the relation beneath its filters and projections;
// `default_buckets` when the annotation names none.
std::optional<SkewKey> SkewKeyOf(const LogicalPlan& plan, int default_buckets);

// What salting did to a join, for the planner's estimates and EXPLAIN.
struct SaltedJoin {
  int replicated_input = -1;  // 0 left, 1 right; -1 when not salted
  int buckets = 0;
  std::string note;  // "salted ..." or why a SKEW annotation was ignored; empty if none
};

// Salts a join whose input carries a SKEW annotation on one of its equi-join keys: that
// input gets a SaltColumn, the other input a ReplicateSalt, and both salt columns join the
// key lists (`lk`, `rk` index the inputs' columns). Only where replicating the other input
// keeps the join's meaning: a skewed left input for INNER, LEFT, SEMI, ANTI; a skewed right
// input for INNER, RIGHT; never for FULL. The salt columns are appended after the inputs'
// existing columns. `join` is the logical join (its children carry the annotations).
SaltedJoin SaltJoinInputs(const LogicalPlan& join, JoinType type, PhysicalOperatorPtr& left,
                          PhysicalOperatorPtr& right, std::vector<int>& lk, std::vector<int>& rk,
                          int default_buckets);

// Salted GROUP BY of a decomposable aggregate whose input is skewed on a group key: rows get
// a SaltColumn; partial aggregate by (keys, salt), exchange on (keys, salt), an intermediate
// merge of states per (keys, salt) that spreads a hot key over `buckets` tasks, then the salt
// is dropped, exchange on keys, final aggregate. Returns nullptr (child untouched) when no
// group key is the skew key. `groups`/`aggs` are bound over child's schema.
PhysicalOperatorPtr PlanSaltedAggregate(PhysicalOperatorPtr& child, const SkewKey& skew,
                                        const std::vector<ExprPtr>& groups,
                                        const std::vector<ExprPtr>& aggs, const Schema& schema,
                                        int partitions);

}  // namespace sluice
