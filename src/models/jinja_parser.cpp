#include "models/jinja_parser.h"

#include <algorithm>

#include "models/jinja_error.h"

namespace sluice::jinja {

namespace {

class Parser {
 public:
  Parser(std::vector<Token> tokens, const std::string& name)
      : tokens_(std::move(tokens)), name_(name) {}

  std::unique_ptr<Template> Run() {
    auto tmpl = std::make_unique<Template>();
    tmpl->name = name_;
    tmpl->body = Subparse({});
    return tmpl;
  }

 private:
  // ---- token stream ----
  const Token& Current() const { return tokens_[pos_]; }
  const Token& Peek() const { return tokens_[std::min(pos_ + 1, tokens_.size() - 1)]; }
  const Token& Next() {
    const Token& t = tokens_[pos_];
    if (pos_ + 1 < tokens_.size()) ++pos_;
    return t;
  }
  bool IsOp(std::string_view op) const {
    return Current().kind == TokenKind::kOperator && Current().text == op;
  }
  bool IsName(std::string_view name) const {
    return Current().kind == TokenKind::kName && Current().text == name;
  }
  bool SkipOp(std::string_view op) {
    if (!IsOp(op)) return false;
    Next();
    return true;
  }
  bool SkipName(std::string_view name) {
    if (!IsName(name)) return false;
    Next();
    return true;
  }
  [[noreturn]] void Fail(const Token& t, const std::string& message) const {
    throw JinjaError(SourcePosition{name_, t.line, t.column}, message);
  }
  void ExpectOp(std::string_view op) {
    if (!SkipOp(op)) Fail(Current(), "expected '" + std::string(op) + "', got " + DescribeToken(Current()));
  }
  std::string ExpectName() {
    if (Current().kind != TokenKind::kName) {
      Fail(Current(), "expected a name, got " + DescribeToken(Current()));
    }
    return Next().text;
  }
  void ExpectKeyword(std::string_view word) {
    if (!SkipName(word)) {
      Fail(Current(), "expected '" + std::string(word) + "', got " + DescribeToken(Current()));
    }
  }
  void ExpectBlockEnd() {
    if (Current().kind != TokenKind::kBlockEnd) {
      Fail(Current(), "expected end of statement block, got " + DescribeToken(Current()));
    }
    Next();
  }
  // Consumes `end<tag>` (the stream is at the tag name after Subparse) and its '%}'.
  void ExpectEndTag() {
    Next();
    ExpectBlockEnd();
    open_blocks_.pop_back();
  }

  // ---- statements ----

  // Parses template data and tags until a block tag named in `end_tags`; the stream is then
  // at that tag's name.
  StmtList Subparse(const std::vector<std::string_view>& end_tags) {
    StmtList body;
    while (true) {
      const Token& t = Current();
      switch (t.kind) {
        case TokenKind::kText:
          body.push_back(std::make_unique<TextStmt>(t.line, t.column, t.text));
          Next();
          break;
        case TokenKind::kPrintBegin: {
          auto stmt = std::make_unique<ExprStmt>(StmtKind::kOutput, t.line, t.column);
          Next();
          stmt->expr = ParseTuple(false, true, {});
          if (Current().kind != TokenKind::kPrintEnd) {
            Fail(Current(), "expected end of print statement, got " + DescribeToken(Current()));
          }
          Next();
          body.push_back(std::move(stmt));
          break;
        }
        case TokenKind::kBlockBegin: {
          const Token& tag = Peek();
          if (tag.kind == TokenKind::kName &&
              std::find(end_tags.begin(), end_tags.end(), tag.text) != end_tags.end()) {
            Next();
            return body;
          }
          Next();
          body.push_back(ParseStatement());
          break;
        }
        case TokenKind::kEnd:
          if (!end_tags.empty()) {
            Fail(t, "unexpected end of template, expected '" + open_blocks_.back() + "'");
          }
          return body;
        default:
          Fail(t, "unexpected " + DescribeToken(t));
      }
    }
  }

  StmtPtr ParseStatement() {
    const Token& t = Current();
    if (t.kind != TokenKind::kName) Fail(t, "tag name expected, got " + DescribeToken(t));
    const std::string& tag = t.text;
    if (tag == "if") return ParseIf();
    if (tag == "for") return ParseFor();
    if (tag == "set") return ParseSet();
    if (tag == "macro") return ParseMacro();
    if (tag == "call") return ParseCallBlock();
    if (tag == "filter") return ParseFilterBlock();
    if (tag == "do") {
      auto stmt = std::make_unique<ExprStmt>(StmtKind::kDo, t.line, t.column);
      Next();
      stmt->expr = ParseTuple(false, true, {});
      ExpectBlockEnd();
      return stmt;
    }
    if (tag == "include") return ParseInclude();
    if (tag == "import") return ParseImport();
    if (tag == "from") return ParseFromImport();
    if (tag == "with") return ParseWith();
    if (!open_blocks_.empty()) {
      Fail(t, "unexpected tag '" + tag + "', expected '" + open_blocks_.back() + "'");
    }
    Fail(t, "unknown tag '" + tag + "'");
  }

  StmtPtr ParseIf() {
    auto stmt = std::make_unique<IfStmt>(Current().line, Current().column);
    Next();
    open_blocks_.push_back("endif");
    while (true) {
      ExprPtr condition = ParseTuple(false, false, {});
      ExpectBlockEnd();
      StmtList body = Subparse({"elif", "else", "endif"});
      stmt->branches.emplace_back(std::move(condition), std::move(body));
      const std::string tag = Next().text;
      if (tag == "elif") continue;
      if (tag == "else") {
        ExpectBlockEnd();
        stmt->else_body = Subparse({"endif"});
        Next();
      }
      break;
    }
    ExpectBlockEnd();
    open_blocks_.pop_back();
    return stmt;
  }

  StmtPtr ParseFor() {
    auto stmt = std::make_unique<ForStmt>(Current().line, Current().column);
    Next();
    stmt->target = ParseAssignTarget(false);
    ExpectKeyword("in");
    stmt->iterable = ParseTuple(false, false, {"recursive"});
    if (SkipName("if")) stmt->condition = ParseExpression(true);
    stmt->recursive = SkipName("recursive");
    ExpectBlockEnd();
    open_blocks_.push_back("endfor");
    stmt->body = Subparse({"endfor", "else"});
    if (Next().text == "else") {
      ExpectBlockEnd();
      stmt->else_body = Subparse({"endfor"});
      Next();
    }
    ExpectBlockEnd();
    open_blocks_.pop_back();
    return stmt;
  }

  // A name, `a, b` (for unpacking) or, with `with_namespace`, `ns.attr`.
  ExprPtr ParseAssignTarget(bool with_namespace) {
    const Token& start = Current();
    if (with_namespace && start.kind == TokenKind::kName && Peek().kind == TokenKind::kOperator &&
        Peek().text == ".") {
      auto attr = std::make_unique<GetAttrExpr>(start.line, start.column);
      attr->object = std::make_unique<NameExpr>(start.line, start.column, Next().text);
      Next();
      attr->name = ExpectName();
      return attr;
    }
    bool parenthesized = SkipOp("(");
    auto tuple = std::make_unique<SequenceExpr>(ExprKind::kTuple, start.line, start.column);
    bool is_tuple = parenthesized;
    while (true) {
      const Token& t = Current();
      std::string name = ExpectName();
      if (name == "true" || name == "false" || name == "none" || name == "True" ||
          name == "False" || name == "None") {
        Fail(t, "cannot assign to '" + name + "'");
      }
      tuple->items.push_back(std::make_unique<NameExpr>(t.line, t.column, name));
      if (!SkipOp(",")) break;
      is_tuple = true;
      if (Current().kind != TokenKind::kName || IsName("in")) break;
    }
    if (parenthesized) ExpectOp(")");
    if (!is_tuple) return std::move(tuple->items[0]);
    return tuple;
  }

  StmtPtr ParseSet() {
    const Token& t = Current();
    Next();
    ExprPtr target = ParseAssignTarget(true);
    if (SkipOp("=")) {
      auto stmt = std::make_unique<SetStmt>(t.line, t.column);
      stmt->target = std::move(target);
      stmt->value = ParseTuple(false, true, {});
      ExpectBlockEnd();
      return stmt;
    }
    auto stmt = std::make_unique<SetBlockStmt>(t.line, t.column);
    if (target->kind == ExprKind::kTuple) Fail(t, "a block set needs a single target");
    stmt->target = std::move(target);
    while (SkipOp("|")) stmt->filters.push_back(ParseFilter(nullptr));
    ExpectBlockEnd();
    open_blocks_.push_back("endset");
    stmt->body = Subparse({"endset"});
    ExpectEndTag();
    return stmt;
  }

  void ParseSignature(MacroDef& def) {
    ExpectOp("(");
    while (!IsOp(")")) {
      if (!def.params.empty()) {
        ExpectOp(",");
        if (IsOp(")")) break;
      }
      const Token& t = Current();
      def.params.push_back(ExpectName());
      if (SkipOp("=")) {
        def.defaults.push_back(ParseExpression(true));
      } else {
        if (std::any_of(def.defaults.begin(), def.defaults.end(), [](auto& d) { return d != nullptr; })) {
          Fail(t, "non-default argument follows default argument");
        }
        def.defaults.push_back(nullptr);
      }
    }
    ExpectOp(")");
  }

  StmtPtr ParseMacro() {
    auto stmt = std::make_unique<MacroStmt>(Current().line, Current().column);
    Next();
    MacroDef& def = stmt->macro;
    def.line = stmt->line;
    def.column = stmt->column;
    def.name = ExpectName();
    ParseSignature(def);
    ExpectBlockEnd();
    open_macros_.push_back(&def);
    open_blocks_.push_back("endmacro");
    def.body = Subparse({"endmacro"});
    ExpectEndTag();
    open_macros_.pop_back();
    return stmt;
  }

  StmtPtr ParseCallBlock() {
    auto stmt = std::make_unique<CallBlockStmt>(Current().line, Current().column);
    Next();
    MacroDef& def = stmt->caller;
    def.name = "caller";
    def.line = stmt->line;
    def.column = stmt->column;
    if (IsOp("(")) ParseSignature(def);
    const Token& t = Current();
    ExprPtr call = ParseExpression(true);
    if (call->kind != ExprKind::kCall) Fail(t, "expected a call after 'call'");
    stmt->call.reset(static_cast<CallExpr*>(call.release()));
    ExpectBlockEnd();
    open_macros_.push_back(&def);
    open_blocks_.push_back("endcall");
    def.body = Subparse({"endcall"});
    ExpectEndTag();
    open_macros_.pop_back();
    return stmt;
  }

  StmtPtr ParseFilterBlock() {
    auto stmt = std::make_unique<FilterBlockStmt>(Current().line, Current().column);
    Next();
    do {
      stmt->filters.push_back(ParseFilter(nullptr));
    } while (SkipOp("|"));
    ExpectBlockEnd();
    open_blocks_.push_back("endfilter");
    stmt->body = Subparse({"endfilter"});
    ExpectEndTag();
    return stmt;
  }

  // `with context` / `without context` after include and import.
  void ParseContextModifier(bool* with_context) {
    if ((IsName("with") || IsName("without")) && Peek().kind == TokenKind::kName &&
        Peek().text == "context") {
      *with_context = Next().text == "with";
      Next();
    }
  }

  StmtPtr ParseInclude() {
    auto stmt = std::make_unique<IncludeStmt>(Current().line, Current().column);
    Next();
    stmt->template_name = ParseExpression(true);
    if (IsName("ignore") && Peek().kind == TokenKind::kName && Peek().text == "missing") {
      Next();
      Next();
      stmt->ignore_missing = true;
    }
    ParseContextModifier(&stmt->with_context);
    ExpectBlockEnd();
    return stmt;
  }

  StmtPtr ParseImport() {
    auto stmt = std::make_unique<ImportStmt>(StmtKind::kImport, Current().line, Current().column);
    Next();
    stmt->template_name = ParseExpression(true);
    ExpectKeyword("as");
    stmt->alias = ExpectName();
    ParseContextModifier(&stmt->with_context);
    ExpectBlockEnd();
    return stmt;
  }

  StmtPtr ParseFromImport() {
    auto stmt =
        std::make_unique<ImportStmt>(StmtKind::kFromImport, Current().line, Current().column);
    Next();
    stmt->template_name = ParseExpression(true);
    ExpectKeyword("import");
    while (true) {
      if ((IsName("with") || IsName("without")) && Peek().text == "context") break;
      std::string name = ExpectName();
      std::string alias = SkipName("as") ? ExpectName() : name;
      stmt->names.emplace_back(std::move(name), std::move(alias));
      if (!SkipOp(",")) break;
    }
    ParseContextModifier(&stmt->with_context);
    ExpectBlockEnd();
    return stmt;
  }

  StmtPtr ParseWith() {
    auto stmt = std::make_unique<WithStmt>(Current().line, Current().column);
    Next();
    while (Current().kind != TokenKind::kBlockEnd) {
      if (!stmt->assignments.empty()) ExpectOp(",");
      ExprPtr target = ParseAssignTarget(false);
      ExpectOp("=");
      stmt->assignments.emplace_back(std::move(target), ParseExpression(true));
    }
    ExpectBlockEnd();
    open_blocks_.push_back("endwith");
    stmt->body = Subparse({"endwith"});
    ExpectEndTag();
    return stmt;
  }

  // ---- expressions, lowest precedence first ----

  bool AtTupleEnd(const std::vector<std::string_view>& extra_end) const {
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
  ExprPtr ParseTuple(bool explicit_parentheses, bool with_condexpr,
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

  ExprPtr ParseExpression(bool with_condexpr) {
    return with_condexpr ? ParseConditional() : ParseOr();
  }

  ExprPtr ParseConditional() {
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

  ExprPtr MakeBinary(ExprKind kind, const Token& op_token, ExprPtr left, ExprPtr right,
                     BinaryOp op = BinaryOp::kAdd) {
    auto node = std::make_unique<BinaryExpr>(kind, op_token.line, op_token.column);
    node->op = op;
    node->left = std::move(left);
    node->right = std::move(right);
    return node;
  }

  ExprPtr ParseOr() {
    ExprPtr left = ParseAnd();
    while (IsName("or")) {
      const Token& t = Next();
      left = MakeBinary(ExprKind::kOr, t, std::move(left), ParseAnd());
    }
    return left;
  }

  ExprPtr ParseAnd() {
    ExprPtr left = ParseNot();
    while (IsName("and")) {
      const Token& t = Next();
      left = MakeBinary(ExprKind::kAnd, t, std::move(left), ParseNot());
    }
    return left;
  }

  ExprPtr ParseNot() {
    if (IsName("not")) {
      const Token& t = Next();
      auto node = std::make_unique<UnaryExpr>(ExprKind::kNot, t.line, t.column);
      node->operand = ParseNot();
      return node;
    }
    return ParseCompare();
  }

  ExprPtr ParseCompare() {
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

  ExprPtr ParseMath1() {
    ExprPtr left = ParseConcat();
    while (IsOp("+") || IsOp("-")) {
      const Token& t = Next();
      BinaryOp op = t.text == "+" ? BinaryOp::kAdd : BinaryOp::kSub;
      left = MakeBinary(ExprKind::kBinary, t, std::move(left), ParseConcat(), op);
    }
    return left;
  }

  ExprPtr ParseConcat() {
    ExprPtr left = ParseMath2();
    while (IsOp("~")) {
      const Token& t = Next();
      left = MakeBinary(ExprKind::kConcat, t, std::move(left), ParseMath2());
    }
    return left;
  }

  ExprPtr ParseMath2() {
    ExprPtr left = ParsePow();
    while (IsOp("*") || IsOp("/") || IsOp("//") || IsOp("%")) {
      const Token& t = Next();
      BinaryOp op = t.text == "*"   ? BinaryOp::kMul
                    : t.text == "/" ? BinaryOp::kDiv
                    : t.text == "//" ? BinaryOp::kFloorDiv
                                     : BinaryOp::kMod;
      left = MakeBinary(ExprKind::kBinary, t, std::move(left), ParsePow(), op);
    }
    return left;
  }

  ExprPtr ParsePow() {
    ExprPtr left = ParseUnary(true);
    while (IsOp("**")) {
      const Token& t = Next();
      left = MakeBinary(ExprKind::kBinary, t, std::move(left), ParseUnary(true), BinaryOp::kPow);
    }
    return left;
  }

  ExprPtr ParseUnary(bool with_filter) {
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

  void NoteName(const std::string& name) {
    for (MacroDef* def : open_macros_) {
      if (name == "varargs") def->uses_varargs = true;
      if (name == "kwargs") def->uses_kwargs = true;
      if (name == "caller") def->uses_caller = true;
    }
  }

  ExprPtr ParsePrimary() {
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

  static ExprPtr Literal(const Token& t, Value v) {
    return std::make_unique<LiteralExpr>(t.line, t.column, std::move(v));
  }

  ExprPtr ParsePostfix(ExprPtr node) {
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

  ExprPtr ParseSubscript(ExprPtr object, int line, int column) {
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

  ArgumentsExpr ParseArguments() {
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

  ExprPtr ParseFilterExpr(ExprPtr node) {
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

  std::string ParseDottedName() {
    std::string name = ExpectName();
    while (IsOp(".") && Peek().kind == TokenKind::kName) {
      Next();
      name += "." + Next().text;
    }
    return name;
  }

  std::unique_ptr<FilterExpr> ParseFilter(ExprPtr input) {
    const Token& t = Current();
    auto filter = std::make_unique<FilterExpr>(t.line, t.column);
    filter->input = std::move(input);
    filter->name = ParseDottedName();
    if (IsOp("(")) filter->args = ParseArguments();
    return filter;
  }

  ExprPtr ParseTest(ExprPtr input) {
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

  std::vector<Token> tokens_;
  size_t pos_ = 0;
  const std::string& name_;
  std::vector<std::string> open_blocks_;  // the end tag each open block waits for
  std::vector<MacroDef*> open_macros_;    // macros and call blocks being parsed
};

}  // namespace

std::unique_ptr<Template> ParseTemplate(std::string_view source, const std::string& name,
                                        const LexerOptions& options) {
  Parser parser(TokenizeTemplate(source, name, options), name);
  return parser.Run();
}

}  // namespace sluice::jinja
