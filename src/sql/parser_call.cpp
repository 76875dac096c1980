// Special expression forms (CASE, CAST, INTERVAL, EXTRACT, ...), function and window calls,
// ORDER BY lists and type names.

#include <cctype>
#include <charconv>

#include "sql/keywords.h"
#include "sql/parser_internal.h"

namespace sluice::sql {
namespace {

ExprPtr MakeString(std::string value, const Token& at) {
  auto constant = std::make_unique<ConstantExpr>();
  constant->line = at.line;
  constant->column = at.column;
  constant->type = ConstantType::kString;
  constant->value = std::move(value);
  return constant;
}

std::unique_ptr<FunctionExpr> MakeCall(std::string name, const Token& at) {
  auto call = std::make_unique<FunctionExpr>();
  call->line = at.line;
  call->column = at.column;
  call->name = {std::move(name)};
  return call;
}

// Interval units accepted after INTERVAL '..', singular and upper-cased.
std::string_view IntervalUnit(std::string_view word) {
  static constexpr std::pair<std::string_view, std::string_view> kUnits[] = {
      {"year", "YEAR"},
      {"years", "YEAR"},
      {"month", "MONTH"},
      {"months", "MONTH"},
      {"week", "WEEK"},
      {"weeks", "WEEK"},
      {"day", "DAY"},
      {"days", "DAY"},
      {"hour", "HOUR"},
      {"hours", "HOUR"},
      {"minute", "MINUTE"},
      {"minutes", "MINUTE"},
      {"second", "SECOND"},
      {"seconds", "SECOND"},
      {"millisecond", "MILLISECOND"},
      {"milliseconds", "MILLISECOND"},
      {"microsecond", "MICROSECOND"},
      {"microseconds", "MICROSECOND"},
      {"quarter", "QUARTER"},
      {"quarters", "QUARTER"},
  };
  for (const auto& [spelling, unit] : kUnits) {
    if (spelling == word) return unit;
  }
  return {};
}

}  // namespace

ExprPtr Parser::ParseCase() {
  auto node = Make<CaseExpr>(Next());
  if (!PeekKeyword("when")) node->operand = ParseExpr();
  if (!PeekKeyword("when")) FailAt(Peek());
  while (AcceptKeyword("when")) {
    CaseWhen branch;
    branch.when = ParseExpr();
    ExpectKeyword("then");
    branch.then = ParseExpr();
    node->whens.push_back(std::move(branch));
  }
  if (AcceptKeyword("else")) node->else_result = ParseExpr();
  ExpectKeyword("end");
  return node;
}

ExprPtr Parser::ParseCast(bool try_cast) {
  auto node = Make<CastExpr>(Next());
  node->try_cast = try_cast;
  ExpectOperator("(");
  node->operand = ParseExpr();
  ExpectKeyword("as");
  node->type = ParseTypeName();
  ExpectOperator(")");
  return node;
}

ExprPtr Parser::ParseInterval() {
  auto node = Make<IntervalExpr>(Next());
  if (PeekOperator("(")) {
    Next();
    node->value = ParseExpr();
    ExpectOperator(")");
  } else {
    node->value = ParsePrimary();
  }
  if (Peek().type == TokenType::kIdentifier) {
    std::string_view unit = IntervalUnit(Peek().text);
    if (!unit.empty()) {
      Next();
      node->unit = std::string(unit);
      // SQL-standard precision, e.g. INTERVAL '90' DAY (3) in TPC-H; it does not change the
      // value, so it is accepted and dropped.
      if (PeekOperator("(") && Peek(1).type == TokenType::kInteger && PeekOperator(")", 2)) {
        pos_ += 3;
      }
    }
  }
  if (node->unit.empty() && node->value->kind != ExprKind::kConstant) FailAt(Peek());
  return node;
}

ExprPtr Parser::ParseExtract() {
  const Token& at = Next();
  ExpectOperator("(");
  const Token& field = Peek();
  if (field.type != TokenType::kIdentifier && field.type != TokenType::kString &&
      field.type != TokenType::kQuotedIdentifier) {
    FailAt(field);
  }
  Next();
  auto call = MakeCall("date_part", at);
  call->args.push_back(MakeString(field.text, field));
  ExpectKeyword("from");
  call->args.push_back(ParseExpr());
  ExpectOperator(")");
  return call;
}

ExprPtr Parser::ParseSubstring() {
  const Token& at = Next();
  ExpectOperator("(");
  auto call = MakeCall("substring", at);
  call->args.push_back(ParseExpr());
  if (AcceptOperator(",")) {
    call->args.push_back(ParseExpr());
    if (AcceptOperator(",")) call->args.push_back(ParseExpr());
  } else if (AcceptKeyword("from")) {
    call->args.push_back(ParseExpr());
    if (AcceptKeyword("for")) call->args.push_back(ParseExpr());
  } else if (PeekKeyword("for")) {
    const Token& for_token = Next();
    auto one = std::make_unique<ConstantExpr>();
    one->line = for_token.line;
    one->column = for_token.column;
    one->type = ConstantType::kInteger;
    one->value = "1";
    call->args.push_back(std::move(one));
    call->args.push_back(ParseExpr());
  }
  ExpectOperator(")");
  return call;
}

ExprPtr Parser::ParsePosition() {
  const Token& at = Next();
  ExpectOperator("(");
  // The needle is parsed above the IN level so `a IN b` is not read as a membership test.
  ExprPtr needle = ParseConcat();
  if (AcceptKeyword("in")) {
    auto call = MakeCall("strpos", at);
    call->args.push_back(ParseExpr());
    call->args.push_back(std::move(needle));
    ExpectOperator(")");
    return call;
  }
  auto call = MakeCall("position", at);
  call->args.push_back(std::move(needle));
  while (AcceptOperator(",")) call->args.push_back(ParseExpr());
  ExpectOperator(")");
  return call;
}

ExprPtr Parser::ParseTypedLiteral() {
  const Token& at = Peek();
  auto node = Make<CastExpr>(at);
  node->type = ParseTypeName();
  if (Peek().type != TokenType::kString) FailAt(Peek());
  node->operand = MakeString(Peek().text, Peek());
  Next();
  return node;
}

ExprPtr Parser::ParseFunctionCall(std::vector<std::string> name, const Token& at) {
  auto call = Make<FunctionExpr>(at);
  call->name = std::move(name);
  ExpectOperator("(");
  if (call->name.size() == 1 && call->name[0] == "count" && PeekOperator("*") &&
      PeekOperator(")", 1)) {
    pos_ += 2;
    call->name[0] = "count_star";
  } else if (!AcceptOperator(")")) {
    if (AcceptKeyword("distinct")) {
      call->distinct = true;
    } else {
      AcceptKeyword("all");
    }
    if (call->name.size() == 1 && call->name[0] == "struct_pack") {
      // struct_pack(a := 1, b := 'x'): the names become string arguments before each value.
      do {
        const Token& name_token = Peek();
        if ((name_token.type != TokenType::kIdentifier &&
             name_token.type != TokenType::kQuotedIdentifier) ||
            !PeekOperator(":=", 1)) {
          FailAt(name_token);
        }
        auto key = Make<ConstantExpr>(name_token);
        key->type = ConstantType::kString;
        key->value = Next().text;
        Next();
        call->args.push_back(std::move(key));
        call->args.push_back(ParseExpr());
      } while (AcceptOperator(","));
    } else {
      call->args = ParseExprList();
    }
    if (AcceptKeyword("order")) {
      ExpectKeyword("by");
      call->order_by = ParseOrderByList();
    }
    ExpectOperator(")");
  }
  if (PeekKeyword("filter") && PeekOperator("(", 1)) {
    pos_ += 2;
    ExpectKeyword("where");
    call->filter = ParseExpr();
    ExpectOperator(")");
  }
  if (PeekKeyword("over")) call->over = ParseOver();
  return call;
}

std::unique_ptr<WindowSpec> Parser::ParseOver() {
  const Token& over = Next();
  auto spec = std::make_unique<WindowSpec>();
  spec->line = over.line;
  spec->column = over.column;
  if (!PeekOperator("(")) {
    spec->base_name = ParseName();
    spec->is_bare_reference = true;
    return spec;
  }
  Next();
  ParseWindowSpecBody(*spec);
  ExpectOperator(")");
  return spec;
}

void Parser::ParseWindowSpecBody(WindowSpec& spec) {
  DepthGuard guard(*this);
  if (IsNameToken(Peek()) && !PeekKeyword("partition") && !PeekKeyword("rows") &&
      !PeekKeyword("range") && !PeekKeyword("groups")) {
    spec.base_name = Next().text;
  }
  if (PeekKeyword("partition")) {
    Next();
    ExpectKeyword("by");
    spec.partition_by = ParseExprList();
  }
  if (AcceptKeyword("order")) {
    ExpectKeyword("by");
    spec.order_by = ParseOrderByList();
  }
  if (PeekKeyword("rows") || PeekKeyword("range") || PeekKeyword("groups")) {
    spec.frame = ParseFrame();
  }
}

WindowFrame Parser::ParseFrame() {
  WindowFrame frame;
  const std::string& unit = Next().text;
  frame.unit = unit == "rows"    ? FrameUnit::kRows
               : unit == "range" ? FrameUnit::kRange
                                 : FrameUnit::kGroups;
  if (AcceptKeyword("between")) {
    frame.start = ParseFrameBound();
    ExpectKeyword("and");
    frame.end = ParseFrameBound();
  } else {
    frame.start = ParseFrameBound();
    frame.end.type = FrameBoundType::kCurrentRow;
  }
  return frame;
}

FrameBound Parser::ParseFrameBound() {
  FrameBound bound;
  if (PeekKeyword("unbounded")) {
    Next();
    if (AcceptKeyword("preceding")) {
      bound.type = FrameBoundType::kUnboundedPreceding;
    } else {
      ExpectKeyword("following");
      bound.type = FrameBoundType::kUnboundedFollowing;
    }
    return bound;
  }
  if (PeekKeyword("current") && PeekKeyword("row", 1)) {
    pos_ += 2;
    bound.type = FrameBoundType::kCurrentRow;
    return bound;
  }
  bound.offset = ParseConcat();
  if (AcceptKeyword("preceding")) {
    bound.type = FrameBoundType::kPreceding;
  } else {
    ExpectKeyword("following");
    bound.type = FrameBoundType::kFollowing;
  }
  return bound;
}

std::vector<OrderByItem> Parser::ParseOrderByList() {
  std::vector<OrderByItem> items;
  do {
    OrderByItem item;
    if (PeekKeyword("all") && !PeekOperator("(", 1)) {
      // ORDER BY ALL: every select column, left to right (a bare star marks it).
      item.expr = Make<StarExpr>(Next());
    } else {
      item.expr = ParseExpr();
    }
    if (AcceptKeyword("desc")) {
      item.descending = true;
    } else {
      AcceptKeyword("asc");
    }
    if (AcceptKeyword("nulls")) {
      if (AcceptKeyword("first")) {
        item.nulls = NullOrder::kFirst;
      } else {
        ExpectKeyword("last");
        item.nulls = NullOrder::kLast;
      }
    }
    items.push_back(std::move(item));
  } while (AcceptOperator(","));
  return items;
}

bool Parser::StartsTypeName(const Token& token) const {
  return token.type == TokenType::kIdentifier && !CanonicalTypeName(token.text).empty();
}

TypeName Parser::ParseTypeName() {
  const Token& first = Peek();
  TypeName type;
  type.line = first.line;
  type.column = first.column;
  if (first.type != TokenType::kIdentifier && first.type != TokenType::kQuotedIdentifier) {
    FailAt(first);
  }
  Next();
  std::string_view canonical = CanonicalTypeName(first.text);
  if (canonical.empty() || first.type == TokenType::kQuotedIdentifier) {
    type.name = first.text;
    for (char& c : type.name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  } else {
    type.name = std::string(canonical);
  }
  // Two-word spellings.
  if (first.text == "double") AcceptKeyword("precision");
  if ((first.text == "character" || first.text == "char") && AcceptKeyword("varying")) {
    type.name = "VARCHAR";
  }
  if ((first.text == "list" || first.text == "struct" || first.text == "map") &&
      first.type == TokenType::kIdentifier && PeekOperator("(")) {
    // LIST(T), STRUCT(name T, ...) and MAP(K, V): the element and field types are written into
    // the name ("LIST(INTEGER)", "STRUCT(\"a\" INTEGER)"), which the binder parses as a type.
    Next();
    std::string inner;
    do {
      if (!inner.empty()) inner += ", ";
      if (first.text == "struct") {
        const Token& field = Peek();
        if (field.type != TokenType::kIdentifier && field.type != TokenType::kQuotedIdentifier) {
          FailAt(field);
        }
        std::string quoted = "\"";
        for (char c : Next().text) {
          if (c == '"') quoted += '"';
          quoted += c;
        }
        inner += quoted + "\" ";
      }
      inner += ParseTypeName().ToString();
    } while (first.text != "list" && AcceptOperator(","));
    ExpectOperator(")");
    type.name += "(" + inner + ")";
  } else if (PeekOperator("(")) {
    Next();
    do {
      const Token& param = Peek();
      int64_t value = 0;
      auto [end, error] =
          std::from_chars(param.text.data(), param.text.data() + param.text.size(), value);
      if (param.type != TokenType::kInteger || error != std::errc()) FailAt(param);
      type.params.push_back(value);
      Next();
    } while (AcceptOperator(","));
    ExpectOperator(")");
  }
  // CHAR(n) and VARCHAR(n) lengths are not enforced, as in DuckDB; drop them so both spell the
  // same type.
  if (type.name == "VARCHAR") type.params.clear();
  if ((first.text == "timestamp" || first.text == "time") && PeekKeyword("with") &&
      PeekKeyword("time", 1) && PeekKeyword("zone", 2)) {
    pos_ += 3;
    type.name += " WITH TIME ZONE";
  }
  while (PeekOperator("[") && PeekOperator("]", 1)) {
    pos_ += 2;
    ++type.array_depth;
  }
  return type;
}

}  // namespace sluice::sql
