#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/error.h"

namespace sluice::sql {

struct QueryNode;

// Base of every AST node: where it starts in the SQL text, for error carets.
struct AstNode {
  int line = 0;    // 1-based; 0 for nodes synthesized by the parser
  int column = 0;  // 1-based, in code points
};

// A type as written, e.g. DECIMAL(15, 2). `name` is canonical upper case (INT -> INTEGER,
// TEXT -> VARCHAR, DOUBLE PRECISION -> DOUBLE); names the parser does not know are kept
// upper-cased for the binder to reject. `array_depth` counts trailing `[]`.
struct TypeName : AstNode {
  std::string name;
  std::vector<int64_t> params;
  int array_depth = 0;
  std::string ToString() const;
};

enum class ExprKind : uint8_t {
  kColumnRef,  // a, t.a, s.t.a
  kStar,       // *, t.*, * EXCLUDE (a)
  kConstant,   // 1, 1.5, 'x', TRUE, NULL
  kInterval,   // INTERVAL '3' DAY
  kUnary,      // NOT x, -x, +x
  kBinary,     // arithmetic, comparison, AND/OR, ||, IS [NOT] DISTINCT FROM
  kIsNull,     // x IS [NOT] NULL
  kBetween,    // x [NOT] BETWEEN a AND b
  kIn,         // x [NOT] IN (list) / (subquery)
  kLike,       // x [NOT] LIKE|ILIKE p [ESCAPE e]
  kCase,       // CASE [operand] WHEN .. THEN .. [ELSE ..] END
  kCast,       // CAST(x AS t), TRY_CAST, x::t, DATE '...'
  kFunction,   // f(args), aggregates and window calls
  kSubquery,   // (SELECT ..), EXISTS (SELECT ..)
  kDefault,    // DEFAULT in an INSERT's VALUES or an UPDATE's SET: the column's default
};

// An expression node. Concrete nodes are the structs below; `kind` says which one, and As<T>()
// casts after checking it, so the binder can switch on `kind` without dynamic_cast.
struct Expr : AstNode {
  explicit Expr(ExprKind k) : kind(k) {}
  virtual ~Expr() = default;
  Expr(const Expr&) = delete;
  Expr& operator=(const Expr&) = delete;

  // Canonical SQL that re-parses to an equal tree. Binary operators are fully parenthesized.
  virtual std::string ToString() const = 0;

  template <typename T>
  const T& As() const {
    SLUICE_CHECK(kind == T::kKind, "expression kind {} is not {}", static_cast<int>(kind),
                 static_cast<int>(T::kKind));
    return static_cast<const T&>(*this);
  }
  template <typename T>
  T& As() {
    SLUICE_CHECK(kind == T::kKind, "expression kind {} is not {}", static_cast<int>(kind),
                 static_cast<int>(T::kKind));
    return static_cast<T&>(*this);
  }

  const ExprKind kind;
};

using ExprPtr = std::unique_ptr<Expr>;

// Quotes an identifier if it would not survive re-parsing as written (upper case, keywords,
// punctuation).
std::string QuoteIdentifier(const std::string& name);
// Quotes and escapes a string literal.
std::string QuoteString(const std::string& value);

struct ColumnRefExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kColumnRef;
  ColumnRefExpr() : Expr(kKind) {}
  std::string ToString() const override;
  std::vector<std::string> parts;  // [catalog.][schema.][table.]column
};

struct StarExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kStar;
  StarExpr() : Expr(kKind) {}
  std::string ToString() const override;
  std::vector<std::string> qualifier;  // empty for a bare `*`
  std::vector<std::string> exclude;    // * EXCLUDE (a, b)
  // * REPLACE (expr AS a, ...): column a is replaced by expr, in place.
  std::vector<std::pair<ExprPtr, std::string>> replace;
  // COLUMNS(...): the expression around it is repeated once per matching column. The columns
  // are those of the star (COLUMNS(*), COLUMNS(t.* EXCLUDE (a))) when `pattern` is null, else
  // those whose name `pattern` matches: a regular expression string, a list of names, or with
  // `lambda_parameter` set a condition on the name (COLUMNS(c -> c LIKE 'a%')).
  bool columns = false;
  bool unpacked = false;  // *COLUMNS(...): one function argument per matching column
  ExprPtr pattern;
  std::string lambda_parameter;

 private:
  // `*`, `t.*` with EXCLUDE and REPLACE.
  std::string StarToString() const;
};

// ORDER BY ALL is parsed as an OrderByItem whose expression is an unqualified star.
bool IsOrderByAll(const Expr& e);

enum class ConstantType : uint8_t { kNull, kBoolean, kInteger, kDecimal, kString };

struct ConstantExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kConstant;
  ConstantExpr() : Expr(kKind) {}
  std::string ToString() const override;
  ConstantType type = ConstantType::kNull;
  // Literal text for numbers (digits as written, exponent lowercased) and the unescaped value
  // for strings. Integers that do not fit int64 are left to the binder (HUGEINT or DECIMAL).
  std::string value;
  bool bool_value = false;
};

// INTERVAL '3' DAY (value + unit), INTERVAL '1 day' (no unit), INTERVAL 3 MONTH.
struct IntervalExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kInterval;
  IntervalExpr() : Expr(kKind) {}
  std::string ToString() const override;
  ExprPtr value;
  std::string unit;  // upper case singular (DAY, MONTH, ...) or empty
};

enum class UnaryOp : uint8_t { kNot, kNegate, kPlus };

struct UnaryExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kUnary;
  UnaryExpr() : Expr(kKind) {}
  std::string ToString() const override;
  UnaryOp op = UnaryOp::kNot;
  ExprPtr operand;
};

enum class BinaryOp : uint8_t {
  kAdd,
  kSubtract,
  kMultiply,
  kDivide,
  kIntegerDivide,  // //
  kModulo,
  kConcat,
  kEqual,
  kNotEqual,
  kLess,
  kLessEqual,
  kGreater,
  kGreaterEqual,
  kIsDistinctFrom,
  kIsNotDistinctFrom,
  kAnd,
  kOr,
};
// SQL spelling of the operator, e.g. "<=" or "IS DISTINCT FROM".
const char* BinaryOpToString(BinaryOp op);

struct BinaryExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kBinary;
  BinaryExpr() : Expr(kKind) {}
  std::string ToString() const override;
  BinaryOp op = BinaryOp::kAdd;
  ExprPtr left;
  ExprPtr right;
};

struct IsNullExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kIsNull;
  IsNullExpr() : Expr(kKind) {}
  std::string ToString() const override;
  ExprPtr operand;
  bool negated = false;  // IS NOT NULL
};

struct BetweenExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kBetween;
  BetweenExpr() : Expr(kKind) {}
  std::string ToString() const override;
  ExprPtr operand;
  ExprPtr low;
  ExprPtr high;
  bool negated = false;
};

// Exactly one of `list` and `subquery` is used. With a subquery it is also a quantified
// comparison `operand op ANY|ALL (subquery)` (`quantified`): IN is `= ANY`, NOT IN `<> ALL`.
struct InExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kIn;
  InExpr();
  ~InExpr() override;
  std::string ToString() const override;
  ExprPtr operand;
  std::vector<ExprPtr> list;
  std::unique_ptr<QueryNode> subquery;
  bool negated = false;
  bool quantified = false;          // written as op ANY/SOME/ALL
  BinaryOp op = BinaryOp::kEqual;   // quantified: the comparison
  bool all = false;                 // quantified: ALL (else ANY/SOME)
};

struct LikeExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kLike;
  LikeExpr() : Expr(kKind) {}
  std::string ToString() const override;
  ExprPtr operand;
  ExprPtr pattern;
  ExprPtr escape;  // optional
  bool negated = false;
  bool case_insensitive = false;  // ILIKE
};

struct CaseWhen {
  ExprPtr when;
  ExprPtr then;
};

struct CaseExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kCase;
  CaseExpr() : Expr(kKind) {}
  std::string ToString() const override;
  ExprPtr operand;  // CASE x WHEN ...; null for the searched form
  std::vector<CaseWhen> whens;
  ExprPtr else_result;  // optional
};

// CAST(x AS t), x::t (same node) and typed literals such as DATE '1998-12-01', which become a
// cast of the string.
struct CastExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kCast;
  CastExpr() : Expr(kKind) {}
  std::string ToString() const override;
  ExprPtr operand;
  TypeName type;
  bool try_cast = false;  // TRY_CAST returns NULL instead of failing
};

enum class NullOrder : uint8_t { kDefault, kFirst, kLast };

struct OrderByItem {
  ExprPtr expr;
  bool descending = false;
  NullOrder nulls = NullOrder::kDefault;
  std::string ToString() const;
};

enum class FrameUnit : uint8_t { kRows, kRange, kGroups };
enum class FrameBoundType : uint8_t {
  kUnboundedPreceding,
  kPreceding,
  kCurrentRow,
  kFollowing,
  kUnboundedFollowing
};

struct FrameBound {
  FrameBoundType type = FrameBoundType::kCurrentRow;
  ExprPtr offset;  // for kPreceding / kFollowing
  std::string ToString() const;
};

// ROWS|RANGE|GROUPS BETWEEN start AND end. A single bound `ROWS n PRECEDING` is stored with
// end = CURRENT ROW, as the standard defines it.
struct WindowFrame {
  FrameUnit unit = FrameUnit::kRows;
  FrameBound start;
  FrameBound end;
  std::string ToString() const;
};

// The inside of OVER (...) or of WINDOW w AS (...). `base_name` refers to a named window that
// this one refines (or, for OVER w, simply names it).
struct WindowSpec : AstNode {
  std::string base_name;
  std::vector<ExprPtr> partition_by;
  std::vector<OrderByItem> order_by;
  std::optional<WindowFrame> frame;
  // True for `OVER w` without parentheses.
  bool is_bare_reference = false;
  std::string ToString() const;  // "(...)" or the bare name
};

// Function call. count(*) is parsed as count_star() with no arguments, as DuckDB names it.
// EXTRACT(f FROM x) becomes date_part('f', x), SUBSTRING(x FROM a FOR b) substring(x, a, b) and
// POSITION(a IN b) position(a, b), so the binder sees ordinary calls.
struct FunctionExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kFunction;
  FunctionExpr() : Expr(kKind) {}
  std::string ToString() const override;
  std::vector<std::string> name;  // qualified name parts, e.g. {"main", "f"}
  std::vector<ExprPtr> args;
  bool distinct = false;
  std::vector<OrderByItem> order_by;  // string_agg(x, ',' ORDER BY y)
  ExprPtr filter;                     // FILTER (WHERE ...)
  std::unique_ptr<WindowSpec> over;   // window call when set
};

// DEFAULT where a column's value goes (INSERT ... VALUES, UPDATE ... SET c = DEFAULT).
struct DefaultExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kDefault;
  DefaultExpr() : Expr(kKind) {}
  std::string ToString() const override { return "DEFAULT"; }
};

enum class SubqueryKind : uint8_t { kScalar, kExists };

struct SubqueryExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kSubquery;
  SubqueryExpr();
  ~SubqueryExpr() override;
  std::string ToString() const override;
  SubqueryKind subquery_kind = SubqueryKind::kScalar;
  std::unique_ptr<QueryNode> query;
};

// Calls `fn` on each direct child expression of `e` (arguments, operands, CASE arms, FILTER,
// window PARTITION BY / ORDER BY, a star's REPLACE expressions); not into subqueries.
void ForEachChild(const Expr& e, const std::function<void(const Expr&)>& fn);

}  // namespace sluice::sql
