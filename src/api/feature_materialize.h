#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/procedure_registry.h"
#include "online/feature_view.h"

namespace sluice {

class Session;

// What materializing one feature view did.
struct MaterializeResult {
  std::string view;
  int64_t start_us = 0;  // the window [start, end) of event times read
  int64_t end_us = 0;
  int64_t entities = 0;  // entities with a row in the window
  int64_t written = 0;   // hashes written (an entity whose online value is newer is skipped)
  int64_t expired = 0;   // hashes not kept: past their TTL when written (the entity is missing)
};

// Writes the online feature views of the session's registry (`views`: those only; empty:
// all online views) to Redis: for each entity, its latest row with an event time in
// [start, end) (ties: the latest created, then the smallest values) becomes the hash
// online::OnlineFeatureKey(project, view, key) with a field per non-NULL feature,
// `_event_timestamp` and `_event_us`. A hash is replaced only when the new row is not older
// than the one online (one Lua script per entity, so readers see whole hashes). Without
// `start_us` (materialize-incremental) each view starts at its high-water mark, the end of
// its last run, kept in Redis at "<project>:_materialized:<view>" (none: from end - TTL, or
// from the start for a view without TTL; rows older would be past their TTL at END), and
// the mark moves to `end_us` once the view is written. With `expire`, a view's hashes expire
// in Redis (PEXPIREAT, by the Redis server's clock) at their event time + the view's TTL, so a
// value past its TTL is never served: a row already past it removes the entity's hash
// (counted as expired). Without it (a replay of history for `sluice serve --as-of`) hashes
// never expire. Throws InvalidInputError for unknown views, IOError for Redis failures.
std::vector<MaterializeResult> MaterializeFeatures(Session& session, const std::string& url,
                                                   std::optional<int64_t> start_us,
                                                   int64_t end_us,
                                                   const std::vector<std::string>& views,
                                                   bool expire = true);

// Checks `registry` against the session's catalog (each source exists and has the join keys,
// the timestamp fields and the features) and applies it. Throws InvalidInputError naming the
// view and the missing column.
void ApplyFeatureViews(Session& session, const online::FeatureRegistry& registry);

// CALL apply_feature_views(project => 'DIR' | yaml => 'TEXT')
Procedure ApplyFeatureViewsProcedure();

}  // namespace sluice
