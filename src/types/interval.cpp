#include "types/interval.h"

#include <cctype>
#include <string>

#include <fmt/format.h>

#include "types/date_time.h"

namespace sluice {

int64_t Interval::NormalizedMicros() const {
  return (static_cast<int64_t>(months) * 30 + days) * kMicrosPerDay + micros;
}

std::optional<Interval> MakeInterval(int64_t amount, std::string_view raw_unit) {
  std::string unit;
  for (char c : raw_unit) unit += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (unit.size() > 1 && unit.back() == 's') unit.pop_back();
  Interval r;
  if (unit == "year" || unit == "y" || unit == "yr") r.months = static_cast<int32_t>(amount * 12);
  else if (unit == "month" || unit == "mon") r.months = static_cast<int32_t>(amount);
  else if (unit == "week" || unit == "w") r.days = static_cast<int32_t>(amount * 7);
  else if (unit == "day" || unit == "d") r.days = static_cast<int32_t>(amount);
  else if (unit == "hour" || unit == "h" || unit == "hr") r.micros = amount * 3600 * kMicrosPerSecond;
  else if (unit == "minute" || unit == "min" || unit == "m") r.micros = amount * 60 * kMicrosPerSecond;
  else if (unit == "second" || unit == "sec" || unit == "s") r.micros = amount * kMicrosPerSecond;
  else if (unit == "millisecond" || unit == "ms") r.micros = amount * 1000;
  else if (unit == "microsecond" || unit == "us") r.micros = amount;
  else
    return std::nullopt;
  return r;
}

std::optional<Interval> ParseInterval(std::string_view text) {
  Interval total;
  size_t pos = 0;
  bool any = false;
  auto skip_space = [&] {
    while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos]))) pos++;
  };
  skip_space();
  while (pos < text.size()) {
    bool negative = false;
    if (text[pos] == '-' || text[pos] == '+') {
      negative = text[pos] == '-';
      pos++;
    }
    size_t start = pos;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) pos++;
    if (start == pos) return std::nullopt;
    int64_t amount = std::stoll(std::string(text.substr(start, pos - start)));
    if (pos < text.size() && text[pos] == ':') {
      // hh:mm[:ss]
      int64_t parts[3] = {amount, 0, 0};
      int n = 1;
      while (pos < text.size() && text[pos] == ':' && n < 3) {
        pos++;
        size_t s = pos;
        while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) pos++;
        if (s == pos) return std::nullopt;
        parts[n++] = std::stoll(std::string(text.substr(s, pos - s)));
      }
      int64_t micros = ((parts[0] * 60 + parts[1]) * 60 + parts[2]) * kMicrosPerSecond;
      total.micros += negative ? -micros : micros;
      any = true;
      skip_space();
      continue;
    }
    if (negative) amount = -amount;
    skip_space();
    size_t unit_start = pos;
    while (pos < text.size() && std::isalpha(static_cast<unsigned char>(text[pos]))) pos++;
    auto part = MakeInterval(amount, text.substr(unit_start, pos - unit_start));
    if (!part) return std::nullopt;
    total.months += part->months;
    total.days += part->days;
    total.micros += part->micros;
    any = true;
    skip_space();
  }
  if (!any) return std::nullopt;
  return total;
}

std::string FormatInterval(const Interval& v) {
  std::string out;
  auto add = [&](int64_t n, const char* unit) {
    if (n == 0) return;
    if (!out.empty()) out += ' ';
    out += fmt::format("{} {}{}", n, unit, (n == 1 || n == -1) ? "" : "s");
  };
  add(v.months / 12, "year");
  add(v.months % 12, "month");
  add(v.days, "day");
  if (v.micros != 0) {
    int64_t m = v.micros;
    std::string sign = m < 0 ? "-" : "";
    if (m < 0) m = -m;
    const int64_t secs = m / kMicrosPerSecond;
    const int64_t frac = m % kMicrosPerSecond;
    if (!out.empty()) out += ' ';
    out += fmt::format("{}{:02}:{:02}:{:02}", sign, secs / 3600, secs / 60 % 60, secs % 60);
    if (frac != 0) {
      std::string f = fmt::format("{:06}", frac);
      while (f.back() == '0') f.pop_back();
      out += "." + f;
    }
  }
  if (out.empty()) out = "00:00:00";
  return out;
}

int32_t AddInterval(int32_t date, const Interval& interval) {
  int32_t result = date;
  if (interval.months != 0) {
    CivilDate c = CivilFromDays(date);
    int64_t month_index = static_cast<int64_t>(c.year) * 12 + (c.month - 1) + interval.months;
    const int32_t year = static_cast<int32_t>(FloorDiv(month_index, 12));
    const int32_t month = static_cast<int32_t>(FloorMod(month_index, 12) + 1);
    const int32_t day = std::min(c.day, DaysInMonth(year, month));
    result = DaysFromCivil(year, month, day);
  }
  result += interval.days;
  result += static_cast<int32_t>(FloorDiv(interval.micros, kMicrosPerDay));
  return result;
}

int64_t AddIntervalToTimestamp(int64_t micros, const Interval& interval) {
  const int64_t days = FloorDiv(micros, kMicrosPerDay);
  const int64_t time = micros - days * kMicrosPerDay;
  Interval date_part{interval.months, interval.days, 0};
  const int64_t new_days = AddInterval(static_cast<int32_t>(days), date_part);
  return new_days * kMicrosPerDay + time + interval.micros;
}

}  // namespace sluice
