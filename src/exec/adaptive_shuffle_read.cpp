#include "exec/adaptive_shuffle_read.h"

#include "common/error.h"
#include "exec/input_progress.h"

namespace sluice {

AdaptiveShuffleRead::AdaptiveShuffleRead(PhysicalOperatorPtr exchange, Kind kind,
                                         std::vector<ShuffleRead> reads, std::string note)
    : PhysicalOperator(std::move(exchange)),
      kind_(kind),
      reads_(std::move(reads)),
      note_(std::move(note)) {
  SLUICE_CHECK(child().is_exchange(), "an adaptive shuffle read over {}", child().name());
}

std::unique_ptr<BatchStream> AdaptiveShuffleRead::Execute(int partition, ExecContext& ctx) const {
  ExchangeState& state = exchange().State(ctx);
  SLUICE_CHECK(state.complete, "exchange {} read before its map stage ran", child().id());
  return ReportInputRows(state.shuffle->Open(reads_[partition]), ctx);
}

}  // namespace sluice
