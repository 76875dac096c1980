#include "sql/parser.h"

#include <fmt/format.h>

#include "sql/error_context.h"
#include "sql/keywords.h"
#include "sql/lexer.h"
#include "sql/parser_internal.h"

namespace sluice::sql {

Parser::Parser(std::string_view sql, int max_depth)
    : sql_(sql), tokens_(Tokenize(sql)), max_depth_(max_depth) {}

Parser::DepthGuard::DepthGuard(Parser& parser) : parser_(parser) {
  if (++parser_.depth_ > parser_.max_depth_) {
    --parser_.depth_;
    parser_.FailDepth();
  }
}

void Parser::AddChainLevel(int& chain) {
  chain++;
  if (++depth_ > max_depth_) {
    --depth_;
    chain--;
    FailDepth();
  }
}

void Parser::FailDepth() const {
  ThrowParseError(sql_, Peek().line, Peek().column,
                  fmt::format("Max expression depth limit of {} exceeded. Use \"SET "
                              "max_expression_depth TO x\" to increase the maximum expression "
                              "depth.",
                              max_depth_));
}

const Token& Parser::Peek(size_t ahead) const {
  size_t index = pos_ + ahead;
  return index < tokens_.size() ? tokens_[index] : tokens_.back();
}

const Token& Parser::Next() {
  const Token& token = tokens_[pos_];
  if (pos_ + 1 < tokens_.size()) ++pos_;
  return token;
}

bool Parser::AcceptKeyword(std::string_view keyword) {
  if (!PeekKeyword(keyword)) return false;
  Next();
  return true;
}

bool Parser::AcceptOperator(std::string_view op) {
  if (!PeekOperator(op)) return false;
  Next();
  return true;
}

const Token& Parser::ExpectKeyword(std::string_view keyword) {
  if (!PeekKeyword(keyword)) FailAt(Peek());
  return Next();
}

const Token& Parser::ExpectOperator(std::string_view op) {
  if (!PeekOperator(op)) FailAt(Peek());
  return Next();
}

size_t Parser::PreviousEnd() const {
  if (pos_ == 0) return 0;
  // At the end token Next() does not advance, so the previous token is still pos_ - 1.
  const Token& previous = tokens_[pos_ - 1];
  return previous.offset + previous.length;
}

std::string Parser::SourceSlice(size_t begin, size_t end) const {
  if (end < begin) return {};
  return std::string(sql_.substr(begin, end - begin));
}

void Parser::FailAt(const Token& token) const { FailAt(token, "syntax error at or near"); }

void Parser::FailAt(const Token& token, std::string_view message) const {
  std::string text =
      token.type == TokenType::kEnd
          ? fmt::format("{}", message == "syntax error at or near"
                                  ? "syntax error at end of input"
                                  : std::string(message) + " end of input")
          : fmt::format("{} \"{}\"", message, sql_.substr(token.offset, token.length));
  ThrowParseError(sql_, token.line, token.column, text);
}

bool Parser::IsNameToken(const Token& token) const {
  return token.type == TokenType::kQuotedIdentifier ||
         (token.type == TokenType::kIdentifier && !IsReservedKeyword(token.text));
}

std::string Parser::ParseName() {
  if (!IsNameToken(Peek())) FailAt(Peek());
  return Next().text;
}

std::vector<std::string> Parser::ParseParenthesizedNames() {
  ExpectOperator("(");
  std::vector<std::string> names;
  do {
    names.push_back(ParseName());
  } while (AcceptOperator(","));
  ExpectOperator(")");
  return names;
}

QualifiedName Parser::ParseQualifiedName() {
  QualifiedName name;
  name.line = Peek().line;
  name.column = Peek().column;
  name.parts.push_back(ParseName());
  while (PeekOperator(".") && IsNameToken(Peek(1))) {
    Next();
    name.parts.push_back(Next().text);
  }
  return name;
}

std::string Parser::ParseOptionalAlias(std::initializer_list<std::string_view> stop_words) {
  if (AcceptKeyword("as")) {
    // AS 'text' names a column too, as in DuckDB (COLUMNS('a_(.*)') AS 'b_\1').
    if (Peek().type == TokenType::kString) return Next().text;
    return ParseName();
  }
  if (!IsNameToken(Peek())) return {};
  if (Peek().type == TokenType::kIdentifier) {
    for (std::string_view stop : stop_words) {
      if (Peek().text == stop) return {};
    }
  }
  return Next().text;
}

std::vector<StatementPtr> Parser::ParseScript() {
  std::vector<StatementPtr> statements;
  while (true) {
    while (AcceptOperator(";")) {
    }
    if (AtEnd()) return statements;
    const Token& start = Peek();
    StatementPtr statement = ParseStatement();
    statement->line = start.line;
    statement->column = start.column;
    statement->source_text = SourceSlice(start.offset, PreviousEnd());
    statements.push_back(std::move(statement));
    if (!AtEnd() && !PeekOperator(";")) FailAt(Peek());
  }
}

StatementPtr Parser::ParseSingleStatement() {
  const Token& start = Peek();
  if (AtEnd()) FailAt(start);
  StatementPtr statement = ParseStatement();
  statement->line = start.line;
  statement->column = start.column;
  statement->source_text = SourceSlice(start.offset, PreviousEnd());
  AcceptOperator(";");
  if (!AtEnd()) FailAt(Peek());
  return statement;
}

QueryPtr Parser::ParseSingleQuery() {
  QueryPtr query = ParseQueryExpr();
  AcceptOperator(";");
  if (!AtEnd()) FailAt(Peek());
  return query;
}

ExprPtr Parser::ParseSingleExpression() {
  ExprPtr expr = ParseExpr();
  if (!AtEnd()) FailAt(Peek());
  return expr;
}

std::vector<StatementPtr> ParseScript(std::string_view sql, int max_depth) {
  return Parser(sql, max_depth).ParseScript();
}

StatementPtr ParseStatement(std::string_view sql, int max_depth) {
  return Parser(sql, max_depth).ParseSingleStatement();
}

QueryPtr ParseQuery(std::string_view sql, int max_depth) {
  return Parser(sql, max_depth).ParseSingleQuery();
}

ExprPtr ParseExpression(std::string_view sql, int max_depth) {
  return Parser(sql, max_depth).ParseSingleExpression();
}

}  // namespace sluice::sql
