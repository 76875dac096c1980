#pragma once

#include <memory>

#include "exec/operator.h"
#include "vector/batch_mapper.h"

namespace sluice {

// Runs a BatchMapper over a task's input, per batch or once per task (see BatchMapper), and
// streams the batches it returns (split to at most kBatchSize rows), in order. Narrow; keeps
// the child's partitioning.
class MapBatches : public PhysicalOperator {
 public:
  MapBatches(PhysicalOperatorPtr child, std::shared_ptr<const BatchMapper> mapper, Schema schema);
  std::string name() const override { return "MapBatches"; }
  std::string details() const override { return mapper_->name; }
  std::unique_ptr<BatchStream> Execute(int partition, ExecContext& ctx) const override;

 private:
  std::shared_ptr<const BatchMapper> mapper_;
};

}  // namespace sluice
