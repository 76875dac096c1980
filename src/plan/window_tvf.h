#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sluice {

// What a window table function (Flink's TUMBLE, HOP, CUMULATE, SESSION) assigns rows to:
// the binder builds its plan from it, and a streaming job reads it to know when a window is
// complete (its end at or below the watermark) and whether a row arrives too late.
// Times are microseconds since the epoch; window ends are exclusive.
struct WindowTvf {
  enum class Kind : uint8_t { kTumble, kHop, kCumulate, kSession };
  Kind kind = Kind::kTumble;
  std::string time_column;  // the DESCRIPTOR column
  int64_t size = 0;         // TUMBLE / HOP size, CUMULATE max size, SESSION gap
  int64_t step = 0;         // HOP slide, CUMULATE step (0 otherwise)
  int64_t offset = 0;       // shifts window starts (TUMBLE, HOP, CUMULATE)
  std::vector<std::string> partition_by;  // SESSION keys (SQL text of each)

  static const char* KindName(Kind kind);
  // The start of the window of length `length` holding `ts`, with this offset (floor).
  int64_t AlignedStart(int64_t ts, int64_t length) const;
  // The largest end of a window holding a row at `ts`: once the watermark reaches it, every
  // window of the row has been emitted. For SESSION, the end of the row's own session if no
  // later row extends it (ts + gap).
  int64_t LastWindowEnd(int64_t ts) const;
  // The most a window can reach back from its end: rows older than watermark - Span() can
  // belong to no window still open.
  int64_t Span() const { return size; }
};

}  // namespace sluice
