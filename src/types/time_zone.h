#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sluice {

// One IANA time zone read from the system's TZif file (/usr/share/zoneinfo, Debian tzdata):
// the UTC offset and abbreviation in force at any instant, and the instant a local wall-clock
// time names. Instants past the file's last transition follow its POSIX TZ rule footer.
// Immutable after loading; thread-safe.
class TimeZone {
 public:
  // The zone named `name` ("America/New_York", "UTC", "Etc/GMT+5"); loaded once per process
  // and kept for its life. Throws InvalidInputError naming the zone when it is unknown.
  static const TimeZone& Find(const std::string& name);
  static const TimeZone& Utc();

  const std::string& name() const { return name_; }
  // The offset from UTC (seconds, east positive) in force at `utc_seconds`.
  int32_t OffsetAt(int64_t utc_seconds) const;
  // The abbreviation in force at `utc_seconds` ("EST", "CEST", "+0530").
  std::string AbbreviationAt(int64_t utc_seconds) const;
  // The UTC instant of local time `local_seconds`. As ICU (and DuckDB) do, a time skipped by a
  // forward jump is read with the offset before the jump (02:30 on a spring-forward night is
  // 03:30 daylight time) and a time that occurs twice is its first occurrence.
  int64_t LocalToUtc(int64_t local_seconds) const;

  // One offset period: a POSIX rule's standard or daylight half, or a TZif local time type.
  struct Period {
    int32_t offset = 0;
    bool dst = false;
    std::string abbreviation;
  };

 private:
  explicit TimeZone(std::string name) : name_(std::move(name)) {}
  friend class TimeZoneLoader;

  // A POSIX TZ string's daylight-saving rule (e.g. "M3.2.0/2"): month, week (5 = last),
  // weekday, or a Julian day; the transition time in local seconds.
  struct Rule {
    char kind = 'M';  // 'M' month.week.day, 'J' 1..365 without Feb 29, 'N' 0..365
    int month = 0, week = 0, weekday = 0, day = 0;
    int32_t time = 7200;
  };
  // The UTC second of the rule's transition in `year`, with `offset` in force before it.
  static int64_t RuleInstant(const Rule& rule, int32_t year, int32_t offset);
  const Period& FooterPeriodAt(int64_t utc_seconds) const;
  const Period& PeriodAt(int64_t utc_seconds) const;

  std::string name_;
  std::vector<int64_t> transitions_;  // UTC seconds, ascending
  std::vector<uint8_t> transition_types_;
  std::vector<Period> types_;
  // The footer: standard time, and daylight time with its start and end rules when has_dst_.
  Period std_, dst_;
  bool has_footer_ = false;
  bool has_dst_ = false;
  Rule start_, end_;
};

}  // namespace sluice
