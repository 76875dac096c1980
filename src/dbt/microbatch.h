#pragma once

#include <string>

#include "dbt/materialization.h"

namespace sluice::dbt {

// Builds an incremental model with incremental_strategy 'microbatch'. Config: event_time
// (the model's time column), batch_size (hour | day | month | year), begin (the first
// batch of a full build) and lookback (how many batches before the current one an
// incremental run reprocesses, default 1, so late-arriving rows are picked up).
// `start` / `end` (from --event-time-start / --event-time-end; empty when not given) select
// the range to (re)build instead. The model's rows in the range are computed once into
// `temp`; then each batch that has rows in the new data or in the target replaces its time
// slice of the target (the slice's old rows removed, its new rows added) in one commit, so
// a failure keeps the batches already committed and leaves the failing one as it was.
NodeOutcome BuildMicrobatch(Materializer& materializer, const Node& node, const std::string& sql,
                            bool is_incremental, const std::string& start, const std::string& end);

}  // namespace sluice::dbt
