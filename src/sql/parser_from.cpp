// FROM clause: table references, table functions, file paths and joins.

#include "sql/parser_internal.h"

namespace sluice::sql {
namespace {

std::unique_ptr<TableRef> MakeJoin(TableRef::JoinType type, std::unique_ptr<TableRef> left,
                                   const Token& at) {
  auto join = std::make_unique<TableRef>(TableRefKind::kJoin);
  join->line = at.line;
  join->column = at.column;
  join->join_type = type;
  join->left = std::move(left);
  return join;
}

}  // namespace

std::unique_ptr<TableRef> Parser::ParseFromList() {
  std::unique_ptr<TableRef> left = ParseTableRef();
  while (PeekOperator(",")) {
    const Token& comma = Next();
    auto join = MakeJoin(TableRef::JoinType::kCross, std::move(left), comma);
    join->comma = true;
    join->right = ParseTableRef();
    left = std::move(join);
  }
  return left;
}

std::unique_ptr<TableRef> Parser::ParseTableRef() { return ParseJoins(ParseTablePrimary()); }

std::unique_ptr<TableRef> Parser::ParseJoins(std::unique_ptr<TableRef> left) {
  while (true) {
    const Token& at = Peek();
    TableRef::JoinType type = TableRef::JoinType::kInner;
    bool natural = false;
    const bool asof = AcceptAsof();
    const Token& type_at = Peek();
    if (!ParseJoinType(type, natural)) {
      if (asof) FailAt(Peek());
      return left;
    }
    if (asof && (natural || (type != TableRef::JoinType::kInner &&
                             type != TableRef::JoinType::kLeft))) {
      FailAt(type_at, "only ASOF JOIN and ASOF LEFT JOIN are supported, not");
    }
    auto join = MakeJoin(type, std::move(left), at);
    join->natural = natural;
    join->asof = asof;
    join->right = ParseTablePrimary();
    if (type != TableRef::JoinType::kCross && !natural) {
      if (AcceptKeyword("on")) {
        join->condition = ParseExpr();
      } else if (PeekKeyword("using")) {
        Next();
        join->using_columns = ParseParenthesizedNames();
      } else {
        FailAt(Peek());
      }
    }
    left = std::move(join);
  }
}

// `ASOF` before a join type (DuckDB's ASOF [LEFT] JOIN). ASOF is not a reserved word: it is
// one here only when a join type follows, so a column or table may still be named asof.
bool Parser::AcceptAsof() {
  if (!IsAsofJoinAhead()) return false;
  Next();
  return true;
}

bool Parser::IsAsofJoinAhead() const {
  const Token& word = Peek();
  if (word.type != TokenType::kIdentifier || word.text != "asof") return false;
  return PeekKeyword("join", 1) || PeekKeyword("left", 1) || PeekKeyword("inner", 1) ||
         PeekKeyword("right", 1) || PeekKeyword("full", 1) || PeekKeyword("natural", 1) ||
         PeekKeyword("cross", 1) || PeekKeyword("semi", 1) || PeekKeyword("anti", 1);
}

// Consumes a join operator such as `LEFT OUTER JOIN` and reports whether there was one.
bool Parser::ParseJoinType(TableRef::JoinType& type, bool& natural) {
  using JoinType = TableRef::JoinType;
  size_t start = pos_;
  natural = AcceptKeyword("natural");
  if (AcceptKeyword("join")) {
    type = JoinType::kInner;
    return true;
  }
  if (AcceptKeyword("inner")) {
    type = JoinType::kInner;
  } else if (AcceptKeyword("cross") && !natural) {
    type = JoinType::kCross;
  } else if (AcceptKeyword("semi")) {
    type = JoinType::kSemi;
  } else if (AcceptKeyword("anti")) {
    type = JoinType::kAnti;
  } else if (PeekKeyword("left") || PeekKeyword("right") || PeekKeyword("full")) {
    const std::string& side = Next().text;
    type = side == "left" ? JoinType::kLeft : side == "right" ? JoinType::kRight : JoinType::kFull;
    // Spark spells semi and anti joins LEFT SEMI / LEFT ANTI.
    if (type == JoinType::kLeft && AcceptKeyword("semi")) {
      type = JoinType::kSemi;
    } else if (type == JoinType::kLeft && AcceptKeyword("anti")) {
      type = JoinType::kAnti;
    } else {
      AcceptKeyword("outer");
    }
  } else {
    if (natural) FailAt(Peek());
    pos_ = start;
    return false;
  }
  ExpectKeyword("join");
  return true;
}

std::unique_ptr<TableRef> Parser::ParseTablePrimary() {
  std::unique_ptr<TableRef> ref = ParseTableItem();
  while (IsPivotSuffixAhead()) {
    ref = ParsePivotSuffix(std::move(ref));
    ParseTableAlias(*ref);
  }
  return ref;
}

std::unique_ptr<TableRef> Parser::ParseTableItem() {
  DepthGuard guard(*this);
  const Token& at = Peek();
  if (at.IsOperator("(")) return ParseParenthesizedTable(at);
  if (PeekKeyword("lateral") && PeekOperator("(", 1)) {
    // LATERAL (subquery).
    Next();
    const Token& open = Peek();
    std::unique_ptr<TableRef> ref = ParseParenthesizedTable(open);
    if (ref->kind != TableRefKind::kSubquery) FailAt(open);
    ref->lateral = true;
    return ref;
  }
  if (at.type == TokenType::kString) {
    auto ref = std::make_unique<TableRef>(TableRefKind::kFilePath);
    ref->line = at.line;
    ref->column = at.column;
    ref->path = Next().text;
    ParseTableAlias(*ref);
    return ref;
  }
  // Flink's window table functions: TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), size)).
  if (PeekKeyword("table") && PeekOperator("(", 1)) return ParseTableCall(at);
  if (!IsNameToken(at)) FailAt(at);
  return ParseNamedTable(at);
}

std::unique_ptr<TableRef> Parser::ParseParenthesizedTable(const Token& at) {
  // `(` starts a subquery or a parenthesized join, and `((SELECT ...) s JOIN t ...)` is both.
  // Decide without backtracking (which is exponential on nested input): if a query starts
  // after the run of `(`, parse a query; a `)` right after it makes it a subquery, anything
  // else makes it the first item of a parenthesized join.
  Next();
  size_t ahead = 0;
  while (PeekOperator("(", ahead)) ++ahead;
  if (!StartsQuery(ahead)) {
    std::unique_ptr<TableRef> inner = ParseTableRef();
    ExpectOperator(")");
    return inner;
  }
  auto ref = std::make_unique<TableRef>(TableRefKind::kSubquery);
  ref->line = at.line;
  ref->column = at.column;
  ref->query = ParseQueryExpr();
  if (AcceptOperator(")")) {
    ParseTableAlias(*ref);
    return ref;
  }
  ParseTableAlias(*ref);
  std::unique_ptr<TableRef> inner = ParseJoins(std::move(ref));
  ExpectOperator(")");
  return inner;
}

std::unique_ptr<TableRef> Parser::ParseNamedTable(const Token& at) {
  QualifiedName name = ParseQualifiedName();
  if (!PeekOperator("(")) {
    auto ref = std::make_unique<TableRef>(TableRefKind::kBaseTable);
    ref->line = at.line;
    ref->column = at.column;
    ref->name = std::move(name);
    ParseTimeTravel(*ref);
    ParseTableAlias(*ref);
    return ref;
  }
  auto ref = std::make_unique<TableRef>(TableRefKind::kTableFunction);
  ref->line = at.line;
  ref->column = at.column;
  ref->name = std::move(name);
  Next();
  if (!AcceptOperator(")")) {
    do {
      // Named arguments: name = value, name := value or name => value.
      std::string arg_name;
      ExprPtr special;
      if (ParseModelOrTableArgument(arg_name, special)) {
        const bool table = arg_name == "table";
        ref->arg_names.push_back(std::move(arg_name));
        ref->args.push_back(std::move(special));
        if (table) ParseTablePartitionBy(*ref);
        continue;
      }
      if (IsNameToken(Peek()) &&
          (PeekOperator("=", 1) || PeekOperator(":=", 1) || PeekOperator("=>", 1))) {
        arg_name = Next().text;
        Next();
      }
      ref->arg_names.push_back(std::move(arg_name));
      ref->args.push_back(PeekOperator("{") ? ParseColumnTypesStruct() : ParseExpr());
      if (ref->args.back()->kind == ExprKind::kSubquery) ParseTablePartitionBy(*ref);
    } while (AcceptOperator(","));
    ExpectOperator(")");
  }
  ParseTimeTravel(*ref);  // iceberg_scan('path') FOR VERSION AS OF ...
  ParseTableAlias(*ref);
  return ref;
}

void Parser::ParseTimeTravel(TableRef& ref) {
  // FOR VERSION AS OF (SQL:2011's FOR SYSTEM_VERSION / SYSTEM_TIME too) and Spark's
  // VERSION AS OF / TIMESTAMP AS OF without FOR.
  const size_t start = pos_;
  const bool has_for = AcceptKeyword("for");
  const Token& what = Peek();
  if (what.type != TokenType::kIdentifier || !PeekKeyword("as", 1) || !PeekKeyword("of", 2)) {
    if (has_for) FailAt(what, "expected VERSION AS OF or TIMESTAMP AS OF");
    pos_ = start;
    return;
  }
  if (what.text == "version" || what.text == "system_version") {
    ref.time_travel = TimeTravelKind::kVersion;
  } else if (what.text == "timestamp" || what.text == "system_time") {
    ref.time_travel = TimeTravelKind::kTimestamp;
  } else {
    if (has_for) FailAt(what, "expected VERSION AS OF or TIMESTAMP AS OF");
    pos_ = start;
    return;
  }
  pos_ += 3;
  ref.time_travel_at = ParseConcat();
}

ExprPtr Parser::ParseColumnTypesStruct() {
  auto text = Make<ConstantExpr>(ExpectOperator("{"));
  text->type = ConstantType::kString;
  if (!AcceptOperator("}")) {
    do {
      const Token& key = Peek();
      if (key.type != TokenType::kString && !IsNameToken(key)) FailAt(key, "expected a column name");
      std::string name = Next().text;
      ExpectOperator(":");
      const Token& type = Peek();
      if (type.type != TokenType::kString) FailAt(type, "expected a type name as a string");
      std::string quoted;
      for (char c : name) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
      if (!text->value.empty()) text->value += ", ";
      text->value += "\"" + quoted + "\" " + Next().text;
    } while (AcceptOperator(","));
    ExpectOperator("}");
  }
  return text;
}

void Parser::ParseTableAlias(TableRef& ref, std::initializer_list<std::string_view> stop_words) {
  if (IsAsofJoinAhead()) return;  // `FROM a ASOF JOIN b`: asof is not a's alias
  if (IsPivotSuffixAhead()) return;  // `FROM a PIVOT (...)`
  ref.alias = ParseOptionalAlias(stop_words);
  if (!ref.alias.empty() && PeekOperator("(")) ref.column_aliases = ParseParenthesizedNames();
}

}  // namespace sluice::sql
