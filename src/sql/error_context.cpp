#include "sql/error_context.h"

#include <fmt/format.h>

#include "common/error.h"

namespace sluice::sql {
namespace {

bool IsUtf8Continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Returns the text of 1-based line `line`, without its terminator; the last line if `line` is
// past the end.
std::string_view LineText(std::string_view sql, int line) {
  size_t begin = 0;
  for (int current = 1; current < line; ++current) {
    size_t newline = sql.find('\n', begin);
    if (newline == std::string_view::npos) break;
    begin = newline + 1;
  }
  size_t end = sql.find('\n', begin);
  std::string_view text =
      sql.substr(begin, end == std::string_view::npos ? sql.size() - begin : end - begin);
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  return text;
}

}  // namespace

std::string FormatErrorWithCaret(std::string_view sql, int line, int column,
                                 std::string_view message) {
  std::string_view text = LineText(sql, line < 1 ? 1 : line);
  // Tabs are copied into the padding so the caret stays aligned whatever the tab width.
  std::string padding;
  int current = 1;
  for (size_t i = 0; i < text.size() && current < column; ++i) {
    if (IsUtf8Continuation(text[i])) continue;
    padding.push_back(text[i] == '\t' ? '\t' : ' ');
    ++current;
  }
  // A column just past the end of the line (end of input) still gets a caret.
  for (; current < column && padding.size() < text.size(); ++current) padding.push_back(' ');
  return fmt::format("{} at line {}, column {}\n{}\n{}^", message, line, column, text, padding);
}

void ThrowParseError(std::string_view sql, int line, int column, std::string_view message) {
  throw ParseError(FormatErrorWithCaret(sql, line, column, message));
}

}  // namespace sluice::sql
