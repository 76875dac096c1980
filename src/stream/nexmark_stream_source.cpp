#include "stream/nexmark_stream_source.h"

#include <fmt/format.h>

#include "common/error.h"
#include "stream/nexmark_generator.h"

namespace sluice::stream {

namespace {

int64_t NonNegative(const SourceDefinition& def, const std::string& key, int64_t fallback) {
  const std::string text = def.Option(key);
  if (text.empty()) return fallback;
  try {
    size_t used = 0;
    const int64_t v = std::stoll(text, &used);
    if (used == text.size() && v >= 0) return v;
  } catch (const std::exception&) {
  }
  throw InvalidInputError(
      fmt::format("table {}: option '{}' = '{}' is not a non-negative integer", def.name, key, text));
}

}  // namespace

NexmarkStreamSource::NexmarkStreamSource(const SourceDefinition& def) {
  const std::string table = def.Option("table", "bid");
  if (table == "person") {
    table_ = 0;
  } else if (table == "auction") {
    table_ = 1;
  } else if (table != "bid") {
    throw InvalidInputError(fmt::format(
        "table {}: option 'table' = '{}' is not a Nexmark table (person, auction, bid)",
        def.name, table));
  }
  events_ = NonNegative(def, "events", 0);
  step_us_ = NexmarkStepUs(NonNegative(def, "events-per-second", 10000));
}

void NexmarkStreamSource::Poll(SourceOffsets& offsets, size_t max_records,
                               std::vector<RawRecord>& out) {
  std::string& offset = offsets["0"];
  int64_t n = offset.empty() ? 0 : std::stoll(offset);
  constexpr int64_t kFirstEventUs = NexmarkOptions{}.first_event_us;
  fmt::memory_buffer line;
  size_t taken = 0;
  while (taken < max_records && (events_ == 0 || n < events_)) {
    line.clear();
    const int64_t event = n++;
    if (NexmarkEvent(event, kFirstEventUs, step_us_, line) != table_) continue;
    out.push_back(RawRecord{"0", std::to_string(event), fmt::to_string(line)});
    taken++;
  }
  offset = std::to_string(n);
}

std::string NexmarkStreamSource::Describe() const {
  static constexpr const char* kTables[] = {"person", "auction", "bid"};
  return fmt::format("nexmark '{}'{}", kTables[table_],
                     events_ > 0 ? fmt::format(" ({} events)", events_) : std::string());
}

}  // namespace sluice::stream
