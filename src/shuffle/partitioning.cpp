#include "shuffle/partitioning.h"

#include <fmt/format.h>

namespace sluice {

std::string Partitioning::ToString() const {
  switch (kind) {
    case Kind::kUnknown: return fmt::format("unknown({})", num_partitions);
    case Kind::kSingle: return "single";
    case Kind::kHash: {
      std::string keys_text;
      for (size_t i = 0; i < keys.size(); i++) {
        if (i > 0) keys_text += ", ";
        keys_text += fmt::format("#{}", keys[i]);
      }
      return fmt::format("hash({}; {})", keys_text, num_partitions);
    }
    case Kind::kRoundRobin: return fmt::format("round_robin({})", num_partitions);
    case Kind::kBroadcast: return fmt::format("broadcast({})", num_partitions);
  }
  return "?";
}

}  // namespace sluice
