#include "exec/scan.h"

#include <fmt/format.h>

namespace sluice {

std::string InMemoryScan::details() const {
  size_t rows = 0;
  for (const auto& p : *partitions_) {
    for (const auto& b : p) rows += b.num_rows();
  }
  return fmt::format("{} rows in {} partitions", rows, partitions_->size());
}

}  // namespace sluice
