// Query bodies: WITH, set operations, SELECT, VALUES, GROUP BY and hints.

#include <cctype>

#include "sql/lexer.h"
#include "sql/parser_internal.h"

namespace sluice::sql {
namespace {

// Turns `q` into `SELECT * FROM (q)` so that a parenthesized query that already has ORDER BY
// or LIMIT can take another set from the enclosing query.
QueryPtr WrapInSelect(QueryPtr query) {
  auto select = std::make_unique<SelectNode>();
  select->line = query->line;
  select->column = query->column;
  auto star = std::make_unique<StarExpr>();
  star->line = query->line;
  star->column = query->column;
  SelectItem item;
  item.line = query->line;
  item.column = query->column;
  item.expr = std::move(star);
  item.source_text = "*";
  select->select_list.push_back(std::move(item));
  auto from = std::make_unique<TableRef>(TableRefKind::kSubquery);
  from->line = query->line;
  from->column = query->column;
  from->query = std::move(query);
  select->from = std::move(from);
  return select;
}

}  // namespace

bool Parser::StartsQuery(size_t ahead) const {
  return PeekKeyword("select", ahead) || PeekKeyword("with", ahead) ||
         PeekKeyword("values", ahead) || StartsPivotStatement(ahead);
}

QueryPtr Parser::ParseQueryExpr() {
  DepthGuard guard(*this);
  const Token& start = Peek();
  std::vector<CommonTableExpr> ctes;
  bool recursive = false;
  if (AcceptKeyword("with")) {
    recursive = AcceptKeyword("recursive");
    do {
      CommonTableExpr cte;
      cte.line = Peek().line;
      cte.column = Peek().column;
      cte.name = ParseName();
      if (PeekOperator("(")) cte.column_aliases = ParseParenthesizedNames();
      ExpectKeyword("as");
      if (AcceptKeyword("not")) {
        ExpectKeyword("materialized");
      } else {
        AcceptKeyword("materialized");
      }
      ExpectOperator("(");
      cte.query = ParseQueryExpr();
      ExpectOperator(")");
      ctes.push_back(std::move(cte));
    } while (AcceptOperator(","));
  }
  QueryPtr query = ParseSetOperation();

  std::vector<OrderByItem> order_by;
  ExprPtr limit;
  ExprPtr offset;
  if (AcceptKeyword("order")) {
    ExpectKeyword("by");
    order_by = ParseOrderByList();
  }
  if (AcceptKeyword("limit")) limit = ParseExpr();
  if (AcceptKeyword("offset")) {
    offset = ParseExpr();
    if (!AcceptKeyword("rows")) AcceptKeyword("row");
  }
  // LIMIT after OFFSET, as PostgreSQL also allows.
  if (!limit && offset && AcceptKeyword("limit")) limit = ParseExpr();

  bool has_modifiers = !order_by.empty() || limit || offset;
  if ((has_modifiers && query->HasModifiers()) || (!ctes.empty() && !query->ctes.empty())) {
    query = WrapInSelect(std::move(query));
  }
  if (!ctes.empty()) {
    query->ctes = std::move(ctes);
    query->recursive = recursive;
    query->line = start.line;
    query->column = start.column;
  }
  if (!order_by.empty()) query->order_by = std::move(order_by);
  if (limit) query->limit = std::move(limit);
  if (offset) query->offset = std::move(offset);
  return query;
}

QueryPtr Parser::ParseSetOperation() {
  QueryPtr left = ParseIntersect();
  while (PeekKeyword("union") || PeekKeyword("except")) {
    const Token& op = Next();
    auto node = Make<SetOperationNode>(op);
    node->op = op.text == "union" ? SetOpType::kUnion : SetOpType::kExcept;
    node->all = AcceptKeyword("all");
    if (!node->all) AcceptKeyword("distinct");
    node->left = std::move(left);
    node->right = ParseIntersect();
    left = std::move(node);
  }
  return left;
}

QueryPtr Parser::ParseIntersect() {
  QueryPtr left = ParseQueryPrimary();
  while (PeekKeyword("intersect")) {
    const Token& op = Next();
    auto node = Make<SetOperationNode>(op);
    node->op = SetOpType::kIntersect;
    node->all = AcceptKeyword("all");
    if (!node->all) AcceptKeyword("distinct");
    node->left = std::move(left);
    node->right = ParseQueryPrimary();
    left = std::move(node);
  }
  return left;
}

QueryPtr Parser::ParseQueryPrimary() {
  if (PeekKeyword("select")) return ParseSelectCore();
  if (PeekKeyword("values")) return ParseValues();
  if (StartsPivotStatement()) return ParsePivotStatement();
  if (PeekOperator("(")) {
    Next();
    QueryPtr query = ParseQueryExpr();
    ExpectOperator(")");
    return query;
  }
  FailAt(Peek());
}

QueryPtr Parser::ParseValues() {
  auto node = Make<ValuesNode>(Next());
  do {
    ExpectOperator("(");
    std::vector<ExprPtr> row;
    do {
      row.push_back(ParseExprOrDefault());
    } while (AcceptOperator(","));
    node->rows.push_back(std::move(row));
    ExpectOperator(")");
  } while (AcceptOperator(","));
  return node;
}

QueryPtr Parser::ParseSelectCore() {
  auto node = Make<SelectNode>(Next());
  if (!Peek().hint.empty()) node->hints = ParseHints(Peek().hint);
  if (AcceptKeyword("distinct")) {
    node->distinct = true;
    if (AcceptKeyword("on")) {
      ExpectOperator("(");
      node->distinct_on = ParseExprList();
      ExpectOperator(")");
    }
  } else {
    AcceptKeyword("all");
  }
  do {
    node->select_list.push_back(ParseSelectItem());
  } while (AcceptOperator(","));
  if (AcceptKeyword("from")) node->from = ParseFromList();
  if (AcceptKeyword("where")) node->where = ParseExpr();
  if (PeekKeyword("group") && PeekKeyword("by", 1)) {
    pos_ += 2;
    node->group_by = ParseGroupBy();
  }
  if (AcceptKeyword("having")) node->having = ParseExpr();
  if (AcceptKeyword("window")) {
    do {
      NamedWindow window;
      window.spec.line = Peek().line;
      window.spec.column = Peek().column;
      window.name = ParseName();
      ExpectKeyword("as");
      ExpectOperator("(");
      ParseWindowSpecBody(window.spec);
      ExpectOperator(")");
      node->windows.push_back(std::move(window));
    } while (AcceptOperator(","));
  }
  if (AcceptKeyword("qualify")) node->qualify = ParseExpr();
  return node;
}

SelectItem Parser::ParseSelectItem() {
  const Token& start = Peek();
  SelectItem item;
  item.line = start.line;
  item.column = start.column;
  item.expr = ParseExpr();
  item.source_text = SourceSlice(start.offset, PreviousEnd());
  item.alias = ParseOptionalAlias();
  return item;
}

GroupByClause Parser::ParseGroupBy() {
  GroupByClause clause;
  if (AcceptKeyword("all")) {
    clause.all = true;
    return clause;
  }
  do {
    clause.elements.push_back(ParseGroupingElement());
  } while (AcceptOperator(","));
  return clause;
}

GroupingElement Parser::ParseGroupingElement() {
  GroupingElement element;
  if ((PeekKeyword("rollup") || PeekKeyword("cube")) && PeekOperator("(", 1)) {
    element.kind = Next().text == "rollup" ? GroupingKind::kRollup : GroupingKind::kCube;
    ExpectOperator("(");
    element.exprs = ParseExprList();
    ExpectOperator(")");
    return element;
  }
  if (PeekKeyword("grouping") && PeekKeyword("sets", 1)) {
    pos_ += 2;
    element.kind = GroupingKind::kGroupingSets;
    ExpectOperator("(");
    do {
      std::vector<ExprPtr> set;
      if (AcceptOperator("(")) {
        if (!PeekOperator(")")) set = ParseExprList();
        ExpectOperator(")");
      } else {
        set.push_back(ParseExpr());
      }
      element.sets.push_back(std::move(set));
    } while (AcceptOperator(","));
    ExpectOperator(")");
    return element;
  }
  element.exprs.push_back(ParseExpr());
  return element;
}

std::vector<Hint> Parser::ParseHints(const std::string& text) {
  // Hints are advisory: one that does not parse is dropped, as Oracle and Spark do, rather than
  // failing a query that would run fine without it.
  std::vector<Hint> hints;
  try {
    std::vector<Token> tokens = Tokenize(text);
    size_t i = 0;
    auto is_word = [&](size_t at) {
      return tokens[at].type == TokenType::kIdentifier ||
             tokens[at].type == TokenType::kQuotedIdentifier;
    };
    while (tokens[i].type != TokenType::kEnd) {
      if (tokens[i].IsOperator(",")) {
        ++i;
        continue;
      }
      if (!is_word(i)) return {};
      Hint hint;
      hint.name = tokens[i++].text;
      for (char& c : hint.name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      if (tokens[i].IsOperator("(")) {
        ++i;
        while (!tokens[i].IsOperator(")")) {
          if (tokens[i].type == TokenType::kEnd || tokens[i].type == TokenType::kOperator) {
            return {};
          }
          hint.args.push_back(tokens[i++].text);
          if (tokens[i].IsOperator(",")) ++i;
        }
        ++i;
      }
      hints.push_back(std::move(hint));
    }
  } catch (const ParseError&) {
    return {};
  }
  return hints;
}

}  // namespace sluice::sql
