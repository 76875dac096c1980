#include "shuffle/exchange_stats.h"

#include <numeric>

#include "types/string_view.h"

namespace sluice {

int64_t ExchangeStats::total_rows() const {
  return std::accumulate(rows.begin(), rows.end(), int64_t{0});
}

int64_t ExchangeStats::total_bytes() const {
  return std::accumulate(bytes.begin(), bytes.end(), int64_t{0});
}

int64_t DataBytes(const Batch& batch) {
  const auto rows = static_cast<int64_t>(batch.num_rows());
  int64_t bytes = 0;
  for (size_t c = 0; c < batch.num_columns(); c++) {
    const Column& col = *batch.column(c);
    if (col.validity() != nullptr && (col.is_constant() ? !col.IsValid(0) : col.HasNulls())) {
      bytes += (rows + 7) / 8;
    }
    if (col.type().IsNested()) {  // elements and fields included
      bytes += static_cast<int64_t>(col.MemoryBytes());
      continue;
    }
    if (!col.type().IsStringLike()) {
      bytes += rows * col.type().PhysicalSize();
      continue;
    }
    const auto* views = col.data<StringView>();
    if (col.is_constant()) {
      bytes += rows * (4 + static_cast<int64_t>(views[0].size()));
      continue;
    }
    bytes += rows * 4;
    for (int64_t i = 0; i < rows; i++) bytes += views[i].size();
  }
  return bytes;
}

}  // namespace sluice
