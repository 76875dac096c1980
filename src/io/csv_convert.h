#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sluice {

// Parsers of CSV field text into values, shared by type inference and the reader. Each
// returns false when the whole text (surrounding spaces allowed for non-strings) is not a
// value of the type.

// true/false/t/f/1/0/yes/no, case-insensitive.
bool ParseCsvBoolean(std::string_view text, bool* out);
// Only the words true/false: what type inference accepts as BOOLEAN (so 0/1 stay BIGINT).
bool IsCsvBooleanWord(std::string_view text);
bool ParseCsvInteger(std::string_view text, int64_t* out);
bool ParseCsvDouble(std::string_view text, double* out);
// Whether `text` starts with '0' and another digit ("01001", "00.5"): such a value is an
// identifier (a zip code), so type inference keeps it VARCHAR, as DuckDB's sniffer does. A
// lone "0", "0.5" and signed values ("-01", as in DuckDB) are not.
inline bool HasCsvLeadingZero(std::string_view text) {
  return text.size() > 1 && text[0] == '0' && text[1] >= '0' && text[1] <= '9';
}

// A date or timestamp format: strptime-like (%Y %y %m %d %H %M %S %f %b %B %p %%, other
// characters literal), or ISO 8601 when the format is empty.
class TemporalFormat {
 public:
  explicit TemporalFormat(std::string format = "") : format_(std::move(format)) {}

  bool ParseDate(std::string_view text, int32_t* days) const;
  bool ParseTimestamp(std::string_view text, int64_t* micros) const;
  const std::string& format() const { return format_; }

 private:
  // Parses with format_ into microseconds since the epoch.
  bool ParseWithFormat(std::string_view text, int64_t* micros) const;

  std::string format_;
};

// `text` without leading and trailing spaces and tabs.
std::string_view TrimCsvSpaces(std::string_view text);

}  // namespace sluice
