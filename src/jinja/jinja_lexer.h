#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::jinja {

enum class TokenKind {
  kText,        // template data between tags, after whitespace control
  kPrintBegin,  // {{
  kPrintEnd,    // }}
  kBlockBegin,  // {%
  kBlockEnd,    // %}
  kName,
  kString,  // text holds the decoded value
  kInteger,
  kFloat,
  kOperator,  // text holds the operator: + - * / // % ** ~ == != < <= > >= = . : | , ( ) [ ] { }
  kEnd,
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;
  int64_t int_value = 0;
  double float_value = 0;
  int line = 0;    // 1-based
  int column = 0;  // 1-based, in bytes
};

// Jinja's Environment options that change how source text is split. The defaults are
// Jinja's (and dbt's).
struct LexerOptions {
  bool trim_blocks = false;            // drop the first newline after a block tag
  bool lstrip_blocks = false;          // drop spaces and tabs before a block tag on its line
  bool keep_trailing_newline = false;  // Jinja drops one trailing newline by default
};

// Splits a template into tokens. Comments are dropped; raw blocks become text; whitespace
// control (`{%-`, `-%}`, `{{-`, `-}}`, `{#-`, `-#}`) is applied to the adjacent text. Line
// endings are normalized to "\n". The result ends with a kEnd token.
// Throws JinjaError (with `template_name`, line and column) for unterminated tags, strings and
// comments and for characters that start no token.
std::vector<Token> TokenizeTemplate(std::string_view source, const std::string& template_name,
                                    const LexerOptions& options = {});

// Describes a token for messages: "'endif'", "end of print statement".
std::string DescribeToken(const Token& token);

}  // namespace sluice::jinja
