#include "expr/expr.h"

#include <set>

#include "common/strings.h"

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

std::string JoinArgs(const std::vector<ExprPtr>& args, size_t from = 0) {
  std::string out;
  for (size_t i = from; i < args.size(); i++) {
    if (i > from) out += ", ";
    out += args[i]->ToString();
  }
  return out;
}

std::string JoinWith(const std::vector<ExprPtr>& args, const char* sep) {
  std::string out = "(";
  for (size_t i = 0; i < args.size(); i++) {
    if (i > 0) out += sep;
    out += args[i]->ToString();
  }
  return out + ")";
}

}  // namespace

std::string Expr::ToString() const {
  switch (kind) {
    case ExprKind::kColumnRef:
      return qualifier.empty() ? name : qualifier + "." + name;
    case ExprKind::kLiteral:
      return value.ToSqlLiteral();
    case ExprKind::kCall: {
      if (name == "negate" && args.size() == 1) return "-(" + args[0]->ToString() + ")";
      if (IsInfixOperator(name) && args.size() == 2) {
        const bool word = std::isalpha(static_cast<unsigned char>(name[0]));
        return "(" + args[0]->ToString() + " " + (word ? ToUpper(name) : name) + " " +
               args[1]->ToString() + ")";
      }
      if ((name == "like" || name == "ilike" || name == "not like" || name == "not ilike") &&
          args.size() == 3) {
        return "(" + args[0]->ToString() + " " + ToUpper(name) + " " + args[1]->ToString() +
               " ESCAPE " + args[2]->ToString() + ")";
      }
      return name + "(" + JoinArgs(args) + ")";
    }
    case ExprKind::kCast:
      return std::string(try_cast ? "TRY_CAST(" : "CAST(") + args[0]->ToString() + " AS " +
             type.ToString() + ")";
    case ExprKind::kAnd:
      return JoinWith(args, " AND ");
    case ExprKind::kOr:
      return JoinWith(args, " OR ");
    case ExprKind::kNot:
      return "(NOT " + args[0]->ToString() + ")";
    case ExprKind::kIsNull:
      return "(" + args[0]->ToString() + " IS NULL)";
    case ExprKind::kIsNotNull:
      return "(" + args[0]->ToString() + " IS NOT NULL)";
    case ExprKind::kIn:
      return "(" + args[0]->ToString() + (negated ? " NOT IN (" : " IN (") + JoinArgs(args, 1) +
             "))";
    case ExprKind::kCase: {
      std::string out = "CASE";
      size_t i = 0;
      for (; i + 1 < args.size(); i += 2) {
        out += " WHEN " + args[i]->ToString() + " THEN " + args[i + 1]->ToString();
      }
      if (i < args.size()) out += " ELSE " + args[i]->ToString();
      return out + " END";
    }
    case ExprKind::kCoalesce:
      return "COALESCE(" + JoinArgs(args) + ")";
    case ExprKind::kAggregate: {
      if (order.empty() && !filtered) {
        return name + "(" + (distinct ? "DISTINCT " : "") + JoinArgs(args) + ")";
      }
      const size_t nargs = args.size() - order.size() - (filtered ? 1 : 0);
      std::string out = name + "(" + (distinct ? "DISTINCT " : "");
      for (size_t i = 0; i < nargs; i++) out += (i > 0 ? ", " : "") + args[i]->ToString();
      if (!order.empty()) out += " ORDER BY ";
      for (size_t k = 0; k < order.size(); k++) {
        out += (k > 0 ? ", " : "") + args[nargs + k]->ToString() + (order[k].ascending ? "" : " DESC");
      }
      out += ")";
      if (filtered) out += " FILTER (WHERE " + args.back()->ToString() + ")";
      return out;
    }
    case ExprKind::kStar:
      return qualifier.empty() ? "*" : qualifier + ".*";
    case ExprKind::kWindow:
      return name + "(" + (distinct ? "DISTINCT " : "") + JoinArgs(args) + ") OVER (" +
             (window ? window->ToString() : "") + ")";
    case ExprKind::kSubquery:
      // A dependent subquery's name already shows its arguments: "$1(t.a)".
      if (args.empty() || name.back() == ')') return name;
      return "(" + args[0]->ToString() + (negated ? " NOT IN " : " IN ") + name + ")";
  }
  return "?";
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
  if (!partition_by.empty()) out += "PARTITION BY " + JoinArgs(partition_by);
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
