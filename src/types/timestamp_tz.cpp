#include "types/timestamp_tz.h"

#include <atomic>
#include <cctype>

#include <fmt/format.h>

#include "types/date_time.h"

namespace sluice {

namespace {

std::atomic<const TimeZone*>& CurrentZoneSlot() {
  static std::atomic<const TimeZone*> zone{&TimeZone::Utc()};
  return zone;
}

int64_t FloorSeconds(int64_t micros) { return FloorDiv(micros, kMicrosPerSecond); }

// Reads "hh", "hh:mm[:ss]" or "hhmm" after a sign; seconds east of UTC (sign applied).
bool ParseOffset(std::string_view text, size_t pos, int32_t& offset) {
  const bool negative = text[pos] == '-';
  pos++;
  auto two = [&](int& out) {
    if (pos + 2 > text.size() || !std::isdigit(static_cast<unsigned char>(text[pos])) ||
        !std::isdigit(static_cast<unsigned char>(text[pos + 1]))) {
      return false;
    }
    out = (text[pos] - '0') * 10 + (text[pos + 1] - '0');
    pos += 2;
    return true;
  };
  int h = 0, m = 0, s = 0;
  if (!two(h)) return false;
  if (pos < text.size() && text[pos] == ':') {
    pos++;
    if (!two(m)) return false;
    if (pos < text.size() && text[pos] == ':') {
      pos++;
      if (!two(s)) return false;
    }
  } else if (pos < text.size() && !two(m)) {
    return false;
  }
  while (pos < text.size() && text[pos] == ' ') pos++;
  if (pos != text.size() || h > 23 || m > 59 || s > 59) return false;
  offset = (h * 3600 + m * 60 + s) * (negative ? -1 : 1);
  return true;
}

}  // namespace

const TimeZone& CurrentTimeZone() { return *CurrentZoneSlot().load(); }

void SetCurrentTimeZone(const TimeZone& zone) { CurrentZoneSlot().store(&zone); }

std::optional<int64_t> UtcToLocal(int64_t utc, const TimeZone& zone) {
  const __int128 local =
      static_cast<__int128>(utc) + static_cast<__int128>(zone.OffsetAt(FloorSeconds(utc))) * kMicrosPerSecond;
  if (!IsValidTimestamp(local)) return std::nullopt;
  return static_cast<int64_t>(local);
}

std::optional<int64_t> LocalToUtc(int64_t local, const TimeZone& zone) {
  const int64_t seconds = FloorSeconds(local);
  const __int128 utc = static_cast<__int128>(zone.LocalToUtc(seconds)) * kMicrosPerSecond +
                       (local - seconds * kMicrosPerSecond);
  if (!IsValidTimestamp(utc)) return std::nullopt;
  return static_cast<int64_t>(utc);
}

std::optional<int64_t> ParseTimestampTz(std::string_view text, const TimeZone& session) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  size_t pos = 0;
  const std::optional<int64_t> local = ParseTimestampPrefix(text, pos);
  if (!local) return std::nullopt;
  while (pos < text.size() && text[pos] == ' ') pos++;
  if (pos == text.size()) return LocalToUtc(*local, session);
  if ((text[pos] == 'Z' || text[pos] == 'z') && pos + 1 == text.size()) return *local;
  if (text[pos] == '+' || text[pos] == '-') {
    int32_t offset = 0;
    if (!ParseOffset(text, pos, offset)) return std::nullopt;
    const __int128 utc = static_cast<__int128>(*local) - static_cast<__int128>(offset) * kMicrosPerSecond;
    if (!IsValidTimestamp(utc)) return std::nullopt;
    return static_cast<int64_t>(utc);
  }
  if (!std::isalpha(static_cast<unsigned char>(text[pos]))) return std::nullopt;
  return LocalToUtc(*local, TimeZone::Find(std::string(text.substr(pos))));
}

std::string FormatUtcOffset(int32_t seconds) {
  const char sign = seconds < 0 ? '-' : '+';
  const int32_t minutes = (seconds < 0 ? -seconds : seconds) / 60;
  if (minutes % 60 == 0) return fmt::format("{}{:02}", sign, minutes / 60);
  return fmt::format("{}{:02}:{:02}", sign, minutes / 60, minutes % 60);
}

std::string FormatTimestampTz(int64_t utc, const TimeZone& zone) {
  const int32_t offset = zone.OffsetAt(FloorSeconds(utc));
  const std::optional<int64_t> local = UtcToLocal(utc, zone);
  if (!local) return FormatTimestamp(utc) + "+00";
  return FormatTimestamp(*local) + FormatUtcOffset(offset);
}


std::optional<int64_t> TimestampToTz(int64_t local) { return LocalToUtc(local, CurrentTimeZone()); }

std::optional<int64_t> TzToTimestamp(int64_t utc) { return UtcToLocal(utc, CurrentTimeZone()); }

std::optional<int64_t> DateToTz(int32_t days) {
  const std::optional<int64_t> local = DateToTimestamp(days);
  if (!local) return std::nullopt;
  return TimestampToTz(*local);
}

std::optional<int32_t> TzToDate(int64_t utc) {
  const std::optional<int64_t> local = TzToTimestamp(utc);
  if (!local) return std::nullopt;
  return static_cast<int32_t>(FloorDiv(*local, kMicrosPerDay));
}

}  // namespace sluice
