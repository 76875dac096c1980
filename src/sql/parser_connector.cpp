// Flink's connector DDL inside CREATE TABLE: `WATERMARK FOR ts AS ts - INTERVAL '5' SECOND`
// among the columns and `WITH ('connector' = 'kafka', 'topic' = 'bids', ...)` after them.
// Which keys a connector takes is checked when the statement runs (catalog/source_definition.h).

#include "sql/parser_internal.h"

namespace sluice::sql {

void Parser::ParseWatermark(CreateTableStatement& statement) {
  const Token& at = Next();  // WATERMARK
  Next();                    // FOR
  if (statement.watermark) FailAt(at, "a table has one WATERMARK");
  statement.watermark_column = ParseName();
  ExpectKeyword("as");
  statement.watermark = ParseExpr();
}

void Parser::ParseTableOptions(CreateTableStatement& statement) {
  Next();  // WITH
  ExpectOperator("(");
  do {
    const Token& key = Peek();
    if (key.type != TokenType::kString && !IsNameToken(key)) {
      FailAt(key, "expected an option name as a string ('connector')");
    }
    CreateTableStatement::TableOption option;
    option.line = key.line;
    option.column = key.column;
    std::string text = Next().text;
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    option.key = std::move(text);
    for (const auto& earlier : statement.with_options) {
      if (earlier.key == option.key) FailAt(key, "option given twice");
    }
    ExpectOperator("=");
    const Token& value = Peek();
    if (value.type != TokenType::kString && value.type != TokenType::kInteger) {
      FailAt(value, "expected the option's value as a string");
    }
    option.value = Next().text;
    statement.with_options.push_back(std::move(option));
  } while (AcceptOperator(","));
  ExpectOperator(")");
}

}  // namespace sluice::sql
