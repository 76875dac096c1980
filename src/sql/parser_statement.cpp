// Statement dispatch and DDL: CREATE TABLE / VIEW / SCHEMA and DROP.

#include <charconv>
#include <map>

#include "sql/parser_internal.h"

namespace sluice::sql {

StatementPtr Parser::ParseStatement() {
  DepthGuard guard(*this);
  const Token& token = Peek();
  if (StartsQuery() || token.IsOperator("(")) {
    auto statement = Make<SelectStatement>(token);
    statement->query = ParseQueryExpr();
    return statement;
  }
  if (token.type != TokenType::kIdentifier) FailAt(token);
  const std::string& word = token.text;
  if (word == "create") return ParseCreate();
  if (word == "drop") return ParseDrop();
  if (word == "alter") return ParseAlter();
  if (word == "insert") return ParseInsert();
  if (word == "delete") return ParseDelete();
  if (word == "update") return ParseUpdate();
  if (word == "merge") return ParseMerge();
  if (word == "set") return ParseSet();
  if (word == "reset") return ParseReset();
  if (word == "show") return ParseShow();
  if (word == "describe" || word == "desc" || word == "summarize") return ParseDescribe();
  if (word == "pragma") return ParsePragma();
  if (word == "explain") return ParseExplain();
  if (word == "copy") return ParseCopy();
  if (word == "cache") return ParseCache();
  if (word == "uncache") return ParseUncache();
  if (word == "call") return ParseCall();
  FailAt(token);
}

bool Parser::ParseIfNotExists() {
  if (!PeekKeyword("if")) return false;
  Next();
  ExpectKeyword("not");
  ExpectKeyword("exists");
  return true;
}

bool Parser::ParseIfExists() {
  if (!PeekKeyword("if")) return false;
  Next();
  ExpectKeyword("exists");
  return true;
}

StatementPtr Parser::ParseCreate() {
  const Token& create = Next();
  bool or_replace = false;
  if (AcceptKeyword("or")) {
    ExpectKeyword("replace");
    or_replace = true;
  }
  bool temporary = AcceptKeyword("temp") || AcceptKeyword("temporary");
  if (PeekKeyword("table")) return ParseCreateTable(or_replace, temporary);
  if (PeekKeyword("view")) return ParseCreateView(or_replace, temporary);
  if (PeekKeyword("lambda") && PeekKeyword("view", 1) && !temporary) {
    Next();
    return ParseCreateView(or_replace, temporary, /*lambda=*/true);
  }
  if (PeekKeyword("model") && !temporary) return ParseCreateModel(or_replace);
  if (PeekKeyword("schema") && !or_replace && !temporary) {
    Next();
    auto statement = Make<CreateSchemaStatement>(create);
    statement->if_not_exists = ParseIfNotExists();
    statement->name = ParseQualifiedName();
    return statement;
  }
  FailAt(Peek());
}

StatementPtr Parser::ParseCreateTable(bool or_replace, bool temporary) {
  auto statement = Make<CreateTableStatement>(Next());
  statement->or_replace = or_replace;
  statement->temporary = temporary;
  statement->if_not_exists = ParseIfNotExists();
  statement->name = ParseQualifiedName();
  if (AcceptOperator("(")) {
    do {
      if (AcceptKeyword("constraint")) ParseName();  // the constraint's name is not kept
      if (AcceptKeyword("check")) {
        statement->checks.push_back(ParseCheckBody());
      } else if (PeekKeyword("primary") && PeekKeyword("key", 1)) {
        const Token& primary = Next();
        Next();
        if (!statement->primary_key.empty()) FailAt(primary, "multiple primary keys");
        statement->primary_key = ParseParenthesizedNames();
      } else if (AcceptKeyword("unique")) {
        statement->uniques.push_back(ParseParenthesizedNames());
      } else if (PeekKeyword("watermark") && PeekKeyword("for", 1)) {
        ParseWatermark(*statement);
      } else {
        statement->columns.push_back(ParseColumnDefinition());
      }
    } while (AcceptOperator(","));
    ExpectOperator(")");
  }
  if (AcceptKeyword("clustered")) {
    ExpectKeyword("by");
    statement->cluster_by = ParseParenthesizedNames();
    ExpectKeyword("into");
    const Token& count = Peek();
    int64_t buckets = 0;
    auto [end, error] =
        std::from_chars(count.text.data(), count.text.data() + count.text.size(), buckets);
    // Any count parses; binding refuses one out of range, naming the table.
    if (count.type != TokenType::kInteger || error != std::errc()) FailAt(count);
    Next();
    statement->num_buckets = buckets;
    ExpectKeyword("buckets");
  }
  if (PeekKeyword("partitioned") && PeekKeyword("by", 1)) {
    pos_ += 2;
    ExpectOperator("(");
    do {
      statement->partition_by.push_back(ParsePartitionItem());
    } while (AcceptOperator(","));
    ExpectOperator(")");
  }
  if (PeekKeyword("with") && PeekOperator("(", 1)) ParseTableOptions(*statement);
  if (AcceptKeyword("as")) {
    if (!statement->columns.empty() || !statement->with_options.empty()) FailAt(Peek());
    statement->as_query = ParseQueryExpr();
  } else if (statement->columns.empty()) {
    FailAt(Peek());
  }
  return statement;
}

CreateTableStatement::PartitionItem Parser::ParsePartitionItem() {
  CreateTableStatement::PartitionItem item;
  item.line = Peek().line;
  item.column = Peek().column;
  const Token& first = Peek();
  const std::string name = ParseName();
  if (!AcceptOperator("(")) {
    item.transform = "identity";
    item.source = name;
    return item;
  }
  // Spark's and Iceberg's spellings: years(ts) is year(ts), and so on.
  static const std::map<std::string, std::string> kTransforms = {
      {"identity", "identity"}, {"bucket", "bucket"}, {"truncate", "truncate"},
      {"year", "year"},         {"years", "year"},    {"month", "month"},
      {"months", "month"},      {"day", "day"},       {"days", "day"},
      {"hour", "hour"},         {"hours", "hour"}};
  auto it = kTransforms.find(name);
  if (it == kTransforms.end()) {
    FailAt(first,
           "unknown partition transform: expected identity, bucket, truncate, year(s), month(s), "
           "day(s) or hour(s), got");
  }
  item.transform = it->second;
  if (item.transform == "bucket" || item.transform == "truncate") {
    const Token& count = Peek();
    auto [end, error] =
        std::from_chars(count.text.data(), count.text.data() + count.text.size(), item.param);
    if (count.type != TokenType::kInteger || error != std::errc()) {
      FailAt(count, fmt::format("{} needs a positive integer first ({}(16, column))",
                                item.transform, item.transform));
    }
    Next();
    ExpectOperator(",");
  }
  item.source = ParseName();
  ExpectOperator(")");
  return item;
}

ColumnDefinition Parser::ParseColumnDefinition() {
  ColumnDefinition column;
  column.line = Peek().line;
  column.column = Peek().column;
  column.name = ParseName();
  column.type = ParseTypeName();
  while (true) {
    if (PeekKeyword("not") && PeekKeyword("null", 1)) {
      pos_ += 2;
      column.not_null = true;
    } else if (AcceptKeyword("null")) {
      column.not_null = false;
    } else if (PeekKeyword("primary") && PeekKeyword("key", 1)) {
      pos_ += 2;
      column.primary_key = true;
    } else if (AcceptKeyword("default")) {
      column.default_value = ParseConcat();
    } else if (AcceptKeyword("unique")) {
      column.unique = true;
    } else if (AcceptKeyword("check")) {
      column.check = ParseCheckBody();
    } else {
      return column;
    }
  }
}

ExprPtr Parser::ParseCheckBody() {
  ExpectOperator("(");
  ExprPtr check = ParseExpr();
  ExpectOperator(")");
  return check;
}

StatementPtr Parser::ParseCreateView(bool or_replace, bool temporary, bool lambda) {
  auto statement = Make<CreateViewStatement>(Next());
  statement->or_replace = or_replace;
  statement->temporary = temporary;
  statement->if_not_exists = ParseIfNotExists();
  statement->name = ParseQualifiedName();
  if (lambda) {
    statement->lambda = true;
    ExpectKeyword("as");
    ExpectKeyword("batch");
    statement->batch = ParseQualifiedName();
    ExpectKeyword("speed");
    statement->speed = ParseQualifiedName();
    ExpectKeyword("on");
    statement->time_column = ParseName();
    return statement;
  }
  if (PeekOperator("(")) statement->column_aliases = ParseParenthesizedNames();
  ExpectKeyword("as");
  statement->query = ParseQueryExpr();
  return statement;
}

StatementPtr Parser::ParseDrop() {
  auto statement = Make<DropStatement>(Next());
  if (AcceptKeyword("table")) {
    statement->object_type = ObjectType::kTable;
  } else if (AcceptKeyword("view")) {
    statement->object_type = ObjectType::kView;
  } else if (AcceptKeyword("schema")) {
    statement->object_type = ObjectType::kSchema;
  } else if (AcceptKeyword("model")) {
    statement->object_type = ObjectType::kModel;
  } else {
    FailAt(Peek());
  }
  statement->if_exists = ParseIfExists();
  statement->name = ParseQualifiedName();
  if (AcceptKeyword("cascade")) {
    statement->cascade = true;
  } else {
    AcceptKeyword("restrict");
  }
  return statement;
}

}  // namespace sluice::sql
