// Window calls (OVER, named WINDOWs), QUALIFY aliases and DISTINCT ON.
#include <fmt/format.h>

#include "binder/sql_binder.h"
#include "common/strings.h"
#include "expr/function_registry.h"
#include "expr/window_function.h"

namespace sluice {

namespace {

// The parts of a window spec after following named-window references: each part comes
// from the spec that defines it.
struct ResolvedSpec {
  const std::vector<sql::ExprPtr>* partition_by = nullptr;
  const std::vector<sql::OrderByItem>* order_by = nullptr;
  const sql::WindowFrame* frame = nullptr;
};

WindowFrameUnit UnitOf(sql::FrameUnit unit) {
  switch (unit) {
    case sql::FrameUnit::kRows: return WindowFrameUnit::kRows;
    case sql::FrameUnit::kRange: return WindowFrameUnit::kRange;
    case sql::FrameUnit::kGroups: return WindowFrameUnit::kGroups;
  }
  return WindowFrameUnit::kRows;
}

WindowBoundKind BoundKindOf(sql::FrameBoundType type) {
  switch (type) {
    case sql::FrameBoundType::kUnboundedPreceding: return WindowBoundKind::kUnboundedPreceding;
    case sql::FrameBoundType::kPreceding: return WindowBoundKind::kPreceding;
    case sql::FrameBoundType::kCurrentRow: return WindowBoundKind::kCurrentRow;
    case sql::FrameBoundType::kFollowing: return WindowBoundKind::kFollowing;
    case sql::FrameBoundType::kUnboundedFollowing: return WindowBoundKind::kUnboundedFollowing;
  }
  return WindowBoundKind::kCurrentRow;
}

}  // namespace

ExprPtr SqlBinder::TranslateWindowCall(const sql::FunctionExpr& f, const BindScope& scope) {
  RegisterBuiltinFunctions();
  std::string name = ToLower(f.name.back());
  if (f.filter) ThrowNotImplemented(*f.filter, "FILTER in window calls is not supported yet");
  if (!f.order_by.empty()) ThrowNotImplemented(f, "ordered aggregates are not supported yet");
  if (!WindowFunctionKindOf(name)) {
    ThrowBind(f, fmt::format("{}() is not a window function or an aggregate", name));
  }

  // Follow named-window references; a reference may add ORDER BY and a frame to its base.
  ResolvedSpec resolved;
  const sql::WindowSpec* spec = f.over.get();
  for (size_t depth = 0; spec != nullptr; depth++) {
    if (!spec->partition_by.empty()) {
      if (!spec->base_name.empty()) {
        ThrowBind(*spec, "a window that refers to another window cannot add PARTITION BY");
      }
      if (!resolved.partition_by) resolved.partition_by = &spec->partition_by;
    }
    if (!spec->order_by.empty()) {
      if (resolved.order_by) ThrowBind(*spec, "cannot override the ORDER BY of a named window");
      resolved.order_by = &spec->order_by;
    }
    if (spec->frame && !resolved.frame) resolved.frame = &*spec->frame;
    if (spec->base_name.empty()) break;
    const sql::WindowSpec* base = nullptr;
    std::vector<std::string> names;
    if (named_windows_ != nullptr) {
      for (const auto& w : *named_windows_) {
        names.push_back(w.name);
        if (EqualsIgnoreCase(w.name, spec->base_name)) base = &w.spec;
      }
    }
    if (base == nullptr) {
      ThrowBind(*spec, fmt::format("window \"{}\" not found{}", spec->base_name,
                                   sql_bind::Suggest(spec->base_name, names)));
    }
    if (depth > names.size()) ThrowBind(*spec, "named windows refer to each other in a cycle");
    spec = base;
  }

  WindowSpec out;
  if (resolved.partition_by) {
    for (const auto& p : *resolved.partition_by) out.partition_by.push_back(TranslateExpr(*p, scope));
  }
  if (resolved.order_by) {
    for (const auto& o : *resolved.order_by) {
      out.order_by.push_back(
          {TranslateExpr(*o.expr, scope), !o.descending, o.nulls == sql::NullOrder::kFirst});
    }
  }
  if (resolved.frame) {
    const sql::WindowFrame& frame = *resolved.frame;
    out.has_frame = true;
    out.unit = UnitOf(frame.unit);
    out.start.kind = BoundKindOf(frame.start.type);
    out.end.kind = BoundKindOf(frame.end.type);
    if (frame.start.offset) out.start.offset = Lit(EvaluateConstantExpr(*frame.start.offset));
    if (frame.end.offset) out.end.offset = Lit(EvaluateConstantExpr(*frame.end.offset));
  }
  std::vector<ExprPtr> args;
  for (const auto& a : f.args) {
    if (a->kind == sql::ExprKind::kStar && name == "count" && f.args.size() == 1) {
      name = "count_star";
      continue;
    }
    args.push_back(TranslateExpr(*a, scope));
  }
  return WindowCall(name, std::move(args), std::move(out), f.distinct);
}

namespace sql_bind {

ExprPtr MapChildren(const ExprPtr& e, const std::function<ExprPtr(const ExprPtr&)>& fn) {
  if (e->args.empty() && !e->window) return e;
  auto copy = std::make_shared<Expr>(*e);
  for (auto& a : copy->args) a = fn(a);
  if (e->window) {
    WindowSpec spec = *e->window;
    for (auto& p : spec.partition_by) p = fn(p);
    for (auto& o : spec.order_by) o.expr = fn(o.expr);
    copy->window = std::make_shared<const WindowSpec>(std::move(spec));
  }
  return copy;
}

bool ContainsWindow(const Expr& e) {
  if (e.kind == ExprKind::kWindow) return true;
  for (const auto& a : e.args) {
    if (ContainsWindow(*a)) return true;
  }
  return false;
}

ExprPtr ExtractWindows(const ExprPtr& e, std::vector<ExprPtr>& windows) {
  if (e->kind != ExprKind::kWindow) {
    return MapChildren(e, [&](const ExprPtr& c) { return ExtractWindows(c, windows); });
  }
  auto nested = [](const ExprPtr& c) {
    if (ContainsWindow(*c)) throw BindError("window function calls cannot be nested");
  };
  for (const auto& a : e->args) nested(a);
  for (const auto& p : e->window->partition_by) nested(p);
  for (const auto& o : e->window->order_by) nested(o.expr);
  ExprPtr call = e->alias.empty() ? e : [&] {
    auto copy = std::make_shared<Expr>(*e);
    copy->alias.clear();
    return ExprPtr(copy);
  }();
  const std::string text = call->ToString();
  size_t index = windows.size();
  for (size_t i = 0; i < windows.size(); i++) {
    if (windows[i]->ToString() == text) index = i;
  }
  const std::string column = fmt::format("#w{}", index);
  if (index == windows.size()) {
    auto named = std::make_shared<Expr>(*call);
    named->alias = column;
    windows.push_back(named);
  }
  ExprPtr ref = Col(column);
  return e->alias.empty() ? ref : Alias(ref, e->alias);
}

ExprPtr TranslateWithAliases(SqlBinder& binder, const sql::Expr& expr, const BoundRelation& rel,
                             const BindScope* outer,
                             const std::vector<std::pair<std::string, ExprPtr>>& aliases) {
  // Select-list aliases become extra columns of a copy of the relation; FROM columns win.
  BoundRelation extended = rel;
  std::vector<std::string> added;
  for (size_t k = 0; k < aliases.size(); k++) {
    const std::string lower = ToLower(aliases[k].first);
    bool shadowed = false;
    for (size_t i = 0; i < rel.schema.size(); i++) {
      shadowed |= !rel.hidden[i] && ToLower(rel.schema.field(i).name) == lower;
    }
    for (const auto& a : added) shadowed |= a == lower;
    if (shadowed) continue;
    added.push_back(lower);
    extended.schema.Add(Field{aliases[k].first, TypeId::kNull, true, "#alias"});
    extended.hidden.push_back(false);
  }
  BindScope scope{&extended, outer};
  ExprPtr translated = binder.TranslateExpr(expr, scope);
  std::function<ExprPtr(const ExprPtr&)> substitute = [&](const ExprPtr& e) -> ExprPtr {
    if (e->kind == ExprKind::kColumnRef && e->qualifier == "#alias") {
      for (const auto& [name, aliased] : aliases) {
        if (EqualsIgnoreCase(name, e->name)) return aliased;
      }
    }
    return MapChildren(e, substitute);
  };
  return substitute(translated);
}

LogicalPlanPtr KeepFirstPerGroup(const LogicalPlanPtr& plan, const std::vector<int>& on_columns,
                                 const std::vector<SortSpec>& order) {
  WindowSpec spec;
  for (int c : on_columns) {
    spec.partition_by.push_back(Col(plan->schema.field(c).name, plan->schema.field(c).qualifier));
  }
  for (const auto& o : order) spec.order_by.push_back({o.expr, o.ascending, o.nulls_first});
  ExprPtr row_number = Alias(WindowCall("row_number", {}, std::move(spec)), "#rn");
  LogicalPlanPtr numbered = MakeWindow(plan, {row_number});
  return MakeFilter(numbered, Call("=", {Col("#rn"), Lit(Value::BigInt(1))}));
}

}  // namespace sql_bind

}  // namespace sluice
