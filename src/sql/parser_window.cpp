// Flink's window table function syntax in FROM: the TABLE(...) wrapper around a table
// function call, and the PARTITION BY keys of a TABLE argument (SESSION windows).

#include "sql/parser_internal.h"

namespace sluice::sql {

std::unique_ptr<TableRef> Parser::ParseTableCall(const Token& at) {
  Next();  // TABLE
  ExpectOperator("(");
  const Token& function = Peek();
  if (!IsNameToken(function) || !PeekOperator("(", 1)) {
    FailAt(function, "expected a table function call inside TABLE(...)");
  }
  std::unique_ptr<TableRef> ref = ParseNamedTable(function);
  if (!ref->alias.empty()) FailAt(Peek(), "an alias goes after TABLE(...)");
  ExpectOperator(")");
  ref->line = at.line;
  ref->column = at.column;
  ParseTableAlias(*ref);
  return ref;
}

void Parser::ParseTablePartitionBy(TableRef& ref) {
  if (!PeekKeyword("partition") || !PeekKeyword("by", 1)) return;
  pos_ += 2;
  // One key, or several in parentheses (a comma alone would start the next argument).
  const bool list = AcceptOperator("(");
  do {
    ref.arg_names.push_back("partition by");
    ref.args.push_back(ParseExpr());
  } while (list && AcceptOperator(","));
  if (list) ExpectOperator(")");
}

}  // namespace sluice::sql
