#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "shuffle/partitioning.h"
#include "vector/batch.h"

namespace sluice {

// Decides the output partition of each row a map task writes to an exchange. One instance
// per map task (a round-robin partitioner keeps its position); not thread-safe.
class Partitioner {
 public:
  virtual ~Partitioner() = default;
  // The output partitions rows are spread over (1 for single and broadcast).
  virtual int num_partitions() const = 0;
  // Fills (*selections)[p] with the rows of `batch` that go to partition p, in row order.
  // REQUIRES: selections->size() == num_partitions(); its vectors are empty.
  virtual void Assign(const Batch& batch, std::vector<std::vector<uint32_t>>* selections) = 0;
  // The key hash of each row of the batch last assigned (a hash partitioner's), or null when
  // rows are not placed by a key.
  virtual const std::vector<uint64_t>* row_hashes() const { return nullptr; }
};

// Partition HashPartitionOf(hash of the key columns) (vector/column_hash.h): the same
// mapping as bucketed table writes, so buckets and exchange partitions agree.
class HashPartitioner : public Partitioner {
 public:
  HashPartitioner(std::vector<int> keys, int partitions)
      : keys_(std::move(keys)), partitions_(partitions) {}
  int num_partitions() const override { return partitions_; }
  void Assign(const Batch& batch, std::vector<std::vector<uint32_t>>* selections) override;
  const std::vector<uint64_t>* row_hashes() const override { return &hashes_; }

 private:
  std::vector<int> keys_;
  int partitions_;
  std::vector<uint64_t> hashes_;  // scratch
};

// Partition IcebergBucketOf(Iceberg bucket hash of the one key column), NULL keys to 0
// (vector/iceberg_hash.h): the bucket an Iceberg table partitioned by bucket[n](key) keeps
// the row in, so rows meet the buckets of such a table.
class IcebergBucketPartitioner : public Partitioner {
 public:
  IcebergBucketPartitioner(int key, int partitions) : key_(key), partitions_(partitions) {}
  int num_partitions() const override { return partitions_; }
  void Assign(const Batch& batch, std::vector<std::vector<uint32_t>>* selections) override;

 private:
  int key_;
  int partitions_;
};

// Rows dealt out in turn, continuing across batches of the same map task.
class RoundRobinPartitioner : public Partitioner {
 public:
  explicit RoundRobinPartitioner(int partitions) : partitions_(partitions) {}
  int num_partitions() const override { return partitions_; }
  void Assign(const Batch& batch, std::vector<std::vector<uint32_t>>* selections) override;

 private:
  int partitions_;
  int next_ = 0;
};

// Every row to partition 0: a single-partition exchange, or a broadcast one (each reader
// reads that partition whole).
class SinglePartitioner : public Partitioner {
 public:
  int num_partitions() const override { return 1; }
  void Assign(const Batch& batch, std::vector<std::vector<uint32_t>>* selections) override;
};

// The partitioner that writes `target` (hash, round robin, single, broadcast).
// REQUIRES: target.kind is not kUnknown.
std::unique_ptr<Partitioner> MakePartitioner(const Partitioning& target);
// The partitions an exchange to `target` writes: num_partitions for hash and round robin,
// else 1.
int WrittenPartitions(const Partitioning& target);

}  // namespace sluice
