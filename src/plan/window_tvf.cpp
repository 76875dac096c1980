#include "plan/window_tvf.h"

namespace sluice {

const char* WindowTvf::KindName(Kind kind) {
  switch (kind) {
    case Kind::kTumble: return "TUMBLE";
    case Kind::kHop: return "HOP";
    case Kind::kCumulate: return "CUMULATE";
    case Kind::kSession: return "SESSION";
  }
  return "?";
}

int64_t WindowTvf::AlignedStart(int64_t ts, int64_t length) const {
  int64_t rem = (ts - offset) % length;
  if (rem < 0) rem += length;
  return ts - rem;
}

int64_t WindowTvf::LastWindowEnd(int64_t ts) const {
  switch (kind) {
    case Kind::kTumble:
    case Kind::kCumulate: return AlignedStart(ts, size) + size;
    case Kind::kHop: return AlignedStart(ts, step) + size;
    case Kind::kSession: return ts + size;
  }
  return ts;
}

}  // namespace sluice
