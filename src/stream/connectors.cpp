// The connectors of the stream module, and the bounded read a batch query of a table over a
// stream uses: every record there now, decoded (a bad record fails the query, naming it).
#include <fmt/format.h>

#include <mutex>

#include "common/error.h"
#include "io/memory_table.h"
#include "stream/file_stream_source.h"
#include "stream/kafka_stream_source.h"
#include "stream/nexmark_stream_source.h"
#include "stream/record_decoder.h"
#include "stream/redis_stream_source.h"
#include "stream/stream_source.h"
#include "vector/value_rows.h"

namespace sluice::stream {

namespace {

constexpr size_t kPollRecords = 100000;

std::shared_ptr<const DataSource> OpenBounded(const SourceDefinition& def) {
  std::unique_ptr<StreamSource> source = OpenStreamSource(def);
  const RecordDecoder decoder(def.schema, def.Option("format", "json"));
  SourceOffsets offsets;
  std::vector<std::vector<Value>> rows;
  std::vector<Value> row;
  std::string error;
  while (true) {
    std::vector<RawRecord> records;
    source->Poll(offsets, kPollRecords, records);
    if (records.empty()) break;
    for (const RawRecord& r : records) {
      if (!decoder.Decode(r.payload, row, error)) {
        throw InvalidInputError(fmt::format(
            "table {}: bad record in partition {} at offset {}: {} (a streaming job sends such "
            "records to {}_dead_letter)",
            def.name, r.partition, r.offset, error, def.name));
      }
      rows.push_back(row);
    }
  }
  return std::make_shared<MemoryTable>(def.schema, BatchesFromRows(def.schema, rows));
}

// A batch read of a Nexmark table reads a bounded number of events.
std::shared_ptr<const DataSource> OpenBoundedNexmark(const SourceDefinition& def) {
  if (def.Option("events").empty() || def.Option("events") == "0") {
    throw InvalidInputError(fmt::format(
        "table {} is an unbounded Nexmark stream: a batch query needs its 'events' option",
        def.name));
  }
  return OpenBounded(def);
}

}  // namespace

std::unique_ptr<StreamSource> OpenStreamSource(const SourceDefinition& def) {
  const std::string& connector = def.connector();
  if (connector == "filesystem") {
    return std::make_unique<FileStreamSource>(def.Option("path"), def.Option("format", "json"));
  }
  if (connector == "kafka") return std::make_unique<KafkaStreamSource>(def);
  if (connector == "redis-stream") return std::make_unique<RedisStreamSource>(def);
  if (connector == "nexmark") return std::make_unique<NexmarkStreamSource>(def);
  throw InvalidInputError(fmt::format("connector '{}' cannot be streamed", connector));
}

namespace {

void RegisterConnectorsOnce() {
  const std::vector<std::string> common = {"format", "scan.startup.mode", "scan.idle-timeout"};
  auto with = [&](std::vector<std::string> extra) {
    extra.insert(extra.end(), common.begin(), common.end());
    return extra;
  };
  Connectors().Register(Connector{"filesystem", {"path"}, with({}), OpenBounded});
  Connectors().Register(Connector{"kafka",
                                  {"topic", "properties.bootstrap.servers"},
                                  with({"properties.*"}),
                                  OpenBounded});
  Connectors().Register(Connector{"redis-stream", {"stream"}, with({"address"}), OpenBounded});
  Connectors().Register(
      Connector{"nexmark", {}, with({"table", "events", "events-per-second"}), OpenBoundedNexmark});
}

}  // namespace

void RegisterConnectors() {
  static std::once_flag once;  // registering again would replace connectors in use
  std::call_once(once, RegisterConnectorsOnce);
}

}  // namespace sluice::stream
