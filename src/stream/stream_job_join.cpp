// The interval join step of StreamJob (stream_job.h): two sources' rows kept as keyed
// state while they may still match, new pairs found each step by the batch plan of the
// job's query, unmatched rows of outer joins emitted when the watermark passes their bound.
#include "stream/stream_job.h"

namespace sluice::stream {

void StreamJob::StepJoin(std::vector<std::vector<Batch>>& fresh, bool drained, int64_t now) {
  const IntervalBounds& bounds = join_->bounds;
  std::vector<Batch>& left = StateOf(0).buffer;
  std::vector<Batch>& right = StateOf(1).buffer;
  std::vector<Batch>& new_left = fresh[0];
  std::vector<Batch>& new_right = fresh[1];
  const int left_time = sources_[0].time_index;
  const int right_time = sources_[1].time_index;
  // The joined rows go to the sink through the job's query, or wait for their windows.
  auto emit = [&](const sql::QueryNode& query, const Inputs& inputs) {
    if (windowed_) {
      for (Batch& b : RowsWhere(ExecuteOver(query, inputs), joined_time_index_,
                                [](int64_t) { return true; })) {
        state_.joined.push_back(std::move(b));  // a NULL time is in no window
      }
      return;
    }
    auto& pending = state_.pending[sink_];
    for (Batch& b : RunQuery(query, inputs, 0, 0, false)) pending.push_back(std::move(b));
  };
  // Each pair is found once, in the step where its later row arrives: the new left rows
  // meet every right row, the old left rows meet the new right rows. Both rows are on time,
  // so the earlier one is still in the state (a row leaves only once the watermark passes
  // the last time a partner may have; a partner arriving after that is late).
  std::vector<Batch> all_right = right;
  for (const Batch& b : new_right) all_right.push_back(b);
  if (!new_left.empty() && !all_right.empty()) emit(*pairs_query_, {&new_left, &all_right});
  if (!new_right.empty() && !left.empty()) emit(*pairs_query_, {&left, &new_right});
  const int64_t watermark = drained ? INT64_MAX : Watermark(now);
  state_.watermark = watermark;
  const int64_t fired = state_.fired_watermark;
  // Rows whose last possible partner time the watermark has reached are final: in an outer
  // join, those without a partner are emitted now, once (older rows in (fired, watermark],
  // new rows whose bound the watermark had already passed when they came).
  auto expired = [&](const std::vector<Batch>& old_rows, const std::vector<Batch>& new_rows,
                     int time_index, int64_t (IntervalBounds::*expiry)(int64_t) const) {
    std::vector<Batch> out = RowsWhere(old_rows, time_index, [&](int64_t ts) {
      const int64_t e = (bounds.*expiry)(ts);
      return e > fired && e <= watermark;
    });
    for (Batch& b : RowsWhere(new_rows, time_index,
                              [&](int64_t ts) { return (bounds.*expiry)(ts) <= watermark; })) {
      out.push_back(std::move(b));
    }
    return out;
  };
  std::vector<Batch> final_left, final_right;
  if (bounds.left_outer) {
    final_left = expired(left, new_left, left_time, &IntervalBounds::LeftExpiry);
  }
  if (bounds.right_outer) {
    final_right = expired(right, new_right, right_time, &IntervalBounds::RightExpiry);
  }
  for (Batch& b : new_left) left.push_back(std::move(b));
  right = std::move(all_right);
  std::vector<Batch> none;
  if (!final_left.empty()) {
    std::vector<Batch> unmatched = Unmatched(0, final_left, right);
    if (!unmatched.empty()) emit(*unmatched_query_, {&unmatched, &none});
  }
  if (!final_right.empty()) {
    std::vector<Batch> unmatched = Unmatched(1, final_right, left);
    if (!unmatched.empty()) emit(*unmatched_query_, {&none, &unmatched});
  }
  state_.fired_watermark = std::max(fired, watermark);
  // The state keeps only rows that may still match (or, in an outer join, that a row of
  // the other side not yet final may still need to find).
  left =
      RowsWhere(left, left_time, [&](int64_t ts) { return bounds.LeftKeepUntil(ts) > watermark; });
  right = RowsWhere(right, right_time,
                    [&](int64_t ts) { return bounds.RightKeepUntil(ts) > watermark; });
  if (windowed_) FireJoined(fired, watermark);
}

void StreamJob::FireJoined(int64_t before, int64_t watermark) {
  auto trailing = [&](int64_t w) {
    return w == INT64_MIN || w == INT64_MAX ? w : w - joined_delay_;
  };
  const int64_t after = trailing(before), upto = trailing(watermark);
  if (upto <= after) return;
  Inputs inputs(sources_.size(), nullptr);
  inputs.push_back(&state_.joined);
  auto& pending = state_.pending[sink_];
  for (Batch& b : RunQuery(*window_query_, inputs, after, upto, true)) {
    pending.push_back(std::move(b));
  }
  // Joined rows whose every window has been emitted are no longer needed.
  state_.joined = RowsWhere(state_.joined, joined_time_index_,
                            [&](int64_t ts) { return window_.LastWindowEnd(ts) > upto; });
}

std::vector<Batch> StreamJob::Unmatched(int side, const std::vector<Batch>& rows,
                                        const std::vector<Batch>& other) {
  if (other.empty()) return rows;
  const Inputs inputs = side == 0 ? Inputs{&rows, &other} : Inputs{&other, &rows};
  return ExecuteOver(*anti_query_[side], inputs);
}

}  // namespace sluice::stream
