#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "catalog/source_definition.h"

namespace sluice::stream {

// Where a source has read to: partition name -> the position of its next record, as text
// the source understands ("1024" bytes into a file, a Kafka offset, a Redis entry id). A
// partition absent from the map starts where 'scan.startup.mode' says.
using SourceOffsets = std::map<std::string, std::string>;

// One record as it arrived: its bytes, and where it came from (for dead letters).
struct RawRecord {
  std::string partition;
  std::string offset;   // the record's own position
  std::string payload;  // a JSON object or a CSV line
};

// A stream of records with replayable offsets: reading again from saved offsets returns the
// same records in the same order per partition. Not thread-safe; one job polls it.
class StreamSource {
 public:
  virtual ~StreamSource() = default;
  // Appends to `out` up to `max_records` records after `offsets`, advancing `offsets` past
  // them; also records every partition it knows in `offsets` (new files, Kafka partitions)
  // so that quiet ones take part in the watermark. Returns without waiting when nothing is
  // new. Throws IOError when the stream cannot be reached.
  virtual void Poll(SourceOffsets& offsets, size_t max_records, std::vector<RawRecord>& out) = 0;
  // "kafka topic 'bids' at 127.0.0.1:9092".
  virtual std::string Describe() const = 0;
};

// The source for `def`'s connector (filesystem, kafka, redis-stream, nexmark). Throws
// InvalidInputError for a connector this module does not read.
std::unique_ptr<StreamSource> OpenStreamSource(const SourceDefinition& def);

// Registers the connectors with the catalog's registry (catalog/source_definition.h), so
// that CREATE TABLE ... WITH ('connector' = ...) and batch reads of such tables work.
// Idempotent; called by the sluice command at startup.
void RegisterConnectors();

}  // namespace sluice::stream
