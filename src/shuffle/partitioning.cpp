#include "shuffle/partitioning.h"

#include <fmt/format.h>

namespace sluice {

std::string Partitioning::ToString() const { return ToString(Schema()); }

std::string Partitioning::ToString(const Schema& schema) const {
  switch (kind) {
    case Kind::kUnknown: return fmt::format("unknown({})", num_partitions);
    case Kind::kSingle: return "single";
    case Kind::kHash: {
      const char* name = hash == PartitionHash::kIcebergBucket ? "iceberg_bucket" : "hash";
      return fmt::format("{}({}; {})", name, schema.ColumnLabels(keys), num_partitions);
    }
    case Kind::kRoundRobin: return fmt::format("round_robin({})", num_partitions);
    case Kind::kBroadcast: return fmt::format("broadcast({})", num_partitions);
  }
  return "?";
}

}  // namespace sluice
