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

// operands[lo..hi) joined by `op` as a balanced tree (depth log2 n), in the same order.
static ExprPtr BalancedChain(BinaryOp op, std::vector<ExprPtr>& operands,
                      const std::vector<const Token*>& ops, size_t lo, size_t hi) {
  if (hi - lo == 1) return std::move(operands[lo]);
  const size_t mid = lo + (hi - lo) / 2;
  ExprPtr left = BalancedChain(op, operands, ops, lo, mid);
  ExprPtr right = BalancedChain(op, operands, ops, mid, hi);
  return MakeBinary(op, std::move(left), std::move(right), *ops[mid - 1]);
}

// A chain of AND or OR. Short chains stay left-deep (as written, for column names); long
// ones are balanced, since AND and OR are associative, so that a 20,000-term OR list is not
// 20,000 levels deep.
ExprPtr Parser::ParseLogicalChain(bool is_or) {
  constexpr size_t kLeftDeepLimit = 64;
  const char* word = is_or ? "or" : "and";
  const BinaryOp op = is_or ? BinaryOp::kOr : BinaryOp::kAnd;
  auto operand = [&] { return is_or ? ParseAnd() : ParseNot(); };
  std::vector<ExprPtr> operands;
  std::vector<const Token*> ops;
  operands.push_back(operand());
  while (PeekKeyword(word)) {
    ops.push_back(&Next());
    operands.push_back(operand());
  }
  if (operands.size() > kLeftDeepLimit) {
    return BalancedChain(op, operands, ops, 0, operands.size());
  }
  ExprPtr left = std::move(operands[0]);
  for (size_t i = 1; i < operands.size(); i++) {
    left = MakeBinary(op, std::move(left), std::move(operands[i]), *ops[i - 1]);
  }
  return left;
}

ExprPtr Parser::ParseOr() { return ParseLogicalChain(true); }

ExprPtr Parser::ParseAnd() { return ParseLogicalChain(false); }

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
  int chain = 0;
  while (PeekKeyword("is")) {
    AddChainLevel(chain);
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
  ReleaseChain(chain);
  return left;
}

ExprPtr Parser::ParseComparison() {
  ExprPtr left = ParsePredicate();
  int chain = 0;
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
    AddChainLevel(chain);
    const Token& op_token = Next();
    left = ParseComparisonRight(op, std::move(left), op_token);
  }
  ReleaseChain(chain);
  return left;
}

ExprPtr Parser::ParseComparisonRight(BinaryOp op, ExprPtr left, const Token& op_token) {
  const bool quantifier = PeekKeyword("any") || PeekKeyword("some") || PeekKeyword("all");
  if (!quantifier || !PeekOperator("(", 1)) return MakeBinary(op, std::move(left), ParsePredicate(), op_token);
  auto node = Make<InExpr>(op_token);
  node->quantified = true;
  node->op = op;
  node->all = Next().IsKeyword("all");
  node->operand = std::move(left);
  ExpectOperator("(");
  if (!StartsQuery()) FailAt(Peek());  // ANY/ALL over a list or an array: not supported
  {
    DepthGuard guard(*this);
    node->subquery = ParseQueryExpr();
  }
  ExpectOperator(")");
  return node;
}

ExprPtr Parser::ParsePredicate() {
  ExprPtr left = ParseConcat();
  int chain = 0;
  struct Release {
    Parser& p;
    int& chain;
    ~Release() { p.ReleaseChain(chain); }
  } release{*this, chain};
  while (true) {
    size_t ahead = PeekKeyword("not") ? 1 : 0;
    const Token& keyword = Peek(ahead);
    bool negated = ahead == 1;
    if (keyword.IsKeyword("between") || keyword.IsKeyword("in") || keyword.IsKeyword("like") ||
        keyword.IsKeyword("ilike")) {
      AddChainLevel(chain);
    }
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
  int chain = 0;
  // The JSON arrows share the level of || (PostgreSQL's "other operators"), left to right.
  while (PeekOperator("||") || PeekOperator("->") || PeekOperator("->>")) {
    AddChainLevel(chain);
    const Token& op = Next();
    if (op.text == "||") {
      left = MakeBinary(BinaryOp::kConcat, std::move(left), ParseAdditive(), op);
    } else {
      std::vector<ExprPtr> args;
      args.push_back(std::move(left));
      args.push_back(ParseAdditive());
      left = MakeCall(op.text == "->" ? "json_extract" : "json_extract_string", std::move(args),
                      op.line, op.column);
    }
  }
  ReleaseChain(chain);
  return left;
}

ExprPtr Parser::ParseAdditive() {
  ExprPtr left = ParseMultiplicative();
  int chain = 0;
  while (PeekOperator("+") || PeekOperator("-")) {
    AddChainLevel(chain);
    const Token& op = Next();
    BinaryOp kind = op.text == "+" ? BinaryOp::kAdd : BinaryOp::kSubtract;
    left = MakeBinary(kind, std::move(left), ParseMultiplicative(), op);
  }
  ReleaseChain(chain);
  return left;
}

ExprPtr Parser::ParseMultiplicative() {
  ExprPtr left = ParseUnary();
  int chain = 0;
  while (PeekOperator("*") || PeekOperator("/") || PeekOperator("//") || PeekOperator("%")) {
    AddChainLevel(chain);
    const Token& op = Next();
    BinaryOp kind = op.text == "*"    ? BinaryOp::kMultiply
                    : op.text == "/"  ? BinaryOp::kDivide
                    : op.text == "//" ? BinaryOp::kIntegerDivide
                                      : BinaryOp::kModulo;
    left = MakeBinary(kind, std::move(left), ParseUnary(), op);
  }
  ReleaseChain(chain);
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
  int chain = 0;
  while (true) {
    const bool field = PeekOperator(".") && (Peek(1).type == TokenType::kIdentifier ||
                                             Peek(1).type == TokenType::kQuotedIdentifier);
    if (PeekOperator("::") || PeekOperator("[") || field) AddChainLevel(chain);
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
    } else if (PeekKeyword("at") && PeekKeyword("time", 1) && PeekKeyword("zone", 2)) {
      // ts AT TIME ZONE zone: timezone(zone, ts), as in PostgreSQL and DuckDB.
      AddChainLevel(chain);
      const Token& at = Next();
      pos_ += 2;
      std::vector<ExprPtr> args;
      args.push_back(ParsePrimary());
      args.push_back(std::move(expr));
      expr = MakeCall("timezone", std::move(args), at.line, at.column);
    } else if (field) {
      // (expr).name, l[1].name: a STRUCT field.
      const Token& dot = Next();
      auto name = Make<ConstantExpr>(Peek());
      name->type = ConstantType::kString;
      name->value = Next().text;
      std::vector<ExprPtr> args;
      args.push_back(std::move(expr));
      args.push_back(std::move(name));
      expr = MakeCall("struct_extract", std::move(args), dot.line, dot.column);
    } else {
      ReleaseChain(chain);
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
        if (IsColumnsCallAhead()) {
          // *COLUMNS(...): unpacked into one function argument per column.
          ExprPtr columns = ParseColumns(Next());
          columns->As<StarExpr>().unpacked = true;
          return columns;
        }
        return ParseStar({}, token);
      }
      if (token.text == "[") {
        Next();
        std::vector<ExprPtr> items;
        if (!PeekOperator("]")) items = ParseExprList();
        ExpectOperator("]");
        return MakeCall("list_value", std::move(items), token.line, token.column);
      }
      if (token.text == "{") {
        // {'a': 1, b: 'x'}: struct_pack with each key before its value.
        Next();
        std::vector<ExprPtr> args;
        if (!PeekOperator("}")) {
          do {
            const Token& key_token = Peek();
            if (key_token.type != TokenType::kString && key_token.type != TokenType::kIdentifier &&
                key_token.type != TokenType::kQuotedIdentifier) {
              FailAt(key_token);
            }
            auto key = Make<ConstantExpr>(key_token);
            key->type = ConstantType::kString;
            key->value = Next().text;
            ExpectOperator(":");
            args.push_back(std::move(key));
            args.push_back(ParseExpr());
          } while (AcceptOperator(","));
        }
        ExpectOperator("}");
        return MakeCall("struct_pack", std::move(args), token.line, token.column);
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
  if (word == "map" && PeekOperator("{", 1)) return ParseMapLiteral();
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

ExprPtr Parser::ParseMapLiteral() {
  // MAP {k: v, ...}: map([k, ...], [v, ...]); MAP {} is map().
  const Token& token = Next();
  Next();
  std::vector<ExprPtr> keys, values;
  if (!PeekOperator("}")) {
    do {
      keys.push_back(ParseExpr());
      ExpectOperator(":");
      values.push_back(ParseExpr());
    } while (AcceptOperator(","));
  }
  ExpectOperator("}");
  std::vector<ExprPtr> args;
  if (!keys.empty()) {
    args.push_back(MakeCall("list_value", std::move(keys), token.line, token.column));
    args.push_back(MakeCall("list_value", std::move(values), token.line, token.column));
  }
  return MakeCall("map", std::move(args), token.line, token.column);
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
  if (parts.size() == 1 && first.type == TokenType::kIdentifier && first.text == "columns" &&
      PeekOperator("(")) {
    return ParseColumns(first);
  }
  if (PeekOperator("(")) return ParseFunctionCall(std::move(parts), first);
  if (parts.size() == 1 && first.type == TokenType::kIdentifier &&
      (first.text == "current_date" || first.text == "current_timestamp")) {
    // SQL's niladic functions, written without parentheses.
    auto call = Make<FunctionExpr>(first);
    call->name = std::move(parts);
    return call;
  }
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
  if (AcceptKeyword("replace")) {
    const bool parenthesized = AcceptOperator("(");
    do {
      ExprPtr e = ParseExpr();
      ExpectKeyword("as");
      star->replace.emplace_back(std::move(e), ParseName());
    } while (parenthesized && AcceptOperator(","));
    if (parenthesized) ExpectOperator(")");
  }
  return star;
}

bool Parser::IsColumnsCallAhead() const {
  const Token& word = Peek();
  return word.type == TokenType::kIdentifier && word.text == "columns" && PeekOperator("(", 1);
}

// COLUMNS(*), COLUMNS(t.* EXCLUDE (a)), COLUMNS('regex'), COLUMNS(['a', 'b']),
// COLUMNS(c -> condition); `at` is the COLUMNS token, already consumed.
ExprPtr Parser::ParseColumns(const Token& at) {
  ExpectOperator("(");
  std::unique_ptr<StarExpr> star;
  if (IsNameToken(Peek()) && PeekOperator("->", 1)) {
    star = Make<StarExpr>(at);
    star->lambda_parameter = Next().text;
    Next();
    star->pattern = ParseExpr();
  } else {
    ExprPtr inner = ParseExpr();
    if (inner->kind == ExprKind::kStar) {
      star.reset(&inner.release()->As<StarExpr>());
      if (star->columns) FailAt(at, "COLUMNS cannot be nested in");
      star->line = at.line;
      star->column = at.column;
    } else {
      star = Make<StarExpr>(at);
      star->pattern = std::move(inner);
    }
  }
  star->columns = true;
  ExpectOperator(")");
  return star;
}

ExprPtr Parser::ParseExprOrDefault() {
  if (PeekKeyword("default") && !PeekOperator("(", 1)) return Make<DefaultExpr>(Next());
  return ParseExpr();
}

std::vector<ExprPtr> Parser::ParseExprList() {
  std::vector<ExprPtr> list;
  do {
    list.push_back(ParseExpr());
  } while (AcceptOperator(","));
  return list;
}

}  // namespace sluice::sql
