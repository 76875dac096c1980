#pragma once

#include <vector>

#include "exec/operator.h"
#include "expr/expr.h"

namespace sluice {

// Keeps the rows for which a bound BOOLEAN predicate is TRUE. Narrow.
class Filter : public PhysicalOperator {
 public:
  Filter(PhysicalOperatorPtr child, ExprPtr predicate);
  std::string name() const override { return "Filter"; }
  std::string details() const override { return predicate_->ToString(); }
  std::unique_ptr<BatchStream> Execute(int partition, ExecContext& ctx) const override;

 private:
  ExprPtr predicate_;
};

// Computes bound expressions over each batch. Narrow.
class Project : public PhysicalOperator {
 public:
  Project(PhysicalOperatorPtr child, std::vector<ExprPtr> exprs, Schema schema);
  std::string name() const override { return "Project"; }
  std::string details() const override;
  Partitioning output_partitioning() const override;
  std::unique_ptr<BatchStream> Execute(int partition, ExecContext& ctx) const override;

 private:
  std::vector<ExprPtr> exprs_;
};

}  // namespace sluice
