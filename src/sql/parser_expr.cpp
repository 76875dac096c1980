// Operator precedence, loosest first, following PostgreSQL:
//   OR, AND, NOT, IS, comparison, BETWEEN/IN/LIKE, ||, + -, * / %, unary + -, :: and [].
// Each level is one method that parses the next tighter level for its operands.

#include "sql/keywords.h"
#include "sql/parser_internal.h"

namespace sluice::sql {
namespace {

ExprPtr MakeBinary(BinaryOp op, ExprPtr left, ExprPtr right, const Token& at) {
  auto node = std::make_unique<BinaryExpr>();
  node->line = at.line;
  node->column = at.column;
  node->op = op;
  node->left = std::move(left);
  node->right = std::move(right);
  return node;
}

ExprPtr MakeCall(std::string name, std::vector<ExprPtr> args, int line, int column) {
  auto call = std::make_unique<FunctionExpr>();
  call->line = line;
  call->column = column;
  call->name = {std::move(name)};
  call->args = std::move(args);
  return call;
}

// Reserved words that may never be function names, because `word (` means something else.
bool CanBeFunctionName(const Token& token) {
  return token.type == TokenType::kQuotedIdentifier ||
         (token.type == TokenType::kIdentifier && token.text != "not" && token.text != "select" &&
          token.text != "with" && token.text != "values" && token.text != "in" &&
          token.text != "exists");
}

}  // namespace

ExprPtr Parser::ParseExpr() { return ParseOr(); }

ExprPtr Parser::ParseOr() {
  ExprPtr left = ParseAnd();
  while (PeekKeyword("or")) {
    const Token& op = Next();
    left = MakeBinary(BinaryOp::kOr, std::move(left), ParseAnd(), op);
  }
  return left;
}

ExprPtr Parser::ParseAnd() {
  ExprPtr left = ParseNot();
  while (PeekKeyword("and")) {
    const Token& op = Next();
    left = MakeBinary(BinaryOp::kAnd, std::move(left), ParseNot(), op);
  }
  return left;
}

ExprPtr Parser::ParseNot() {
  if (!PeekKeyword("not")) return ParseIs();
  DepthGuard guard(*this);
  auto node = Make<UnaryExpr>(Next());
  node->op = UnaryOp::kNot;
  node->operand = ParseNot();
  return node;
}

ExprPtr Parser::ParseIs() {
  ExprPtr left = ParseComparison();
  while (PeekKeyword("is")) {
    const Token& is = Next();
    bool negated = AcceptKeyword("not");
    if (AcceptKeyword("null")) {
      auto node = Make<IsNullExpr>(is);
      node->operand = std::move(left);
      node->negated = negated;
      left = std::move(node);
    } else if (AcceptKeyword("distinct")) {
      ExpectKeyword("from");
      BinaryOp op = negated ? BinaryOp::kIsNotDistinctFrom : BinaryOp::kIsDistinctFrom;
      left = MakeBinary(op, std::move(left), ParseComparison(), is);
    } else if (PeekKeyword("true") || PeekKeyword("false")) {
      // x IS TRUE is defined as x IS NOT DISTINCT FROM TRUE.
      auto constant = Make<ConstantExpr>(Peek());
      constant->type = ConstantType::kBoolean;
      constant->bool_value = Next().text == "true";
      BinaryOp op = negated ? BinaryOp::kIsDistinctFrom : BinaryOp::kIsNotDistinctFrom;
      left = MakeBinary(op, std::move(left), std::move(constant), is);
    } else {
      FailAt(Peek());
    }
  }
  return left;
}

ExprPtr Parser::ParseComparison() {
  ExprPtr left = ParsePredicate();
  while (Peek().type == TokenType::kOperator) {
    const std::string& text = Peek().text;
    BinaryOp op;
    if (text == "=") {
      op = BinaryOp::kEqual;
    } else if (text == "<>") {
      op = BinaryOp::kNotEqual;
    } else if (text == "<") {
      op = BinaryOp::kLess;
    } else if (text == "<=") {
      op = BinaryOp::kLessEqual;
    } else if (text == ">") {
      op = BinaryOp::kGreater;
    } else if (text == ">=") {
      op = BinaryOp::kGreaterEqual;
    } else {
      break;
    }
    const Token& op_token = Next();
    left = MakeBinary(op, std::move(left), ParsePredicate(), op_token);
  }
  return left;
}

ExprPtr Parser::ParsePredicate() {
  ExprPtr left = ParseConcat();
  while (true) {
    size_t ahead = PeekKeyword("not") ? 1 : 0;
    const Token& keyword = Peek(ahead);
    bool negated = ahead == 1;
    if (keyword.IsKeyword("between")) {
      pos_ += ahead + 1;
      auto node = Make<BetweenExpr>(keyword);
      node->operand = std::move(left);
      node->negated = negated;
      node->low = ParseConcat();
      ExpectKeyword("and");
      node->high = ParseConcat();
      left = std::move(node);
    } else if (keyword.IsKeyword("in")) {
      pos_ += ahead + 1;
      left = ParseInTail(std::move(left), negated, keyword);
    } else if (keyword.IsKeyword("like") || keyword.IsKeyword("ilike")) {
      pos_ += ahead + 1;
      auto node = Make<LikeExpr>(keyword);
      node->operand = std::move(left);
      node->negated = negated;
      node->case_insensitive = keyword.text == "ilike";
      node->pattern = ParseConcat();
      if (AcceptKeyword("escape")) node->escape = ParseConcat();
      left = std::move(node);
    } else {
      return left;
    }
  }
}

ExprPtr Parser::ParseInTail(ExprPtr operand, bool negated, const Token& at) {
  auto node = Make<InExpr>(at);
  node->operand = std::move(operand);
  node->negated = negated;
  ExpectOperator("(");
  if (StartsQuery()) {
    DepthGuard guard(*this);
    node->subquery = ParseQueryExpr();
  } else {
    node->list = ParseExprList();
  }
  ExpectOperator(")");
  return node;
}

ExprPtr Parser::ParseConcat() {
  ExprPtr left = ParseAdditive();
  while (PeekOperator("||")) {
    const Token& op = Next();
    left = MakeBinary(BinaryOp::kConcat, std::move(left), ParseAdditive(), op);
  }
  return left;
}

ExprPtr Parser::ParseAdditive() {
  ExprPtr left = ParseMultiplicative();
  while (PeekOperator("+") || PeekOperator("-")) {
    const Token& op = Next();
    BinaryOp kind = op.text == "+" ? BinaryOp::kAdd : BinaryOp::kSubtract;
    left = MakeBinary(kind, std::move(left), ParseMultiplicative(), op);
  }
  return left;
}

ExprPtr Parser::ParseMultiplicative() {
  ExprPtr left = ParseUnary();
  while (PeekOperator("*") || PeekOperator("/") || PeekOperator("//") || PeekOperator("%")) {
    const Token& op = Next();
    BinaryOp kind = op.text == "*"    ? BinaryOp::kMultiply
                    : op.text == "/"  ? BinaryOp::kDivide
                    : op.text == "//" ? BinaryOp::kIntegerDivide
                                      : BinaryOp::kModulo;
    left = MakeBinary(kind, std::move(left), ParseUnary(), op);
  }
  return left;
}

ExprPtr Parser::ParseUnary() {
  if (!PeekOperator("-") && !PeekOperator("+")) return ParsePostfix();
  DepthGuard guard(*this);
  auto node = Make<UnaryExpr>(Peek());
  node->op = Next().text == "-" ? UnaryOp::kNegate : UnaryOp::kPlus;
  node->operand = ParseUnary();
  return node;
}

ExprPtr Parser::ParsePostfix() {
  ExprPtr expr = ParsePrimary();
  while (true) {
    if (PeekOperator("::")) {
      const Token& op = Next();
      auto cast = Make<CastExpr>(op);
      cast->operand = std::move(expr);
      cast->type = ParseTypeName();
      expr = std::move(cast);
    } else if (PeekOperator("[")) {
      const Token& bracket = Next();
      std::vector<ExprPtr> args;
      args.push_back(std::move(expr));
      args.push_back(ParseExpr());
      ExpectOperator("]");
      expr = MakeCall("array_extract", std::move(args), bracket.line, bracket.column);
    } else {
      return expr;
    }
  }
}

ExprPtr Parser::ParsePrimary() {
  DepthGuard guard(*this);
  const Token& token = Peek();
  switch (token.type) {
    case TokenType::kInteger:
    case TokenType::kDecimal:
    case TokenType::kString: {
      auto constant = Make<ConstantExpr>(token);
      constant->type = token.type == TokenType::kInteger   ? ConstantType::kInteger
                       : token.type == TokenType::kDecimal ? ConstantType::kDecimal
                                                           : ConstantType::kString;
      constant->value = Next().text;
      return constant;
    }
    case TokenType::kOperator:
      if (token.text == "(") return ParseParenthesized();
      if (token.text == "*") {
        Next();
        return ParseStar({}, token);
      }
      if (token.text == "[") {
        Next();
        std::vector<ExprPtr> items;
        if (!PeekOperator("]")) items = ParseExprList();
        ExpectOperator("]");
        return MakeCall("list_value", std::move(items), token.line, token.column);
      }
      FailAt(token);
    case TokenType::kEnd:
      FailAt(token);
    case TokenType::kQuotedIdentifier:
      return ParseNameOrCall();
    case TokenType::kIdentifier:
      break;
  }
  const std::string& word = token.text;
  bool call_follows = PeekOperator("(", 1);
  if (word == "null" || word == "true" || word == "false") {
    auto constant = Make<ConstantExpr>(Next());
    constant->type = word == "null" ? ConstantType::kNull : ConstantType::kBoolean;
    constant->bool_value = word == "true";
    return constant;
  }
  if (word == "case") return ParseCase();
  if (call_follows && (word == "cast" || word == "try_cast")) return ParseCast(word == "try_cast");
  if (call_follows && word == "extract") return ParseExtract();
  if (call_follows && word == "substring") return ParseSubstring();
  if (call_follows && word == "position") return ParsePosition();
  if (call_follows && word == "exists") {
    auto node = Make<SubqueryExpr>(Next());
    node->subquery_kind = SubqueryKind::kExists;
    ExpectOperator("(");
    node->query = ParseQueryExpr();
    ExpectOperator(")");
    return node;
  }
  if (word == "interval" &&
      (Peek(1).type == TokenType::kString || Peek(1).type == TokenType::kInteger ||
       Peek(1).type == TokenType::kDecimal || call_follows)) {
    return ParseInterval();
  }
  if (Peek(1).type == TokenType::kString && StartsTypeName(token)) return ParseTypedLiteral();
  if (IsReservedKeyword(word) && !(call_follows && CanBeFunctionName(token))) FailAt(token);
  return ParseNameOrCall();
}

ExprPtr Parser::ParseParenthesized() {
  const Token& open = Next();
  if (StartsQuery()) {
    auto node = Make<SubqueryExpr>(open);
    node->subquery_kind = SubqueryKind::kScalar;
    node->query = ParseQueryExpr();
    ExpectOperator(")");
    return node;
  }
  ExprPtr inner = ParseExpr();
  ExpectOperator(")");
  return inner;
}

ExprPtr Parser::ParseNameOrCall() {
  const Token& first = Next();
  std::vector<std::string> parts = {first.text};
  while (PeekOperator(".")) {
    const Token& after = Peek(1);
    if (after.IsOperator("*")) {
      pos_ += 2;
      return ParseStar(std::move(parts), first);
    }
    if (after.type != TokenType::kIdentifier && after.type != TokenType::kQuotedIdentifier) {
      FailAt(after);
    }
    pos_ += 2;
    parts.push_back(after.text);
  }
  if (PeekOperator("(")) return ParseFunctionCall(std::move(parts), first);
  if (first.type == TokenType::kIdentifier && parts.size() == 1 && IsReservedKeyword(first.text)) {
    FailAt(first);
  }
  auto column = Make<ColumnRefExpr>(first);
  column->parts = std::move(parts);
  return column;
}

ExprPtr Parser::ParseStar(std::vector<std::string> qualifier, const Token& at) {
  auto star = Make<StarExpr>(at);
  star->qualifier = std::move(qualifier);
  if (AcceptKeyword("exclude")) {
    if (PeekOperator("(")) {
      star->exclude = ParseParenthesizedNames();
    } else {
      star->exclude.push_back(ParseName());
    }
  }
  return star;
}

std::vector<ExprPtr> Parser::ParseExprList() {
  std::vector<ExprPtr> list;
  do {
    list.push_back(ParseExpr());
  } while (AcceptOperator(","));
  return list;
}

}  // namespace sluice::sql
