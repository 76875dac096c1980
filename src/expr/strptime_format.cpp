#include "expr/strptime_format.h"

#include <fmt/format.h>

#include <cctype>

#include "types/date_time.h"

namespace sluice {

namespace {

const char* const kDays[] = {"sunday",   "monday", "tuesday", "wednesday",
                             "thursday", "friday", "saturday"};
const char* const kMonths[] = {"january", "february", "march",     "april",   "may",      "june",
                               "july",    "august",   "september", "october", "november",
                               "december"};

int64_t DayOfWeek(int64_t days) { return FloorMod(days + 4, 7); }  // 0 = Sunday

// The fields read so far; unset ones take the defaults of DuckDB (1900-01-01 00:00:00).
struct Fields {
  int64_t year = 1900, month = 1, day = 1;
  int64_t hour = 0, minute = 0, second = 0, micros = 0;
  int64_t offset_seconds = 0;  // %z, east of UTC
  std::optional<int64_t> day_of_year;
  std::optional<int64_t> iso_year, iso_week, week_sunday, week_monday;
  std::optional<int64_t> weekday;  // 0 = Sunday
  std::optional<bool> pm;
  bool twelve_hour = false;
};

// Reads the input left to right; every Read* returns false with `reason` set on a mismatch.
class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  size_t pos() const { return pos_; }
  bool AtEnd() const { return pos_ >= text_.size(); }
  void Advance(size_t n) { pos_ += n; }
  std::string reason;

  void SkipSpace() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) pos_++;
  }
  // An optional sign and 1..max_digits digits, within [lo, hi].
  bool Number(int max_digits, int64_t lo, int64_t hi, const char* what, int64_t& out,
              bool allow_sign = false) {
    bool negative = false;
    if (allow_sign && pos_ < text_.size() && (text_[pos_] == '-' || text_[pos_] == '+')) {
      negative = text_[pos_] == '-';
      pos_++;
    }
    int n = 0;
    out = 0;
    while (pos_ < text_.size() && n < max_digits &&
           std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
      out = out * 10 + (text_[pos_++] - '0');
      n++;
    }
    if (n == 0) {
      reason = fmt::format("Expected a number for {}", what);
      return false;
    }
    if (negative) out = -out;
    if (out < lo || out > hi) {
      reason = fmt::format("{} out of range, expected a value between {} and {}", what, lo, hi);
      return false;
    }
    return true;
  }
  // Digits of a fraction scaled to `width` digits (%f: 6, %g: 3, %n: 9).
  bool Fraction(int width, int64_t& out) {
    int n = 0;
    out = 0;
    while (pos_ < text_.size() && n < width && std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
      out = out * 10 + (text_[pos_++] - '0');
      n++;
    }
    if (n == 0) {
      reason = "Expected a number for the fraction of a second";
      return false;
    }
    for (; n < width; n++) out *= 10;
    return true;
  }
  // One of `names` (full, or its first three letters), case-insensitive; its index.
  bool Name(const char* const* names, int count, const char* what, int64_t& out) {
    for (int full = 1; full >= 0; full--) {
      for (int i = 0; i < count; i++) {
        const std::string_view name = names[i];
        const size_t len = full ? name.size() : 3;
        if (MatchesIgnoringCase(name.substr(0, len))) {
          pos_ += len;
          out = i;
          return true;
        }
      }
    }
    reason = fmt::format("Expected a {} name", what);
    return false;
  }
  bool MatchesIgnoringCase(std::string_view word) const {
    if (text_.size() - pos_ < word.size()) return false;
    for (size_t i = 0; i < word.size(); i++) {
      if (std::tolower(static_cast<unsigned char>(text_[pos_ + i])) != word[i]) return false;
    }
    return true;
  }
  bool Literal(char c) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      SkipSpace();
      return true;
    }
    if (pos_ < text_.size() && text_[pos_] == c) {
      pos_++;
      return true;
    }
    reason = "Literal does not match, expected " + std::string(1, c);
    return false;
  }
  // +HH[:MM], +HHMM, or Z.
  bool Offset(int64_t& seconds) {
    if (pos_ < text_.size() && (text_[pos_] == 'Z' || text_[pos_] == 'z')) {
      pos_++;
      seconds = 0;
      return true;
    }
    if (pos_ >= text_.size() || (text_[pos_] != '+' && text_[pos_] != '-')) {
      reason = "Expected +HH[MM] or -HH[MM]";
      return false;
    }
    const bool negative = text_[pos_++] == '-';
    int64_t hours = 0, minutes = 0;
    if (!TwoDigits(hours)) return false;
    if (pos_ < text_.size() && text_[pos_] == ':') pos_++;
    if (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
      if (!TwoDigits(minutes)) return false;
    }
    if (hours > 23 || minutes > 59) {
      reason = "Time zone offset out of range";
      return false;
    }
    seconds = (negative ? -1 : 1) * (hours * 3600 + minutes * 60);
    return true;
  }
  // A time zone name (%Z): letters, digits, '/', '_', '+', '-'; read and not applied.
  bool ZoneName() {
    const size_t start = pos_;
    while (pos_ < text_.size() &&
           (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '/' ||
            text_[pos_] == '_' || text_[pos_] == '+' || text_[pos_] == '-')) {
      pos_++;
    }
    if (pos_ == start) {
      reason = "Expected a time zone name";
      return false;
    }
    return true;
  }

 private:
  bool TwoDigits(int64_t& out) {
    if (text_.size() - pos_ < 2 || !std::isdigit(static_cast<unsigned char>(text_[pos_])) ||
        !std::isdigit(static_cast<unsigned char>(text_[pos_ + 1]))) {
      reason = "Expected two digits in the time zone offset";
      return false;
    }
    out = (text_[pos_] - '0') * 10 + (text_[pos_ + 1] - '0');
    pos_ += 2;
    return true;
  }
  std::string_view text_;
  size_t pos_ = 0;
};

// `number_follows`: the next piece is a number with no literal between, so a year takes
// four digits (as in "%Y%m%d") instead of as many as there are.
bool ReadSpec(char spec, Reader& r, Fields& f, bool number_follows = false);

bool ReadComposite(const char* format, Reader& r, Fields& f) {
  for (const char* c = format; *c != '\0'; c++) {
    if (*c == '%') {
      if (!ReadSpec(*++c, r, f)) return false;
    } else if (!r.Literal(*c)) {
      return false;
    }
  }
  return true;
}

bool ReadSpec(char spec, Reader& r, Fields& f, bool number_follows) {
  int64_t v = 0;
  const int year_digits = number_follows ? 4 : 7;
  switch (spec) {
    case 'a':
    case 'A': return r.Name(kDays, 7, "day", v);
    case 'w':
      if (!r.Number(1, 0, 6, "Weekday", v)) return false;
      f.weekday = v;
      return true;
    case 'u':
      if (!r.Number(1, 1, 7, "Weekday", v)) return false;
      f.weekday = v % 7;
      return true;
    case 'd':
    case 'e': return r.Number(2, 1, 31, "Day", f.day);
    case 'b':
    case 'B':
    case 'h':
      if (!r.Name(kMonths, 12, "month", v)) return false;
      f.month = v + 1;
      return true;
    case 'm': return r.Number(2, 1, 12, "Month", f.month);
    case 'y':
      if (!r.Number(2, 0, 99, "Year", v)) return false;
      f.year = v < 69 ? 2000 + v : 1900 + v;  // as POSIX and DuckDB pivot
      return true;
    case 'Y': return r.Number(year_digits, -kMaxYear, kMaxYear, "Year", f.year, true);
    case 'G':
      if (!r.Number(year_digits, -kMaxYear, kMaxYear, "ISO year", v, true)) return false;
      f.iso_year = v;
      return true;
    case 'V':
      if (!r.Number(2, 1, 53, "ISO week", v)) return false;
      f.iso_week = v;
      return true;
    case 'U':
      if (!r.Number(2, 0, 53, "Week", v)) return false;
      f.week_sunday = v;
      return true;
    case 'W':
      if (!r.Number(2, 0, 53, "Week", v)) return false;
      f.week_monday = v;
      return true;
    case 'H': return r.Number(2, 0, 23, "Hour", f.hour);
    case 'I':
      f.twelve_hour = true;
      return r.Number(2, 1, 12, "Hour", f.hour);
    case 'p':
      if (r.MatchesIgnoringCase("am") || r.MatchesIgnoringCase("pm")) {
        f.pm = r.MatchesIgnoringCase("pm");
        r.Advance(2);
        return true;
      }
      r.reason = "Expected AM/PM";
      return false;
    case 'M': return r.Number(2, 0, 59, "Minute", f.minute);
    case 'S': return r.Number(2, 0, 60, "Second", f.second);
    case 'f': return r.Fraction(6, f.micros);
    case 'g':
      if (!r.Fraction(3, v)) return false;
      f.micros = v * 1000;
      return true;
    case 'n':
      if (!r.Fraction(9, v)) return false;
      f.micros = v / 1000;  // TIMESTAMP keeps microseconds
      return true;
    case 'z': return r.Offset(f.offset_seconds);
    case 'Z': return r.ZoneName();
    case 'j':
      if (!r.Number(3, 1, 366, "Day of year", v)) return false;
      f.day_of_year = v;
      return true;
    case 'c': return ReadComposite("%Y-%m-%d %H:%M:%S", r, f);
    case 'x':
    case 'F': return ReadComposite("%Y-%m-%d", r, f);
    case 'X':
    case 'T': return ReadComposite("%H:%M:%S", r, f);
    default: break;
  }
  r.reason = fmt::format("Unsupported specifier %{}", spec);
  return false;
}

// The day number the fields name, or nullopt (with `reason`) when no such date exists.
std::optional<int64_t> ResolveDate(const Fields& f, std::string& reason) {
  auto civil = [&](int64_t y, int64_t m, int64_t d) -> std::optional<int64_t> {
    if (y < kMinYear || y > kMaxYear || d > DaysInMonth(static_cast<int32_t>(y), static_cast<int32_t>(m))) {
      reason = fmt::format("Date out of range: {}-{}-{}", y, m, d);
      return std::nullopt;
    }
    return DaysFromCivil(static_cast<int32_t>(y), static_cast<int32_t>(m), static_cast<int32_t>(d));
  };
  if (f.iso_year || f.iso_week) {
    const int64_t iso_year = f.iso_year.value_or(f.year);
    if (iso_year < kMinYear + 1 || iso_year > kMaxYear - 1) {
      reason = fmt::format("ISO year out of range: {}", iso_year);
      return std::nullopt;
    }
    const int64_t jan4 = DaysFromCivil(static_cast<int32_t>(iso_year), 1, 4);
    const int64_t jan4_iso_dow = DayOfWeek(jan4) == 0 ? 7 : DayOfWeek(jan4);
    const int64_t iso_dow = f.weekday ? (*f.weekday == 0 ? 7 : *f.weekday) : 1;
    return jan4 - jan4_iso_dow + 1 + (f.iso_week.value_or(1) - 1) * 7 + (iso_dow - 1);
  }
  if (f.day_of_year) {
    auto jan1 = civil(f.year, 1, 1);
    if (!jan1) return std::nullopt;
    if (*f.day_of_year > (IsLeapYear(static_cast<int32_t>(f.year)) ? 366 : 365)) {
      reason = fmt::format("Day of year out of range: {}", *f.day_of_year);
      return std::nullopt;
    }
    return *jan1 + *f.day_of_year - 1;
  }
  if (f.week_sunday || f.week_monday) {
    auto jan1 = civil(f.year, 1, 1);
    if (!jan1) return std::nullopt;
    const int64_t first_day = f.week_sunday ? 0 : 1;  // the weekday weeks start on
    const int64_t week = f.week_sunday ? *f.week_sunday : *f.week_monday;
    const int64_t first = *jan1 + FloorMod(first_day - DayOfWeek(*jan1), 7);
    const int64_t weekday = FloorMod(f.weekday.value_or(first_day) - first_day, 7);
    return first + (week - 1) * 7 + weekday;
  }
  return civil(f.year, f.month, f.day);
}

}  // namespace

StrptimeFormat StrptimeFormat::Compile(std::string_view format) {
  StrptimeFormat f;
  f.format_ = std::string(format);
  f.pieces_ = ParseFormatPieces(format);
  return f;
}

std::optional<int64_t> StrptimeFormat::Parse(std::string_view text, std::string* error,
                                             bool* out_of_range) const {
  Reader r(text);
  Fields f;
  auto fail = [&](const std::string& reason) -> std::optional<int64_t> {
    *error = fmt::format(
        "Could not parse string \"{}\" according to format specifier \"{}\"\n{}\n{}^\nError: {}",
        text, format_, text, std::string(r.pos(), ' '), reason);
    return std::nullopt;
  };
  *out_of_range = false;
  r.SkipSpace();  // leading whitespace is ignored; inside, only a space in the format skips it
  constexpr std::string_view kNumeric = "wudmyYGVUWHIMSjcxX";
  for (size_t i = 0; i < pieces_.size(); i++) {
    const FormatPiece& p = pieces_[i];
    bool ok = true;
    if (p.spec == 0) {
      for (char c : p.literal) {
        if (!(ok = r.Literal(c))) break;
      }
    } else {
      const bool number_follows =
          i + 1 < pieces_.size() && kNumeric.find(pieces_[i + 1].spec) != std::string_view::npos &&
          pieces_[i + 1].spec != 0;
      ok = ReadSpec(p.spec, r, f, number_follows);
    }
    if (!ok) return fail(r.reason);
  }
  r.SkipSpace();
  if (!r.AtEnd()) return fail("Full specifier did not match: trailing characters");
  std::string reason;
  const std::optional<int64_t> days = ResolveDate(f, reason);
  if (!days) {
    *out_of_range = true;
    *error = reason;
    return std::nullopt;
  }
  int64_t hour = f.hour;
  if (f.twelve_hour || f.pm) hour = hour % 12 + (f.pm.value_or(false) ? 12 : 0);
  const __int128 micros = __int128{*days} * kMicrosPerDay +
                          ((hour * 60 + f.minute) * 60 + f.second - f.offset_seconds) *
                              kMicrosPerSecond +
                          f.micros;
  if (!IsValidTimestamp(micros)) {
    *out_of_range = true;
    *error = "Date and time not in timestamp range";
    return std::nullopt;
  }
  return static_cast<int64_t>(micros);
}

}  // namespace sluice
