// Iceberg's statements (Spark's SQL extensions): ALTER TABLE ... CREATE/REPLACE/DROP
// TAG|BRANCH, SET/UNSET TBLPROPERTIES, and CALL procedure(args).

#include <charconv>

#include "sql/parser_internal.h"

namespace sluice::sql {

namespace {

// Milliseconds in one unit of RETAIN n <unit>, or 0 for no such unit.
int64_t RetainUnitMs(const std::string& unit) {
  if (unit == "day" || unit == "days") return int64_t{86400000};
  if (unit == "hour" || unit == "hours") return int64_t{3600000};
  if (unit == "minute" || unit == "minutes") return int64_t{60000};
  return 0;
}

}  // namespace

bool Parser::PeekRefKeyword(size_t ahead) const {
  // TAG / BRANCH followed by a name or IF: `DROP tag` alone drops a column named tag.
  if (!PeekKeyword("tag", ahead) && !PeekKeyword("branch", ahead)) return false;
  return IsNameToken(Peek(ahead + 1));
}

void Parser::ParseAlterRef(AlterTableStatement& statement) {
  statement.ref_is_tag = Next().text == "tag";
  if (statement.action == AlterAction::kDropRef) {
    statement.if_column_exists = ParseIfExists();
    statement.ref_name = ParseName();
    return;
  }
  if (statement.ref_create) statement.if_column_exists = ParseIfNotExists();
  statement.ref_name = ParseName();
  if (PeekKeyword("as") && PeekKeyword("of", 1)) {
    pos_ += 2;
    ExpectKeyword("version");
    statement.expr = ParseConcat();
  }
  if (AcceptKeyword("retain")) {
    const Token& count = Peek();
    int64_t n = 0;
    auto [end, error] =
        std::from_chars(count.text.data(), count.text.data() + count.text.size(), n);
    if (count.type != TokenType::kInteger || error != std::errc()) FailAt(count);
    Next();
    const Token& unit = Peek();
    const int64_t unit_ms = unit.type == TokenType::kIdentifier ? RetainUnitMs(unit.text) : 0;
    if (unit_ms == 0) FailAt(unit, "expected DAYS, HOURS or MINUTES");
    Next();
    statement.retain_ms = n * unit_ms;
  }
}

void Parser::ParseTblProperties(AlterTableStatement& statement) {
  ExpectKeyword("tblproperties");
  const bool set = statement.action == AlterAction::kSetProperties;
  if (!set) statement.if_column_exists = ParseIfExists();
  ExpectOperator("(");
  do {
    const Token& key = Peek();
    if (key.type != TokenType::kString) FailAt(key, "expected a property name as a string");
    std::string name = Next().text;
    std::string value;
    if (set) {
      ExpectOperator("=");
      const Token& v = Peek();
      if (v.type != TokenType::kString && v.type != TokenType::kInteger) {
        FailAt(v, "expected a property value as a string");
      }
      value = Next().text;
    }
    statement.properties.emplace_back(std::move(name), std::move(value));
  } while (AcceptOperator(","));
  ExpectOperator(")");
}

StatementPtr Parser::ParseCall() {
  auto statement = Make<CallStatement>(Next());
  statement->procedure = ParseQualifiedName();
  ExpectOperator("(");
  if (!AcceptOperator(")")) {
    do {
      std::string arg_name;
      // Any word names a parameter, reserved ones too (Spark's `table => 't'`).
      const bool word = IsNameToken(Peek()) || Peek().type == TokenType::kIdentifier;
      if (word && (PeekOperator("=>", 1) || PeekOperator(":=", 1))) {
        arg_name = Next().text;
        Next();
      }
      statement->arg_names.push_back(std::move(arg_name));
      statement->args.push_back(ParseExpr());
    } while (AcceptOperator(","));
    ExpectOperator(")");
  }
  return statement;
}

}  // namespace sluice::sql
