#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "exec/operator.h"
#include "exec/sort_order.h"

namespace sluice {

// ORDER BY [LIMIT]: sorts the rows of each partition by `keys` (columns of the child; the
// planner projects sort expressions into columns first, and puts a single-partition
// exchange beneath for a global order). Stable: ties keep input order, so the output is
// the same for any thread count. One big partition still uses every core: chunks are
// sorted on the thread pool and merged.
//
// With `limit`, a top-N ("TopN"): only the best `limit` rows are kept while the input
// streams in, bounding memory. Output in batches of at most kBatchSize.
class Sort : public PhysicalOperator {
 public:
  Sort(PhysicalOperatorPtr child, std::vector<SortKey> keys, std::optional<int64_t> limit);

  std::string name() const override { return limit_.has_value() ? "TopN" : "Sort"; }
  std::string details() const override;
  bool is_wide() const override { return true; }
  std::unique_ptr<BatchStream> Execute(int partition, ExecContext& ctx) const override;

  const std::vector<SortKey>& keys() const { return keys_; }
  std::optional<int64_t> limit() const { return limit_; }

 private:
  // Takes the schema separately: reading it from `child` in the same call that moves
  // `child` would depend on argument evaluation order.
  Sort(Schema schema, PhysicalOperatorPtr&& child, std::vector<SortKey> keys,
       std::optional<int64_t> limit);

  std::vector<SortKey> keys_;
  std::optional<int64_t> limit_;
};

}  // namespace sluice
