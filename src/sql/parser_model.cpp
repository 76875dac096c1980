// Machine learning statements and arguments: CREATE MODEL, and `MODEL m` / `TABLE t`
// arguments of ML.PREDICT, ML.EVALUATE, ML.FEATURE_IMPORTANCE and ML.TRAINING_INFO.

#include "sql/parser_internal.h"

namespace sluice::sql {

StatementPtr Parser::ParseCreateModel(bool or_replace) {
  auto statement = Make<CreateModelStatement>(Next());
  statement->or_replace = or_replace;
  statement->if_not_exists = ParseIfNotExists();
  statement->name = ParseQualifiedName();
  if (AcceptKeyword("options")) {
    ExpectOperator("(");
    if (!AcceptOperator(")")) {
      do {
        const Token& key = Peek();
        if (!IsNameToken(key)) FailAt(key, "expected an option name at or near");
        std::string name = Next().text;
        ExpectOperator("=");
        statement->options.emplace_back(std::move(name), ParseExpr());
      } while (AcceptOperator(","));
      ExpectOperator(")");
    }
  }
  ExpectKeyword("as");
  statement->query = ParseQueryExpr();
  return statement;
}

bool Parser::ParseModelOrTableArgument(std::string& arg_name, ExprPtr& arg) {
  const Token& word = Peek();
  const bool model = word.type == TokenType::kIdentifier && word.text == "model" &&
                     (Peek(1).type == TokenType::kIdentifier ||
                      Peek(1).type == TokenType::kQuotedIdentifier);
  const bool table = PeekKeyword("table");
  if (!model && !table) return false;
  Next();
  const Token& at = Peek();
  auto name = Make<ColumnRefExpr>(at);
  name->parts = ParseQualifiedName().parts;
  arg_name = model ? "model" : "table";
  arg = std::move(name);
  return true;
}

}  // namespace sluice::sql
