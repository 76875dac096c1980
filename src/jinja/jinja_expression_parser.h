#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "jinja/jinja_ast.h"
#include "jinja/jinja_error.h"
#include "jinja/jinja_lexer.h"

namespace sluice::jinja {

// The token stream and Jinja's expression grammar, lowest precedence first. The template
// parser (jinja_parser.cpp) adds statements on top. Internal to the jinja module.
class ExpressionParser {
 protected:
  ExpressionParser(std::vector<Token> tokens, const std::string& name)
      : tokens_(std::move(tokens)), name_(name) {}

  // ---- token stream ----
  const Token& Current() const { return tokens_[pos_]; }
  const Token& Peek() const { return tokens_[std::min(pos_ + 1, tokens_.size() - 1)]; }
  const Token& Next() {
    const Token& t = tokens_[pos_];
    if (pos_ + 1 < tokens_.size()) ++pos_;
    return t;
  }
  bool IsOp(std::string_view op) const {
    return Current().kind == TokenKind::kOperator && Current().text == op;
  }
  bool IsName(std::string_view name) const {
    return Current().kind == TokenKind::kName && Current().text == name;
  }
  bool SkipOp(std::string_view op) {
    if (!IsOp(op)) return false;
    Next();
    return true;
  }
  bool SkipName(std::string_view name) {
    if (!IsName(name)) return false;
    Next();
    return true;
  }
  [[noreturn]] void Fail(const Token& t, const std::string& message) const {
    throw JinjaError(SourcePosition{name_, t.line, t.column}, message);
  }
  void ExpectOp(std::string_view op) {
    if (!SkipOp(op))
      Fail(Current(), "expected '" + std::string(op) + "', got " + DescribeToken(Current()));
  }
  std::string ExpectName() {
    if (Current().kind != TokenKind::kName) {
      Fail(Current(), "expected a name, got " + DescribeToken(Current()));
    }
    return Next().text;
  }
  void ExpectKeyword(std::string_view word) {
    if (!SkipName(word)) {
      Fail(Current(), "expected '" + std::string(word) + "', got " + DescribeToken(Current()));
    }
  }
  void ExpectBlockEnd() {
    if (Current().kind != TokenKind::kBlockEnd) {
      Fail(Current(), "expected end of statement block, got " + DescribeToken(Current()));
    }
    Next();
  }

  bool AtTupleEnd(const std::vector<std::string_view>& extra_end) const;
  // An expression, or a tuple when commas separate several (`{{ a, b }}`, `set x = 1, 2`).
  ExprPtr ParseTuple(bool explicit_parentheses, bool with_condexpr,
                     const std::vector<std::string_view>& extra_end);
  ExprPtr ParseExpression(bool with_condexpr);
  ExprPtr ParseConditional();
  ExprPtr MakeBinary(ExprKind kind, const Token& op_token, ExprPtr left, ExprPtr right,
                     BinaryOp op = BinaryOp::kAdd);
  ExprPtr ParseOr();
  ExprPtr ParseAnd();
  ExprPtr ParseNot();
  ExprPtr ParseCompare();
  ExprPtr ParseMath1();
  ExprPtr ParseConcat();
  ExprPtr ParseMath2();
  ExprPtr ParsePow();
  ExprPtr ParseUnary(bool with_filter);
  void NoteName(const std::string& name);
  ExprPtr ParsePrimary();
  static ExprPtr Literal(const Token& t, Value v);
  ExprPtr ParsePostfix(ExprPtr node);
  ExprPtr ParseSubscript(ExprPtr object, int line, int column);
  ArgumentsExpr ParseArguments();
  ExprPtr ParseFilterExpr(ExprPtr node);
  std::string ParseDottedName();
  std::unique_ptr<FilterExpr> ParseFilter(ExprPtr input);
  ExprPtr ParseTest(ExprPtr input);

  std::vector<Token> tokens_;
  size_t pos_ = 0;
  const std::string& name_;
  std::vector<MacroDef*> open_macros_;  // macros and call blocks being parsed
};

}  // namespace sluice::jinja
