#include "jinja/jinja_parser.h"

#include <algorithm>

#include "jinja/jinja_error.h"
#include "jinja/jinja_expression_parser.h"

namespace sluice::jinja {

namespace {

// Parses template data and statements; expressions come from ExpressionParser.
class TemplateParser : public ExpressionParser {
 public:
  TemplateParser(std::vector<Token> tokens, const std::string& name)
      : ExpressionParser(std::move(tokens), name) {}

  std::unique_ptr<Template> Run() {
    auto tmpl = std::make_unique<Template>();
    tmpl->name = name_;
    tmpl->body = Subparse({});
    return tmpl;
  }

 private:
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
    if (tag == "test") return ParseDbtBlock("test_", "endtest", true);
    if (tag == "materialization")
      return ParseDbtBlock("materialization_", "endmaterialization", false);
    if (tag == "snapshot") return ParseDbtBlock("snapshot_", "endsnapshot", false);
    if (tag == "docs") return ParseDbtBlock("docs_", "enddocs", false);
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
        if (std::any_of(def.defaults.begin(), def.defaults.end(),
                        [](auto& d) { return d != nullptr; })) {
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

  // dbt's block tags, which define macros under prefixed names as dbt does:
  // `{% test name(args) %}` -> test_name, `{% materialization name, adapter='x' %}` ->
  // materialization_name_x (or _default), `{% snapshot name %}` -> snapshot_name and
  // `{% docs name %}` -> docs_name.
  StmtPtr ParseDbtBlock(const std::string& prefix, const std::string& end_tag, bool has_signature) {
    auto stmt = std::make_unique<MacroStmt>(Current().line, Current().column);
    Next();
    MacroDef& def = stmt->macro;
    def.line = stmt->line;
    def.column = stmt->column;
    def.name = prefix + ExpectName();
    if (has_signature) {
      ParseSignature(def);
    } else if (prefix == "materialization_") {
      std::string adapter = "default";
      while (SkipOp(",")) {
        if (SkipName("default")) continue;
        std::string key = ExpectName();
        ExpectOp("=");
        ExprPtr value = ParseExpression(true);
        if (key == "adapter") {
          if (value->kind != ExprKind::kLiteral)
            Fail(Current(), "adapter must be a string literal");
          adapter = static_cast<const LiteralExpr&>(*value).value.Str();
        }
      }
      def.name += "_" + adapter;
    }
    ExpectBlockEnd();
    open_macros_.push_back(&def);
    open_blocks_.push_back(end_tag);
    def.body = Subparse({end_tag});
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

  std::vector<std::string> open_blocks_;  // the end tag each open block waits for
};

}  // namespace

std::unique_ptr<Template> ParseTemplate(std::string_view source, const std::string& name,
                                        const LexerOptions& options) {
  TemplateParser parser(TokenizeTemplate(source, name, options), name);
  return parser.Run();
}

}  // namespace sluice::jinja
