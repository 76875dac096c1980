#include "expr/binder.h"

#include <fmt/format.h>

#include "common/error.h"
#include "common/strings.h"
#include "expr/function_registry.h"
#include "expr/scalar_functions.h"
#include "expr/window_function.h"
#include "types/cast_ops.h"

namespace sluice {

namespace {

bool IsStringLiteral(const Expr& e) {
  return e.kind == ExprKind::kLiteral && e.type.id() == TypeId::kVarchar && !e.value.is_null();
}
bool IsUntypedNull(const Expr& e) { return e.type.id() == TypeId::kNull; }

// The type a group of expressions is brought to (CASE branches, COALESCE, IN lists): untyped
// NULLs and string literals adapt to the typed members, as in DuckDB where '1994-01-01'
// compared with a DATE is read as a DATE.
LogicalType CommonTypeOf(const std::vector<ExprPtr>& exprs) {
  bool have_typed = false, have_string_literal = false;
  LogicalType typed;
  for (const auto& e : exprs) {
    if (IsUntypedNull(*e)) continue;
    if (IsStringLiteral(*e)) {
      have_string_literal = true;
      continue;
    }
    typed = have_typed ? CommonSuperType(typed, e->type) : e->type;
    have_typed = true;
  }
  if (have_typed) return typed;
  return have_string_literal ? LogicalType(TypeId::kVarchar) : LogicalType(TypeId::kNull);
}

std::vector<ExprPtr> CastAll(const std::vector<ExprPtr>& exprs, const LogicalType& type) {
  std::vector<ExprPtr> out;
  out.reserve(exprs.size());
  for (const auto& e : exprs) out.push_back(CastIfNeeded(e, type));
  return out;
}

ExprPtr RequireBoolean(const ExprPtr& e, const char* context) {
  if (e->type.id() == TypeId::kBoolean) return e;
  if (IsUntypedNull(*e) || IsStringLiteral(*e)) return CastIfNeeded(e, TypeId::kBoolean);
  throw BindError(fmt::format("{} requires a BOOLEAN argument, but {} has type {}", context,
                              e->ToString(), e->type.ToString()));
}

class ExpressionBinder {
 public:
  explicit ExpressionBinder(const Schema& schema) : schema_(schema) {}

  ExprPtr Bind(const ExprPtr& e) {
    // Already-bound subtrees (positional references made by the planner, the DataFrame API
    // or the SQL binder, where names may repeat) are kept as they are.
    if (e->bound) return e;
    switch (e->kind) {
      case ExprKind::kColumnRef:
        return BindColumn(*e);
      case ExprKind::kLiteral: {
        auto out = std::make_shared<Expr>(*e);
        out->type = e->value.type();
        out->bound = true;
        return out;
      }
      case ExprKind::kCall:
        return BindCall(*e);
      case ExprKind::kCast:
        return BindCast(*e);
      case ExprKind::kAnd:
      case ExprKind::kOr:
      case ExprKind::kNot: {
        const char* what = e->kind == ExprKind::kAnd  ? "AND"
                           : e->kind == ExprKind::kOr ? "OR"
                                                      : "NOT";
        std::vector<ExprPtr> args;
        for (const auto& a : e->args) args.push_back(RequireBoolean(Bind(a), what));
        return Finish(*e, std::move(args), TypeId::kBoolean);
      }
      case ExprKind::kIsNull:
      case ExprKind::kIsNotNull:
        return Finish(*e, BindAll(e->args), TypeId::kBoolean);
      case ExprKind::kIn:
        return BindIn(*e);
      case ExprKind::kCase:
        return BindCase(*e);
      case ExprKind::kCoalesce: {
        auto args = BindAll(e->args);
        const LogicalType type = CommonTypeOf(args);
        return Finish(*e, CastAll(args, type), type);
      }
      case ExprKind::kAggregate:
        return BindAggregate(*e);
      case ExprKind::kStar:
        throw BindError("* is only allowed in a select list or as the argument of count(*)");
      case ExprKind::kWindow:
        return BindWindow(*e);
      case ExprKind::kSubquery:  // its type is the subquery's, set when it was made
        return Finish(*e, BindAll(e->args), e->type);
    }
    throw InternalError("unknown expression kind");
  }

 private:
  std::vector<ExprPtr> BindAll(const std::vector<ExprPtr>& args) {
    std::vector<ExprPtr> out;
    out.reserve(args.size());
    for (const auto& a : args) out.push_back(Bind(a));
    return out;
  }

  static std::shared_ptr<Expr> Finish(const Expr& e, std::vector<ExprPtr> args, LogicalType type) {
    auto out = std::make_shared<Expr>(e);
    out->args = std::move(args);
    out->type = type;
    out->bound = true;
    return out;
  }

  ExprPtr BindColumn(const Expr& e) {
    const int index = schema_.Find(e.name, e.qualifier);
    const std::string shown = e.qualifier.empty() ? e.name : e.qualifier + "." + e.name;
    if (index == -2) {
      std::vector<std::string> options;
      for (const auto& f : schema_.fields()) {
        if (EqualsIgnoreCase(f.name, e.name) && !f.qualifier.empty()) {
          options.push_back("\"" + f.qualifier + "." + f.name + "\"");
        }
      }
      throw BindError(fmt::format("Ambiguous reference to column name \"{}\"{}", shown,
                                  options.empty() ? "" : " (use: " + Join(options, " or ") + ")"));
    }
    if (index < 0) {
      std::vector<std::string> candidates;
      for (const auto& f : schema_.fields()) {
        candidates.push_back(
            e.qualifier.empty() || f.qualifier.empty() ? f.name : f.qualifier + "." + f.name);
      }
      throw BindError(fmt::format("Referenced column \"{}\" not found in FROM clause{}", shown,
                                  DidYouMean(shown, candidates)));
    }
    auto out = std::make_shared<Expr>(e);
    out->column_index = index;
    out->type = schema_.field(index).type;
    out->bound = true;
    return out;
  }

  ExprPtr BindCall(const Expr& e) {
    if (e.kernel) {
      // A session's function (expr/scalar_udf.h, UdfCall): kernel and result type chosen
      // by the SQL binder; the arguments pass as they are.
      auto out = Finish(e, BindAll(e.args), e.type);
      out->kernel = e.kernel;
      return out;
    }
    const FunctionRegistry& registry = FunctionRegistry::Global();
    if (e.name == "coalesce") {
      auto as_coalesce = std::make_shared<Expr>(e);
      as_coalesce->kind = ExprKind::kCoalesce;
      return Bind(as_coalesce);
    }
    if (!registry.HasScalar(e.name) && registry.HasAggregate(e.name)) {
      auto as_aggregate = std::make_shared<Expr>(e);
      as_aggregate->kind = ExprKind::kAggregate;
      return BindAggregate(*as_aggregate);
    }
    auto args = BindAll(e.args);
    BoundScalar bound = registry.ResolveScalar(e.name, args);
    SLUICE_CHECK(bound.arg_types.size() == args.size(), "function {}: {} arg types for {} args",
                 e.name, bound.arg_types.size(), args.size());
    for (size_t i = 0; i < args.size(); i++) args[i] = CastIfNeeded(args[i], bound.arg_types[i]);
    auto out = Finish(e, std::move(args), bound.result_type);
    out->kernel = std::move(bound.kernel);
    return out;
  }

  ExprPtr BindCast(const Expr& e) {
    ExprPtr arg = Bind(e.args[0]);
    const LogicalType target = e.type;
    if (!CanCast(arg->type, target)) {
      throw BindError(fmt::format("Unimplemented type for cast ({} -> {})", arg->type.ToString(),
                                  target.ToString()));
    }
    auto out = std::make_shared<Expr>(e);
    out->args = {arg};
    out->bound = true;
    out->kernel = MakeCastKernel(arg->type, target, e.try_cast);
    return out;
  }

  ExprPtr BindIn(const Expr& e) {
    auto args = BindAll(e.args);
    const LogicalType type = CommonTypeOf(args);
    args = CastAll(args, type);
    bool all_literals = true;
    for (size_t i = 1; i < args.size(); i++) all_literals &= args[i]->kind == ExprKind::kLiteral;
    if (all_literals) {
      std::vector<Value> values;
      for (size_t i = 1; i < args.size(); i++) values.push_back(args[i]->value);
      auto out = Finish(e, std::move(args), TypeId::kBoolean);
      out->kernel = MakeInListKernel(type, values, e.negated);
      return out;
    }
    // A list with expressions: x IN (a, b) is exactly (x = a OR x = b) in three-valued logic.
    std::vector<ExprPtr> equalities;
    for (size_t i = 1; i < e.args.size(); i++) {
      equalities.push_back(Call("=", {e.args[0], e.args[i]}));
    }
    ExprPtr rewritten = Or(std::move(equalities));
    if (e.negated) rewritten = Not(rewritten);
    if (!e.alias.empty()) rewritten = Alias(rewritten, e.alias);
    return Bind(rewritten);
  }

  ExprPtr BindCase(const Expr& e) {
    auto args = BindAll(e.args);
    std::vector<ExprPtr> results;
    for (size_t i = 0; i < args.size(); i++) {
      const bool is_condition = i + 1 < args.size() && i % 2 == 0;
      if (is_condition) {
        args[i] = RequireBoolean(args[i], "CASE WHEN");
      } else {
        results.push_back(args[i]);
      }
    }
    const LogicalType type = CommonTypeOf(results);
    for (size_t i = 0; i < args.size(); i++) {
      const bool is_condition = i + 1 < args.size() && i % 2 == 0;
      if (!is_condition) args[i] = CastIfNeeded(args[i], type);
    }
    return Finish(e, std::move(args), type);
  }

  ExprPtr BindAggregate(const Expr& e) {
    auto out = std::make_shared<Expr>(e);
    if (out->name == "count" && out->args.size() == 1 && out->args[0]->kind == ExprKind::kStar) {
      out->name = "count_star";
      out->args.clear();
    }
    out->args = BindAll(out->args);
    std::vector<LogicalType> types;
    for (const auto& a : out->args) types.push_back(a->type);
    if (!out->order.empty() || out->filtered) {
      // The sort keys and the filter follow the arguments: the plain aggregate sees the
      // arguments only.
      types.resize(types.size() - out->order.size() - (out->filtered ? 1 : 0));
      auto inner = FunctionRegistry::Global().ResolveAggregate(out->name, types, false);
      out->aggregate = MakeOrderedAggregate(std::move(inner), types, out->order, out->distinct,
                                            out->filtered);
      out->type = out->aggregate->result_type();
      out->bound = true;
      return out;
    }
    out->aggregate = FunctionRegistry::Global().ResolveAggregate(out->name, types, out->distinct);
    out->type = out->aggregate->result_type();
    out->bound = true;
    return out;
  }

  ExprPtr BindWindow(const Expr& e) {
    auto out = std::make_shared<Expr>(e);
    if (out->name == "count" && out->args.size() == 1 && out->args[0]->kind == ExprKind::kStar) {
      out->name = "count_star";
      out->args.clear();
    }
    out->args = BindAll(out->args);
    SLUICE_CHECK(e.window != nullptr, "window call {} without a window", e.name);
    WindowSpec spec = *e.window;
    spec.partition_by = BindAll(spec.partition_by);
    for (auto& o : spec.order_by) o.expr = Bind(o.expr);
    for (WindowBound* b : {&spec.start, &spec.end}) {
      if (b->offset) b->offset = Bind(b->offset);
    }
    out->window = std::make_shared<const WindowSpec>(std::move(spec));
    ResolveWindowFunction(*out);
    out->bound = true;
    return out;
  }

  const Schema& schema_;
};

}  // namespace

ExprPtr BindExpression(const ExprPtr& expr, const Schema& input) {
  RegisterBuiltinFunctions();
  return ExpressionBinder(input).Bind(expr);
}

LogicalType CommonSuperType(const LogicalType& a, const LogicalType& b) {
  if (a == b) return a;
  if (a.id() == TypeId::kNull) return b;
  if (b.id() == TypeId::kNull) return a;
  if (a.IsNumeric() && b.IsNumeric()) return CommonNumericType(a, b);
  const auto is = [&](TypeId x, TypeId y) {
    return (a.id() == x && b.id() == y) || (a.id() == y && b.id() == x);
  };
  if (is(TypeId::kDate, TypeId::kTimestamp)) return TypeId::kTimestamp;
  if (is(TypeId::kDate, TypeId::kTimestampTz) || is(TypeId::kTimestamp, TypeId::kTimestampTz)) {
    return TypeId::kTimestampTz;
  }
  if (a.id() == TypeId::kList && b.id() == TypeId::kList) {
    return LogicalType::List(CommonSuperType(a.ListChild(), b.ListChild()));
  }
  if (a.id() == TypeId::kMap && b.id() == TypeId::kMap) {
    return LogicalType::Map(CommonSuperType(a.MapKey(), b.MapKey()),
                            CommonSuperType(a.MapValue(), b.MapValue()));
  }
  if (a.id() == TypeId::kStruct && b.id() == TypeId::kStruct &&
      a.StructFields().size() == b.StructFields().size()) {
    std::vector<StructField> fields;
    for (size_t i = 0; i < a.StructFields().size(); i++) {
      const StructField& x = a.StructFields()[i];
      const StructField& y = b.StructFields()[i];
      if (ToLower(x.name) != ToLower(y.name)) break;
      fields.push_back({x.name, CommonSuperType(x.type, y.type)});
    }
    if (fields.size() == a.StructFields().size()) return LogicalType::Struct(fields);
  }
  // Everything has a text form, so VARCHAR absorbs any other type (UNION, CASE).
  if (a.id() == TypeId::kVarchar || b.id() == TypeId::kVarchar) return TypeId::kVarchar;
  throw BindError(fmt::format("Cannot mix values of type {} and {} - an explicit cast is required",
                              a.ToString(), b.ToString()));
}

ExprPtr CastIfNeeded(const ExprPtr& e, const LogicalType& type) {
  if (e->type == type) return e;
  if (e->kind == ExprKind::kLiteral) {
    // Casting a literal once at bind time instead of once per batch; a bad literal is
    // reported here, as DuckDB does when it folds constants.
    auto out = std::make_shared<Expr>(*e);
    out->value = e->value.CastTo(type);
    out->type = type;
    out->bound = true;
    return out;
  }
  if (!CanCast(e->type, type)) {
    throw BindError(fmt::format("Cannot implicitly cast {} of type {} to {}", e->ToString(),
                                e->type.ToString(), type.ToString()));
  }
  auto out = std::const_pointer_cast<Expr>(CastTo(e, type));
  if (e->bound) {
    out->kernel = MakeCastKernel(e->type, type, false);
    out->bound = true;
  }
  return out;
}

}  // namespace sluice
