// ALTER TABLE: columns added, dropped, renamed, retyped, their defaults and NOT NULL; the
// table renamed.

#include "sql/parser_internal.h"

namespace sluice::sql {

namespace {

void MarkAt(AstNode& node, const Token& token) {
  node.line = token.line;
  node.column = token.column;
}

}  // namespace

void Parser::ParseColumnName(AlterTableStatement& statement) {
  MarkAt(statement.column_at, Peek());
  statement.column_name = ParseName();
}

StatementPtr Parser::ParseAlter() {
  auto statement = Make<AlterTableStatement>(Next());
  ExpectKeyword("table");
  statement->if_exists = ParseIfExists();
  statement->table = ParseQualifiedName();
  if ((PeekKeyword("create") || PeekKeyword("replace")) &&
      (PeekRefKeyword(1) || (PeekKeyword("or", 1) && PeekKeyword("replace", 2)))) {
    statement->action = AlterAction::kCreateRef;
    statement->ref_create = Next().text == "create";
    if (AcceptKeyword("or")) {
      ExpectKeyword("replace");
      statement->ref_replace = true;
    }
    if (!statement->ref_create) statement->ref_replace = true;
    if (!PeekKeyword("tag") && !PeekKeyword("branch")) FailAt(Peek(), "expected TAG or BRANCH");
    ParseAlterRef(*statement);
  } else if (PeekKeyword("drop") && PeekRefKeyword(1)) {
    Next();
    statement->action = AlterAction::kDropRef;
    ParseAlterRef(*statement);
  } else if (PeekKeyword("set") && PeekKeyword("tblproperties", 1)) {
    Next();
    statement->action = AlterAction::kSetProperties;
    ParseTblProperties(*statement);
  } else if (PeekKeyword("unset") && PeekKeyword("tblproperties", 1)) {
    Next();
    statement->action = AlterAction::kUnsetProperties;
    ParseTblProperties(*statement);
  } else if ((PeekKeyword("add") || PeekKeyword("drop") || PeekKeyword("replace")) &&
             PeekKeyword("partition", 1) && PeekKeyword("field", 2)) {
    const std::string verb = Next().text;
    pos_ += 2;
    statement->action = verb == "add"    ? AlterAction::kAddPartitionField
                        : verb == "drop" ? AlterAction::kDropPartitionField
                                         : AlterAction::kReplacePartitionField;
    statement->partition_fields.push_back(ParsePartitionItem());
    if (statement->action == AlterAction::kReplacePartitionField) {
      ExpectKeyword("with");
      statement->partition_fields.push_back(ParsePartitionItem());
    }
  } else if (AcceptKeyword("add")) {
    AcceptKeyword("column");
    statement->action = AlterAction::kAddColumn;
    statement->if_column_exists = ParseIfNotExists();
    statement->definition = ParseColumnDefinition();
  } else if (AcceptKeyword("drop")) {
    AcceptKeyword("column");
    statement->action = AlterAction::kDropColumn;
    statement->if_column_exists = ParseIfExists();
    ParseColumnName(*statement);
    if (!AcceptKeyword("cascade")) AcceptKeyword("restrict");
  } else if (AcceptKeyword("rename")) {
    if (AcceptKeyword("to")) {
      statement->action = AlterAction::kRenameTable;
    } else {
      AcceptKeyword("column");
      statement->action = AlterAction::kRenameColumn;
      ParseColumnName(*statement);
      ExpectKeyword("to");
    }
    statement->new_name = ParseName();
  } else if (AcceptKeyword("alter")) {
    AcceptKeyword("column");
    ParseColumnName(*statement);
    if (AcceptKeyword("set")) {
      if (AcceptKeyword("default")) {
        statement->action = AlterAction::kSetDefault;
        statement->expr = ParseConcat();
      } else if (AcceptKeyword("not")) {
        ExpectKeyword("null");
        statement->action = AlterAction::kSetNotNull;
      } else {
        ExpectKeyword("data");
        ExpectKeyword("type");
        statement->action = AlterAction::kAlterType;
      }
    } else if (AcceptKeyword("drop")) {
      if (AcceptKeyword("default")) {
        statement->action = AlterAction::kDropDefault;
      } else {
        ExpectKeyword("not");
        ExpectKeyword("null");
        statement->action = AlterAction::kDropNotNull;
      }
    } else {
      ExpectKeyword("type");
      statement->action = AlterAction::kAlterType;
    }
    if (statement->action == AlterAction::kAlterType) {
      statement->type = ParseTypeName();
      if (AcceptKeyword("using")) statement->expr = ParseExpr();
    }
  } else {
    FailAt(Peek());
  }
  return statement;
}

}  // namespace sluice::sql
