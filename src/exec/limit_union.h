#pragma once

#include <cstdint>

#include "exec/operator.h"

namespace sluice {

// Skips `offset` rows then passes at most `limit` (-1: all) rows of each partition. The
// planner gives it one partition for a global LIMIT, or uses it per partition (offset 0,
// limit+offset rows) below a single-partition exchange to cut data early.
class Limit : public PhysicalOperator {
 public:
  Limit(PhysicalOperatorPtr child, int64_t limit, int64_t offset)
      : PhysicalOperator(std::move(child)), limit_(limit), offset_(offset) {}
  std::string name() const override { return "Limit"; }
  std::string details() const override;
  std::unique_ptr<BatchStream> Execute(int partition, ExecContext& ctx) const override;

 private:
  int64_t limit_;
  int64_t offset_;
};

// UNION ALL: the partitions of all children side by side (child 0's first). Narrow.
class UnionAll : public PhysicalOperator {
 public:
  UnionAll(Schema schema, std::vector<PhysicalOperatorPtr> children)
      : PhysicalOperator(std::move(schema), std::move(children)) {}
  std::string name() const override { return "UnionAll"; }
  Partitioning output_partitioning() const override;
  std::unique_ptr<BatchStream> Execute(int partition, ExecContext& ctx) const override;
};

// Merges runs of adjacent input partitions into `n` output partitions without moving rows
// between tasks (DataFrame.coalesce). Narrow.
class CoalescePartitions : public PhysicalOperator {
 public:
  CoalescePartitions(PhysicalOperatorPtr child, int n)
      : PhysicalOperator(std::move(child)), n_(n) {}
  std::string name() const override { return "Coalesce"; }
  std::string details() const override;
  Partitioning output_partitioning() const override;
  std::unique_ptr<BatchStream> Execute(int partition, ExecContext& ctx) const override;

 private:
  int n_;
};

}  // namespace sluice
