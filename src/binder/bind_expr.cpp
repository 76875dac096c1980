// AST expressions -> engine expressions.
#include <charconv>
#include <cstdlib>

#include <fmt/format.h>

#include <set>

#include "binder/sql_binder.h"
#include "common/strings.h"
#include "expr/binder.h"
#include "expr/evaluator.h"
#include "expr/function_registry.h"
#include "plan/settings_function.h"
#include "sql/error_context.h"
#include "types/interval.h"

namespace sluice {

namespace {


// The function making an interval of `unit` (as the parser spells it: DAY, SECOND, ...).
std::string IntervalFunctionFor(const std::string& unit) {
  const std::string u = ToLower(unit);
  if (u == "century") return "to_centuries";
  if (u == "millennium") return "to_millennia";
  return "to_" + u + "s";
}

Value IntegerLiteral(const std::string& text) {
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec == std::errc() && ptr == text.data() + text.size()) {
    if (v >= INT32_MIN && v <= INT32_MAX) return Value::Integer(static_cast<int32_t>(v));
    return Value::BigInt(v);
  }
  if (text.size() <= 38) {
    int128_t big = 0;
    for (char c : text) big = big * 10 + (c - '0');
    return Value::Decimal(big, 38, 0);
  }
  return Value::Double(std::strtod(text.c_str(), nullptr));
}

// 1.50 is DECIMAL(3,2) as in DuckDB; exponents and very long literals are DOUBLE.
Value DecimalLiteral(const std::string& text) {
  if (text.find_first_of("eE") != std::string::npos) {
    return Value::Double(std::strtod(text.c_str(), nullptr));
  }
  const size_t dot = text.find('.');
  std::string int_part = dot == std::string::npos ? text : text.substr(0, dot);
  const std::string frac = dot == std::string::npos ? "" : text.substr(dot + 1);
  while (!int_part.empty() && int_part[0] == '0') int_part.erase(0, 1);
  const int scale = static_cast<int>(frac.size());
  const int precision = std::max<int>(1, static_cast<int>(int_part.size()) + scale);
  if (precision > 38) return Value::Double(std::strtod(text.c_str(), nullptr));
  int128_t unscaled = 0;
  for (char c : int_part + frac) unscaled = unscaled * 10 + (c - '0');
  return Value::Decimal(unscaled, std::max(precision, scale), scale);
}

Value ConstantValue(const sql::ConstantExpr& c) {
  switch (c.type) {
    case sql::ConstantType::kNull: return Value();
    case sql::ConstantType::kBoolean: return Value::Boolean(c.bool_value);
    case sql::ConstantType::kInteger: return IntegerLiteral(c.value);
    case sql::ConstantType::kDecimal: return DecimalLiteral(c.value);
    case sql::ConstantType::kString: return Value::Varchar(c.value);
  }
  return Value();
}

const char* BinaryOpName(sql::BinaryOp op) {
  using sql::BinaryOp;
  switch (op) {
    case BinaryOp::kAdd: return "+";
    case BinaryOp::kSubtract: return "-";
    case BinaryOp::kMultiply: return "*";
    case BinaryOp::kDivide: return "/";
    case BinaryOp::kIntegerDivide: return "//";
    case BinaryOp::kModulo: return "%";
    case BinaryOp::kConcat: return "||";
    case BinaryOp::kEqual: return "=";
    case BinaryOp::kNotEqual: return "<>";
    case BinaryOp::kLess: return "<";
    case BinaryOp::kLessEqual: return "<=";
    case BinaryOp::kGreater: return ">";
    case BinaryOp::kGreaterEqual: return ">=";
    case BinaryOp::kIsDistinctFrom: return "is distinct from";
    case BinaryOp::kIsNotDistinctFrom: return "is not distinct from";
    case BinaryOp::kAnd:
    case BinaryOp::kOr: break;
  }
  return "";
}

}  // namespace

ExprPtr SqlBinder::Remember(ExprPtr e, const sql::AstNode& origin) {
  origins_[e.get()] = &origin;
  return e;
}

const sql::AstNode* SqlBinder::OriginOf(const Expr* e) const {
  auto it = origins_.find(e);
  return it == origins_.end() ? nullptr : it->second;
}

LogicalType SqlBinder::TranslateType(const sql::TypeName& type) {
  try {
    return ParseTypeName(type.ToString());
  } catch (const UserError& e) {
    ThrowBind(type, e.message());
  }
}

Value SqlBinder::EvaluateConstantExpr(const sql::Expr& e) {
  BoundRelation empty;
  BindScope scope{&empty, nullptr};
  ExprPtr translated = TranslateExpr(e, scope);
  if (ContainsSubquery(*translated)) {
    ThrowNotImplemented(e, "subqueries are not supported where a constant is needed");
  }
  return At(e, [&] { return EvaluateConstant(*BindExpression(translated, Schema())); });
}

ExprPtr SqlBinder::TranslateExpr(const sql::Expr& e, const BindScope& scope) {
  using sql::ExprKind;
  switch (e.kind) {
    case ExprKind::kColumnRef: return Remember(ResolveColumn(e.As<sql::ColumnRefExpr>(), scope), e);
    case ExprKind::kStar: return TranslateStar(e.As<sql::StarExpr>());
    case ExprKind::kConstant: return Remember(Lit(ConstantValue(e.As<sql::ConstantExpr>())), e);
    case ExprKind::kInterval: {
      const auto& iv = e.As<sql::IntervalExpr>();
      // As in DuckDB, INTERVAL x unit keeps a fraction only for seconds and milliseconds;
      // other units take x truncated toward zero.
      const bool fractional = iv.unit == "SECOND" || iv.unit == "MILLISECOND";
      if (iv.value->kind != sql::ExprKind::kConstant && !iv.unit.empty()) {
        // INTERVAL (expr) unit: to_<unit>s(expr) per row, as DuckDB binds it.
        ExprPtr amount = TranslateExpr(*iv.value, scope);
        if (!fractional) amount = CastTo(Call("trunc", {amount}), TypeId::kBigInt);
        return Remember(Call(IntervalFunctionFor(iv.unit), {amount}), e);
      }
      Value v = EvaluateConstantExpr(*iv.value);
      std::string amount = v.ToString();
      if (!iv.unit.empty() && !fractional && amount.find('.') != std::string::npos) {
        amount.erase(amount.find('.'));
      }
      const std::string text = amount + (iv.unit.empty() ? "" : " " + ToLower(iv.unit));
      std::optional<Interval> parsed = ParseInterval(text);
      if (!parsed) ThrowBind(e, fmt::format("Could not convert string '{}' to INTERVAL", text));
      return Remember(Lit(Value::IntervalValue(*parsed)), e);
    }
    case ExprKind::kUnary: {
      const auto& u = e.As<sql::UnaryExpr>();
      ExprPtr operand = TranslateExpr(*u.operand, scope);
      if (u.op == sql::UnaryOp::kNot) return Remember(Not(operand), e);
      if (u.op == sql::UnaryOp::kPlus) return operand;
      return Remember(Call("negate", {operand}), e);
    }
    case ExprKind::kBinary: {
      const auto& b = e.As<sql::BinaryExpr>();
      ExprPtr l = TranslateExpr(*b.left, scope);
      ExprPtr r = TranslateExpr(*b.right, scope);
      if (b.op == sql::BinaryOp::kAnd) return Remember(And({l, r}), e);
      if (b.op == sql::BinaryOp::kOr) return Remember(Or({l, r}), e);
      // SET integer_division = true makes `/` the `//` function, as in DuckDB.
      if (b.op == sql::BinaryOp::kDivide && catalog_.settings().integer_division()) {
        return Remember(Call("//", {l, r}), e);
      }
      return Remember(Call(BinaryOpName(b.op), {l, r}), e);
    }
    case ExprKind::kIsNull: {
      const auto& n = e.As<sql::IsNullExpr>();
      ExprPtr operand = TranslateExpr(*n.operand, scope);
      return Remember(n.negated ? IsNotNull(operand) : IsNull(operand), e);
    }
    case ExprKind::kBetween: {
      const auto& b = e.As<sql::BetweenExpr>();
      ExprPtr x = TranslateExpr(*b.operand, scope);
      ExprPtr range = And({Call(">=", {x, TranslateExpr(*b.low, scope)}),
                           Call("<=", {x, TranslateExpr(*b.high, scope)})});
      return Remember(b.negated ? Not(range) : range, e);
    }
    case ExprKind::kIn: {
      const auto& in = e.As<sql::InExpr>();
      if (in.subquery) return Remember(TranslateInSubquery(in, scope), e);
      ExprPtr x = TranslateExpr(*in.operand, scope);
      std::vector<ExprPtr> list;
      for (const auto& item : in.list) list.push_back(TranslateExpr(*item, scope));
      return Remember(In(x, std::move(list), in.negated), e);
    }
    case ExprKind::kLike: {
      const auto& l = e.As<sql::LikeExpr>();
      std::vector<ExprPtr> args = {TranslateExpr(*l.operand, scope), TranslateExpr(*l.pattern, scope)};
      if (l.escape) args.push_back(TranslateExpr(*l.escape, scope));
      ExprPtr like = Call(l.case_insensitive ? "ilike" : "like", std::move(args));
      return Remember(l.negated ? Not(like) : like, e);
    }
    case ExprKind::kCase: {
      const auto& c = e.As<sql::CaseExpr>();
      ExprPtr operand = c.operand ? TranslateExpr(*c.operand, scope) : nullptr;
      std::vector<ExprPtr> args;
      for (const auto& w : c.whens) {
        ExprPtr when = TranslateExpr(*w.when, scope);
        args.push_back(operand ? Call("=", {operand, when}) : when);
        args.push_back(TranslateExpr(*w.then, scope));
      }
      args.push_back(c.else_result ? TranslateExpr(*c.else_result, scope) : Lit(Value()));
      return Remember(Case(std::move(args)), e);
    }
    case ExprKind::kCast: {
      const auto& c = e.As<sql::CastExpr>();
      return Remember(CastTo(TranslateExpr(*c.operand, scope), TranslateType(c.type), c.try_cast),
                      e);
    }
    case ExprKind::kFunction: return Remember(TranslateFunction(e.As<sql::FunctionExpr>(), scope), e);
    case ExprKind::kSubquery: return Remember(TranslateSubquery(e.As<sql::SubqueryExpr>(), scope), e);
    case ExprKind::kDefault:
      ThrowBind(e, "DEFAULT is only allowed in the VALUES of an INSERT or the SET of an UPDATE");
  }
  ThrowNotImplemented(e, "unsupported expression");
}

namespace {

ExprPtr ResolveStructField(const sql::ColumnRefExpr& ref, const BoundRelation& rel) {
  // s.a.b or t.s.a: the longest prefix naming a STRUCT column, then struct_extract per part.
  if (ref.parts.size() < 2) return nullptr;
  for (size_t take : {size_t{2}, size_t{1}}) {
    if (take >= ref.parts.size()) continue;
    const std::string name = ref.parts[take - 1];
    const std::string qualifier = take == 2 ? ref.parts[0] : "";
    int found = -1;
    for (size_t i = 0; i < rel.schema.size(); i++) {
      const Field& f = rel.schema.field(i);
      if (!EqualsIgnoreCase(f.name, name) || f.type.id() != TypeId::kStruct) continue;
      if (qualifier.empty() ? rel.hidden[i] : !EqualsIgnoreCase(f.qualifier, qualifier)) continue;
      if (found >= 0) return nullptr;
      found = static_cast<int>(i);
    }
    if (found < 0) continue;
    const Field& f = rel.schema.field(found);
    ExprPtr e = Col(f.name, f.qualifier);
    for (size_t p = take; p < ref.parts.size(); p++) {
      e = Call("struct_extract", {e, Lit(Value::Varchar(ref.parts[p]))});
    }
    return Alias(e, ref.parts.back());
  }
  return nullptr;
}

}  // namespace

ExprPtr SqlBinder::ResolveColumn(const sql::ColumnRefExpr& ref, const BindScope& scope) {
  const std::string name = ref.parts.back();
  const std::string qualifier = ref.parts.size() >= 2 ? ref.parts[ref.parts.size() - 2] : "";
  if (lambda_parameter_ != nullptr && ref.parts.size() == 1 &&
      EqualsIgnoreCase(name, lambda_parameter_->first)) {
    return Lit(lambda_parameter_->second);
  }
  const BoundRelation& rel = *scope.relation;
  std::vector<int> matches;
  for (size_t i = 0; i < rel.schema.size(); i++) {
    const Field& f = rel.schema.field(i);
    if (!EqualsIgnoreCase(f.name, name)) continue;
    if (qualifier.empty() ? rel.hidden[i] : !EqualsIgnoreCase(f.qualifier, qualifier)) continue;
    matches.push_back(static_cast<int>(i));
  }
  const std::string shown = qualifier.empty() ? name : qualifier + "." + name;
  if (matches.size() == 1) {
    const int i = matches[0];
    const Field& f = rel.schema.field(i);
    auto merged = rel.coalesce_with.find(i);
    if (qualifier.empty() && merged != rel.coalesce_with.end()) {
      const Field& r = rel.schema.field(merged->second);
      return Alias(Coalesce({Col(f.name, f.qualifier), Col(r.name, r.qualifier)}), f.name);
    }
    return Col(f.name, f.qualifier);
  }
  if (matches.size() > 1) {
    std::vector<std::string> options;
    for (int i : matches) {
      options.push_back("\"" + rel.schema.field(i).qualifier + "." + rel.schema.field(i).name + "\"");
    }
    ThrowBind(ref, fmt::format("Ambiguous reference to column name \"{}\" (use: {})", shown,
                               Join(options, " or ")));
  }
  if (ExprPtr field = ResolveStructField(ref, rel)) return field;
  if (correlation_ != nullptr && scope.outer != nullptr && scope.outer == correlation_->outer &&
      scope.outer->relation->schema.Find(name, qualifier) != -1) {
    // A correlated reference of the subquery being decorrelated: resolved in the outer scope
    // and remembered, so the conjunct holding it becomes a join condition.
    SubqueryCorrelation* correlation = correlation_;
    ExprPtr e;
    {
      sql_bind::ScopedValue<SubqueryCorrelation*> plain(correlation_, nullptr);
      e = ResolveColumn(ref, *scope.outer);
    }
    std::vector<const Expr*> refs;
    sql_bind::CollectColumnRefs(*e, refs);
    correlation->outer_refs.insert(refs.begin(), refs.end());
    return e;
  }
  for (const BindScope* outer = scope.outer; outer != nullptr; outer = outer->outer) {
    const Schema& s = outer->relation->schema;
    if (s.Find(name, qualifier) != -1) {
      for (SubqueryParameters* p = parameters_; p != nullptr; p = p->parent) {
        if (p->outer == outer) return ParameterFor(*p, ref);
      }
      ThrowNotImplemented(ref, fmt::format("correlated subqueries are not supported yet: column "
                                           "\"{}\" refers to the enclosing query",
                                           shown));
    }
  }
  if (select_aliases_ != nullptr && qualifier.empty()) {
    for (const auto& [alias, e] : *select_aliases_) {
      if (EqualsIgnoreCase(alias, name)) return e;
    }
  }
  std::vector<std::string> candidates;
  for (size_t i = 0; i < rel.schema.size(); i++) {
    const Field& f = rel.schema.field(i);
    candidates.push_back(qualifier.empty() || f.qualifier.empty() ? f.name
                                                                  : f.qualifier + "." + f.name);
  }
  ThrowBind(ref, fmt::format("Referenced column \"{}\" not found in FROM clause!{}", shown,
                             sql_bind::Suggest(shown, candidates)));
}

ExprPtr SqlBinder::TranslateFunction(const sql::FunctionExpr& f, const BindScope& scope) {
  const std::string name = ToLower(f.name.back());
  if (f.over) return TranslateWindowCall(f, scope);
  if (name == "current_setting") {  // a constant of the session's settings
    if (f.args.size() != 1) ThrowBind(f, "current_setting() takes the name of a setting");
    const std::string setting = EvaluateConstantExpr(*f.args[0]).ToString();
    try {
      return Lit(CurrentSettingValue(catalog_.settings(), setting));
    } catch (const InvalidInputError& e) {
      ThrowBind(f, e.message());
    }
  }
  if (std::optional<ScalarUdf> udf = catalog_.FindScalarUdf(name)) {
    if (f.filter) {
      ThrowBind(*f.filter, fmt::format("FILTER is only allowed on aggregates, not {}()", name));
    }
    if (f.distinct) {
      ThrowBind(f, fmt::format("DISTINCT is only allowed in aggregates, not {}()", name));
    }
    std::vector<ExprPtr> args = TranslateArgs(f.args, scope);
    return At(f, [&] { return UdfCall(*udf, std::move(args)); });
  }
  RegisterBuiltinFunctions();
  const FunctionRegistry& registry = FunctionRegistry::Global();
  // agg(x) FILTER (WHERE p) is agg(CASE WHEN p THEN x END): every aggregate skips the rows
  // whose first argument is NULL (count(*) becomes count(CASE WHEN p THEN 1 END)).
  ExprPtr filter;
  if (f.filter) {
    filter = TranslateExpr(*f.filter, scope);
    if (sql_bind::ContainsAggregate(*filter)) ThrowBind(*f.filter, "FILTER clause cannot contain aggregates!");
  }
  const bool count_star = name == "count_star" || (name == "count" && f.args.size() == 1 &&
                                                   f.args[0]->kind == sql::ExprKind::kStar &&
                                                   !f.args[0]->As<sql::StarExpr>().columns);
  if (pivot_filter_ && (count_star || (registry.HasAggregate(name == "last" ? "first" : name) &&
                                       !registry.HasScalar(name)))) {
    // PIVOT: each aggregate of a column reads the rows of that column's values only.
    filter = filter ? And({filter, pivot_filter_}) : pivot_filter_;
  }
  if (count_star) {
    return filter ? Aggregate("count", {Case({filter, Lit(Value::Integer(1))})}) : Aggregate("count_star", {});
  }
  std::vector<ExprPtr> args = TranslateArgs(f.args, scope);
  std::string aggregate_name = name;
  bool reversed = false;
  if (name == "last" && !registry.HasScalar(name)) {
    // last(x ORDER BY k) is first(x ORDER BY k reversed).
    aggregate_name = "first";
    reversed = true;
  }
  const bool is_aggregate =
      registry.HasAggregate(aggregate_name) && !registry.HasScalar(aggregate_name);
  if (filter && !is_aggregate) ThrowBind(*f.filter, fmt::format("FILTER is only allowed on aggregates, not {}()", name));
  static const std::set<std::string> kOrderInsensitive = {"count", "sum", "avg", "min", "max",
                                                          "bool_and", "bool_or"};
  if (!f.order_by.empty() && !is_aggregate) {
    ThrowBind(f, fmt::format("ORDER BY is only allowed in aggregates, not {}()", name));
  }
  if (is_aggregate) {
    // Aggregates that keep NULL inputs (list, first) skip filtered-out rows in the ordered
    // wrapper; the others skip the NULL that CASE gives them.
    const bool keeps_nulls = aggregate_name == "list" || aggregate_name == "array_agg" ||
                             aggregate_name == "first";
    const bool ordered = !f.order_by.empty() && !kOrderInsensitive.count(aggregate_name);
    if (!ordered && !(filter && keeps_nulls)) {
      if (filter && !args.empty()) args[0] = Case({filter, args[0]});
      return Aggregate(aggregate_name, std::move(args), f.distinct);
    }
    // string_agg(x, ',' ORDER BY y): the sort keys, then the filter, follow the arguments
    // (expr/aggregate_function.h).
    std::vector<AggregateOrder> order;
    for (const auto& o : f.order_by) {
      if (!ordered) break;
      args.push_back(TranslateExpr(*o.expr, scope));
      const bool nulls_first = o.nulls == sql::NullOrder::kFirst;
      order.push_back({o.descending == reversed, nulls_first == !reversed});
    }
    if (filter) args.push_back(filter);
    auto call = std::make_shared<Expr>(*Aggregate(aggregate_name, std::move(args), f.distinct));
    call->order = std::move(order);
    call->filtered = filter != nullptr;
    return call;
  }
  if (f.distinct) ThrowBind(f, fmt::format("DISTINCT is only allowed in aggregates, not {}()", name));
  if (name == "coalesce") return Coalesce(std::move(args));
  // GROUPING(...) is resolved against the GROUP BY keys by the SELECT binder.
  if (name == "grouping" || name == "grouping_id") return Call(name, std::move(args));
  // unnest(list) becomes an Unnest node under the SELECT list (sql_binder.cpp).
  if (name == "unnest") return Call(name, std::move(args));
  if (!registry.HasScalar(name)) {
    std::vector<std::string> names = registry.ScalarNames();
    for (const char* agg : {"count", "sum", "avg", "min", "max", "stddev", "variance", "bool_and",
                            "bool_or", "any_value"}) {
      names.push_back(agg);
    }
    names.push_back("coalesce");
    ThrowBind(f, fmt::format("Scalar Function with name {} does not exist!{}", name,
                             sql_bind::Suggest(name, names)));
  }
  return Call(name, std::move(args));
}

ExprPtr SqlBinder::SubqueryValue(SubqueryKind kind, LogicalPlanPtr plan, const sql::AstNode& at,
                                 ExprPtr operand, bool negated) {
  if (kind != SubqueryKind::kExists && plan->schema.size() != 1) {
    ThrowBind(at, fmt::format("Subquery returns {} columns - expected 1", plan->schema.size()));
  }
  std::string too_many_rows;
  if (kind == SubqueryKind::kScalar) {
    too_many_rows = sql::FormatErrorWithCaret(
        script_, at.line, at.column, "More than one row returned by a subquery used as an expression");
  }
  return MakeSubqueryExpr(kind, std::move(plan), fmt::format("${}", ++next_subquery_value_),
                          std::move(operand), negated, std::move(too_many_rows));
}

ExprPtr SqlBinder::TranslateSubquery(const sql::SubqueryExpr& s, const BindScope& scope) {
  if (scalar_joins_ != nullptr && s.subquery_kind == sql::SubqueryKind::kScalar) {
    return PlanScalarSubquery(s, scope);
  }
  sql_bind::ScopedValue<std::vector<SubqueryJoin>*> no_joins(scalar_joins_, nullptr);
  const SubqueryKind kind = s.subquery_kind == sql::SubqueryKind::kExists ? SubqueryKind::kExists
                                                                           : SubqueryKind::kScalar;
  LogicalPlanPtr plan;
  try {
    plan = BindQuery(*s.query, &scope);
  } catch (const NotImplementedError&) {
    return TranslateDependentSubquery(*s.query, kind, scope, s);  // correlated
  }
  return SubqueryValue(kind, std::move(plan), s);
}

ExprPtr SqlBinder::TranslateInSubquery(const sql::InExpr& in, const BindScope& scope) {
  sql_bind::ScopedValue<std::vector<SubqueryJoin>*> no_joins(scalar_joins_, nullptr);
  ExprPtr x = TranslateExpr(*in.operand, scope);
  LogicalPlanPtr plan;
  try {
    plan = BindQuery(*in.subquery, &scope);
  } catch (const NotImplementedError&) {
    return TranslateDependentQuantified(in, x, scope);  // correlated
  }
  using Op = sql::BinaryOp;
  // IN is `= ANY`, NOT IN is `<> ALL`.
  const bool is_in = !in.quantified || (in.op == Op::kEqual && !in.all);
  const bool is_not_in = in.quantified && in.op == Op::kNotEqual && in.all;
  if (is_in || is_not_in) {
    return SubqueryValue(SubqueryKind::kIn, std::move(plan), in, std::move(x), in.negated || is_not_in);
  }
  return TranslateQuantified(in, std::move(x), std::move(plan));
}

// `x op ANY|ALL (S)` from four values of S, each an uncorrelated scalar subquery: its row
// count n, its non-NULL count nn, min and max. With three-valued logic as the standard has it:
// ANY is TRUE when some s satisfies `x op s`, NULL when none does but some comparison is
// NULL, FALSE otherwise (always FALSE for an empty S); ALL is the dual (TRUE for an empty S).
ExprPtr SqlBinder::TranslateQuantified(const sql::InExpr& in, ExprPtr x, LogicalPlanPtr plan) {
  using Op = sql::BinaryOp;
  if (plan->schema.size() != 1) {
    ThrowBind(in, fmt::format("Subquery returns {} columns - expected 1", plan->schema.size()));
  }
  const Field& f = plan->schema.field(0);
  auto value_of = [&](ExprPtr aggregate) {
    return SubqueryValue(SubqueryKind::kScalar, MakeAggregate(plan, {}, {std::move(aggregate)}), in);
  };
  const ExprPtr n = value_of(Aggregate("count_star", {}));
  const ExprPtr nn = value_of(Aggregate("count", {Col(f.name, f.qualifier)}));
  const ExprPtr mn = value_of(Aggregate("min", {Col(f.name, f.qualifier)}));
  const ExprPtr mx = value_of(Aggregate("max", {Col(f.name, f.qualifier)}));
  const ExprPtr zero = Lit(Value::BigInt(0));
  const ExprPtr null_bool = Lit(Value::Null(TypeId::kBoolean));
  const ExprPtr some_null = Or({IsNull(x), Call("<", {nn, n})});
  // The bound a satisfying s is found at: ANY < / <= compare with max, ANY > / >= with min;
  // ALL the other way round. = and <> compare with both.
  auto compare = [&](const char* op, const ExprPtr& bound) { return Call(op, {x, bound}); };
  ExprPtr decisive;  // ANY: some s satisfies; ALL: some s fails
  const char* op_name = sql::BinaryOpToString(in.op);
  switch (in.op) {
    case Op::kLess:
    case Op::kLessEqual:
      decisive = in.all ? Not(compare(op_name, mn)) : compare(op_name, mx);
      break;
    case Op::kGreater:
    case Op::kGreaterEqual:
      decisive = in.all ? Not(compare(op_name, mx)) : compare(op_name, mn);
      break;
    case Op::kEqual:  // = ALL: some s differs from x
    case Op::kNotEqual:  // <> ANY: some s differs from x
      decisive = Or({compare("<>", mn), compare("<>", mx)});
      break;
    default:
      ThrowBind(in, fmt::format("ANY and ALL need a comparison, not {}", op_name));
  }
  const ExprPtr empty_answer = Lit(Value::Boolean(in.all));
  const ExprPtr decided = Lit(Value::Boolean(!in.all));
  ExprPtr result = Case({Call("=", {n, zero}), empty_answer, decisive, decided, some_null, null_bool,
                         Lit(Value::Boolean(in.all))});
  return in.negated ? Not(result) : result;
}

void SqlBinder::Relocate(const sql::AstNode& at, const UserError& e, bool not_implemented) const {
  // An error that already quotes its position is passed on unchanged.
  if (e.message().find('\n') != std::string::npos) {
    if (not_implemented) throw NotImplementedError(e.message());
    throw BindError(e.message());
  }
  if (not_implemented) ThrowNotImplemented(at, e.message());
  ThrowBind(at, e.message());
}

void SqlBinder::ThrowBind(const sql::AstNode& at, const std::string& message) const {
  throw BindError(sql::FormatErrorWithCaret(script_, at.line, at.column, message));
}

void SqlBinder::ThrowNotImplemented(const sql::AstNode& at, const std::string& message) const {
  throw NotImplementedError(sql::FormatErrorWithCaret(script_, at.line, at.column, message));
}

}  // namespace sluice
