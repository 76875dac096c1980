#include "stream/nexmark_generator.h"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <vector>

#include "common/error.h"
#include "types/value.h"

namespace sluice::stream {

namespace {

constexpr int64_t kProportionTotal = 50;  // 1 person, 3 auctions, 46 bids
constexpr int64_t kFirstId = 1000;
constexpr int64_t kHotAuctionRatio = 100;
constexpr int64_t kHotBidderRatio = 100;
constexpr int64_t kRecentAuctions = 100;
constexpr int64_t kRecentPeople = 1000;
constexpr int64_t kFirstCategory = 10;
constexpr int64_t kCategories = 5;

constexpr std::array<const char*, 6> kFirstNames = {"Peter", "Paul", "Luke", "John", "Saul",
                                                     "Vicky"};
constexpr std::array<const char*, 6> kLastNames = {"Shultz", "Abrams", "Spencer", "White",
                                                    "Bartels", "Walton"};
constexpr std::array<const char*, 6> kCities = {"Phoenix", "Los Angeles", "San Francisco",
                                                 "Boise", "Portland", "Bend"};
constexpr std::array<const char*, 6> kStates = {"AZ", "CA", "ID", "OR", "WA", "WY"};

// SplitMix64 of (seed, event): each event's draws depend on its number alone.
class EventRandom {
 public:
  // The seed is mixed so that neighbouring events' sequences do not overlap.
  explicit EventRandom(int64_t event) : state_(Mix(static_cast<uint64_t>(event) + 7)) {}
  uint64_t Next() { return Mix(state_ += 0x9E3779B97F4A7C15ULL); }
  int64_t Below(int64_t n) { return static_cast<int64_t>(Next() % static_cast<uint64_t>(n)); }
  double Unit() { return static_cast<double>(Next() >> 11) / 9007199254740992.0; }
  std::string Letters(int n) {
    std::string s;
    for (int i = 0; i < n; i++) s += static_cast<char>('a' + Below(26));
    return s;
  }

 private:
  static uint64_t Mix(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

  uint64_t state_;
};

int64_t LastPerson(int64_t event) { return event / kProportionTotal; }
int64_t LastAuction(int64_t event) {
  const int64_t epoch = event / kProportionTotal;
  const int64_t offset = event % kProportionTotal;
  return epoch * 3 + std::min<int64_t>(std::max<int64_t>(offset - 1, -1), 2);
}
int64_t Price(EventRandom& r) { return std::llround(std::pow(10.0, r.Unit() * 6.0) * 100.0); }

}  // namespace

int NexmarkEvent(int64_t n, int64_t first_event_us, int64_t step_us, fmt::memory_buffer& line) {
  EventRandom r(n);
  const int64_t offset = n % kProportionTotal;
  const std::string time = Value::Timestamp(first_event_us + n * step_us).ToString();
  int table = 2;
  if (offset == 0) {
    table = 0;
          const int64_t id = kFirstId + LastPerson(n);
    const int64_t state = r.Below(kStates.size());
    fmt::format_to(std::back_inserter(line),
                   R"({{"id": {}, "name": "{} {}", "emailAddress": "{}@{}.com", "creditCard": "{:04} {:04} {:04} {:04}", "city": "{}", "state": "{}", "dateTime": "{}", "extra": ""}})",
                   id, kFirstNames[r.Below(kFirstNames.size())],
                   kLastNames[r.Below(kLastNames.size())], r.Letters(7), r.Letters(5),
                   r.Below(10000), r.Below(10000), r.Below(10000), r.Below(10000),
                   kCities[r.Below(kCities.size())], kStates[state], time);
  } else if (offset <= 3) {
    table = 1;
          const int64_t id = kFirstId + LastAuction(n);
    const int64_t initial = Price(r);
    const int64_t people = LastPerson(n) + 1;
    const int64_t seller =
        kFirstId + (r.Below(4) == 0 ? (people - 1) / kHotBidderRatio * kHotBidderRatio
                                    : std::max<int64_t>(0, people - 1 - r.Below(std::min(people, kRecentPeople))));
    const std::string expires =
        Value::Timestamp(first_event_us + n * step_us + (1 + r.Below(20)) * 1000000).ToString();
    fmt::format_to(std::back_inserter(line),
                   R"({{"id": {}, "itemName": "{}", "description": "{}", "initialBid": {}, "reserve": {}, "dateTime": "{}", "expires": "{}", "seller": {}, "category": {}, "extra": ""}})",
                   id, r.Letters(10), r.Letters(20), initial, initial + Price(r), time, expires,
                   seller, kFirstCategory + r.Below(kCategories));
  } else {
          const int64_t auctions = LastAuction(n) + 1;
    const int64_t people = LastPerson(n) + 1;
    const int64_t auction =
        kFirstId + (r.Below(2) == 0 ? (auctions - 1) / kHotAuctionRatio * kHotAuctionRatio
                                    : std::max<int64_t>(0, auctions - 1 - r.Below(std::min(auctions, kRecentAuctions))));
    const int64_t bidder =
        kFirstId + (r.Below(4) == 0 ? (people - 1) / kHotBidderRatio * kHotBidderRatio
                                    : std::max<int64_t>(0, people - 1 - r.Below(std::min(people, kRecentPeople))));
    const int64_t channel = r.Below(10000);
    fmt::format_to(std::back_inserter(line),
                   R"({{"auction": {}, "bidder": {}, "price": {}, "channel": "channel-{}", "url": "https://www.nexmark.com/{}/item.htm?query=1&channel_id={}", "dateTime": "{}", "extra": ""}})",
                   auction, bidder, Price(r), channel, r.Letters(5), channel, time);
  }
  return table;
}

NexmarkCounts GenerateNexmark(const NexmarkOptions& o) {
  namespace fs = std::filesystem;
  struct FileCloser {
    void operator()(FILE* f) const { std::fclose(f); }
  };
  std::vector<std::unique_ptr<FILE, FileCloser>> files;
  for (const char* table : {"person", "auction", "bid"}) {
    fs::create_directories(fs::path(o.directory) / table);
    for (int p = 0; p < o.partitions; p++) {
      const std::string path = fmt::format("{}/{}/part-{}.jsonl", o.directory, table, p);
      FILE* f = std::fopen(path.c_str(), "w");
      if (f == nullptr) throw IOError(fmt::format("cannot write '{}'", path));
      files.emplace_back(f);
    }
  }
  NexmarkCounts counts;
  const int64_t step_us = NexmarkStepUs(o.events_per_second);
  fmt::memory_buffer line;
  for (int64_t n = 0; n < o.events; n++) {
    line.clear();
    const int table = NexmarkEvent(n, o.first_event_us, step_us, line);
    (table == 0 ? counts.persons : table == 1 ? counts.auctions : counts.bids)++;
    line.push_back('\n');
    FILE* f = files[static_cast<size_t>(table * o.partitions + n % o.partitions)].get();
    if (std::fwrite(line.data(), 1, line.size(), f) != line.size()) {
      throw IOError(fmt::format("cannot write Nexmark events to '{}'", o.directory));
    }
    counts.bytes += static_cast<int64_t>(line.size());
  }
  return counts;
}

std::string NexmarkDdl(const std::string& dir) {
  return fmt::format(R"(CREATE TABLE IF NOT EXISTS person (id BIGINT, name VARCHAR, emailAddress VARCHAR,
  creditCard VARCHAR, city VARCHAR, state VARCHAR, dateTime TIMESTAMP(3), extra VARCHAR,
  WATERMARK FOR dateTime AS dateTime - INTERVAL '4' SECOND)
  WITH ('connector' = 'filesystem', 'path' = '{0}/person', 'format' = 'json');
CREATE TABLE IF NOT EXISTS auction (id BIGINT, itemName VARCHAR, description VARCHAR,
  initialBid BIGINT, reserve BIGINT, dateTime TIMESTAMP(3), expires TIMESTAMP(3), seller BIGINT,
  category BIGINT, extra VARCHAR,
  WATERMARK FOR dateTime AS dateTime - INTERVAL '4' SECOND)
  WITH ('connector' = 'filesystem', 'path' = '{0}/auction', 'format' = 'json');
CREATE TABLE IF NOT EXISTS bid (auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR,
  url VARCHAR, dateTime TIMESTAMP(3), extra VARCHAR,
  WATERMARK FOR dateTime AS dateTime - INTERVAL '4' SECOND)
  WITH ('connector' = 'filesystem', 'path' = '{0}/bid', 'format' = 'json');
)",
                     dir);
}

}  // namespace sluice::stream
