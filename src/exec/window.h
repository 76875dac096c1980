#pragma once

#include <memory>
#include <string>
#include <vector>

#include "exec/operator.h"
#include "exec/sort_order.h"
#include "expr/expr.h"
#include "expr/window_function.h"

namespace sluice {

class AggregateFunction;

// One window function as the operator computes it: everything is a column of the child
// (the planner projects arguments first) or a constant resolved at planning time.
struct WindowFunction {
  WindowFunctionKind kind = WindowFunctionKind::kRowNumber;
  // Argument columns of the child, in call order (lag: value, offset, default; ntile:
  // buckets; nth_value: value, n; aggregates: their arguments).
  std::vector<int> args;
  std::shared_ptr<const AggregateFunction> aggregate;  // kAggregate
  LogicalType type;                                     // result
  // The frame (value functions and aggregates); the planner resolves the default frame.
  WindowFrameUnit unit = WindowFrameUnit::kRows;
  WindowBoundKind start = WindowBoundKind::kUnboundedPreceding;
  WindowBoundKind end = WindowBoundKind::kUnboundedFollowing;
  // kPreceding / kFollowing distances: a row or peer-group count for ROWS / GROUPS, a
  // distance in the (single, numeric) order key for RANGE.
  double start_offset = 0;
  double end_offset = 0;
  std::string text;  // for EXPLAIN
};

// Window functions that share PARTITION BY and ORDER BY keys (DuckDB's WINDOW operator).
//
// Wide: each partition of the input must hold whole window partitions, so the planner puts
// an Exchange hash(partition keys) beneath it (single when there are none). A task buffers
// its partition, sorts it by (partition keys, order keys) with the sort kernel, and then
// computes every function over the sorted rows: ranking functions from partition and peer
// boundaries, lag/lead and value functions by index, aggregates over frames with a
// segment tree (O(n log n), any decomposable aggregate). Output: the child's columns
// followed by one column per function, rows in sorted order (window partitions in key
// order within a task), so the output does not depend on the thread count.
class WindowOperator : public PhysicalOperator {
 public:
  // `partition_keys` are child columns; `order_keys` refer to child columns too.
  WindowOperator(PhysicalOperatorPtr child, std::vector<int> partition_keys,
                 std::vector<SortKey> order_keys, std::vector<WindowFunction> functions,
                 Schema schema);

  std::string name() const override { return "Window"; }
  std::string details() const override;
  bool is_wide() const override { return true; }
  std::unique_ptr<BatchStream> Execute(int partition, ExecContext& ctx) const override;

  const std::vector<int>& partition_keys() const { return partition_keys_; }
  const std::vector<SortKey>& order_keys() const { return order_keys_; }
  const std::vector<WindowFunction>& functions() const { return functions_; }

 private:
  std::vector<int> partition_keys_;
  std::vector<SortKey> order_keys_;
  std::vector<WindowFunction> functions_;
};

}  // namespace sluice
