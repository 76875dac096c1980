#include "sql/lexer.h"

#include <array>
#include <string>

#include "sql/error_context.h"

namespace sluice::sql {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
// Bytes >= 0x80 belong to UTF-8 sequences; allowing them lets identifiers use any script.
bool IsIdentStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool IsIdentChar(char c) { return IsIdentStart(c) || IsDigit(c) || c == '$'; }
char ToLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Multi-character operators, longest first within a shared prefix (->> before ->).
constexpr std::array<std::string_view, 12> kTwoCharOperators = {
    "::", ":=", "<=", ">=", "<>", "!=", "==", "||", "=>", "//", "->>", "->"};
constexpr std::string_view kOneCharOperators = "+-*/%=<>.,();[]:^{}";

// Walks the text once, tracking line and column so every token knows where it starts.
class Lexer {
 public:
  explicit Lexer(std::string_view sql) : sql_(sql) {}

  std::vector<Token> Run() {
    std::vector<Token> tokens;
    while (true) {
      SkipSpaceAndComments();
      Token token;
      token.line = line_;
      token.column = column_;
      token.offset = pos_;
      token.hint = std::move(pending_hint_);
      pending_hint_.clear();
      if (pos_ >= sql_.size()) {
        tokens.push_back(std::move(token));
        return tokens;
      }
      LexToken(token);
      token.length = pos_ - token.offset;
      tokens.push_back(std::move(token));
    }
  }

 private:
  char Peek(size_t ahead = 0) const {
    return pos_ + ahead < sql_.size() ? sql_[pos_ + ahead] : '\0';
  }

  void Advance() {
    char c = sql_[pos_++];
    if (c == '\n') {
      ++line_;
      column_ = 1;
    } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++column_;
    }
  }

  [[noreturn]] void Fail(int line, int column, std::string_view message) const {
    ThrowParseError(sql_, line, column, message);
  }

  void SkipSpaceAndComments() {
    while (pos_ < sql_.size()) {
      char c = Peek();
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
        Advance();
      } else if (c == '-' && Peek(1) == '-') {
        while (pos_ < sql_.size() && Peek() != '\n') Advance();
      } else if (c == '/' && Peek(1) == '*') {
        SkipBlockComment();
      } else {
        return;
      }
    }
  }

  // Block comments nest, as in PostgreSQL, so commenting out SQL that has comments works.
  void SkipBlockComment() {
    int start_line = line_, start_column = column_;
    bool is_hint = Peek(2) == '+';
    Advance();
    Advance();
    size_t body_start = pos_ + (is_hint ? 1 : 0);
    int depth = 1;
    while (depth > 0) {
      if (pos_ >= sql_.size()) Fail(start_line, start_column, "unterminated /* comment");
      if (Peek() == '*' && Peek(1) == '/') {
        --depth;
        if (depth == 0 && is_hint)
          pending_hint_ = std::string(sql_.substr(body_start, pos_ - body_start));
        Advance();
        Advance();
      } else if (Peek() == '/' && Peek(1) == '*') {
        ++depth;
        Advance();
        Advance();
      } else {
        Advance();
      }
    }
  }

  void LexToken(Token& token) {
    char c = Peek();
    if (IsIdentStart(c)) {
      token.type = TokenType::kIdentifier;
      while (pos_ < sql_.size() && IsIdentChar(Peek())) {
        token.text.push_back(ToLower(Peek()));
        Advance();
      }
    } else if (c == '"') {
      token.type = TokenType::kQuotedIdentifier;
      LexQuoted(token, '"', "unterminated quoted identifier");
      if (token.text.empty()) Fail(token.line, token.column, "zero-length delimited identifier");
    } else if (c == '\'') {
      token.type = TokenType::kString;
      LexQuoted(token, '\'', "unterminated quoted string");
    } else if (IsDigit(c) || (c == '.' && IsDigit(Peek(1)))) {
      LexNumber(token);
    } else {
      LexOperator(token);
    }
  }

  // Reads a quoted token; a doubled quote character stands for one quote.
  void LexQuoted(Token& token, char quote, std::string_view unterminated) {
    Advance();
    while (true) {
      if (pos_ >= sql_.size()) Fail(token.line, token.column, unterminated);
      char c = Peek();
      if (c == quote) {
        if (Peek(1) != quote) {
          Advance();
          return;
        }
        Advance();
      }
      token.text.push_back(c);
      Advance();
    }
  }

  void LexNumber(Token& token) {
    token.type = TokenType::kInteger;
    auto take_digits = [&] {
      while (IsDigit(Peek())) {
        token.text.push_back(Peek());
        Advance();
      }
    };
    take_digits();
    // "1." is a decimal, but "1.." or "1.e" style oddities are left to the parser.
    if (Peek() == '.' && Peek(1) != '.') {
      token.type = TokenType::kDecimal;
      token.text.push_back('.');
      Advance();
      take_digits();
    }
    // An exponent needs at least one digit; otherwise "1e" is the number 1 then the word "e".
    char e = Peek();
    if ((e == 'e' || e == 'E') &&
        (IsDigit(Peek(1)) || ((Peek(1) == '+' || Peek(1) == '-') && IsDigit(Peek(2))))) {
      token.type = TokenType::kDecimal;
      token.text.push_back('e');
      Advance();
      if (Peek() == '+' || Peek() == '-') {
        token.text.push_back(Peek());
        Advance();
      }
      take_digits();
    }
    if (IsIdentStart(Peek())) {
      Fail(line_, column_, "trailing junk after numeric literal");
    }
  }

  void LexOperator(Token& token) {
    token.type = TokenType::kOperator;
    std::string_view rest = sql_.substr(pos_);
    for (std::string_view op : kTwoCharOperators) {
      if (rest.substr(0, op.size()) == op) {
        for (size_t i = 0; i < op.size(); i++) Advance();
        token.text = op == "!=" ? "<>" : op == "==" ? "=" : std::string(op);
        return;
      }
    }
    char c = Peek();
    if (kOneCharOperators.find(c) == std::string_view::npos) {
      int length = 1;
      while ((static_cast<unsigned char>(Peek(length)) & 0xC0) == 0x80) ++length;
      Fail(token.line, token.column,
           "syntax error at or near \"" + std::string(rest.substr(0, length)) + "\"");
    }
    Advance();
    token.text = std::string(1, c);
  }

  std::string_view sql_;
  size_t pos_ = 0;
  int line_ = 1;
  int column_ = 1;
  std::string pending_hint_;
};

}  // namespace

std::vector<Token> Tokenize(std::string_view sql) { return Lexer(sql).Run(); }

}  // namespace sluice::sql
