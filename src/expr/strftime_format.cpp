#include "expr/strftime_format.h"

#include <fmt/format.h>

#include <string_view>

#include "common/error.h"
#include "types/date_time.h"

namespace sluice {

namespace {

constexpr int64_t kMicrosPerHour = 3600 * kMicrosPerSecond;
constexpr int64_t kMicrosPerMinute = 60 * kMicrosPerSecond;
constexpr std::string_view kPaddable = "dmyHIMSj";  // specifiers with a %-x form
constexpr std::string_view kSpecifiers = "aAwudbBhmyYGHIpMSfgnzZjUWVcxXeFT%";

const char* const kDays[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                             "Thursday", "Friday", "Saturday"};
const char* const kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                               "July",    "August",   "September", "October", "November",
                               "December"};

int64_t DayOfWeek(int64_t days) { return FloorMod(days + 4, 7); }  // 0 = Sunday

// The ISO-8601 year and week of a day: week 1 holds the year's first Thursday.
void IsoYearWeek(int64_t days, int64_t* year, int64_t* week) {
  const int64_t dow = DayOfWeek(days);
  const int64_t thursday = days - (dow == 0 ? 7 : dow) + 4;
  const CivilDate c = CivilFromDays(static_cast<int32_t>(thursday));
  *year = c.year;
  *week = (thursday - DaysFromCivil(c.year, 1, 1)) / 7 + 1;
}

// Week of the year whose weeks start on `first_day` (0 Sunday, 1 Monday); days before the
// first such day are in week 0 (%U, %W).
int64_t WeekStartingOn(int64_t days, int64_t day_of_year, int64_t first_day) {
  const int64_t dow = FloorMod(DayOfWeek(days) - first_day, 7);
  return (day_of_year - 1 + 7 - dow) / 7;
}

}  // namespace

std::vector<FormatPiece> ParseFormatPieces(std::string_view format) {
  std::vector<FormatPiece> pieces;
  std::string literal;
  for (size_t i = 0; i < format.size(); i++) {
    if (format[i] != '%') {
      literal += format[i];
      continue;
    }
    if (i + 1 >= format.size()) {
      throw InvalidInputError(fmt::format(
          "Failed to parse format specifier {}: Trailing format character %", format));
    }
    FormatPiece p;
    p.spec = format[++i];
    if (p.spec == '-') {
      if (i + 1 >= format.size() || kPaddable.find(format[i + 1]) == std::string_view::npos) {
        throw InvalidInputError(fmt::format(
            "Failed to parse format specifier {}: Unrecognized format for strftime/strptime: %-{}",
            format, i + 1 < format.size() ? std::string(1, format[i + 1]) : ""));
      }
      p.pad = false;
      p.spec = format[++i];
    }
    if (kSpecifiers.find(p.spec) == std::string_view::npos) {
      throw InvalidInputError(fmt::format(
          "Failed to parse format specifier {}: Unrecognized format for strftime/strptime: %{}",
          format, p.spec));
    }
    if (p.spec == '%') {
      literal += '%';
      continue;
    }
    if (!literal.empty()) {
      pieces.push_back(FormatPiece{0, true, std::move(literal)});
      literal.clear();
    }
    pieces.push_back(std::move(p));
  }
  if (!literal.empty()) pieces.push_back(FormatPiece{0, true, std::move(literal)});
  return pieces;
}

StrftimeFormat StrftimeFormat::Compile(std::string_view format) {
  StrftimeFormat f;
  f.pieces_ = ParseFormatPieces(format);
  return f;
}

void StrftimeFormat::Format(int64_t micros, std::string& out) const {
  const int64_t days = FloorDiv(micros, kMicrosPerDay);
  const int64_t time = micros - days * kMicrosPerDay;
  const CivilDate c = CivilFromDays(static_cast<int32_t>(days));
  const int64_t hour = time / kMicrosPerHour;
  const int64_t minute = time % kMicrosPerHour / kMicrosPerMinute;
  const int64_t second = time % kMicrosPerMinute / kMicrosPerSecond;
  const int64_t fraction = time % kMicrosPerSecond;
  const int64_t day_of_year = days - DaysFromCivil(c.year, 1, 1) + 1;
  out.clear();
  for (const FormatPiece& p : pieces_) {
    auto num = [&](int64_t v, int width) {
      if (p.pad) {
        fmt::format_to(std::back_inserter(out), "{:0{}}", v, width);
      } else {
        fmt::format_to(std::back_inserter(out), "{}", v);
      }
    };
    // Years 0..999 print with four digits (0080), as DuckDB does.
    auto year = [&](int64_t y) {
      if (y >= 0) {
        fmt::format_to(std::back_inserter(out), "{:04}", y);
      } else {
        fmt::format_to(std::back_inserter(out), "{}", y);
      }
    };
    auto date = [&] {
      year(c.year);
      fmt::format_to(std::back_inserter(out), "-{:02}-{:02}", c.month, c.day);
    };
    auto clock = [&] {
      fmt::format_to(std::back_inserter(out), "{:02}:{:02}:{:02}", hour, minute, second);
    };
    int64_t iso_year = 0, iso_week = 0;
    switch (p.spec) {
      case 0: out += p.literal; break;
      case 'a': out.append(kDays[DayOfWeek(days)], 3); break;
      case 'A': out += kDays[DayOfWeek(days)]; break;
      case 'w': num(DayOfWeek(days), 1); break;
      case 'u': num(DayOfWeek(days) == 0 ? 7 : DayOfWeek(days), 1); break;
      case 'd': num(c.day, 2); break;
      case 'e': fmt::format_to(std::back_inserter(out), "{:>2}", c.day); break;
      case 'b':
      case 'h': out.append(kMonths[c.month - 1], 3); break;
      case 'B': out += kMonths[c.month - 1]; break;
      case 'm': num(c.month, 2); break;
      case 'y': num(FloorMod(c.year, 100), 2); break;
      case 'Y': year(c.year); break;
      case 'G':
        IsoYearWeek(days, &iso_year, &iso_week);
        year(iso_year);
        break;
      case 'V':
        IsoYearWeek(days, &iso_year, &iso_week);
        num(iso_week, 2);
        break;
      case 'H': num(hour, 2); break;
      case 'I': num(hour % 12 == 0 ? 12 : hour % 12, 2); break;
      case 'p': out += hour < 12 ? "AM" : "PM"; break;
      case 'M': num(minute, 2); break;
      case 'S': num(second, 2); break;
      case 'f': num(fraction, 6); break;
      case 'g': num(fraction / 1000, 3); break;
      case 'n': num(fraction * 1000, 9); break;
      case 'z': out += "+00"; break;
      case 'Z': break;
      case 'j': num(day_of_year, 3); break;
      case 'U': num(WeekStartingOn(days, day_of_year, 0), 2); break;
      case 'W': num(WeekStartingOn(days, day_of_year, 1), 2); break;
      case 'c':
        date();
        out += ' ';
        clock();
        break;
      case 'x':
      case 'F': date(); break;
      case 'X':
      case 'T': clock(); break;
      default: SLUICE_CHECK(false, "unknown strftime piece {}", p.spec);
    }
  }
}

}  // namespace sluice
