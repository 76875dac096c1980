#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "jinja/jinja_operators.h"
#include "jinja/jinja_value.h"

// The syntax tree of a parsed template. Trees are immutable after parsing; the renderer walks
// them and macros keep the template that owns them alive.
namespace sluice::jinja {

enum class ExprKind {
  kLiteral,
  kName,
  kList,
  kTuple,
  kDict,
  kGetAttr,
  kGetItem,
  kSlice,
  kCall,
  kFilter,
  kTest,
  kNegate,
  kPlus,
  kNot,
  kBinary,
  kAnd,
  kOr,
  kConcat,
  kCompare,
  kCondition,
};

struct Expr {
  Expr(ExprKind k, int l, int c) : kind(k), line(l), column(c) {}
  virtual ~Expr() = default;
  ExprKind kind;
  int line;
  int column;
};
using ExprPtr = std::unique_ptr<Expr>;

struct LiteralExpr : Expr {
  LiteralExpr(int l, int c, Value v) : Expr(ExprKind::kLiteral, l, c), value(std::move(v)) {}
  Value value;
};

struct NameExpr : Expr {
  NameExpr(int l, int c, std::string n) : Expr(ExprKind::kName, l, c), name(std::move(n)) {}
  std::string name;
};

// List and tuple displays.
struct SequenceExpr : Expr {
  using Expr::Expr;
  std::vector<ExprPtr> items;
};

struct DictExpr : Expr {
  DictExpr(int l, int c) : Expr(ExprKind::kDict, l, c) {}
  std::vector<std::pair<ExprPtr, ExprPtr>> items;
};

struct GetAttrExpr : Expr {
  GetAttrExpr(int l, int c) : Expr(ExprKind::kGetAttr, l, c) {}
  ExprPtr object;
  std::string name;
};

struct GetItemExpr : Expr {
  GetItemExpr(int l, int c) : Expr(ExprKind::kGetItem, l, c) {}
  ExprPtr object;
  ExprPtr key;
};

// `object[start:stop:step]`; omitted parts are null.
struct SliceExpr : Expr {
  SliceExpr(int l, int c) : Expr(ExprKind::kSlice, l, c) {}
  ExprPtr object;
  ExprPtr start;
  ExprPtr stop;
  ExprPtr step;
};

struct ArgumentsExpr {
  std::vector<ExprPtr> positional;
  std::vector<std::pair<std::string, ExprPtr>> keyword;
  ExprPtr star_args;    // *args, or null
  ExprPtr star_kwargs;  // **kwargs, or null
};

struct CallExpr : Expr {
  CallExpr(int l, int c) : Expr(ExprKind::kCall, l, c) {}
  ExprPtr callee;
  ArgumentsExpr args;
};

// `input | name(args)`. In `{% filter %}` and `{% set x | f %}` blocks the input is null and
// the block's output is filtered.
struct FilterExpr : Expr {
  FilterExpr(int l, int c) : Expr(ExprKind::kFilter, l, c) {}
  ExprPtr input;
  std::string name;
  ArgumentsExpr args;
};

// `input is [not] name(args)`.
struct TestExpr : Expr {
  TestExpr(int l, int c) : Expr(ExprKind::kTest, l, c) {}
  ExprPtr input;
  std::string name;
  ArgumentsExpr args;
  bool negated = false;
};

// Unary -, + and not.
struct UnaryExpr : Expr {
  using Expr::Expr;
  ExprPtr operand;
};

// Arithmetic (kBinary with `op`), and/or and `~` (kAnd, kOr, kConcat).
struct BinaryExpr : Expr {
  using Expr::Expr;
  BinaryOp op = BinaryOp::kAdd;
  ExprPtr left;
  ExprPtr right;
};

// `first op1 e1 op2 e2 ...`, chained as in Python.
struct CompareExpr : Expr {
  CompareExpr(int l, int c) : Expr(ExprKind::kCompare, l, c) {}
  ExprPtr first;
  std::vector<std::pair<CompareOp, ExprPtr>> rest;
};

// `then if condition else otherwise`; otherwise may be null (undefined).
struct ConditionExpr : Expr {
  ConditionExpr(int l, int c) : Expr(ExprKind::kCondition, l, c) {}
  ExprPtr condition;
  ExprPtr then;
  ExprPtr otherwise;
};

enum class StmtKind {
  kText,
  kOutput,
  kIf,
  kFor,
  kSet,
  kSetBlock,
  kMacro,
  kCallBlock,
  kFilterBlock,
  kDo,
  kInclude,
  kImport,
  kFromImport,
  kWith,
};

struct Stmt {
  Stmt(StmtKind k, int l, int c) : kind(k), line(l), column(c) {}
  virtual ~Stmt() = default;
  StmtKind kind;
  int line;
  int column;
};
using StmtPtr = std::unique_ptr<Stmt>;
using StmtList = std::vector<StmtPtr>;

struct TextStmt : Stmt {
  TextStmt(int l, int c, std::string t) : Stmt(StmtKind::kText, l, c), text(std::move(t)) {}
  std::string text;
};

// `{{ expr }}` and `{% do expr %}`.
struct ExprStmt : Stmt {
  using Stmt::Stmt;
  ExprPtr expr;
};

struct IfStmt : Stmt {
  IfStmt(int l, int c) : Stmt(StmtKind::kIf, l, c) {}
  std::vector<std::pair<ExprPtr, StmtList>> branches;  // if and elifs
  StmtList else_body;
};

struct ForStmt : Stmt {
  ForStmt(int l, int c) : Stmt(StmtKind::kFor, l, c) {}
  ExprPtr target;  // NameExpr or SequenceExpr of NameExpr
  ExprPtr iterable;
  ExprPtr condition;  // `for x in y if cond`, or null
  StmtList body;
  StmtList else_body;
  bool recursive = false;
};

// `{% set target = value %}`; target is a name, a tuple of names or `ns.attr`.
struct SetStmt : Stmt {
  SetStmt(int l, int c) : Stmt(StmtKind::kSet, l, c) {}
  ExprPtr target;
  ExprPtr value;
};

// Filters applied to a block's rendered output, innermost first.
using FilterChain = std::vector<std::unique_ptr<FilterExpr>>;

// `{% set target | filters %}body{% endset %}`.
struct SetBlockStmt : Stmt {
  SetBlockStmt(int l, int c) : Stmt(StmtKind::kSetBlock, l, c) {}
  ExprPtr target;
  FilterChain filters;
  StmtList body;
};

// A macro, or the body of a call block (the macro named "caller").
struct MacroDef {
  std::string name;
  std::vector<std::string> params;
  std::vector<ExprPtr> defaults;  // one per param, null when required
  StmtList body;
  // Whether the body mentions varargs, kwargs or caller; as in Jinja, extra positional or
  // keyword arguments are errors unless it does.
  bool uses_varargs = false;
  bool uses_kwargs = false;
  bool uses_caller = false;
  int line = 0;
  int column = 0;
};

struct MacroStmt : Stmt {
  MacroStmt(int l, int c) : Stmt(StmtKind::kMacro, l, c) {}
  MacroDef macro;
};

// `{% call(params) callee(args) %}body{% endcall %}`.
struct CallBlockStmt : Stmt {
  CallBlockStmt(int l, int c) : Stmt(StmtKind::kCallBlock, l, c) {}
  MacroDef caller;
  std::unique_ptr<CallExpr> call;
};

struct FilterBlockStmt : Stmt {
  FilterBlockStmt(int l, int c) : Stmt(StmtKind::kFilterBlock, l, c) {}
  FilterChain filters;
  StmtList body;
};

struct IncludeStmt : Stmt {
  IncludeStmt(int l, int c) : Stmt(StmtKind::kInclude, l, c) {}
  ExprPtr template_name;
  bool ignore_missing = false;
  bool with_context = true;
};

// `{% import 'x' as alias %}` and `{% from 'x' import a as b, c %}`.
struct ImportStmt : Stmt {
  using Stmt::Stmt;
  ExprPtr template_name;
  std::string alias;
  std::vector<std::pair<std::string, std::string>> names;  // (name, alias) for from-imports
  bool with_context = false;
};

struct WithStmt : Stmt {
  WithStmt(int l, int c) : Stmt(StmtKind::kWith, l, c) {}
  std::vector<std::pair<ExprPtr, ExprPtr>> assignments;
  StmtList body;
};

struct Template {
  std::string name;
  StmtList body;
};

}  // namespace sluice::jinja
