#include "sql/ast_expr.h"

#include <fmt/format.h>

#include "sql/ast_query.h"
#include "sql/keywords.h"

namespace sluice::sql {
namespace {

bool IsPlainIdentifier(const std::string& name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::string JoinNames(const std::vector<std::string>& parts) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += '.';
    out += QuoteIdentifier(parts[i]);
  }
  return out;
}

// Function names print bare when they are plain words even if reserved (left, right): the
// parser accepts a reserved word followed by '(' as a call.
std::string FunctionName(const std::vector<std::string>& parts) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += '.';
    out += IsPlainIdentifier(parts[i]) && (i + 1 == parts.size() || !IsReservedKeyword(parts[i]))
               ? parts[i]
               : QuoteIdentifier(parts[i]);
  }
  return out;
}

std::string JoinExprs(const std::vector<ExprPtr>& exprs) {
  std::string out;
  for (size_t i = 0; i < exprs.size(); ++i) {
    if (i > 0) out += ", ";
    out += exprs[i]->ToString();
  }
  return out;
}

std::string JoinOrderBy(const std::vector<OrderByItem>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ", ";
    out += items[i].ToString();
  }
  return out;
}

}  // namespace

std::string QuoteIdentifier(const std::string& name) {
  if (IsPlainIdentifier(name) && !IsReservedKeyword(name)) return name;
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string QuoteString(const std::string& value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::string TypeName::ToString() const {
  std::string out = name;
  if (!params.empty()) out += "(" + fmt::format("{}", fmt::join(params, ", ")) + ")";
  for (int i = 0; i < array_depth; ++i) out += "[]";
  return out;
}

std::string ColumnRefExpr::ToString() const { return JoinNames(parts); }

bool IsOrderByAll(const Expr& e) {
  if (e.kind != ExprKind::kStar) return false;
  const auto& star = e.As<StarExpr>();
  return !star.columns && star.qualifier.empty() && star.exclude.empty() && star.replace.empty();
}

std::string StarExpr::ToString() const {
  if (!columns) return StarToString();
  std::string inner = !pattern ? StarToString()
                      : !lambda_parameter.empty()
                          ? QuoteIdentifier(lambda_parameter) + " -> " + pattern->ToString()
                          : pattern->ToString();
  return std::string(unpacked ? "*" : "") + "COLUMNS(" + inner + ")";
}

std::string StarExpr::StarToString() const {
  std::string out = qualifier.empty() ? "*" : JoinNames(qualifier) + ".*";
  if (!exclude.empty()) {
    out += " EXCLUDE (";
    for (size_t i = 0; i < exclude.size(); ++i) {
      if (i > 0) out += ", ";
      out += QuoteIdentifier(exclude[i]);
    }
    out += ")";
  }
  if (!replace.empty()) {
    out += " REPLACE (";
    for (size_t i = 0; i < replace.size(); ++i) {
      if (i > 0) out += ", ";
      out += replace[i].first->ToString() + " AS " + QuoteIdentifier(replace[i].second);
    }
    out += ")";
  }
  return out;
}

std::string ConstantExpr::ToString() const {
  switch (type) {
    case ConstantType::kNull:
      return "NULL";
    case ConstantType::kBoolean:
      return bool_value ? "TRUE" : "FALSE";
    case ConstantType::kInteger:
    case ConstantType::kDecimal:
      return value;
    case ConstantType::kString:
      return QuoteString(value);
  }
  return "NULL";
}

std::string IntervalExpr::ToString() const {
  std::string inner =
      value->kind == ExprKind::kConstant ? value->ToString() : "(" + value->ToString() + ")";
  return unit.empty() ? "INTERVAL " + inner : "INTERVAL " + inner + " " + unit;
}

std::string UnaryExpr::ToString() const {
  switch (op) {
    case UnaryOp::kNot:
      return "(NOT " + operand->ToString() + ")";
    case UnaryOp::kNegate:
      return "(- " + operand->ToString() + ")";
    case UnaryOp::kPlus:
      return "(+ " + operand->ToString() + ")";
  }
  return operand->ToString();
}

const char* BinaryOpToString(BinaryOp op) {
  switch (op) {
    case BinaryOp::kAdd:
      return "+";
    case BinaryOp::kSubtract:
      return "-";
    case BinaryOp::kMultiply:
      return "*";
    case BinaryOp::kDivide:
      return "/";
    case BinaryOp::kIntegerDivide:
      return "//";
    case BinaryOp::kModulo:
      return "%";
    case BinaryOp::kConcat:
      return "||";
    case BinaryOp::kEqual:
      return "=";
    case BinaryOp::kNotEqual:
      return "<>";
    case BinaryOp::kLess:
      return "<";
    case BinaryOp::kLessEqual:
      return "<=";
    case BinaryOp::kGreater:
      return ">";
    case BinaryOp::kGreaterEqual:
      return ">=";
    case BinaryOp::kIsDistinctFrom:
      return "IS DISTINCT FROM";
    case BinaryOp::kIsNotDistinctFrom:
      return "IS NOT DISTINCT FROM";
    case BinaryOp::kAnd:
      return "AND";
    case BinaryOp::kOr:
      return "OR";
  }
  return "?";
}

std::string BinaryExpr::ToString() const {
  return fmt::format("({} {} {})", left->ToString(), BinaryOpToString(op), right->ToString());
}

std::string IsNullExpr::ToString() const {
  return fmt::format("({} IS {}NULL)", operand->ToString(), negated ? "NOT " : "");
}

std::string BetweenExpr::ToString() const {
  return fmt::format("({} {}BETWEEN {} AND {})", operand->ToString(), negated ? "NOT " : "",
                     low->ToString(), high->ToString());
}

InExpr::InExpr() : Expr(kKind) {}
InExpr::~InExpr() = default;

std::string InExpr::ToString() const {
  if (quantified) {
    return fmt::format("({} {} {} ({}))", operand->ToString(), BinaryOpToString(op), all ? "ALL" : "ANY",
                       subquery->ToString());
  }
  std::string items = subquery ? subquery->ToString() : JoinExprs(list);
  return fmt::format("({} {}IN ({}))", operand->ToString(), negated ? "NOT " : "", items);
}

std::string LikeExpr::ToString() const {
  std::string out = fmt::format("({} {}{} {}", operand->ToString(), negated ? "NOT " : "",
                                case_insensitive ? "ILIKE" : "LIKE", pattern->ToString());
  if (escape) out += " ESCAPE " + escape->ToString();
  return out + ")";
}

std::string CaseExpr::ToString() const {
  std::string out = "CASE";
  if (operand) out += " " + operand->ToString();
  for (const CaseWhen& branch : whens) {
    out += " WHEN " + branch.when->ToString() + " THEN " + branch.then->ToString();
  }
  if (else_result) out += " ELSE " + else_result->ToString();
  return out + " END";
}

std::string CastExpr::ToString() const {
  return fmt::format("{}({} AS {})", try_cast ? "TRY_CAST" : "CAST", operand->ToString(),
                     type.ToString());
}

std::string OrderByItem::ToString() const {
  std::string out = expr->ToString() + (descending ? " DESC" : " ASC");
  if (nulls == NullOrder::kFirst) out += " NULLS FIRST";
  if (nulls == NullOrder::kLast) out += " NULLS LAST";
  return out;
}

std::string FrameBound::ToString() const {
  switch (type) {
    case FrameBoundType::kUnboundedPreceding:
      return "UNBOUNDED PRECEDING";
    case FrameBoundType::kPreceding:
      return offset->ToString() + " PRECEDING";
    case FrameBoundType::kCurrentRow:
      return "CURRENT ROW";
    case FrameBoundType::kFollowing:
      return offset->ToString() + " FOLLOWING";
    case FrameBoundType::kUnboundedFollowing:
      return "UNBOUNDED FOLLOWING";
  }
  return "CURRENT ROW";
}

std::string WindowFrame::ToString() const {
  const char* unit_text = unit == FrameUnit::kRows    ? "ROWS"
                          : unit == FrameUnit::kRange ? "RANGE"
                                                      : "GROUPS";
  return fmt::format("{} BETWEEN {} AND {}", unit_text, start.ToString(), end.ToString());
}

std::string WindowSpec::ToString() const {
  if (is_bare_reference) return QuoteIdentifier(base_name);
  std::vector<std::string> parts;
  if (!base_name.empty()) parts.push_back(QuoteIdentifier(base_name));
  if (!partition_by.empty()) parts.push_back("PARTITION BY " + JoinExprs(partition_by));
  if (!order_by.empty()) parts.push_back("ORDER BY " + JoinOrderBy(order_by));
  if (frame) parts.push_back(frame->ToString());
  return fmt::format("({})", fmt::join(parts, " "));
}

std::string FunctionExpr::ToString() const {
  std::string out = FunctionName(name) + "(";
  if (distinct) out += "DISTINCT ";
  out += JoinExprs(args);
  if (!order_by.empty()) out += " ORDER BY " + JoinOrderBy(order_by);
  out += ")";
  if (filter) out += " FILTER (WHERE " + filter->ToString() + ")";
  if (over) out += " OVER " + over->ToString();
  return out;
}

SubqueryExpr::SubqueryExpr() : Expr(kKind) {}
SubqueryExpr::~SubqueryExpr() = default;

std::string SubqueryExpr::ToString() const {
  std::string body = "(" + query->ToString() + ")";
  return subquery_kind == SubqueryKind::kExists ? "EXISTS " + body : body;
}

void ForEachChild(const Expr& e, const std::function<void(const Expr&)>& fn) {
  const auto visit = [&](const ExprPtr& child) {
    if (child) fn(*child);
  };
  switch (e.kind) {
    case ExprKind::kColumnRef:
    case ExprKind::kConstant:
    case ExprKind::kSubquery:
    case ExprKind::kDefault: return;
    case ExprKind::kStar: {
      const auto& star = e.As<StarExpr>();
      for (const auto& [r, name] : star.replace) visit(r);
      if (star.lambda_parameter.empty()) visit(star.pattern);
      return;
    }
    case ExprKind::kInterval: return visit(e.As<IntervalExpr>().value);
    case ExprKind::kUnary: return visit(e.As<UnaryExpr>().operand);
    case ExprKind::kBinary:
      visit(e.As<BinaryExpr>().left);
      return visit(e.As<BinaryExpr>().right);
    case ExprKind::kIsNull: return visit(e.As<IsNullExpr>().operand);
    case ExprKind::kBetween: {
      const auto& b = e.As<BetweenExpr>();
      visit(b.operand);
      visit(b.low);
      return visit(b.high);
    }
    case ExprKind::kIn: {
      const auto& in = e.As<InExpr>();
      visit(in.operand);
      for (const auto& x : in.list) visit(x);
      return;
    }
    case ExprKind::kLike: {
      const auto& l = e.As<LikeExpr>();
      visit(l.operand);
      visit(l.pattern);
      return visit(l.escape);
    }
    case ExprKind::kCase: {
      const auto& c = e.As<CaseExpr>();
      visit(c.operand);
      for (const auto& w : c.whens) {
        visit(w.when);
        visit(w.then);
      }
      return visit(c.else_result);
    }
    case ExprKind::kCast: return visit(e.As<CastExpr>().operand);
    case ExprKind::kFunction: {
      const auto& f = e.As<FunctionExpr>();
      for (const auto& a : f.args) visit(a);
      for (const auto& o : f.order_by) visit(o.expr);
      visit(f.filter);
      if (f.over) {
        for (const auto& p : f.over->partition_by) visit(p);
        for (const auto& o : f.over->order_by) visit(o.expr);
      }
      return;
    }
  }
}

}  // namespace sluice::sql
