#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "expr/strftime_format.h"

namespace sluice {

// A strptime format compiled once: the inverse of StrftimeFormat with DuckDB's rules. Numbers
// may have fewer digits than their width; a space in the format matches any run of
// whitespace (also none); month and day names match case-insensitively, full or
// abbreviated; day names are read but not checked; fields not given default to
// 1900-01-01 00:00:00; %z offsets are applied, giving UTC. Immutable; thread-safe.
class StrptimeFormat {
 public:
  // Throws InvalidInputError naming an unknown specifier.
  static StrptimeFormat Compile(std::string_view format);

  // The TIMESTAMP (micros) that `text` spells. On a mismatch returns nullopt and sets `error`
  // to DuckDB's message ("Could not parse string ... according to format specifier ...");
  // a date that does not exist (2024-02-30) or is out of range also sets `error`, with
  // `out_of_range` true.
  std::optional<int64_t> Parse(std::string_view text, std::string* error,
                               bool* out_of_range) const;

  const std::string& text() const { return format_; }

 private:
  std::string format_;
  std::vector<FormatPiece> pieces_;
};

}  // namespace sluice
