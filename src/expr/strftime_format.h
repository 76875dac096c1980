#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sluice {

// One piece of a strftime/strptime format: literal text, or a specifier letter.
struct FormatPiece {
  char spec = 0;  // 0: literal text
  bool pad = true;  // false for the %-x forms
  std::string literal;
};

// Splits a format into pieces, checking every specifier against DuckDB's list. Throws
// InvalidInputError naming an unknown specifier or a trailing '%'.
std::vector<FormatPiece> ParseFormatPieces(std::string_view format);

// A strftime format compiled once: DuckDB's specifiers (%a %A %w %u %d %-d %b %B %h %m %-m
// %y %-y %Y %G %H %-H %I %-I %p %M %-M %S %-S %f %g %n %z %Z %j %-j %U %W %V %c %x %X %%,
// plus %e %F %T). Times are UTC: %z is "+00" and %Z empty, as DuckDB prints for TIMESTAMP.
// Immutable after Compile; thread-safe.
class StrftimeFormat {
 public:
  // Throws InvalidInputError naming an unknown specifier or a trailing '%'.
  static StrftimeFormat Compile(std::string_view format);

  // `micros` since the epoch (a TIMESTAMP), formatted into `out` (cleared first).
  void Format(int64_t micros, std::string& out) const;

 private:
  std::vector<FormatPiece> pieces_;
};

}  // namespace sluice
