#include "types/time_zone.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>

#include <fmt/format.h>

#include "common/error.h"
#include "common/strings.h"
#include "types/date_time.h"

namespace sluice {

namespace {

constexpr const char* kZoneDirectory = "/usr/share/zoneinfo/";
constexpr int64_t kSecondsPerDay = 86400;

uint32_t BigEndian32(const std::string& data, size_t pos) {
  return (static_cast<uint32_t>(static_cast<uint8_t>(data[pos])) << 24) |
         (static_cast<uint32_t>(static_cast<uint8_t>(data[pos + 1])) << 16) |
         (static_cast<uint32_t>(static_cast<uint8_t>(data[pos + 2])) << 8) |
         static_cast<uint32_t>(static_cast<uint8_t>(data[pos + 3]));
}

int64_t BigEndian64(const std::string& data, size_t pos) {
  return static_cast<int64_t>((static_cast<uint64_t>(BigEndian32(data, pos)) << 32) |
                              BigEndian32(data, pos + 4));
}

// Whether `name` can only name a file under the zone directory (no "..", no absolute path).
bool IsSafeZoneName(const std::string& name) {
  if (name.empty() || name.front() == '/' || name.find("..") != std::string::npos) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '/' || c == '_' || c == '-' ||
           c == '+';
  });
}

// A reader of a POSIX TZ string (the TZif footer): "EST5EDT,M3.2.0,M11.1.0", "<+0530>-5:30".
class PosixReader {
 public:
  explicit PosixReader(std::string_view text) : text_(text) {}
  bool Done() const { return pos_ >= text_.size(); }
  bool Accept(char c) {
    if (pos_ < text_.size() && text_[pos_] == c) {
      pos_++;
      return true;
    }
    return false;
  }
  char Peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  bool Name(std::string& out) {
    if (Accept('<')) {
      const size_t end = text_.find('>', pos_);
      if (end == std::string_view::npos) return false;
      out = std::string(text_.substr(pos_, end - pos_));
      pos_ = end + 1;
      return true;
    }
    const size_t start = pos_;
    while (pos_ < text_.size() && std::isalpha(static_cast<unsigned char>(text_[pos_]))) pos_++;
    out = std::string(text_.substr(start, pos_ - start));
    return out.size() >= 3;
  }
  bool Number(int& out) {
    if (!std::isdigit(static_cast<unsigned char>(Peek()))) return false;
    out = 0;
    while (std::isdigit(static_cast<unsigned char>(Peek()))) out = out * 10 + (text_[pos_++] - '0');
    return true;
  }
  // [+-]h[:mm[:ss]] in seconds.
  bool Time(int32_t& out) {
    const bool negative = Accept('-');
    if (!negative) Accept('+');
    int h = 0, m = 0, s = 0;
    if (!Number(h)) return false;
    if (Accept(':') && !Number(m)) return false;
    if (Accept(':') && !Number(s)) return false;
    out = (h * 3600 + m * 60 + s) * (negative ? -1 : 1);
    return true;
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

// Reads TZif files into TimeZones (a friend, so TimeZone keeps its fields private).
class TimeZoneLoader {
 public:
  static std::unique_ptr<TimeZone> Utc() {
    auto zone = std::unique_ptr<TimeZone>(new TimeZone("UTC"));
    zone->types_.push_back({0, false, "UTC"});
    return zone;
  }

  // Null when the file is missing or not a TZif file.
  static std::unique_ptr<TimeZone> Load(const std::string& name) {
    if (!IsSafeZoneName(name)) return nullptr;
    std::ifstream in(kZoneDirectory + name, std::ios::binary);
    if (!in) return nullptr;
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string data = buffer.str();
    auto zone = std::unique_ptr<TimeZone>(new TimeZone(name));
    if (!Parse(data, *zone)) return nullptr;
    return zone;
  }

 private:
  static bool Parse(const std::string& data, TimeZone& zone) {
    if (data.size() < 44 || data.compare(0, 4, "TZif") != 0) return false;
    size_t pos = 0;
    bool wide = false;
    if (data[4] >= '2') {
      // Skip the 32-bit block: the 64-bit one after it covers every instant.
      if (!ReadBlock(data, pos, false, nullptr)) return false;
      wide = true;
    }
    if (!ReadBlock(data, pos, wide, &zone)) return false;
    if (zone.types_.empty()) return false;
    if (wide && pos < data.size() && data[pos] == '\n') {
      const size_t end = data.find('\n', pos + 1);
      if (end != std::string::npos && end > pos + 1) {
        zone.has_footer_ = ParseFooter(data.substr(pos + 1, end - pos - 1), zone);
      }
    }
    return true;
  }

  // One header plus data block from data[pos]; advances pos past it. Fills `zone` if given.
  static bool ReadBlock(const std::string& data, size_t& pos, bool wide, TimeZone* zone) {
    if (pos + 44 > data.size()) return false;
    const uint32_t isutcnt = BigEndian32(data, pos + 20), isstdcnt = BigEndian32(data, pos + 24),
                   leapcnt = BigEndian32(data, pos + 28), timecnt = BigEndian32(data, pos + 32),
                   typecnt = BigEndian32(data, pos + 36), charcnt = BigEndian32(data, pos + 40);
    pos += 44;
    const size_t time_size = wide ? 8 : 4;
    const size_t size = timecnt * time_size + timecnt + typecnt * 6 + charcnt +
                        leapcnt * (time_size + 4) + isstdcnt + isutcnt;
    if (pos + size > data.size()) return false;
    if (zone != nullptr) {
      size_t p = pos;
      for (uint32_t i = 0; i < timecnt; i++, p += time_size) {
        zone->transitions_.push_back(wide ? BigEndian64(data, p)
                                          : static_cast<int32_t>(BigEndian32(data, p)));
      }
      for (uint32_t i = 0; i < timecnt; i++, p++) {
        const auto type = static_cast<uint8_t>(data[p]);
        if (type >= typecnt) return false;
        zone->transition_types_.push_back(type);
      }
      const size_t chars = p + typecnt * 6;
      for (uint32_t i = 0; i < typecnt; i++, p += 6) {
        TimeZone::Period period;
        period.offset = static_cast<int32_t>(BigEndian32(data, p));
        period.dst = data[p + 4] != 0;
        const auto index = static_cast<uint8_t>(data[p + 5]);
        if (index < charcnt) period.abbreviation = std::string(data.c_str() + chars + index);
        zone->types_.push_back(period);
      }
    }
    pos += size;
    return true;
  }

  static bool ParseRule(PosixReader& r, TimeZone::Rule& rule) {
    if (r.Accept('M')) {
      rule.kind = 'M';
      if (!r.Number(rule.month) || !r.Accept('.') || !r.Number(rule.week) || !r.Accept('.') ||
          !r.Number(rule.weekday)) {
        return false;
      }
    } else {
      rule.kind = r.Accept('J') ? 'J' : 'N';
      if (!r.Number(rule.day)) return false;
    }
    rule.time = 7200;
    if (r.Accept('/') && !r.Time(rule.time)) return false;
    return true;
  }

  static bool ParseFooter(const std::string& text, TimeZone& zone) {
    PosixReader r(text);
    int32_t west = 0;
    if (!r.Name(zone.std_.abbreviation) || !r.Time(west)) return false;
    zone.std_.offset = -west;
    if (r.Done()) return true;
    if (!r.Name(zone.dst_.abbreviation)) return false;
    zone.dst_.dst = true;
    zone.dst_.offset = zone.std_.offset + 3600;
    if (r.Peek() != ',' && !r.Done()) {
      if (!r.Time(west)) return false;
      zone.dst_.offset = -west;
    }
    if (!r.Accept(',') || !ParseRule(r, zone.start_) || !r.Accept(',') ||
        !ParseRule(r, zone.end_) || !r.Done()) {
      return false;
    }
    zone.has_dst_ = true;
    return true;
  }
};

const TimeZone& TimeZone::Utc() {
  static const TimeZone* utc = TimeZoneLoader::Utc().release();
  return *utc;
}

const TimeZone& TimeZone::Find(const std::string& name) {
  const std::string lower = ToLower(name);
  if (lower == "utc" || lower == "etc/utc" || lower == "gmt" || lower == "z" || lower == "zulu") {
    return Utc();
  }
  static std::mutex mu;
  static auto* zones = new std::map<std::string, std::unique_ptr<TimeZone>>();
  std::lock_guard<std::mutex> lock(mu);
  auto it = zones->find(name);
  if (it != zones->end()) return *it->second;
  std::unique_ptr<TimeZone> zone = TimeZoneLoader::Load(name);
  if (zone == nullptr) throw InvalidInputError(fmt::format("Unknown TimeZone '{}'", name));
  auto& slot = (*zones)[name];
  slot = std::move(zone);
  return *slot;
}

int64_t TimeZone::RuleInstant(const Rule& rule, int32_t year, int32_t offset) {
  int64_t day = 0;
  if (rule.kind == 'M') {
    const int64_t first = DaysFromCivil(year, rule.month, 1);
    const int64_t first_weekday = FloorMod(first + 4, 7);  // 1970-01-01 was a Thursday
    day = first + FloorMod(rule.weekday - first_weekday, 7) + (rule.week - 1) * 7;
    const int64_t month_end = first + DaysInMonth(year, rule.month) - 1;
    while (day > month_end) day -= 7;
  } else if (rule.kind == 'J') {
    day = DaysFromCivil(year, 1, 1) + rule.day - 1;
    if (IsLeapYear(year) && rule.day >= 60) day++;
  } else {
    day = DaysFromCivil(year, 1, 1) + rule.day;
  }
  return day * kSecondsPerDay + rule.time - offset;
}

const TimeZone::Period& TimeZone::FooterPeriodAt(int64_t utc_seconds) const {
  if (!has_dst_) return std_;
  const int64_t local_day = FloorDiv(utc_seconds + std_.offset, kSecondsPerDay);
  const int32_t year = CivilFromDays(static_cast<int32_t>(
                                         std::clamp<int64_t>(local_day, kMinDate, kMaxDate)))
                           .year;
  const int64_t start = RuleInstant(start_, year, std_.offset);
  const int64_t end = RuleInstant(end_, year, dst_.offset);
  const bool in_dst = start < end ? (utc_seconds >= start && utc_seconds < end)
                                  : !(utc_seconds >= end && utc_seconds < start);
  return in_dst ? dst_ : std_;
}

const TimeZone::Period& TimeZone::PeriodAt(int64_t utc_seconds) const {
  if (transitions_.empty()) return has_footer_ ? FooterPeriodAt(utc_seconds) : types_[0];
  if (utc_seconds < transitions_.front()) return types_[0];
  if (utc_seconds >= transitions_.back() && has_footer_) return FooterPeriodAt(utc_seconds);
  const auto it = std::upper_bound(transitions_.begin(), transitions_.end(), utc_seconds);
  return types_[transition_types_[static_cast<size_t>(it - transitions_.begin()) - 1]];
}

int32_t TimeZone::OffsetAt(int64_t utc_seconds) const { return PeriodAt(utc_seconds).offset; }

std::string TimeZone::AbbreviationAt(int64_t utc_seconds) const {
  return PeriodAt(utc_seconds).abbreviation;
}

int64_t TimeZone::LocalToUtc(int64_t local_seconds) const {
  const int32_t before = OffsetAt(local_seconds - kSecondsPerDay);
  const int32_t after = OffsetAt(local_seconds + kSecondsPerDay);
  if (before == after) return local_seconds - before;
  const int64_t with_before = local_seconds - before, with_after = local_seconds - after;
  const bool before_valid = OffsetAt(with_before) == before;
  const bool after_valid = OffsetAt(with_after) == after;
  if (before_valid && after_valid) return std::max(with_before, with_after);
  if (after_valid) return with_after;
  return with_before;
}

}  // namespace sluice
