#pragma once

// The recursive-descent parser behind parser.h. Private to src/sql: its methods are spread over
// parser_*.cpp by grammar area (expressions, queries, statements).

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sql/ast.h"
#include "sql/token.h"

namespace sluice::sql {

class Parser {
 public:
  // Tokenizes immediately; throws ParseError on lexical errors.
  Parser(std::string_view sql, int max_depth);

  std::vector<StatementPtr> ParseScript();
  StatementPtr ParseSingleStatement();
  QueryPtr ParseSingleQuery();
  ExprPtr ParseSingleExpression();

 private:
  // Counts nesting on the way down the recursion; past max_depth_ (parentheses, subqueries,
  // prefix operators, operator chains) the input fails with a ParseError instead of
  // overflowing the stack here or in the binder, optimizer and evaluator.
  class DepthGuard {
   public:
    explicit DepthGuard(Parser& parser);
    ~DepthGuard() { --parser_.depth_; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;

   private:
    Parser& parser_;
  };

  // One more operator in a left-deep chain (a + b + c): the tree gets a level deeper.
  // `chain` counts the levels added, for ReleaseChain.
  void AddChainLevel(int& chain);
  void ReleaseChain(int chain) { depth_ -= chain; }
  [[noreturn]] void FailDepth() const;

  // --- Token access (parser.cpp) ---
  const Token& Peek(size_t ahead = 0) const;
  const Token& Next();
  bool PeekKeyword(std::string_view keyword, size_t ahead = 0) const {
    return Peek(ahead).IsKeyword(keyword);
  }
  bool PeekOperator(std::string_view op, size_t ahead = 0) const {
    return Peek(ahead).IsOperator(op);
  }
  bool AcceptKeyword(std::string_view keyword);
  bool AcceptOperator(std::string_view op);
  const Token& ExpectKeyword(std::string_view keyword);
  const Token& ExpectOperator(std::string_view op);
  bool AtEnd() const { return Peek().type == TokenType::kEnd; }
  // Byte offset just past the last consumed token.
  size_t PreviousEnd() const;
  std::string SourceSlice(size_t begin, size_t end) const;

  [[noreturn]] void FailAt(const Token& token) const;
  [[noreturn]] void FailAt(const Token& token, std::string_view message) const;

  // A quoted identifier, or an unquoted word that is not reserved.
  bool IsNameToken(const Token& token) const;
  std::string ParseName();
  // '(' name, ... ')'
  std::vector<std::string> ParseParenthesizedNames();
  QualifiedName ParseQualifiedName();
  // [AS] alias, where a bare alias must not be reserved or one of `stop_words`.
  std::string ParseOptionalAlias(std::initializer_list<std::string_view> stop_words = {});

  template <typename T>
  std::unique_ptr<T> Make(const Token& at) const {
    auto node = std::make_unique<T>();
    node->line = at.line;
    node->column = at.column;
    return node;
  }

  // --- Expressions (parser_expr.cpp) ---
  ExprPtr ParseExpr();
  // An expression, or DEFAULT (where a column's value goes: VALUES rows, SET clauses).
  ExprPtr ParseExprOrDefault();
  ExprPtr ParseOr();
  ExprPtr ParseLogicalChain(bool is_or);
  ExprPtr ParseAnd();
  ExprPtr ParseNot();
  ExprPtr ParseIs();
  ExprPtr ParseComparison();
  ExprPtr ParsePredicate();
  ExprPtr ParseConcat();
  ExprPtr ParseAdditive();
  ExprPtr ParseMultiplicative();
  ExprPtr ParseUnary();
  ExprPtr ParsePostfix();
  ExprPtr ParsePrimary();
  ExprPtr ParseParenthesized();
  ExprPtr ParseMapLiteral();  // MAP {k: v, ...}; the current token is MAP
  ExprPtr ParseNameOrCall();
  ExprPtr ParseStar(std::vector<std::string> qualifier, const Token& at);
  bool IsColumnsCallAhead() const;
  ExprPtr ParseColumns(const Token& at);
  std::vector<ExprPtr> ParseExprList();
  ExprPtr ParseInTail(ExprPtr operand, bool negated, const Token& at);
  // The right side of `left op ...`: an operand, or ANY/SOME/ALL (subquery).
  ExprPtr ParseComparisonRight(BinaryOp op, ExprPtr left, const Token& op_token);

  // --- Special forms, calls, windows, types (parser_call.cpp) ---
  ExprPtr ParseCase();
  ExprPtr ParseCast(bool try_cast);
  ExprPtr ParseInterval();
  ExprPtr ParseExtract();
  ExprPtr ParseSubstring();
  ExprPtr ParsePosition();
  ExprPtr ParseTypedLiteral();
  ExprPtr ParseFunctionCall(std::vector<std::string> name, const Token& at);
  std::unique_ptr<WindowSpec> ParseOver();
  void ParseWindowSpecBody(WindowSpec& spec);
  WindowFrame ParseFrame();
  FrameBound ParseFrameBound();
  std::vector<OrderByItem> ParseOrderByList();
  bool StartsTypeName(const Token& token) const;
  TypeName ParseTypeName();

  // --- Queries and FROM (parser_query.cpp, parser_from.cpp) ---
  QueryPtr ParseQueryExpr();
  QueryPtr ParseSetOperation();
  QueryPtr ParseIntersect();
  QueryPtr ParseQueryPrimary();
  QueryPtr ParseSelectCore();
  QueryPtr ParseValues();
  bool StartsQuery(size_t ahead = 0) const;
  void ParseCtes(QueryNode& query);
  std::vector<Hint> ParseHints(const std::string& text);
  SelectItem ParseSelectItem();
  GroupByClause ParseGroupBy();
  GroupingElement ParseGroupingElement();
  std::unique_ptr<TableRef> ParseFromList();
  std::unique_ptr<TableRef> ParseTableRef();
  std::unique_ptr<TableRef> ParseJoins(std::unique_ptr<TableRef> left);
  // A FROM item with its PIVOT / UNPIVOT suffixes.
  std::unique_ptr<TableRef> ParseTablePrimary();
  std::unique_ptr<TableRef> ParseTableItem();
  // parser_pivot.cpp
  bool StartsPivotStatement(size_t ahead = 0) const;
  bool IsPivotSuffixAhead() const;
  void ExpectWord(std::string_view word);
  QueryPtr ParsePivotStatement();
  std::vector<PivotAggregate> ParsePivotAggregates();
  std::vector<UnpivotEntry> ParseUnpivotEntries();
  std::unique_ptr<TableRef> ParsePivotSuffix(std::unique_ptr<TableRef> source);
  std::unique_ptr<TableRef> ParseParenthesizedTable(const Token& at);
  std::unique_ptr<TableRef> ParseNamedTable(const Token& at);
  // {'name': 'TYPE', ...} (DuckDB's struct form of read_csv's types / columns) as the text
  // '"name" TYPE, ...' that the option takes.
  ExprPtr ParseColumnTypesStruct();
  bool ParseJoinType(TableRef::JoinType& type, bool& natural);
  bool AcceptAsof();
  StatementPtr ParseCreateModel(bool or_replace);
  // `MODEL name` or `TABLE name` as an argument of ML.PREDICT and its siblings: sets the
  // argument's name ("model" or "table") and a column reference holding the name.
  bool ParseModelOrTableArgument(std::string& arg_name, ExprPtr& arg);
  // TABLE(fn(...)) in FROM (parser_window.cpp): the table function call inside.
  std::unique_ptr<TableRef> ParseTableCall(const Token& at);
  // `PARTITION BY k, ...` after a TABLE argument (SESSION(TABLE t PARTITION BY k, ...)):
  // each key is appended to ref.args with the name "partition by".
  void ParseTablePartitionBy(TableRef& ref);
  // Connector DDL (parser_connector.cpp): WATERMARK FOR c AS expr, WITH ('k' = 'v', ...).
  void ParseWatermark(CreateTableStatement& statement);
  void ParseTableOptions(CreateTableStatement& statement);
  bool IsAsofJoinAhead() const;
  void ParseTableAlias(TableRef& ref, std::initializer_list<std::string_view> stop_words = {});
  // FOR VERSION AS OF v / FOR TIMESTAMP AS OF t after a table name, when present.
  void ParseTimeTravel(TableRef& ref);

  // --- Statements (parser_statement.cpp, parser_dml.cpp, parser_utility.cpp) ---
  StatementPtr ParseStatement();
  StatementPtr ParseCreate();
  StatementPtr ParseCreateTable(bool or_replace, bool temporary);
  StatementPtr ParseCreateView(bool or_replace, bool temporary, bool lambda = false);
  ColumnDefinition ParseColumnDefinition();
  CreateTableStatement::PartitionItem ParsePartitionItem();
  StatementPtr ParseDrop();
  StatementPtr ParseInsert();
  StatementPtr ParseDelete();
  StatementPtr ParseUpdate();
  std::vector<SetClause> ParseSetClauses();
  StatementPtr ParseMerge();
  MergeAction ParseMergeAction();
  StatementPtr ParseSet();
  StatementPtr ParseReset();
  StatementPtr ParseShow();
  StatementPtr ParsePragma();
  StatementPtr ParseDescribe();
  StatementPtr ParseExplain();
  StatementPtr ParseCopy();
  std::vector<OptionItem> ParseOptionList();
  StatementPtr ParseCache();
  StatementPtr ParseUncache();
  bool ParseIfNotExists();
  bool ParseIfExists();
  // ALTER TABLE (parser_alter.cpp).
  StatementPtr ParseAlter();
  void ParseColumnName(AlterTableStatement& statement);
  // Iceberg's statements (parser_iceberg.cpp): TAG / BRANCH and what follows, TBLPROPERTIES
  // and its list, CALL.
  bool PeekRefKeyword(size_t ahead = 0) const;
  void ParseAlterRef(AlterTableStatement& statement);
  void ParseTblProperties(AlterTableStatement& statement);
  StatementPtr ParseCall();
  // CHECK '(' expr ')' after the CHECK keyword.
  ExprPtr ParseCheckBody();

  std::string_view sql_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  int depth_ = 0;
  int max_depth_;
};

}  // namespace sluice::sql
