#include "expr/statement_time.h"

#include <chrono>
#include <limits>

namespace sluice {
namespace {

constexpr int64_t kUnpinned = std::numeric_limits<int64_t>::min();
thread_local int64_t pinned_micros = kUnpinned;

int64_t ClockMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

int64_t StatementNowMicros() {
  return pinned_micros != kUnpinned ? pinned_micros : ClockMicros();
}

StatementTimeScope::StatementTimeScope() : owner_(pinned_micros == kUnpinned) {
  if (owner_) pinned_micros = ClockMicros();
}

StatementTimeScope::~StatementTimeScope() {
  if (owner_) pinned_micros = kUnpinned;
}

}  // namespace sluice
