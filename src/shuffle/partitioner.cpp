#include "shuffle/partitioner.h"

#include "common/error.h"
#include "vector/column_hash.h"
#include "vector/iceberg_hash.h"

namespace sluice {

void HashPartitioner::Assign(const Batch& batch, std::vector<std::vector<uint32_t>>* selections) {
  SelectHashPartitions(batch, keys_, &hashes_, selections);
}

void IcebergBucketPartitioner::Assign(const Batch& batch,
                                      std::vector<std::vector<uint32_t>>* selections) {
  SelectIcebergBuckets(batch, key_, selections);
}

void RoundRobinPartitioner::Assign(const Batch& batch,
                                   std::vector<std::vector<uint32_t>>* selections) {
  const size_t rows = batch.num_rows();
  for (size_t i = 0; i < rows; i++) {
    (*selections)[next_].push_back(static_cast<uint32_t>(i));
    next_ = next_ + 1 == partitions_ ? 0 : next_ + 1;
  }
}

void SinglePartitioner::Assign(const Batch& batch, std::vector<std::vector<uint32_t>>* selections) {
  auto& all = (*selections)[0];
  for (size_t i = 0; i < batch.num_rows(); i++) all.push_back(static_cast<uint32_t>(i));
}

std::unique_ptr<Partitioner> MakePartitioner(const Partitioning& target) {
  switch (target.kind) {
    case Partitioning::Kind::kHash:
      if (target.hash == PartitionHash::kIcebergBucket) {
        SLUICE_CHECK(target.keys.size() == 1, "an Iceberg bucket exchange on {} keys",
                     target.keys.size());
        return std::make_unique<IcebergBucketPartitioner>(target.keys[0], target.num_partitions);
      }
      return std::make_unique<HashPartitioner>(target.keys, target.num_partitions);
    case Partitioning::Kind::kRoundRobin:
      return std::make_unique<RoundRobinPartitioner>(target.num_partitions);
    case Partitioning::Kind::kSingle:
    case Partitioning::Kind::kBroadcast:
      return std::make_unique<SinglePartitioner>();
    case Partitioning::Kind::kUnknown:
      break;
  }
  SLUICE_CHECK(false, "no partitioner writes {}", target.ToString());
  return nullptr;
}

int WrittenPartitions(const Partitioning& target) {
  return target.kind == Partitioning::Kind::kHash || target.kind == Partitioning::Kind::kRoundRobin
             ? target.num_partitions
             : 1;
}

}  // namespace sluice
