#pragma once

#include <cstdint>
#include <string>

#include "stream/stream_source.h"

namespace sluice::stream {

// 'connector' = 'nexmark': the events of one Nexmark table ('table' = person, auction or
// bid) generated on the fly, the same as `sluice gen nexmark` writes (nexmark_generator.h).
// 'events' bounds the stream (the events of every table counted; 0 or absent: unbounded),
// 'events-per-second' spaces the event times (default 10000). One partition "0" whose
// offset is the number of the next event, so a restored job reads the same events again.
class NexmarkStreamSource : public StreamSource {
 public:
  // Throws InvalidInputError for a bad option.
  explicit NexmarkStreamSource(const SourceDefinition& def);

  void Poll(SourceOffsets& offsets, size_t max_records, std::vector<RawRecord>& out) override;
  std::string Describe() const override;

 private:
  int table_ = 2;       // 0 person, 1 auction, 2 bid
  int64_t events_ = 0;  // 0: unbounded
  int64_t step_us_ = 100;
};

}  // namespace sluice::stream
