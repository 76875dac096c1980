// PIVOT and UNPIVOT: DuckDB's statements (PIVOT t ON k USING sum(x) GROUP BY g; UNPIVOT t ON
// a, b INTO NAME n VALUE v) and the SQL-standard FROM-clause forms (t PIVOT (sum(x) FOR k IN
// (1, 2)); t UNPIVOT [INCLUDE NULLS] (v FOR n IN (a, b))).

#include "sql/parser_internal.h"

namespace sluice::sql {
namespace {

bool IsWord(const Token& t, std::string_view word) {
  return t.type == TokenType::kIdentifier && t.text == word;
}

bool IsPivotWord(const Token& t) {
  return IsWord(t, "pivot") || IsWord(t, "pivot_wider") || IsWord(t, "unpivot") ||
         IsWord(t, "pivot_longer");
}

std::unique_ptr<TableRef> MakeRef(TableRefKind kind, const Token& at) {
  auto ref = std::make_unique<TableRef>(kind);
  ref->line = at.line;
  ref->column = at.column;
  return ref;
}

}  // namespace

bool Parser::StartsPivotStatement(size_t ahead) const {
  if (!IsPivotWord(Peek(ahead))) return false;
  const Token& next = Peek(ahead + 1);
  return IsNameToken(next) || next.type == TokenType::kString || next.IsOperator("(");
}

bool Parser::IsPivotSuffixAhead() const {
  if (IsWord(Peek(), "pivot")) return PeekOperator("(", 1);
  if (!IsWord(Peek(), "unpivot")) return false;
  return PeekOperator("(", 1) || ((IsWord(Peek(1), "include") || IsWord(Peek(1), "exclude")) &&
                                  IsWord(Peek(2), "nulls"));
}

void Parser::ExpectWord(std::string_view word) {
  if (!IsWord(Peek(), word)) FailAt(Peek());
  Next();
}

QueryPtr Parser::ParsePivotStatement() {
  const Token& at = Next();
  const bool unpivot = at.text == "unpivot" || at.text == "pivot_longer";
  auto ref = MakeRef(unpivot ? TableRefKind::kUnpivot : TableRefKind::kPivot, at);
  ref->pivot = std::make_unique<PivotSpec>();
  PivotSpec& spec = *ref->pivot;
  spec.statement_form = true;
  ref->left = ParseTableItem();
  ExpectKeyword("on");
  if (unpivot) {
    spec.entries = ParseUnpivotEntries();
    if (AcceptKeyword("into")) {
      ExpectWord("name");
      spec.name_column = ParseName();
      ExpectWord("value");
      spec.value_columns.clear();
      do {
        spec.value_columns.push_back(ParseName());
      } while (AcceptOperator(","));
    }
  } else {
    do {
      PivotOn on;
      ExprPtr e = ParseExpr();
      if (e->kind == ExprKind::kIn && !e->As<InExpr>().negated && !e->As<InExpr>().subquery &&
          !e->As<InExpr>().quantified) {
        // ON k IN (1, 2): the IN list names the values that get columns.
        auto& in = e->As<InExpr>();
        on.expr = std::move(in.operand);
        on.has_in = true;
        for (auto& v : in.list) on.in.push_back({std::move(v), ""});
      } else {
        on.expr = std::move(e);
      }
      spec.on.push_back(std::move(on));
    } while (AcceptOperator(","));
    if (AcceptKeyword("using")) spec.aggregates = ParsePivotAggregates();
    if (AcceptKeyword("group")) {
      ExpectKeyword("by");
      spec.group_by = ParseExprList();
    }
  }
  // SELECT * FROM <the pivot>: ORDER BY and LIMIT after the statement apply to it.
  auto select = Make<SelectNode>(at);
  SelectItem item;
  item.line = at.line;
  item.column = at.column;
  item.expr = Make<StarExpr>(at);
  item.source_text = "*";
  select->select_list.push_back(std::move(item));
  select->from = std::move(ref);
  return select;
}

std::vector<PivotAggregate> Parser::ParsePivotAggregates() {
  std::vector<PivotAggregate> aggregates;
  do {
    const Token& start = Peek();
    PivotAggregate a;
    a.expr = ParseExpr();
    a.source_text = SourceSlice(start.offset, PreviousEnd());
    a.alias = ParseOptionalAlias({"for"});
    aggregates.push_back(std::move(a));
  } while (AcceptOperator(","));
  return aggregates;
}

std::vector<UnpivotEntry> Parser::ParseUnpivotEntries() {
  std::vector<UnpivotEntry> entries;
  do {
    UnpivotEntry entry;
    if (PeekOperator("(")) {
      Next();
      entry.columns = ParseExprList();
      ExpectOperator(")");
    } else {
      entry.columns.push_back(ParseConcat());
    }
    entry.alias = ParseOptionalAlias({"into"});
    entries.push_back(std::move(entry));
  } while (AcceptOperator(","));
  return entries;
}

std::unique_ptr<TableRef> Parser::ParsePivotSuffix(std::unique_ptr<TableRef> source) {
  const Token& at = Next();
  auto ref = MakeRef(at.text == "pivot" ? TableRefKind::kPivot : TableRefKind::kUnpivot, at);
  ref->pivot = std::make_unique<PivotSpec>();
  PivotSpec& spec = *ref->pivot;
  ref->left = std::move(source);
  if (at.text == "pivot") {
    ExpectOperator("(");
    spec.aggregates = ParsePivotAggregates();
    ExpectKeyword("for");
    do {
      PivotOn on;
      on.expr = ParseConcat();
      on.has_in = true;
      ExpectKeyword("in");
      ExpectOperator("(");
      do {
        PivotValue v;
        v.value = ParseExpr();
        v.alias = ParseOptionalAlias();
        on.in.push_back(std::move(v));
      } while (AcceptOperator(","));
      ExpectOperator(")");
      spec.on.push_back(std::move(on));
    } while (!PeekOperator(")") && !PeekKeyword("group"));
    if (AcceptKeyword("group")) {
      ExpectKeyword("by");
      spec.group_by = ParseExprList();
    }
    ExpectOperator(")");
  } else {
    if (IsWord(Peek(), "include") || IsWord(Peek(), "exclude")) {
      spec.include_nulls = Next().text == "include";
      ExpectWord("nulls");
    }
    ExpectOperator("(");
    spec.value_columns.clear();
    if (PeekOperator("(")) {
      spec.value_columns = ParseParenthesizedNames();
    } else {
      spec.value_columns.push_back(ParseName());
    }
    ExpectKeyword("for");
    spec.name_column = ParseName();
    ExpectKeyword("in");
    ExpectOperator("(");
    spec.entries = ParseUnpivotEntries();
    ExpectOperator(")");
    ExpectOperator(")");
  }
  return ref;
}

}  // namespace sluice::sql
