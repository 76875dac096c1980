// Data modification: INSERT, DELETE, UPDATE and MERGE.

#include "sql/parser_internal.h"

namespace sluice::sql {

StatementPtr Parser::ParseInsert() {
  auto statement = Make<InsertStatement>(Next());
  if (AcceptKeyword("or")) {
    statement->or_form = true;
    if (AcceptKeyword("replace")) {
      statement->on_conflict = InsertConflict::kReplace;
    } else if (AcceptKeyword("ignore")) {
      statement->on_conflict = InsertConflict::kNothing;
    } else {
      FailAt(Peek());
    }
  }
  ExpectKeyword("into");
  statement->table = ParseQualifiedName();
  if (AcceptKeyword("as")) statement->alias = ParseName();
  if (AcceptKeyword("by")) {
    if (AcceptKeyword("name")) {
      statement->by_name = true;
    } else {
      ExpectKeyword("position");
    }
  }
  // `INSERT INTO t (SELECT ...)` is a parenthesized query, not a column list.
  if (PeekOperator("(") && !StartsQuery(1) && !PeekOperator("(", 1)) {
    statement->columns = ParseParenthesizedNames();
  }
  if (PeekKeyword("default") && PeekKeyword("values", 1)) {
    pos_ += 2;
  } else {
    statement->query = ParseQueryExpr();
  }
  if (!statement->or_form && PeekKeyword("on") && PeekKeyword("conflict", 1)) {
    pos_ += 2;
    if (PeekOperator("(")) statement->conflict_columns = ParseParenthesizedNames();
    ExpectKeyword("do");
    if (AcceptKeyword("nothing")) {
      statement->on_conflict = InsertConflict::kNothing;
    } else {
      ExpectKeyword("update");
      ExpectKeyword("set");
      statement->on_conflict = InsertConflict::kUpdate;
      statement->conflict_set = ParseSetClauses();
      if (AcceptKeyword("where")) statement->conflict_where = ParseExpr();
    }
  }
  if (AcceptKeyword("returning")) {
    do {
      statement->returning.push_back(ParseSelectItem());
    } while (AcceptOperator(","));
  }
  return statement;
}

StatementPtr Parser::ParseDelete() {
  auto statement = Make<DeleteStatement>(Next());
  ExpectKeyword("from");
  statement->table = ParseQualifiedName();
  statement->alias = ParseOptionalAlias();
  if (AcceptKeyword("where")) statement->where = ParseExpr();
  return statement;
}

std::vector<SetClause> Parser::ParseSetClauses() {
  std::vector<SetClause> clauses;
  do {
    SetClause clause;
    clause.line = Peek().line;
    clause.column = Peek().column;
    clause.target = ParseName();
    // A target may be qualified by the table alias (SET t.a = 1); only the column matters.
    while (AcceptOperator(".")) clause.target = ParseName();
    ExpectOperator("=");
    clause.value = ParseExprOrDefault();
    clauses.push_back(std::move(clause));
  } while (AcceptOperator(","));
  return clauses;
}

StatementPtr Parser::ParseUpdate() {
  auto statement = Make<UpdateStatement>(Next());
  statement->table = ParseQualifiedName();
  statement->alias = ParseOptionalAlias({"set"});
  ExpectKeyword("set");
  statement->set = ParseSetClauses();
  if (AcceptKeyword("from")) statement->from = ParseFromList();
  if (AcceptKeyword("where")) statement->where = ParseExpr();
  return statement;
}

StatementPtr Parser::ParseMerge() {
  auto statement = Make<MergeStatement>(Next());
  ExpectKeyword("into");
  const Token& target = Peek();
  if (!IsNameToken(target)) FailAt(target);
  statement->target = ParseNamedTable(target);
  if (statement->target->kind != TableRefKind::kBaseTable) FailAt(target);
  ExpectKeyword("using");
  statement->source = ParseTablePrimary();
  ExpectKeyword("on");
  statement->condition = ParseExpr();
  if (!PeekKeyword("when")) FailAt(Peek());
  while (PeekKeyword("when")) statement->actions.push_back(ParseMergeAction());
  return statement;
}

MergeAction Parser::ParseMergeAction() {
  MergeAction action;
  const Token& when = Next();
  action.line = when.line;
  action.column = when.column;
  if (AcceptKeyword("matched")) {
    action.match = MergeMatch::kMatched;
  } else {
    ExpectKeyword("not");
    ExpectKeyword("matched");
    action.match = MergeMatch::kNotMatched;
    if (AcceptKeyword("by")) {
      if (AcceptKeyword("source")) {
        action.match = MergeMatch::kNotMatchedBySource;
      } else {
        ExpectKeyword("target");
      }
    }
  }
  if (AcceptKeyword("and")) action.condition = ParseExpr();
  ExpectKeyword("then");
  bool inserting = action.match == MergeMatch::kNotMatched;
  if (!inserting && AcceptKeyword("update")) {
    action.type = MergeActionType::kUpdate;
    ExpectKeyword("set");
    if (AcceptOperator("*")) {
      action.star = true;
    } else {
      action.set = ParseSetClauses();
    }
  } else if (!inserting && AcceptKeyword("delete")) {
    action.type = MergeActionType::kDelete;
  } else if (inserting && AcceptKeyword("insert")) {
    action.type = MergeActionType::kInsert;
    if (AcceptOperator("*")) {
      action.star = true;
    } else {
      if (PeekOperator("(")) action.insert_columns = ParseParenthesizedNames();
      ExpectKeyword("values");
      ExpectOperator("(");
      action.insert_values = ParseExprList();
      ExpectOperator(")");
    }
  } else {
    FailAt(Peek());
  }
  return action;
}

}  // namespace sluice::sql
