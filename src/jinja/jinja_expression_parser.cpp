#include "jinja/jinja_expression_parser.h"

#include <algorithm>

namespace sluice::jinja {

bool ExpressionParser::AtTupleEnd(const std::vector<std::string_view>& extra_end) const {
  const Token& t = Current();
  if (t.kind == TokenKind::kPrintEnd || t.kind == TokenKind::kBlockEnd ||
      t.kind == TokenKind::kEnd) {
    return true;
  }
  if (IsOp(")") || IsOp("]") || IsOp("}")) return true;
  return t.kind == TokenKind::kName &&
         std::find(extra_end.begin(), extra_end.end(), t.text) != extra_end.end();
}

// An expression, or a tuple when commas separate several (`{{ a, b }}`, `set x = 1, 2`).
ExprPtr ExpressionParser::ParseTuple(bool explicit_parentheses, bool with_condexpr,
                                     const std::vector<std::string_view>& extra_end) {
  const Token& start = Current();
  auto tuple = std::make_unique<SequenceExpr>(ExprKind::kTuple, start.line, start.column);
  bool is_tuple = false;
  while (true) {
    if (!tuple->items.empty()) ExpectOp(",");
    if (AtTupleEnd(extra_end)) break;
    tuple->items.push_back(ParseExpression(with_condexpr));
    if (IsOp(",")) {
      is_tuple = true;
    } else {
      break;
    }
  }
  if (!is_tuple) {
    if (!tuple->items.empty()) return std::move(tuple->items[0]);
    if (!explicit_parentheses) {
      Fail(Current(), "expected an expression, got " + DescribeToken(Current()));
    }
  }
  return tuple;
}

ExprPtr ExpressionParser::ParseExpression(bool with_condexpr) {
  return with_condexpr ? ParseConditional() : ParseOr();
}

ExprPtr ExpressionParser::ParseConditional() {
  ExprPtr expr = ParseOr();
  while (IsName("if")) {
    auto cond = std::make_unique<ConditionExpr>(Current().line, Current().column);
    Next();
    cond->then = std::move(expr);
    cond->condition = ParseOr();
    if (SkipName("else")) cond->otherwise = ParseConditional();
    expr = std::move(cond);
  }
  return expr;
}

ExprPtr ExpressionParser::MakeBinary(ExprKind kind, const Token& op_token, ExprPtr left,
                                     ExprPtr right, BinaryOp op) {
  auto node = std::make_unique<BinaryExpr>(kind, op_token.line, op_token.column);
  node->op = op;
  node->left = std::move(left);
  node->right = std::move(right);
  return node;
}

ExprPtr ExpressionParser::ParseOr() {
  ExprPtr left = ParseAnd();
  while (IsName("or")) {
    const Token& t = Next();
    left = MakeBinary(ExprKind::kOr, t, std::move(left), ParseAnd());
  }
  return left;
}

ExprPtr ExpressionParser::ParseAnd() {
  ExprPtr left = ParseNot();
  while (IsName("and")) {
    const Token& t = Next();
    left = MakeBinary(ExprKind::kAnd, t, std::move(left), ParseNot());
  }
  return left;
}

ExprPtr ExpressionParser::ParseNot() {
  if (IsName("not")) {
    const Token& t = Next();
    auto node = std::make_unique<UnaryExpr>(ExprKind::kNot, t.line, t.column);
    node->operand = ParseNot();
    return node;
  }
  return ParseCompare();
}

ExprPtr ExpressionParser::ParseCompare() {
  const Token& start = Current();
  ExprPtr first = ParseMath1();
  auto compare = std::make_unique<CompareExpr>(start.line, start.column);
  static const std::pair<std::string_view, CompareOp> kOps[] = {
      {"==", CompareOp::kEq}, {"!=", CompareOp::kNe}, {"<", CompareOp::kLt},
      {"<=", CompareOp::kLe}, {">", CompareOp::kGt},  {">=", CompareOp::kGe}};
  while (true) {
    std::optional<CompareOp> op;
    for (const auto& [text, o] : kOps) {
      if (IsOp(text)) op = o;
    }
    if (op) {
      Next();
    } else if (IsName("in")) {
      Next();
      op = CompareOp::kIn;
    } else if (IsName("not") && Peek().kind == TokenKind::kName && Peek().text == "in") {
      Next();
      Next();
      op = CompareOp::kNotIn;
    } else {
      break;
    }
    compare->rest.emplace_back(*op, ParseMath1());
  }
  if (compare->rest.empty()) return first;
  compare->first = std::move(first);
  return compare;
}

ExprPtr ExpressionParser::ParseMath1() {
  ExprPtr left = ParseConcat();
  while (IsOp("+") || IsOp("-")) {
    const Token& t = Next();
    BinaryOp op = t.text == "+" ? BinaryOp::kAdd : BinaryOp::kSub;
    left = MakeBinary(ExprKind::kBinary, t, std::move(left), ParseConcat(), op);
  }
  return left;
}

ExprPtr ExpressionParser::ParseConcat() {
  ExprPtr left = ParseMath2();
  while (IsOp("~")) {
    const Token& t = Next();
    left = MakeBinary(ExprKind::kConcat, t, std::move(left), ParseMath2());
  }
  return left;
}

ExprPtr ExpressionParser::ParseMath2() {
  ExprPtr left = ParsePow();
  while (IsOp("*") || IsOp("/") || IsOp("//") || IsOp("%")) {
    const Token& t = Next();
    BinaryOp op = t.text == "*"    ? BinaryOp::kMul
                  : t.text == "/"  ? BinaryOp::kDiv
                  : t.text == "//" ? BinaryOp::kFloorDiv
                                   : BinaryOp::kMod;
    left = MakeBinary(ExprKind::kBinary, t, std::move(left), ParsePow(), op);
  }
  return left;
}

ExprPtr ExpressionParser::ParsePow() {
  ExprPtr left = ParseUnary(true);
  while (IsOp("**")) {
    const Token& t = Next();
    left = MakeBinary(ExprKind::kBinary, t, std::move(left), ParseUnary(true), BinaryOp::kPow);
  }
  return left;
}

ExprPtr ExpressionParser::ParseUnary(bool with_filter) {
  ExprPtr node;
  if (IsOp("-") || IsOp("+")) {
    const Token& t = Next();
    auto unary = std::make_unique<UnaryExpr>(t.text == "-" ? ExprKind::kNegate : ExprKind::kPlus,
                                             t.line, t.column);
    unary->operand = ParseUnary(false);
    node = std::move(unary);
  } else {
    node = ParsePrimary();
  }
  node = ParsePostfix(std::move(node));
  if (with_filter) node = ParseFilterExpr(std::move(node));
  return node;
}

void ExpressionParser::NoteName(const std::string& name) {
  for (MacroDef* def : open_macros_) {
    if (name == "varargs") def->uses_varargs = true;
    if (name == "kwargs") def->uses_kwargs = true;
    if (name == "caller") def->uses_caller = true;
  }
}

ExprPtr ExpressionParser::ParsePrimary() {
  const Token& t = Current();
  switch (t.kind) {
    case TokenKind::kName: {
      Next();
      if (t.text == "true" || t.text == "True") return Literal(t, Value(true));
      if (t.text == "false" || t.text == "False") return Literal(t, Value(false));
      if (t.text == "none" || t.text == "None") return Literal(t, Value::None());
      NoteName(t.text);
      return std::make_unique<NameExpr>(t.line, t.column, t.text);
    }
    case TokenKind::kString: {
      std::string value;
      while (Current().kind == TokenKind::kString) value += Next().text;
      return Literal(t, Value(std::move(value)));
    }
    case TokenKind::kInteger:
      Next();
      return Literal(t, Value(t.int_value));
    case TokenKind::kFloat:
      Next();
      return Literal(t, Value(t.float_value));
    default:
      break;
  }
  if (IsOp("(")) {
    Next();
    ExprPtr inner = ParseTuple(true, true, {});
    ExpectOp(")");
    return inner;
  }
  if (IsOp("[")) {
    Next();
    auto list = std::make_unique<SequenceExpr>(ExprKind::kList, t.line, t.column);
    while (!IsOp("]")) {
      if (!list->items.empty()) {
        ExpectOp(",");
        if (IsOp("]")) break;
      }
      list->items.push_back(ParseExpression(true));
    }
    ExpectOp("]");
    return list;
  }
  if (IsOp("{")) {
    Next();
    auto dict = std::make_unique<DictExpr>(t.line, t.column);
    while (!IsOp("}")) {
      if (!dict->items.empty()) {
        ExpectOp(",");
        if (IsOp("}")) break;
      }
      ExprPtr key = ParseExpression(true);
      ExpectOp(":");
      dict->items.emplace_back(std::move(key), ParseExpression(true));
    }
    ExpectOp("}");
    return dict;
  }
  Fail(t, "unexpected " + DescribeToken(t));
}

ExprPtr ExpressionParser::Literal(const Token& t, Value v) {
  return std::make_unique<LiteralExpr>(t.line, t.column, std::move(v));
}

ExprPtr ExpressionParser::ParsePostfix(ExprPtr node) {
  while (true) {
    int line = node->line;
    int column = node->column;
    if (IsOp(".")) {
      Next();
      const Token& t = Current();
      if (t.kind == TokenKind::kName) {
        auto attr = std::make_unique<GetAttrExpr>(line, column);
        attr->object = std::move(node);
        attr->name = Next().text;
        node = std::move(attr);
      } else if (t.kind == TokenKind::kInteger) {
        auto item = std::make_unique<GetItemExpr>(line, column);
        item->object = std::move(node);
        item->key = Literal(t, Value(t.int_value));
        Next();
        node = std::move(item);
      } else {
        Fail(t, "expected a name or number after '.', got " + DescribeToken(t));
      }
    } else if (IsOp("[")) {
      Next();
      node = ParseSubscript(std::move(node), line, column);
    } else if (IsOp("(")) {
      auto call = std::make_unique<CallExpr>(line, column);
      call->callee = std::move(node);
      call->args = ParseArguments();
      node = std::move(call);
    } else {
      return node;
    }
  }
}

ExprPtr ExpressionParser::ParseSubscript(ExprPtr object, int line, int column) {
  ExprPtr start;
  if (!IsOp(":")) start = ParseExpression(true);
  if (!IsOp(":")) {
    ExpectOp("]");
    auto item = std::make_unique<GetItemExpr>(line, column);
    item->object = std::move(object);
    item->key = std::move(start);
    return item;
  }
  auto slice = std::make_unique<SliceExpr>(line, column);
  slice->object = std::move(object);
  slice->start = std::move(start);
  Next();
  if (!IsOp("]") && !IsOp(":")) slice->stop = ParseExpression(true);
  if (SkipOp(":") && !IsOp("]")) slice->step = ParseExpression(true);
  ExpectOp("]");
  return slice;
}

ArgumentsExpr ExpressionParser::ParseArguments() {
  ExpectOp("(");
  ArgumentsExpr args;
  bool first = true;
  while (!IsOp(")")) {
    if (!first) {
      ExpectOp(",");
      if (IsOp(")")) break;
    }
    first = false;
    if (SkipOp("**")) {
      args.star_kwargs = ParseExpression(true);
    } else if (SkipOp("*")) {
      args.star_args = ParseExpression(true);
    } else if (Current().kind == TokenKind::kName && Peek().kind == TokenKind::kOperator &&
               Peek().text == "=") {
      std::string key = Next().text;
      Next();
      args.keyword.emplace_back(std::move(key), ParseExpression(true));
    } else {
      if (!args.keyword.empty() || args.star_kwargs) {
        Fail(Current(), "positional argument follows keyword argument");
      }
      args.positional.push_back(ParseExpression(true));
    }
  }
  ExpectOp(")");
  return args;
}

ExprPtr ExpressionParser::ParseFilterExpr(ExprPtr node) {
  while (true) {
    if (SkipOp("|")) {
      auto filter = ParseFilter(std::move(node));
      node = std::move(filter);
    } else if (IsName("is")) {
      node = ParseTest(std::move(node));
    } else if (IsOp("(")) {
      auto call = std::make_unique<CallExpr>(node->line, node->column);
      call->callee = std::move(node);
      call->args = ParseArguments();
      node = std::move(call);
    } else {
      return node;
    }
  }
}

std::string ExpressionParser::ParseDottedName() {
  std::string name = ExpectName();
  while (IsOp(".") && Peek().kind == TokenKind::kName) {
    Next();
    name += "." + Next().text;
  }
  return name;
}

std::unique_ptr<FilterExpr> ExpressionParser::ParseFilter(ExprPtr input) {
  const Token& t = Current();
  auto filter = std::make_unique<FilterExpr>(t.line, t.column);
  filter->input = std::move(input);
  filter->name = ParseDottedName();
  if (IsOp("(")) filter->args = ParseArguments();
  return filter;
}

ExprPtr ExpressionParser::ParseTest(ExprPtr input) {
  Next();  // 'is'
  auto test = std::make_unique<TestExpr>(Current().line, Current().column);
  test->negated = SkipName("not");
  test->input = std::move(input);
  test->name = ParseDottedName();
  const Token& t = Current();
  if (IsOp("(")) {
    test->args = ParseArguments();
  } else if ((t.kind == TokenKind::kName || t.kind == TokenKind::kString ||
              t.kind == TokenKind::kInteger || t.kind == TokenKind::kFloat || IsOp("[") ||
              IsOp("{")) &&
             !IsName("else") && !IsName("or") && !IsName("and") && !IsName("if")) {
    if (IsName("is")) Fail(t, "you cannot chain multiple tests with 'is'");
    test->args.positional.push_back(ParsePostfix(ParsePrimary()));
  }
  return test;
}

}  // namespace sluice::jinja
