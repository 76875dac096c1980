#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::sql {

enum class TokenType : uint8_t {
  kEnd,               // end of input; always the last token
  kIdentifier,        // unquoted word, lowercased; keywords are identifiers too
  kQuotedIdentifier,  // "Word", case preserved, "" unescaped
  kString,            // 'text', '' unescaped
  kInteger,           // 42
  kDecimal,           // 1.5, .5, 1e10
  kOperator,          // punctuation and operators, e.g. "<=", "::", "("
};

// One lexical unit of SQL. Keywords are not a separate type: the parser decides from context
// whether a word is a keyword, which keeps most keywords usable as column names.
struct Token {
  TokenType type = TokenType::kEnd;
  // Normalized text: lowercased for unquoted identifiers, unescaped contents for strings and
  // quoted identifiers, canonical spelling for operators ("!=" becomes "<>").
  std::string text;
  int line = 1;       // 1-based
  int column = 1;     // 1-based, in code points
  size_t offset = 0;  // byte offset of the first character in the SQL text
  size_t length = 0;  // byte length of the token as written (quotes included)
  // Body of a `/*+ ... */` comment that immediately precedes this token, or empty. Only the
  // parser knows where hints are meaningful (right after SELECT); elsewhere it is ignored.
  std::string hint;

  bool IsKeyword(std::string_view keyword) const {
    return type == TokenType::kIdentifier && text == keyword;
  }
  bool IsOperator(std::string_view op) const { return type == TokenType::kOperator && text == op; }
};

}  // namespace sluice::sql
