#include "types/interval.h"

#include <algorithm>
#include <cctype>
#include <limits>
#include <string>

#include <fmt/format.h>

#include "common/error.h"
#include "types/date_time.h"

namespace sluice {

namespace {

using int128 = __int128;

// One unit of an interval text, as months, days and micros.
struct IntervalUnit {
  const char* name;
  int64_t months;
  int64_t days;
  int64_t micros;
};

constexpr IntervalUnit kUnits[] = {
    {"millennium", 12000, 0, 0}, {"millennia", 12000, 0, 0}, {"mil", 12000, 0, 0},
    {"century", 1200, 0, 0},     {"centuries", 1200, 0, 0},  {"c", 1200, 0, 0},
    {"decade", 120, 0, 0},       {"dec", 120, 0, 0},         {"year", 12, 0, 0},
    {"y", 12, 0, 0},             {"yr", 12, 0, 0},           {"quarter", 3, 0, 0},
    {"month", 1, 0, 0},          {"mon", 1, 0, 0},           {"week", 0, 7, 0},
    {"w", 0, 7, 0},              {"day", 0, 1, 0},           {"d", 0, 1, 0},
    {"hour", 0, 0, 3600 * kMicrosPerSecond},                 {"h", 0, 0, 3600 * kMicrosPerSecond},
    {"hr", 0, 0, 3600 * kMicrosPerSecond},                   {"minute", 0, 0, 60 * kMicrosPerSecond},
    {"min", 0, 0, 60 * kMicrosPerSecond},                    {"m", 0, 0, 60 * kMicrosPerSecond},
    {"second", 0, 0, kMicrosPerSecond},                      {"sec", 0, 0, kMicrosPerSecond},
    {"s", 0, 0, kMicrosPerSecond},                           {"millisecond", 0, 0, 1000},
    {"msec", 0, 0, 1000},        {"ms", 0, 0, 1000},         {"microsecond", 0, 0, 1},
    {"usec", 0, 0, 1},           {"us", 0, 0, 1},
};

const IntervalUnit* FindUnit(std::string_view raw) {
  std::string unit;
  for (char c : raw) unit += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (int pass = 0; pass < 2; pass++) {
    for (const IntervalUnit& u : kUnits) {
      if (unit == u.name) return &u;
    }
    if (unit.size() < 2 || unit.back() != 's') break;
    unit.pop_back();  // "days" -> "day"
  }
  return nullptr;
}

[[noreturn]] void ThrowOutOfRange() { throw OutOfRangeError("interval value is out of range"); }

// Sums the parts of an interval text in 128 bits, so that no term can overflow; Finish()
// checks that the total fits.
class IntervalSum {
 public:
  // Adds (whole + frac / 10^frac_digits) units, negated when `negative`, carrying a fraction
  // as DuckDB does: of a year (decade, ...) into whole months only; of a quarter or month
  // into months, then whole days (30 to the month); of a week or day into days, then micros;
  // of a time unit into micros, rounded half to even.
  void Add(const IntervalUnit& u, int128 whole, int128 frac, int frac_digits, bool negative) {
    int128 scale = 1;
    for (int i = 0; i < frac_digits; i++) scale *= 10;
    const int sign = negative ? -1 : 1;
    months_ += sign * whole * u.months;
    days_ += sign * whole * u.days;
    const int128 frac_months = frac * u.months;  // over `scale`
    months_ += sign * (frac_months / scale);
    if (u.months > 0 && u.months < 12) days_ += sign * (frac_months % scale * 30 / scale);
    const int128 frac_days = frac * u.days;
    days_ += sign * (frac_days / scale);
    // The tie goes to the even total, so the whole micros take part in the rounding.
    const int128 whole_micros = whole * u.micros;
    const int128 n = frac_days % scale * kMicrosPerDay + frac * u.micros;
    int128 q = n / scale;
    const int128 r = n % scale;
    if (r * 2 > scale || (r * 2 == scale && (whole_micros + q) % 2 != 0)) q++;
    micros_ += sign * (whole_micros + q);
    Check();
  }
  void AddMicros(int128 micros) {
    micros_ += micros;
    Check();
  }
  Interval Finish() const {
    if (months_ < std::numeric_limits<int32_t>::min() ||
        months_ > std::numeric_limits<int32_t>::max() ||
        days_ < std::numeric_limits<int32_t>::min() || days_ > std::numeric_limits<int32_t>::max() ||
        micros_ < std::numeric_limits<int64_t>::min() ||
        micros_ > std::numeric_limits<int64_t>::max()) {
      ThrowOutOfRange();
    }
    return Interval{static_cast<int32_t>(months_), static_cast<int32_t>(days_),
                    static_cast<int64_t>(micros_)};
  }

 private:
  // Keeps the running sums far from the 128-bit limits whatever the number of terms.
  void Check() const {
    constexpr int128 kLimit = int128{1} << 100;
    if (months_ > kLimit || months_ < -kLimit || days_ > kLimit || days_ < -kLimit ||
        micros_ > kLimit || micros_ < -kLimit) {
      ThrowOutOfRange();
    }
  }
  int128 months_ = 0;
  int128 days_ = 0;
  int128 micros_ = 0;
};

// Reads digits at text[pos] into `value` (saturating far above any valid amount); returns
// how many digits were read.
int ReadNumber(std::string_view text, size_t& pos, int128& value, int max_keep = 40) {
  int n = 0;
  value = 0;
  while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
    if (n < max_keep) value = value * 10 + (text[pos] - '0');
    pos++;
    n++;
  }
  if (n > 20 && max_keep == 40) ThrowOutOfRange();
  return n;
}

}  // namespace

int128 Interval::NormalizedMicros128() const {
  return (int128{months} * 30 + days) * kMicrosPerDay + micros;
}

int64_t Interval::NormalizedMicros() const {
  const int128 v = NormalizedMicros128();
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  return v > kMax ? kMax : v < kMin ? kMin : static_cast<int64_t>(v);
}

std::optional<Interval> MakeInterval(int64_t amount, std::string_view unit) {
  const IntervalUnit* u = FindUnit(unit);
  if (u == nullptr) return std::nullopt;
  IntervalSum sum;
  sum.Add(*u, amount, 0, 0, false);
  return sum.Finish();
}

std::optional<Interval> ParseInterval(std::string_view text) {
  IntervalSum sum;
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
    int128 whole = 0, frac = 0;
    const int whole_digits = ReadNumber(text, pos, whole);
    int frac_digits = 0;
    if (pos < text.size() && text[pos] == '.') {
      pos++;
      frac_digits = std::min(ReadNumber(text, pos, frac, 18), 18);
    }
    if (whole_digits == 0 && frac_digits == 0) return std::nullopt;
    if (pos < text.size() && text[pos] == ':') {
      if (frac_digits != 0) return std::nullopt;
      // hh:mm[:ss[.ffffff]]
      int128 minutes = 0, seconds = 0, fraction = 0;
      int fraction_digits = 0;
      pos++;
      if (ReadNumber(text, pos, minutes) == 0) return std::nullopt;
      if (pos < text.size() && text[pos] == ':') {
        pos++;
        if (ReadNumber(text, pos, seconds) == 0) return std::nullopt;
        if (pos < text.size() && text[pos] == '.') {
          pos++;
          fraction_digits = std::min(ReadNumber(text, pos, fraction, 6), 6);
        }
      }
      for (int i = fraction_digits; i < 6; i++) fraction *= 10;
      const int128 micros = ((whole * 60 + minutes) * 60 + seconds) * kMicrosPerSecond + fraction;
      sum.AddMicros(negative ? -micros : micros);
      any = true;
      skip_space();
      continue;
    }
    skip_space();
    const size_t unit_start = pos;
    while (pos < text.size() && std::isalpha(static_cast<unsigned char>(text[pos]))) pos++;
    const IntervalUnit* unit = FindUnit(text.substr(unit_start, pos - unit_start));
    if (unit == nullptr) return std::nullopt;
    sum.Add(*unit, whole, frac, frac_digits, negative);
    any = true;
    skip_space();
  }
  if (!any) return std::nullopt;
  return sum.Finish();
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
    // In unsigned arithmetic: the magnitude of INT64_MIN does not fit an int64.
    const bool negative = v.micros < 0;
    const uint64_t m = negative ? 0 - static_cast<uint64_t>(v.micros) : v.micros;
    const uint64_t secs = m / kMicrosPerSecond;
    const uint64_t frac = m % kMicrosPerSecond;
    if (!out.empty()) out += ' ';
    out += fmt::format("{}{:02}:{:02}:{:02}", negative ? "-" : "", secs / 3600, secs / 60 % 60,
                       secs % 60);
    if (frac != 0) {
      std::string f = fmt::format("{:06}", frac);
      while (f.back() == '0') f.pop_back();
      out += "." + f;
    }
  }
  if (out.empty()) out = "00:00:00";
  return out;
}

std::optional<int64_t> AddMonthsAndDays(int64_t days, int64_t months, int64_t add_days) {
  int64_t result = days;
  if (months != 0) {
    const CivilDate c = CivilFromDays(static_cast<int32_t>(days));
    const int64_t month_index = int64_t{c.year} * 12 + (c.month - 1) + months;
    const int64_t year = FloorDiv(month_index, 12);
    if (year < kMinYear || year > kMaxYear) return std::nullopt;
    const int32_t month = static_cast<int32_t>(FloorMod(month_index, 12) + 1);
    const int32_t y = static_cast<int32_t>(year);
    result = DaysFromCivil(y, month, std::min(c.day, DaysInMonth(y, month)));
  }
  result += add_days;
  if (result < kMinDate || result > kMaxDate) return std::nullopt;
  return result;
}

std::optional<int64_t> AddIntervalToTimestamp(int64_t micros, const Interval& interval) {
  const int64_t days = FloorDiv(micros, kMicrosPerDay);
  const int64_t time = micros - days * kMicrosPerDay;
  const std::optional<int64_t> new_days = AddMonthsAndDays(days, interval.months, interval.days);
  if (!new_days) return std::nullopt;
  const int128 result = int128{*new_days} * kMicrosPerDay + time + interval.micros;
  if (result < kMinTimestamp || result > kMaxTimestamp) return std::nullopt;
  return static_cast<int64_t>(result);
}

namespace {

template <typename T>
T CheckedField(T a, T b, bool subtract) {
  T r;
  if (subtract ? __builtin_sub_overflow(a, b, &r) : __builtin_add_overflow(a, b, &r)) {
    throw OutOfRangeError(fmt::format("Overflow in {} of {} ({} {} {})!",
                                      subtract ? "subtraction" : "addition",
                                      sizeof(T) == 4 ? "INT32" : "INT64", a, subtract ? '-' : '+',
                                      b));
  }
  return r;
}

}  // namespace

Interval AddIntervals(const Interval& a, const Interval& b) {
  return Interval{CheckedField(a.months, b.months, false), CheckedField(a.days, b.days, false),
                  CheckedField(a.micros, b.micros, false)};
}

Interval SubtractIntervals(const Interval& a, const Interval& b) {
  return Interval{CheckedField(a.months, b.months, true), CheckedField(a.days, b.days, true),
                  CheckedField(a.micros, b.micros, true)};
}

Interval NegateInterval(const Interval& a) {
  if (a.months == std::numeric_limits<int32_t>::min() ||
      a.days == std::numeric_limits<int32_t>::min() ||
      a.micros == std::numeric_limits<int64_t>::min()) {
    throw OutOfRangeError("Overflow in negation of INTERVAL!");
  }
  return Interval{-a.months, -a.days, -a.micros};
}

}  // namespace sluice
