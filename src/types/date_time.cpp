#include "types/date_time.h"

#include <limits>

#include <fmt/format.h>

namespace sluice {

bool IsLeapYear(int32_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int32_t DaysInMonth(int32_t year, int32_t month) {
  static constexpr int32_t kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && IsLeapYear(year)) return 29;
  return kDays[month - 1];
}

// Counts days in 400-year eras starting on March 1st, so leap days fall at the end of a
// year and the month lengths become a simple linear formula.
int64_t DaysFromCivil(int32_t year, int32_t month, int32_t day) {
  const int64_t y = static_cast<int64_t>(year) - (month <= 2 ? 1 : 0);
  const int64_t era = FloorDiv(y, 400);
  const int64_t year_of_era = y - era * 400;
  const int64_t shifted_month = month > 2 ? month - 3 : month + 9;
  const int64_t day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
  const int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

CivilDate CivilFromDays(int32_t days) {
  const int64_t z = static_cast<int64_t>(days) + 719468;
  const int64_t era = FloorDiv(z, 146097);
  const int64_t day_of_era = z - era * 146097;
  const int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t mp = (5 * day_of_year + 2) / 153;
  const int32_t day = static_cast<int32_t>(day_of_year - (153 * mp + 2) / 5 + 1);
  const int32_t month = static_cast<int32_t>(mp < 10 ? mp + 3 : mp - 9);
  const int32_t year = static_cast<int32_t>(year_of_era + era * 400 + (month <= 2 ? 1 : 0));
  return {year, month, day};
}

std::optional<int64_t> DateToTimestamp(int64_t days) {
  const __int128 micros = static_cast<__int128>(days) * kMicrosPerDay;
  if (!IsValidTimestamp(micros)) return std::nullopt;
  return static_cast<int64_t>(micros);
}

namespace {

// Reads exactly `width` digits (or 1..width when !exact) at text[pos].
bool ReadDigits(std::string_view text, size_t& pos, int min_width, int max_width, int64_t& out) {
  int n = 0;
  out = 0;
  while (pos < text.size() && n < max_width && text[pos] >= '0' && text[pos] <= '9') {
    out = out * 10 + (text[pos] - '0');
    pos++;
    n++;
  }
  return n >= min_width;
}

bool ParseDatePart(std::string_view text, size_t& pos, int32_t& days) {
  bool negative = false;
  if (pos < text.size() && text[pos] == '-') {
    negative = true;
    pos++;
  }
  int64_t y, m, d;
  if (!ReadDigits(text, pos, 1, 7, y)) return false;
  if (pos >= text.size() || text[pos] != '-') return false;
  pos++;
  if (!ReadDigits(text, pos, 1, 2, m)) return false;
  if (pos >= text.size() || text[pos] != '-') return false;
  pos++;
  if (!ReadDigits(text, pos, 1, 2, d)) return false;
  if (negative) y = -y;
  // "0044-03-15 (BC)", as dates before year 1 are printed.
  constexpr std::string_view kBc = " (BC)";
  if (!negative && text.substr(pos, kBc.size()) == kBc) {
    pos += kBc.size();
    y = 1 - y;
  }
  if (y < kMinYear || y > kMaxYear || m < 1 || m > 12 || d < 1 ||
      d > DaysInMonth(static_cast<int32_t>(y), static_cast<int32_t>(m))) {
    return false;
  }
  const int64_t result =
      DaysFromCivil(static_cast<int32_t>(y), static_cast<int32_t>(m), static_cast<int32_t>(d));
  if (result < kMinDate || result > kMaxDate) return false;
  days = static_cast<int32_t>(result);
  return true;
}

// The fields of "H:M[:S[.ffffff]]" from text[pos], with fraction in micros (digits past the
// sixth are dropped, as DuckDB truncates them); advances pos past them.
struct TimeFields {
  int64_t hour = 0;
  int64_t minute = 0;
  int64_t second = 0;
  int64_t fraction = 0;
  int64_t Micros() const { return ((hour * 60 + minute) * 60 + second) * kMicrosPerSecond + fraction; }
};

bool ParseTimeFields(std::string_view text, size_t& pos, TimeFields& t) {
  if (!ReadDigits(text, pos, 1, 2, t.hour)) return false;
  if (pos >= text.size() || text[pos] != ':') return false;
  pos++;
  if (!ReadDigits(text, pos, 1, 2, t.minute)) return false;
  if (pos < text.size() && text[pos] == ':') {
    pos++;
    if (!ReadDigits(text, pos, 1, 2, t.second)) return false;
  }
  if (pos < text.size() && text[pos] == '.') {
    pos++;
    int digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 6) {
        t.fraction = t.fraction * 10 + (text[pos] - '0');
        digits++;
      }
      pos++;
    }
    if (digits == 0) return false;
    for (; digits < 6; digits++) t.fraction *= 10;
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<int32_t> ParseDate(std::string_view text) {
  text = Trim(text);
  size_t pos = 0;
  int32_t days;
  if (!ParseDatePart(text, pos, days) || pos != text.size()) return std::nullopt;
  return days;
}

std::optional<int64_t> ParseTimestampPrefix(std::string_view text, size_t& pos) {
  int32_t days;
  if (!ParseDatePart(text, pos, days)) return std::nullopt;
  const __int128 micros = static_cast<__int128>(days) * kMicrosPerDay;
  TimeFields t;
  if (pos < text.size() && (text[pos] == ' ' || text[pos] == 'T')) {
    size_t p = pos + 1;
    if (ParseTimeFields(text, p, t)) {
      if (t.hour > 24 || t.minute > 59 || t.second > 60) return std::nullopt;
      pos = p;
    }
  }
  const __int128 result = micros + t.Micros();
  if (!IsValidTimestamp(result)) return std::nullopt;
  return static_cast<int64_t>(result);
}

std::optional<int64_t> ParseTimestamp(std::string_view text) {
  text = Trim(text);
  size_t pos = 0;
  int32_t days;
  if (!ParseDatePart(text, pos, days)) return std::nullopt;
  // Computed in 128 bits: a DATE's day count times a day's micros passes int64 near year
  // 292000, and the result is range-checked at the end.
  const __int128 micros = static_cast<__int128>(days) * kMicrosPerDay;
  if (pos == text.size()) {
    if (!IsValidTimestamp(micros)) return std::nullopt;
    return static_cast<int64_t>(micros);
  }
  if (text[pos] != ' ' && text[pos] != 'T') return std::nullopt;
  pos++;
  TimeFields t;
  if (!ParseTimeFields(text, pos, t)) return std::nullopt;
  if (t.hour > 24 || t.minute > 59 || t.second > 60) return std::nullopt;
  // Accept a UTC designator; other offsets are not supported for TIMESTAMP.
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) pos++;
  else if (text.substr(pos) == "+00" || text.substr(pos) == "+00:00") pos = text.size();
  if (pos != text.size()) return std::nullopt;
  const __int128 result = micros + t.Micros();
  if (!IsValidTimestamp(result)) return std::nullopt;
  return static_cast<int64_t>(result);
}

std::optional<int64_t> ParseTime(std::string_view text) {
  text = Trim(text);
  size_t pos = 0;
  int32_t days;
  // A leading date is skipped, as DuckDB does ("2024-01-01 12:00:00" is 12:00:00).
  if (ParseDatePart(text, pos, days) && pos < text.size() && (text[pos] == ' ' || text[pos] == 'T')) {
    pos++;
  } else {
    pos = 0;
  }
  TimeFields t;
  if (!ParseTimeFields(text, pos, t)) return std::nullopt;
  // A zone offset is accepted and ignored (TIME carries no zone), as in DuckDB.
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    pos++;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    pos++;
    int64_t offset;
    if (!ReadDigits(text, pos, 1, 2, offset)) return std::nullopt;
    if (pos < text.size() && text[pos] == ':') {
      pos++;
      if (!ReadDigits(text, pos, 2, 2, offset)) return std::nullopt;
    }
  }
  if (pos != text.size() || t.minute > 59 || t.second > 59) return std::nullopt;
  const int64_t micros = t.Micros();
  if (micros > kMicrosPerDay) return std::nullopt;
  return micros;
}

std::string FormatTime(int64_t micros) {
  const int64_t fraction = micros % kMicrosPerSecond;
  const int64_t seconds = micros / kMicrosPerSecond;
  std::string out =
      fmt::format("{:02}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60);
  if (fraction != 0) {
    std::string f = fmt::format("{:06}", fraction);
    while (f.back() == '0') f.pop_back();
    out += "." + f;
  }
  return out;
}

std::string FormatDate(int32_t days) {
  const CivilDate c = CivilFromDays(days);
  // Year 0 is 1 BC (astronomical numbering, as DuckDB prints it).
  if (c.year <= 0) return fmt::format("{:04}-{:02}-{:02} (BC)", -c.year + 1, c.month, c.day);
  return fmt::format("{:04}-{:02}-{:02}", c.year, c.month, c.day);
}

std::string FormatTimestamp(int64_t micros) {
  const int64_t days = FloorDiv(micros, kMicrosPerDay);
  return FormatDate(static_cast<int32_t>(days)) + " " + FormatTime(micros - days * kMicrosPerDay);
}

}  // namespace sluice
