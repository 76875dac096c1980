#pragma once

#include <cstdint>
#include <algorithm>
#include <string>

#include <fmt/format.h>

namespace sluice::stream {

struct NexmarkOptions {
  int64_t events = 1000000;
  std::string directory;          // writes <dir>/person, <dir>/auction, <dir>/bid
  int64_t events_per_second = 10000;  // event time advances 1 / rate per event
  int partitions = 1;             // files per table, events dealt round robin
  int64_t first_event_us = 1704067200000000;  // 2024-01-01 00:00:00
};

struct NexmarkCounts {
  int64_t persons = 0, auctions = 0, bids = 0, bytes = 0;
};

// The Nexmark benchmark's events (persons, auctions, bids; Tucker et al., as the Beam and
// Flink generators model them): event n is a person when n % 50 == 0, an auction when
// n % 50 is 1..3, else a bid; ids are dense from 1000; half the bids go to hot auctions
// (ids that are multiples of 100 among the recent ones) and a quarter come from hot
// bidders; prices are log-distributed. Written as JSON lines (dateTime as TIMESTAMP text)
// with the Flink Nexmark column names. Deterministic: the same options give the same bytes.
// Throws IOError when a file cannot be written.
NexmarkCounts GenerateNexmark(const NexmarkOptions& options);

// Event n as one JSON object (no newline) appended to `line`; returns its table: 0 person,
// 1 auction, 2 bid. Its time is first_event_us + n * step_us.
int NexmarkEvent(int64_t n, int64_t first_event_us, int64_t step_us, fmt::memory_buffer& line);
// The microseconds between events at `events_per_second` (at least 1).
inline int64_t NexmarkStepUs(int64_t events_per_second) {
  return events_per_second >= 1000000 ? 1 : 1000000 / std::max<int64_t>(1, events_per_second);
}

// CREATE TABLE statements (connector 'filesystem') for the three tables written to `dir`,
// with a watermark 4 s behind dateTime as Flink's Nexmark declares it.
std::string NexmarkDdl(const std::string& dir);

}  // namespace sluice::stream
