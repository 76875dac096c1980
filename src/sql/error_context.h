#pragma once

#include <string>
#include <string_view>

namespace sluice::sql {

// Builds a user-facing error message that quotes the offending line of `sql` and puts a caret
// under `column`:
//   <message> at line 1, column 8
//   SELECT FROM t
//          ^
// `line` and `column` are 1-based; columns count Unicode code points, not bytes, so the caret
// lines up in a terminal. Out-of-range positions are clamped rather than rejected because the
// caller is already reporting an error. Shared by the parser and the binder.
std::string FormatErrorWithCaret(std::string_view sql, int line, int column,
                                 std::string_view message);

// Throws sluice::ParseError with a FormatErrorWithCaret message.
[[noreturn]] void ThrowParseError(std::string_view sql, int line, int column,
                                  std::string_view message);

}  // namespace sluice::sql
