#include "io/csv_convert.h"

#include <charconv>
#include <cstring>

#include "common/strings.h"
#include "types/date_time.h"

namespace sluice {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads min..max digits at text[*pos].
bool ReadNumber(std::string_view text, size_t* pos, int min_digits, int max_digits,
                int64_t* out) {
  int n = 0;
  int64_t value = 0;
  while (*pos < text.size() && n < max_digits && IsDigit(text[*pos])) {
    value = value * 10 + (text[*pos] - '0');
    (*pos)++;
    n++;
  }
  *out = value;
  return n >= min_digits;
}

constexpr const char* kMonthNames[] = {"january", "february", "march",     "april",
                                       "may",     "june",     "july",      "august",
                                       "september", "october", "november", "december"};

bool ReadMonthName(std::string_view text, size_t* pos, int64_t* month) {
  for (int m = 0; m < 12; m++) {
    const std::string_view full = kMonthNames[m];
    if (text.size() - *pos >= full.size() && EqualsIgnoreCase(text.substr(*pos, full.size()), full)) {
      *pos += full.size();
      *month = m + 1;
      return true;
    }
  }
  for (int m = 0; m < 12; m++) {
    const std::string_view abbreviation = std::string_view(kMonthNames[m]).substr(0, 3);
    if (text.size() - *pos >= 3 && EqualsIgnoreCase(text.substr(*pos, 3), abbreviation)) {
      *pos += 3;
      *month = m + 1;
      return true;
    }
  }
  return false;
}

// DaysFromCivil for years 0..9999 in plain int arithmetic (no floor division needed).
int32_t DaysFromCivilNonNegative(int year, int month, int day) {
  const int y = year - (month <= 2 ? 1 : 0) + 400;  // shifted by one era to stay positive
  const int era = y / 400;
  const int year_of_era = y - era * 400;
  const int day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const int day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return (era - 1) * 146097 + day_of_era - 719468;
}

// Clinger's fast path: up to 15 significant digits and 22 decimals give an exact mantissa
// and power of ten, so one division is correctly rounded. Returns false to defer to
// from_chars for anything else.
bool ParseSimpleDouble(const char* p, const char* end, double* out) {
  static constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                      1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  const bool negative = p < end && *p == '-';
  if (negative) p++;
  if (p == end || end - p > 16) return false;
  int64_t mantissa = 0;
  int digits = 0;
  int decimals = -1;
  for (; p < end; p++) {
    const unsigned digit = static_cast<unsigned>(*p - '0');
    if (digit < 10) {
      mantissa = mantissa * 10 + digit;
      digits++;
      if (decimals >= 0) decimals++;
    } else if (*p == '.' && decimals < 0) {
      decimals = 0;
    } else {
      return false;
    }
  }
  if (digits == 0 || digits > 15) return false;
  const double value = static_cast<double>(mantissa) / kPow10[decimals < 0 ? 0 : decimals];
  *out = negative ? -value : value;
  return true;
}

}  // namespace

std::string_view TrimCsvSpaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool ParseCsvBoolean(std::string_view text, bool* out) {
  if (text == "true") {
    *out = true;
    return true;
  }
  if (text == "false") {
    *out = false;
    return true;
  }
  text = TrimCsvSpaces(text);
  if (EqualsIgnoreCase(text, "true") || EqualsIgnoreCase(text, "t") || text == "1" ||
      EqualsIgnoreCase(text, "yes")) {
    *out = true;
    return true;
  }
  if (EqualsIgnoreCase(text, "false") || EqualsIgnoreCase(text, "f") || text == "0" ||
      EqualsIgnoreCase(text, "no")) {
    *out = false;
    return true;
  }
  return false;
}

bool IsCsvBooleanWord(std::string_view text) {
  text = TrimCsvSpaces(text);
  return EqualsIgnoreCase(text, "true") || EqualsIgnoreCase(text, "false");
}

bool ParseCsvInteger(std::string_view text, int64_t* out) {
  const char* begin = text.data();
  const char* end = begin + text.size();
  if (begin == end) return false;
  // Fast path: an optional '-' and up to 18 digits cannot overflow.
  {
    const char* p = begin + (*begin == '-' ? 1 : 0);
    if (p < end && end - p <= 18) {
      int64_t value = 0;
      const char* q = p;
      while (q < end && static_cast<unsigned>(*q - '0') < 10) value = value * 10 + (*q++ - '0');
      if (q == end) {
        *out = p == begin ? value : -value;
        return true;
      }
    }
  }
  // Fast path: no surrounding spaces, no '+'.
  if (*begin == ' ' || *begin == '\t' || end[-1] == ' ' || end[-1] == '\t') {
    text = TrimCsvSpaces(text);
    begin = text.data();
    end = begin + text.size();
    if (begin == end) return false;
  }
  if (*begin == '+') {
    begin++;
    if (begin == end || *begin == '-') return false;
  }
  const auto result = std::from_chars(begin, end, *out);
  return result.ec == std::errc() && result.ptr == end;
}

bool ParseCsvDouble(std::string_view text, double* out) {
  const char* begin = text.data();
  const char* end = begin + text.size();
  if (begin == end) return false;
  if (*begin == ' ' || *begin == '\t' || end[-1] == ' ' || end[-1] == '\t') {
    text = TrimCsvSpaces(text);
    begin = text.data();
    end = begin + text.size();
    if (begin == end) return false;
  }
  if (*begin == '+') {
    begin++;
    if (begin == end || *begin == '-') return false;
  }
  if (ParseSimpleDouble(begin, end, out)) return true;
  const auto result = std::from_chars(begin, end, *out);
  // Out-of-range values (1e999) are an error of from_chars but a fine double: infinity.
  if (result.ec == std::errc::result_out_of_range && result.ptr == end) return true;
  return result.ec == std::errc() && result.ptr == end;
}

bool TemporalFormat::ParseDate(std::string_view text, int32_t* days) const {
  if (format_.empty()) {
    // Fast path for the common YYYY-MM-DD.
    if (text.size() == 10 && text[4] == '-' && text[7] == '-') {
      int digits[8];
      static constexpr int kDigitAt[8] = {0, 1, 2, 3, 5, 6, 8, 9};
      bool ok = true;
      for (int i = 0; i < 8; i++) {
        digits[i] = text[kDigitAt[i]] - '0';
        ok &= static_cast<unsigned>(digits[i]) < 10;
      }
      if (ok) {
        const int year = digits[0] * 1000 + digits[1] * 100 + digits[2] * 10 + digits[3];
        const int month = digits[4] * 10 + digits[5];
        const int day = digits[6] * 10 + digits[7];
        if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)) return false;
        *days = DaysFromCivilNonNegative(year, month, day);
        return true;
      }
    }
    const std::optional<int32_t> parsed = sluice::ParseDate(text);
    if (!parsed) return false;
    *days = *parsed;
    return true;
  }
  int64_t micros;
  if (!ParseWithFormat(text, &micros)) return false;
  *days = static_cast<int32_t>(FloorDiv(micros, kMicrosPerDay));
  return true;
}

bool TemporalFormat::ParseTimestamp(std::string_view text, int64_t* micros) const {
  if (format_.empty()) {
    const std::optional<int64_t> parsed = sluice::ParseTimestamp(text);
    if (!parsed) return false;
    *micros = *parsed;
    return true;
  }
  return ParseWithFormat(text, micros);
}

bool TemporalFormat::ParseWithFormat(std::string_view text, int64_t* micros) const {
  text = TrimCsvSpaces(text);
  int64_t year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0, fraction = 0;
  int pm = -1;  // -1: no %p; 0: AM; 1: PM
  size_t pos = 0;
  for (size_t f = 0; f < format_.size(); f++) {
    if (format_[f] != '%' || f + 1 == format_.size()) {
      if (pos >= text.size() || text[pos] != format_[f]) return false;
      pos++;
      continue;
    }
    const char spec = format_[++f];
    bool ok = true;
    switch (spec) {
      case 'Y': ok = ReadNumber(text, &pos, 1, 6, &year); break;
      case 'y':
        ok = ReadNumber(text, &pos, 2, 2, &year);
        year += year < 69 ? 2000 : 1900;  // POSIX's pivot
        break;
      case 'm': ok = ReadNumber(text, &pos, 1, 2, &month); break;
      case 'd': ok = ReadNumber(text, &pos, 1, 2, &day); break;
      case 'H':
      case 'I': ok = ReadNumber(text, &pos, 1, 2, &hour); break;
      case 'M': ok = ReadNumber(text, &pos, 1, 2, &minute); break;
      case 'S': ok = ReadNumber(text, &pos, 1, 2, &second); break;
      case 'f': {
        int digits = 0;
        fraction = 0;
        while (pos < text.size() && IsDigit(text[pos])) {
          if (digits < 6) {
            fraction = fraction * 10 + (text[pos] - '0');
            digits++;
          }
          pos++;
        }
        ok = digits > 0;
        for (; digits < 6; digits++) fraction *= 10;
        break;
      }
      case 'b':
      case 'B': ok = ReadMonthName(text, &pos, &month); break;
      case 'p':
        if (text.size() - pos >= 2 && EqualsIgnoreCase(text.substr(pos, 2), "am")) {
          pm = 0;
        } else if (text.size() - pos >= 2 && EqualsIgnoreCase(text.substr(pos, 2), "pm")) {
          pm = 1;
        } else {
          ok = false;
        }
        pos += 2;
        break;
      default:  // %% and unknown specifiers match themselves
        ok = pos < text.size() && text[pos] == spec;
        pos++;
    }
    if (!ok) return false;
  }
  if (pos != text.size()) return false;
  if (pm >= 0) {
    if (hour < 1 || hour > 12) return false;
    hour = hour % 12 + (pm == 1 ? 12 : 0);
  }
  if (month < 1 || month > 12 || day < 1 ||
      day > DaysInMonth(static_cast<int32_t>(year), static_cast<int32_t>(month)) || hour > 23 ||
      minute > 59 || second > 60) {
    return false;
  }
  const int64_t days = DaysFromCivil(static_cast<int32_t>(year), static_cast<int32_t>(month),
                                     static_cast<int32_t>(day));
  *micros = days * kMicrosPerDay + ((hour * 60 + minute) * 60 + second) * kMicrosPerSecond +
            fraction;
  return true;
}

}  // namespace sluice
