#pragma once

#include <vector>

#include "exec/operator.h"
#include "expr/expr.h"

namespace sluice {

// SELECT unnest(list): each input row becomes as many rows as its longest list among the
// bound LIST expressions; the output is the child's columns (repeated) followed by one
// column per expression holding the elements (NULL where a list is shorter, as in DuckDB).
// A row whose lists are all NULL or empty yields no rows. Narrow; keeps the child's
// partitioning.
class Unnest : public PhysicalOperator {
 public:
  Unnest(PhysicalOperatorPtr child, std::vector<ExprPtr> lists, Schema schema);
  std::string name() const override { return "Unnest"; }
  std::string details() const override;
  std::unique_ptr<BatchStream> Execute(int partition, ExecContext& ctx) const override;

 private:
  std::vector<ExprPtr> lists_;
};

}  // namespace sluice
