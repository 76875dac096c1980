#pragma once

#include <cstdint>

namespace sluice {

// The instant now(), current_timestamp and current_date return, in microseconds since the
// epoch: pinned while a StatementTimeScope is open on this thread, so that every call in one
// statement sees the same time (DuckDB's transaction time), else the clock.
int64_t StatementNowMicros();

// Pins StatementNowMicros for the calling thread (where a statement is optimized, which folds
// those calls to constants) until destroyed. Nested scopes keep the outermost time.
class StatementTimeScope {
 public:
  StatementTimeScope();
  ~StatementTimeScope();
  StatementTimeScope(const StatementTimeScope&) = delete;
  StatementTimeScope& operator=(const StatementTimeScope&) = delete;

 private:
  bool owner_;
};

}  // namespace sluice
