#include "dbt/seed_csv.h"

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <string_view>

#include "dbt/project.h"
#include "io/csv_convert.h"

namespace sluice::dbt {

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// agate's null_values for every type dbt tests: "" and "null" (trimmed, any case).
bool IsNullText(const std::string& text) {
  const std::string_view t = Trim(text);
  if (t.empty()) return true;
  if (t.size() != 4) return false;
  for (size_t i = 0; i < 4; ++i) {
    if (std::tolower(static_cast<unsigned char>(t[i])) != "null"[i]) return false;
  }
  return true;
}

// Python's text mode reads \r\n and \r as \n before the csv module sees them.
std::string UniversalNewlines(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out += '\n';
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

// A decimal number as agate's Number reads it: sign, digits before and after the point
// and a decimal exponent.
struct ParsedNumber {
  bool negative = false;
  std::string int_digits;
  std::string frac_digits;
  int exponent = 0;

  // Digits after the point of the Decimal value (agate's MaxPrecision of one value).
  int Precision() const { return std::max(0, static_cast<int>(frac_digits.size()) - exponent); }
  // The value without exponent: "-1200", "0.015".
  std::string Plain() const {
    std::string digits = int_digits + frac_digits;
    int point = static_cast<int>(int_digits.size()) + exponent;
    if (point < 0) {
      digits.insert(0, static_cast<size_t>(-point), '0');
      point = 0;
    }
    if (point > static_cast<int>(digits.size())) digits.append(point - digits.size(), '0');
    std::string whole = digits.substr(0, point), frac = digits.substr(point);
    whole.erase(0, std::min(whole.find_first_not_of('0'), whole.size()));
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
    if (whole.empty()) whole = "0";
    std::string out = (negative && (whole != "0" || !frac.empty()) ? "-" : "") + whole;
    return frac.empty() ? out : out + "." + frac;
  }
};

// agate's Number.cast over text: trims, drops % and currency symbols, a leading minus,
// group commas; then Python's Decimal grammar (no NaN / Infinity, which dbt cannot store).
std::optional<ParsedNumber> ParseNumber(const std::string& text) {
  static const std::array<std::string_view, 19> kCurrency = {"؋", "$", "ƒ", "៛", "¥", "₡", "₱",
                                                             "£", "€", "¢", "﷼", "₪", "₩", "₭",
                                                             "₮", "₦", "฿", "₤", "₫"};
  std::string_view d = Trim(text);
  while (!d.empty() && d.front() == '%') d.remove_prefix(1);
  while (!d.empty() && d.back() == '%') d.remove_suffix(1);
  ParsedNumber n;
  if (!d.empty() && d.front() == '-') {
    n.negative = true;
    d.remove_prefix(1);
  }
  // Currency symbols are '$' or non-ASCII: most values skip the search.
  bool maybe_currency = false;
  for (char c : d) maybe_currency |= c == '$' || (static_cast<unsigned char>(c) & 0x80) != 0;
  if (maybe_currency) {
    for (std::string_view symbol : kCurrency) {
      while (d.substr(0, symbol.size()) == symbol) d.remove_prefix(symbol.size());
      while (d.size() >= symbol.size() && d.substr(d.size() - symbol.size()) == symbol) {
        d.remove_suffix(symbol.size());
      }
    }
  }

  std::string s;
  for (char c : d) {
    if (c != ',') s += c;
  }
  std::string_view v = Trim(s);
  if (!v.empty() && (v.front() == '+' || v.front() == '-')) {
    if (v.front() == '-') n.negative = !n.negative;
    v.remove_prefix(1);
  }
  size_t i = 0;
  while (i < v.size() && std::isdigit(static_cast<unsigned char>(v[i]))) n.int_digits += v[i++];
  if (i < v.size() && v[i] == '.') {
    ++i;
    while (i < v.size() && std::isdigit(static_cast<unsigned char>(v[i]))) n.frac_digits += v[i++];
  }
  if (n.int_digits.empty() && n.frac_digits.empty()) return std::nullopt;
  if (i < v.size() && (v[i] == 'e' || v[i] == 'E')) {
    ++i;
    bool negative_exp = false;
    if (i < v.size() && (v[i] == '+' || v[i] == '-')) negative_exp = v[i++] == '-';
    std::string exp;
    while (i < v.size() && std::isdigit(static_cast<unsigned char>(v[i]))) exp += v[i++];
    if (exp.empty() || exp.size() > 4) return std::nullopt;
    n.exponent = std::stoi(exp) * (negative_exp ? -1 : 1);
  }
  if (i != v.size()) return std::nullopt;
  return n;
}

// Whether the integer `plain` ("-123") lies in [-(max + 1), max], `max` given as digits.
bool FitsSigned(const std::string& plain, std::string_view max, std::string_view min_magnitude) {
  std::string_view digits = plain;
  const bool negative = !digits.empty() && digits.front() == '-';
  if (negative) digits.remove_prefix(1);
  if (digits.size() != max.size()) return digits.size() < max.size();
  return digits <= (negative ? min_magnitude : max);
}

bool FitsInt64(const std::string& plain) {
  return FitsSigned(plain, "9223372036854775807", "9223372036854775808");
}

bool FitsInt32(const std::string& plain) { return FitsSigned(plain, "2147483647", "2147483648"); }

// Reads 1..max_digits digits at `i` (Python strptime's %m, %d, %H ... accept one digit).
std::optional<int> Digits(std::string_view s, size_t& i, size_t min_digits, size_t max_digits) {
  size_t start = i;
  int value = 0;
  while (i < s.size() && i - start < max_digits && std::isdigit(static_cast<unsigned char>(s[i]))) {
    value = value * 10 + (s[i++] - '0');
  }
  if (i - start < min_digits) return std::nullopt;
  return value;
}

bool Expect(std::string_view s, size_t& i, char c) {
  if (i >= s.size() || s[i] != c) return false;
  ++i;
  return true;
}

bool ValidDate(int y, int m, int d) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= kDays[m - 1] + (m == 2 && leap ? 1 : 0);
}

// %Y-%m-%d at `i`, as "YYYY-MM-DD".
std::optional<std::string> ParseDatePart(std::string_view s, size_t& i) {
  auto y = Digits(s, i, 4, 4);
  if (!y || !Expect(s, i, '-')) return std::nullopt;
  auto m = Digits(s, i, 1, 2);
  if (!m || !Expect(s, i, '-')) return std::nullopt;
  auto d = Digits(s, i, 1, 2);
  if (!d || !ValidDate(*y, *m, *d)) return std::nullopt;
  return fmt::format("{:04d}-{:02d}-{:02d}", *y, *m, *d);
}

std::optional<std::string> ParseDate(const std::string& text) {
  std::string_view s = Trim(text);
  size_t i = 0;
  auto date = ParseDatePart(s, i);
  if (!date || i != s.size()) return std::nullopt;
  return date;
}

// "%Y-%m-%d %H:%M:%S" (agate DateTime) or ISO 8601 "YYYY-MM-DDTHH:MM[:SS[.f]][Z]" (dbt's
// ISODateTime; other UTC offsets are not read), as "YYYY-MM-DD HH:MM:SS[.ffffff]".
std::optional<std::string> ParseDateTime(const std::string& text) {
  std::string_view s = Trim(text);
  size_t i = 0;
  auto date = ParseDatePart(s, i);
  if (!date || i >= s.size()) return std::nullopt;
  const bool iso = s[i] == 'T';
  if (s[i] != ' ' && !iso) return std::nullopt;
  ++i;
  auto h = Digits(s, i, iso ? 2 : 1, 2);
  if (!h || *h > 23 || !Expect(s, i, ':')) return std::nullopt;
  auto m = Digits(s, i, iso ? 2 : 1, 2);
  if (!m || *m > 59) return std::nullopt;
  int sec = 0;
  std::string fraction;
  if (!iso || (i < s.size() && s[i] == ':')) {
    if (!Expect(s, i, ':')) return std::nullopt;
    auto sv = Digits(s, i, iso ? 2 : 1, 2);
    if (!sv || *sv > 59) return std::nullopt;
    sec = *sv;
    if (iso && i < s.size() && (s[i] == '.' || s[i] == ',')) {
      ++i;
      while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) fraction += s[i++];
      if (fraction.empty()) return std::nullopt;
      fraction = fraction.substr(0, 6);
    }
  }
  if (iso && i < s.size() && s[i] == 'Z') ++i;
  if (i != s.size()) return std::nullopt;
  std::string out = fmt::format("{} {:02d}:{:02d}:{:02d}", *date, *h, *m, sec);
  return fraction.empty() ? out : out + "." + fraction;
}

std::optional<std::string> ParseBoolean(const std::string& text) {
  std::string s;
  for (char c : text) {
    if (c != ',') s += c;
  }
  const std::string lower = Lower(Trim(s));
  if (lower == "true" || lower == "false") return lower;
  return std::nullopt;
}

std::optional<std::string> Cast(SeedType type, const std::string& text) {
  switch (type) {
    case SeedType::kInteger:
      return std::nullopt;
    case SeedType::kNumber: {
      auto n = ParseNumber(text);
      if (!n) return std::nullopt;
      return n->Plain();
    }
    case SeedType::kDate:
      return ParseDate(text);
    case SeedType::kDateTime:
      return ParseDateTime(text);
    case SeedType::kBoolean:
      return ParseBoolean(text);
    case SeedType::kText:
      return text;
  }
  return std::nullopt;
}

}  // namespace

SeedCsv ParseSeedCsv(const std::string& raw, const std::string& path, char delimiter) {
  std::string text = UniversalNewlines(raw);
  if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);
  SeedCsv csv;
  std::vector<std::vector<std::string>> records;
  std::vector<int64_t> lines;
  std::vector<std::string> record;
  std::string field;
  int64_t line = 1, record_line = 1, quote_line = 0;
  enum { kStartRecord, kStartField, kUnquoted, kQuoted, kQuoteInQuoted } state = kStartRecord;
  auto end_field = [&] {
    record.push_back(std::move(field));
    field.clear();
  };
  auto end_record = [&] {
    records.push_back(std::move(record));
    lines.push_back(record_line);
    record.clear();
    state = kStartRecord;
  };
  for (char c : text) {
    if (state == kStartRecord) {
      record_line = line;
      state = kStartField;
      if (c == '\n') {  // a blank line: a record without fields
        ++line;
        end_record();
        continue;
      }
    }
    switch (state) {
      case kStartField:
        if (c == '"') {
          state = kQuoted;
          quote_line = line;
        } else if (c == delimiter) {
          end_field();
        } else if (c == '\n') {
          end_field();
          end_record();
        } else {
          field += c;
          state = kUnquoted;
        }
        break;
      case kUnquoted:
        if (c == delimiter) {
          end_field();
          state = kStartField;
        } else if (c == '\n') {
          end_field();
          end_record();
        } else {
          field += c;
        }
        break;
      case kQuoted:
        if (c == '"') {
          state = kQuoteInQuoted;
        } else {
          field += c;
        }
        break;
      case kQuoteInQuoted:
        if (c == '"') {
          field += c;
          state = kQuoted;
        } else if (c == delimiter) {
          end_field();
          state = kStartField;
        } else if (c == '\n') {
          end_field();
          end_record();
        } else {
          field += c;  // text after a closing quote is kept, as Python's csv does
          state = kUnquoted;
        }
        break;
      case kStartRecord:
        break;
    }
    if (c == '\n') ++line;
  }
  if (state == kQuoted) {
    throw DbtError(path + ":" + std::to_string(quote_line) +
                   ": a quoted field is not closed before the end of the file");
  }
  if (state != kStartRecord) {
    end_field();
    end_record();
  }
  if (records.empty()) throw DbtError(path + ": the seed file is empty (it needs a header row)");
  csv.names = std::move(records[0]);
  std::set<std::string> seen;
  for (size_t c = 0; c < csv.names.size(); ++c) {
    const std::string& name = csv.names[c];
    if (Trim(name).empty()) {
      throw DbtError(path + ":" + std::to_string(lines[0]) + ": column " + std::to_string(c + 1) +
                     " of the header has no name");
    }
    if (!seen.insert(Lower(name)).second) {
      throw DbtError(path + ":" + std::to_string(lines[0]) + ": the header names column '" + name +
                     "' twice");
    }
  }
  for (size_t r = 1; r < records.size(); ++r) {
    auto& row = records[r];
    if (row.size() > csv.names.size()) {
      throw DbtError(path + ":" + std::to_string(lines[r]) + ": the row has " +
                     std::to_string(row.size()) + " fields but the header names " +
                     std::to_string(csv.names.size()) + " columns");
    }
    row.resize(csv.names.size());  // agate pads short rows with NULLs
    csv.rows.push_back(std::move(row));
    csv.lines.push_back(lines[r]);
  }
  return csv;
}

std::vector<SeedColumnType> InferSeedTypes(const SeedCsv& csv,
                                           const std::set<std::string>& text_columns) {
  static const SeedType kOrder[] = {SeedType::kInteger,  SeedType::kNumber,  SeedType::kDate,
                                    SeedType::kDateTime, SeedType::kBoolean, SeedType::kText};
  std::vector<SeedColumnType> out(csv.names.size());
  for (size_t c = 0; c < csv.names.size(); ++c) {
    SeedColumnType& column = out[c];
    if (text_columns.count(csv.names[c])) {
      column.type = SeedType::kText;
      column.sql_type = "VARCHAR";
      continue;
    }
    for (SeedType type : kOrder) {
      bool fits = true;
      for (const auto& row : csv.rows) {
        // Zero-padded numbers ("01001") are identifiers: TEXT, as read_csv infers.
        const bool padded = (type == SeedType::kInteger || type == SeedType::kNumber) &&
                            HasCsvLeadingZero(Trim(row[c]));
        if (type != SeedType::kText && !IsNullText(row[c]) &&
            (padded || !Cast(type, row[c]))) {
          fits = false;
          break;
        }
      }
      if (fits) {
        column.type = type;
        break;
      }
    }
    switch (column.type) {
      case SeedType::kInteger:  // only empty values: agate's first type, dbt-duckdb's INTEGER
        column.sql_type = "INTEGER";
        break;
      case SeedType::kNumber: {
        // dbt-duckdb: a number column without decimals is INTEGER; one whose values do not
        // fit 32 bits is BIGINT here (where dbt-duckdb's insert would fail), then DOUBLE.
        column.sql_type = "INTEGER";
        for (const auto& row : csv.rows) {
          if (IsNullText(row[c])) continue;
          const auto n = ParseNumber(row[c]);
          if (n->Precision() > 0 || !FitsInt64(n->Plain())) {
            column.sql_type = "DOUBLE";
            break;
          }
          if (!FitsInt32(n->Plain())) column.sql_type = "BIGINT";
        }
        break;
      }
      case SeedType::kDate:
        column.sql_type = "DATE";
        break;
      case SeedType::kDateTime:
        column.sql_type = "TIMESTAMP";
        break;
      case SeedType::kBoolean:
        column.sql_type = "BOOLEAN";
        break;
      case SeedType::kText:
        column.sql_type = "VARCHAR";
        break;
    }
  }
  return out;
}

std::optional<std::string> NormalizeSeedValue(SeedType type, const std::string& text) {
  if (IsNullText(text)) return std::nullopt;
  return Cast(type, text);
}

}  // namespace sluice::dbt
