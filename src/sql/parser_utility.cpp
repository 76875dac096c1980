// Session and utility statements: SET, RESET, SHOW, DESCRIBE, EXPLAIN, COPY, CACHE, UNCACHE.

#include "sql/parser_internal.h"

namespace sluice::sql {

StatementPtr Parser::ParseSet() {
  auto statement = Make<SetStatement>(Next());
  // A scope word is only a scope when a setting name follows it.
  if ((PeekKeyword("session") || PeekKeyword("local") || PeekKeyword("global")) &&
      IsNameToken(Peek(1))) {
    Next();
  }
  statement->name = ParseName();
  while (AcceptOperator(".")) statement->name += "." + ParseName();
  if (!AcceptOperator("=")) ExpectKeyword("to");
  statement->value = ParseExpr();
  return statement;
}

StatementPtr Parser::ParseReset() {
  auto statement = Make<ResetStatement>(Next());
  if (AcceptKeyword("all")) {
    statement->name = "all";
    return statement;
  }
  statement->name = ParseName();
  while (AcceptOperator(".")) statement->name += "." + ParseName();
  return statement;
}

StatementPtr Parser::ParseShow() {
  auto statement = Make<ShowStatement>(Next());
  // SHOW takes words (TABLES, ALL TABLES, a setting name) rather than an expression.
  while (Peek().type == TokenType::kIdentifier || Peek().type == TokenType::kQuotedIdentifier) {
    if (!statement->what.empty()) statement->what += ' ';
    statement->what += Next().text;
  }
  if (statement->what.empty()) FailAt(Peek());
  return statement;
}

StatementPtr Parser::ParseDescribe() {
  const bool summarize = PeekKeyword("summarize");
  auto statement = Make<DescribeStatement>(Next());
  statement->summarize = summarize;
  if (StartsQuery() || PeekOperator("(")) {
    statement->query = ParseQueryExpr();
  } else {
    statement->table = ParseQualifiedName();
  }
  return statement;
}

StatementPtr Parser::ParsePragma() {
  const Token& pragma = Next();
  const std::string name = ParseName();
  if (AcceptOperator("=")) {
    auto statement = Make<SetStatement>(pragma);
    statement->name = name;
    statement->value = ParseExpr();
    return statement;
  }
  auto statement = Make<PragmaStatement>(pragma);
  statement->name = name;
  if (AcceptOperator("(")) {
    if (!PeekOperator(")")) statement->args = ParseExprList();
    ExpectOperator(")");
  }
  return statement;
}

StatementPtr Parser::ParseExplain() {
  auto statement = Make<ExplainStatement>(Next());
  statement->analyze = AcceptKeyword("analyze");
  // `EXPLAIN (SELECT 1)` explains a parenthesized query; `EXPLAIN (FORMAT json) ...` has
  // options, which always start with a word.
  if (PeekOperator("(") && Peek(1).type == TokenType::kIdentifier && !StartsQuery(1)) {
    statement->options = ParseOptionList();
  }
  const Token& start = Peek();
  statement->statement = ParseStatement();
  statement->statement->line = start.line;
  statement->statement->column = start.column;
  statement->statement->source_text = SourceSlice(start.offset, PreviousEnd());
  return statement;
}

std::vector<OptionItem> Parser::ParseOptionList() {
  std::vector<OptionItem> options;
  ExpectOperator("(");
  do {
    const Token& name = Peek();
    // Option names may be keywords (FORMAT, NULL, HEADER), so any word is accepted.
    if (name.type != TokenType::kIdentifier && name.type != TokenType::kQuotedIdentifier) {
      FailAt(name);
    }
    OptionItem option;
    option.line = name.line;
    option.column = name.column;
    option.name = Next().text;
    if (PeekOperator("(")) {
      Next();
      option.is_list = true;
      option.values = ParseExprList();
      ExpectOperator(")");
    } else if (!PeekOperator(",") && !PeekOperator(")")) {
      AcceptOperator("=");
      option.values.push_back(ParseExpr());
    }
    options.push_back(std::move(option));
  } while (AcceptOperator(","));
  ExpectOperator(")");
  return options;
}

StatementPtr Parser::ParseCopy() {
  auto statement = Make<CopyStatement>(Next());
  if (PeekOperator("(")) {
    Next();
    statement->query = ParseQueryExpr();
    ExpectOperator(")");
    ExpectKeyword("to");
  } else {
    statement->table = ParseQualifiedName();
    if (PeekOperator("(")) statement->columns = ParseParenthesizedNames();
    if (AcceptKeyword("from")) {
      statement->is_from = true;
    } else {
      ExpectKeyword("to");
    }
  }
  if (Peek().type != TokenType::kString) FailAt(Peek());
  statement->path = Next().text;
  AcceptKeyword("with");
  if (PeekOperator("(")) statement->options = ParseOptionList();
  return statement;
}

StatementPtr Parser::ParseCache() {
  auto statement = Make<CacheStatement>(Next());
  ExpectKeyword("table");
  statement->table = ParseQualifiedName();
  if (AcceptKeyword("as") || StartsQuery() || PeekOperator("(")) {
    statement->query = ParseQueryExpr();
  }
  return statement;
}

StatementPtr Parser::ParseUncache() {
  auto statement = Make<UncacheStatement>(Next());
  ExpectKeyword("table");
  statement->if_exists = ParseIfExists();
  statement->table = ParseQualifiedName();
  return statement;
}

}  // namespace sluice::sql
