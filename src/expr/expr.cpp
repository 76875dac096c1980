#include "expr/expr.h"

#include <fmt/format.h>

#include <set>

#include "common/error.h"
#include "common/strings.h"
#include "expr/expr_sql.h"

namespace sluice {

namespace {

std::shared_ptr<Expr> Make(ExprKind kind) {
  auto e = std::make_shared<Expr>();
  e->kind = kind;
  return e;
}

// Operators rendered infix as "(a op b)", the way DuckDB names such columns.
bool IsInfixOperator(const std::string& name) {
  static const std::set<std::string> kInfix = {"+",
                                               "-",
                                               "*",
                                               "/",
                                               "//",
                                               "%",
                                               "=",
                                               "==",
                                               "<>",
                                               "!=",
                                               "<",
                                               "<=",
                                               ">",
                                               ">=",
                                               "||",
                                               "^",
                                               "like",
                                               "ilike",
                                               "not like",
                                               "not ilike",
                                               "~~",
                                               "!~~",
                                               "~~*",
                                               "!~~*",
                                               "is distinct from",
                                               "is not distinct from"};
  return kInfix.count(name) != 0;
}

std::string Render(const Expr& e, bool sql);

std::string JoinArgs(const std::vector<ExprPtr>& args, bool sql, size_t from = 0) {
  std::string out;
  for (size_t i = from; i < args.size(); i++) {
    if (i > from) out += ", ";
    out += Render(*args[i], sql);
  }
  return out;
}

std::string JoinWith(const std::vector<ExprPtr>& args, const char* sep, bool sql) {
  std::string out = "(";
  for (size_t i = 0; i < args.size(); i++) {
    if (i > 0) out += sep;
    out += Render(*args[i], sql);
  }
  return out + ")";
}

// "s.t" -> "s"."t".
std::string QuoteQualifier(const std::string& qualifier) {
  std::string out;
  for (const std::string& part : Split(qualifier, '.')) out += (out.empty() ? "" : ".") + QuoteSqlName(part);
  return out;
}

// The expression as text: for EXPLAIN and column names (`sql` false), or as SQL the parser
// reads back (`sql`: names quoted, count_star() as count(*)).
std::string Render(const Expr& e, bool sql) {
  const auto& args = e.args;
  auto arg = [&](size_t i) { return Render(*args[i], sql); };
  switch (e.kind) {
    case ExprKind::kColumnRef:
      if (sql) return e.qualifier.empty() ? QuoteSqlName(e.name) : QuoteQualifier(e.qualifier) + "." + QuoteSqlName(e.name);
      return e.qualifier.empty() ? e.name : e.qualifier + "." + e.name;
    case ExprKind::kLiteral:
      return e.value.ToSqlLiteral();
    case ExprKind::kCall: {
      if (e.name == "negate" && args.size() == 1) return "-(" + arg(0) + ")";
      if (IsInfixOperator(e.name) && args.size() == 2) {
        const bool word = std::isalpha(static_cast<unsigned char>(e.name[0]));
        return "(" + arg(0) + " " + (word ? ToUpper(e.name) : e.name) + " " + arg(1) + ")";
      }
      if ((e.name == "like" || e.name == "ilike" || e.name == "not like" || e.name == "not ilike") &&
          args.size() == 3) {
        return "(" + arg(0) + " " + ToUpper(e.name) + " " + arg(1) + " ESCAPE " + arg(2) + ")";
      }
      return e.name + "(" + JoinArgs(args, sql) + ")";
    }
    case ExprKind::kCast:
      return std::string(e.try_cast ? "TRY_CAST(" : "CAST(") + arg(0) + " AS " + e.type.ToString() + ")";
    case ExprKind::kAnd:
      return JoinWith(args, " AND ", sql);
    case ExprKind::kOr:
      return JoinWith(args, " OR ", sql);
    case ExprKind::kNot:
      return "(NOT " + arg(0) + ")";
    case ExprKind::kIsNull:
      return "(" + arg(0) + " IS NULL)";
    case ExprKind::kIsNotNull:
      return "(" + arg(0) + " IS NOT NULL)";
    case ExprKind::kIn:
      return "(" + arg(0) + (e.negated ? " NOT IN (" : " IN (") + JoinArgs(args, sql, 1) + "))";
    case ExprKind::kCase: {
      std::string out = "CASE";
      size_t i = 0;
      for (; i + 1 < args.size(); i += 2) out += " WHEN " + arg(i) + " THEN " + arg(i + 1);
      if (i < args.size()) out += " ELSE " + arg(i);
      return out + " END";
    }
    case ExprKind::kCoalesce:
      return "COALESCE(" + JoinArgs(args, sql) + ")";
    case ExprKind::kAggregate: {
      if (sql && e.name == "count_star" && args.empty()) return "count(*)";
      if (e.order.empty() && !e.filtered) {
        return e.name + "(" + (e.distinct ? "DISTINCT " : "") + JoinArgs(args, sql) + ")";
      }
      const size_t nargs = args.size() - e.order.size() - (e.filtered ? 1 : 0);
      std::string out = e.name + "(" + (e.distinct ? "DISTINCT " : "");
      for (size_t i = 0; i < nargs; i++) out += (i > 0 ? ", " : "") + arg(i);
      if (!e.order.empty()) out += " ORDER BY ";
      for (size_t k = 0; k < e.order.size(); k++) {
        out += (k > 0 ? ", " : "") + arg(nargs + k) + (e.order[k].ascending ? "" : " DESC");
      }
      out += ")";
      if (e.filtered) out += " FILTER (WHERE " + arg(args.size() - 1) + ")";
      return out;
    }
    case ExprKind::kStar:
      if (e.qualifier.empty()) return "*";
      return (sql ? QuoteQualifier(e.qualifier) : e.qualifier) + ".*";
    case ExprKind::kWindow:
    case ExprKind::kSubquery:
      if (sql) {
        throw InvalidInputError(fmt::format(
            "{} has no SQL text of its own (a window function or a subquery)", e.ToString()));
      }
      if (e.kind == ExprKind::kWindow) {
        return e.name + "(" + (e.distinct ? "DISTINCT " : "") + JoinArgs(args, sql) + ") OVER (" +
               (e.window ? e.window->ToString() : "") + ")";
      }
      // A dependent subquery's name already shows its arguments: "$1(t.a)".
      if (args.empty() || e.name.back() == ')') return e.name;
      return "(" + arg(0) + (e.negated ? " NOT IN " : " IN ") + e.name + ")";
  }
  return "?";
}

}  // namespace

std::string Expr::ToString() const { return Render(*this, false); }

std::string ExprToSql(const Expr& e) { return Render(e, true); }

std::string QuoteSqlName(const std::string& name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string Expr::OutputName() const {
  if (!alias.empty()) return alias;
  if (kind == ExprKind::kColumnRef) return name;
  return ToString();
}

ExprPtr Col(std::string name, std::string qualifier) {
  auto e = Make(ExprKind::kColumnRef);
  e->name = std::move(name);
  e->qualifier = std::move(qualifier);
  return e;
}

ExprPtr Lit(Value value) {
  auto e = Make(ExprKind::kLiteral);
  e->type = value.type();
  e->value = std::move(value);
  return e;
}

ExprPtr Call(std::string name, std::vector<ExprPtr> args) {
  auto e = Make(ExprKind::kCall);
  e->name = ToLower(name);
  e->args = std::move(args);
  return e;
}

ExprPtr CastTo(ExprPtr arg, LogicalType type, bool try_cast) {
  auto e = Make(ExprKind::kCast);
  e->type = type;
  e->try_cast = try_cast;
  e->args = {std::move(arg)};
  return e;
}

namespace {
ExprPtr Nary(ExprKind kind, std::vector<ExprPtr> args) {
  auto e = Make(kind);
  e->args = std::move(args);
  return e;
}
}  // namespace

ExprPtr And(std::vector<ExprPtr> args) { return Nary(ExprKind::kAnd, std::move(args)); }
ExprPtr Or(std::vector<ExprPtr> args) { return Nary(ExprKind::kOr, std::move(args)); }
ExprPtr Not(ExprPtr arg) { return Nary(ExprKind::kNot, {std::move(arg)}); }
ExprPtr IsNull(ExprPtr arg) { return Nary(ExprKind::kIsNull, {std::move(arg)}); }
ExprPtr IsNotNull(ExprPtr arg) { return Nary(ExprKind::kIsNotNull, {std::move(arg)}); }

ExprPtr In(ExprPtr arg, std::vector<ExprPtr> list, bool negated) {
  auto e = Make(ExprKind::kIn);
  e->negated = negated;
  e->args.reserve(list.size() + 1);
  e->args.push_back(std::move(arg));
  for (auto& item : list) e->args.push_back(std::move(item));
  return e;
}

ExprPtr Case(std::vector<ExprPtr> when_then_else) {
  return Nary(ExprKind::kCase, std::move(when_then_else));
}
ExprPtr Coalesce(std::vector<ExprPtr> args) { return Nary(ExprKind::kCoalesce, std::move(args)); }

ExprPtr Aggregate(std::string name, std::vector<ExprPtr> args, bool distinct) {
  auto e = Make(ExprKind::kAggregate);
  e->name = ToLower(name);
  e->args = std::move(args);
  e->distinct = distinct;
  return e;
}

ExprPtr Star() { return Make(ExprKind::kStar); }

ExprPtr WindowCall(std::string name, std::vector<ExprPtr> args, WindowSpec spec, bool distinct) {
  auto e = Make(ExprKind::kWindow);
  e->name = ToLower(name);
  e->args = std::move(args);
  e->distinct = distinct;
  e->window = std::make_shared<const WindowSpec>(std::move(spec));
  return e;
}

namespace {
std::string BoundText(const WindowBound& b) {
  switch (b.kind) {
    case WindowBoundKind::kUnboundedPreceding: return "UNBOUNDED PRECEDING";
    case WindowBoundKind::kPreceding: return b.offset->ToString() + " PRECEDING";
    case WindowBoundKind::kCurrentRow: return "CURRENT ROW";
    case WindowBoundKind::kFollowing: return b.offset->ToString() + " FOLLOWING";
    case WindowBoundKind::kUnboundedFollowing: return "UNBOUNDED FOLLOWING";
  }
  return "?";
}
}  // namespace

std::string WindowSpec::ToString() const {
  std::string out;
  if (!partition_by.empty()) out += "PARTITION BY " + JoinArgs(partition_by, false);
  if (!order_by.empty()) {
    if (!out.empty()) out += " ";
    out += "ORDER BY ";
    for (size_t i = 0; i < order_by.size(); i++) {
      if (i > 0) out += ", ";
      out += order_by[i].expr->ToString() + (order_by[i].ascending ? " ASC" : " DESC") +
             (order_by[i].nulls_first ? " NULLS FIRST" : " NULLS LAST");
    }
  }
  if (has_frame) {
    if (!out.empty()) out += " ";
    out += unit == WindowFrameUnit::kRows    ? "ROWS"
           : unit == WindowFrameUnit::kRange ? "RANGE"
                                             : "GROUPS";
    out += " BETWEEN " + BoundText(start) + " AND " + BoundText(end);
  }
  return out;
}

ExprPtr Alias(ExprPtr e, std::string alias) {
  auto copy = std::make_shared<Expr>(*e);
  copy->alias = std::move(alias);
  return copy;
}

ExprPtr WithArgs(const Expr& e, std::vector<ExprPtr> args) {
  auto copy = std::make_shared<Expr>(e);
  copy->args = std::move(args);
  return copy;
}

ExprPtr BoundColumnRef(const Schema& schema, int index) {
  auto ref = std::make_shared<Expr>();
  ref->kind = ExprKind::kColumnRef;
  ref->name = schema.field(index).name;
  ref->qualifier = schema.field(index).qualifier;
  ref->type = schema.field(index).type;
  ref->column_index = index;
  ref->bound = true;
  return ref;
}

ExprPtr RemapColumns(const ExprPtr& expr, const std::function<int(int)>& remap) {
  if (expr->kind == ExprKind::kColumnRef) {
    const int to = remap(expr->column_index);
    if (to == expr->column_index) return expr;
    auto copy = std::make_shared<Expr>(*expr);
    copy->column_index = to;
    return copy;
  }
  if (expr->args.empty()) return expr;
  auto copy = std::make_shared<Expr>(*expr);
  for (auto& a : copy->args) a = RemapColumns(a, remap);
  return copy;
}

}  // namespace sluice
