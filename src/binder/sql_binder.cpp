// Queries: SELECT (with aggregation, ORDER BY, LIMIT), set operations, VALUES, CTEs.
#include "binder/sql_binder.h"
#include "binder/aggregate_rewriter.h"
#include "plan/recursive_cte.h"
#include "expr/binder.h"

#include <fmt/format.h>

#include "binder/table_sources.h"
#include "common/strings.h"
#include "expr/binder.h"
#include "expr/evaluator.h"
#include "vector/value_rows.h"

namespace sluice {

namespace {

bool IsUnnestCall(const Expr& e) { return e.kind == ExprKind::kCall && e.name == "unnest"; }

bool ContainsUnnest(const Expr& e) {
  if (IsUnnestCall(e)) return true;
  for (const auto& a : e.args) {
    if (ContainsUnnest(*a)) return true;
  }
  return false;
}

// Replaces each unnest(x) of a SELECT item by a reference to the element column "#u<k>" of
// an Unnest node and collects x (aliased "#u<k>") into `lists`.
ExprPtr ExtractUnnests(const ExprPtr& e, std::vector<ExprPtr>& lists) {
  if (!IsUnnestCall(*e)) {
    return sql_bind::MapChildren(e, [&](const ExprPtr& c) { return ExtractUnnests(c, lists); });
  }
  if (e->args.size() != 1) throw BindError("unnest() takes exactly one argument");
  if (ContainsUnnest(*e->args[0])) throw BindError("nested UNNEST calls are not supported");
  const std::string column = fmt::format("#u{}", lists.size());
  lists.push_back(Alias(e->args[0], column));
  ExprPtr ref = Col(column);
  return e->alias.empty() ? ref : Alias(ref, e->alias);
}

bool IsIntegerConstant(const sql::Expr& e) {
  return e.kind == sql::ExprKind::kConstant &&
         e.As<sql::ConstantExpr>().type == sql::ConstantType::kInteger;
}

const std::string* SingleName(const sql::Expr& e) {
  if (e.kind != sql::ExprKind::kColumnRef) return nullptr;
  const auto& parts = e.As<sql::ColumnRefExpr>().parts;
  return parts.size() == 1 ? &parts[0] : nullptr;
}

struct SelectColumn {
  ExprPtr expr;
  std::string name;
  const sql::AstNode* at;
  bool plain;  // an unaliased column reference: keeps its qualifier
};

}  // namespace

LogicalPlanPtr SqlBinder::BindQuery(const sql::QueryNode& query, const BindScope* outer) {
  struct Restore {
    std::map<std::string, LogicalPlanPtr>& target;
    std::map<std::string, LogicalPlanPtr> saved;
    ~Restore() { target = std::move(saved); }
  } restore{ctes_, ctes_};
  struct Depth {
    SqlBinder& binder;
    explicit Depth(SqlBinder& b) : binder(b) {
      if (binder.query_depth_++ == 0) binder.views_.clear();
    }
    ~Depth() {
      if (--binder.query_depth_ == 0) binder.views_.clear();
    }
  } depth{*this};
  for (const auto& cte : query.ctes) {
    LogicalPlanPtr plan = query.recursive ? BindRecursiveCte(cte, outer) : nullptr;
    if (!plan) plan = BindQuery(*cte.query, outer);
    if (!cte.column_aliases.empty()) {
      plan = sql_bind::WithFields(plan, [&](Field& f, size_t i) {
        if (i < cte.column_aliases.size()) f.name = cte.column_aliases[i];
      });
    }
    ctes_[ToLower(cte.name)] = plan;
  }
  switch (query.kind) {
    case sql::QueryKind::kSelect: return BindSelect(query.As<sql::SelectNode>(), outer);
    case sql::QueryKind::kSetOperation:
      return ApplyModifiers(query, BindSetOperation(query.As<sql::SetOperationNode>(), outer));
    case sql::QueryKind::kValues:
      return ApplyModifiers(query, BindValues(query.As<sql::ValuesNode>()));
  }
  ThrowNotImplemented(query, "unsupported query");
}

LogicalPlanPtr SqlBinder::BindRecursiveCte(const sql::CommonTableExpr& cte, const BindScope* outer) {
  if (cte.query->kind != sql::QueryKind::kSetOperation) return nullptr;
  const auto& body = cte.query->As<sql::SetOperationNode>();
  if (body.op != sql::SetOpType::kUnion) return nullptr;
  LogicalPlanPtr anchor = BindQuery(*body.left, outer);
  if (!cte.column_aliases.empty()) {
    if (cte.column_aliases.size() > anchor->schema.size()) {
      ThrowBind(cte, fmt::format("table \"{}\" has {} columns available but {} columns specified",
                                 cte.name, anchor->schema.size(), cte.column_aliases.size()));
    }
    anchor = sql_bind::WithFields(anchor, [&](Field& f, size_t i) {
      if (i < cte.column_aliases.size()) f.name = cte.column_aliases[i];
    });
  }
  anchor = sql_bind::WithFields(anchor, [&](Field& f, size_t) { f.qualifier = cte.name; });
  LogicalPlanPtr working = MakeWorkingTable(anchor->schema);
  LogicalPlanPtr recursive;
  {
    struct Restore {
      std::map<std::string, LogicalPlanPtr>& target;
      std::map<std::string, LogicalPlanPtr> saved;
      ~Restore() { target = std::move(saved); }
    } restore{ctes_, ctes_};
    ctes_[ToLower(cte.name)] = working;
    recursive = BindQuery(*body.right, outer);
  }
  if (!ReadsWorkingTable(*recursive, working->rows.get())) return nullptr;  // not recursive
  if (recursive->schema.size() != anchor->schema.size()) {
    ThrowBind(*body.right, fmt::format("the recursive term of \"{}\" has {} columns, its anchor {}",
                                       cte.name, recursive->schema.size(), anchor->schema.size()));
  }
  if (body.order_by.size() > 0 || body.limit || body.offset) {
    ThrowNotImplemented(body, "ORDER BY, LIMIT and OFFSET on a recursive CTE are not supported yet");
  }
  // The recursive term's rows take the anchor's column types.
  std::vector<ExprPtr> casts;
  for (size_t i = 0; i < anchor->schema.size(); i++) {
    const Field& f = anchor->schema.field(i);
    casts.push_back(Alias(CastIfNeeded(BoundColumnRef(recursive->schema, static_cast<int>(i)), f.type), f.name));
  }
  recursive = At(*body.right, [&] { return MakeProject(recursive, casts); });
  auto definition = std::make_shared<RecursiveCte>();
  definition->name = cte.name;
  definition->anchor = anchor;
  definition->recursive = recursive;
  definition->working = working->rows.get();
  definition->union_all = body.all;
  return MakeRecursiveCte(anchor->schema, std::move(definition));
}

LogicalPlanPtr SqlBinder::BindSelect(const sql::SelectNode& node, const BindScope* outer) {
  struct RestoreWindows {
    const std::vector<sql::NamedWindow>*& target;
    const std::vector<sql::NamedWindow>* saved;
    ~RestoreWindows() { target = saved; }
  } restore_windows{named_windows_, named_windows_};
  named_windows_ = &node.windows;
  BoundRelation rel = BindFromWhere(node, outer);
  BindScope scope{&rel, outer};
  const Schema& from = rel.schema;

  std::vector<SelectColumn> items;
  for (const auto& item : node.select_list) {
    std::vector<std::pair<ExprPtr, std::string>> copies = ExpandColumns(*item.expr, scope, item.alias);
    if (!copies.empty()) {
      for (auto& [e, name] : copies) {
        const bool plain = e->kind == ExprKind::kColumnRef && item.alias.empty();
        items.push_back({e, name, &item, plain});
      }
      continue;
    }
    if (item.expr->kind == sql::ExprKind::kStar) {
      const auto& star = item.expr->As<sql::StarExpr>();
      const std::string qualifier = star.qualifier.empty() ? "" : ToLower(star.qualifier.back());
      bool any = false;
      std::vector<bool> excluded_used(star.exclude.size()), replaced_used(star.replace.size());
      for (size_t i = 0; i < from.size(); i++) {
        const Field& f = from.field(i);
        if (qualifier.empty() ? rel.hidden[i] : ToLower(f.qualifier) != qualifier) continue;
        any = true;
        bool excluded = false;
        for (size_t x = 0; x < star.exclude.size(); x++) {
          if (ToLower(star.exclude[x]) == ToLower(f.name)) excluded = excluded_used[x] = true;
        }
        if (excluded) continue;
        bool replaced = false;
        for (size_t r = 0; r < star.replace.size() && !replaced; r++) {
          if (ToLower(star.replace[r].second) != ToLower(f.name)) continue;
          replaced = replaced_used[r] = true;
          ExprPtr e = TranslateExpr(*star.replace[r].first, scope);
          items.push_back({e, f.name, &item, false});
        }
        if (replaced) continue;
        ExprPtr e = Col(f.name, f.qualifier);
        auto merged = rel.coalesce_with.find(static_cast<int>(i));
        if (qualifier.empty() && merged != rel.coalesce_with.end()) {
          const Field& r = from.field(merged->second);
          e = Coalesce({e, Col(r.name, r.qualifier)});
        }
        items.push_back({e, f.name, &item, e->kind == ExprKind::kColumnRef});
      }
      if (!qualifier.empty() && !any) {
        ThrowBind(item, fmt::format("Referenced table \"{}\" not found in FROM clause!",
                                    star.qualifier.back()));
      }
      for (size_t x = 0; x < star.exclude.size(); x++) {
        if (!excluded_used[x]) {
          ThrowBind(item, fmt::format("Column \"{}\" in EXCLUDE list not found in FROM clause", star.exclude[x]));
        }
      }
      for (size_t r = 0; r < star.replace.size(); r++) {
        if (!replaced_used[r]) {
          ThrowBind(item, fmt::format("Column \"{}\" in REPLACE list not found in FROM clause", star.replace[r].second));
        }
      }
      continue;
    }
    ExprPtr e = TranslateExpr(*item.expr, scope);
    const bool is_ref = item.expr->kind == sql::ExprKind::kColumnRef;
    std::string name = !item.alias.empty() ? item.alias
                       : is_ref ? item.expr->As<sql::ColumnRefExpr>().parts.back()
                                : item.source_text;
    items.push_back({e, name, &item, is_ref && item.alias.empty()});
  }

  // ORDER BY: a select column (ordinal, alias or same expression) or a hidden extra column.
  struct OrderKey {
    int column;
    const sql::OrderByItem* item;
  };
  std::vector<OrderKey> order_keys;
  std::vector<ExprPtr> hidden;
  // The select column computing `e`, else a new hidden column.
  auto resolve_expr = [&](const ExprPtr& e) {
    const std::string key = KeyOf(*e, from);
    for (size_t i = 0; i < items.size(); i++) {
      if (KeyOf(*items[i].expr, from) == key) return static_cast<int>(i);
    }
    hidden.push_back(e);
    return static_cast<int>(items.size() + hidden.size() - 1);
  };
  // A select column (ordinal, alias or same expression) or a new hidden column.
  auto resolve_column = [&](const sql::Expr& expr) {
    int column = -1;
    if (IsIntegerConstant(expr)) {
      const int64_t k = std::stoll(expr.As<sql::ConstantExpr>().value);
      if (k < 1 || k > static_cast<int64_t>(items.size())) {
        ThrowBind(expr, fmt::format("ORDER term out of range - should be between 1 and {}",
                                    items.size()));
      }
      column = static_cast<int>(k - 1);
    } else if (const std::string* n = SingleName(expr)) {
      for (size_t i = 0; i < items.size() && column < 0; i++) {
        if (ToLower(items[i].name) == ToLower(*n)) column = static_cast<int>(i);
      }
    }
    if (column < 0) column = resolve_expr(TranslateExpr(expr, scope));
    return column;
  };
  for (const auto& o : node.order_by) {
    std::vector<std::pair<ExprPtr, std::string>> copies = ExpandColumns(*o.expr, scope, "");
    if (!copies.empty()) {
      for (const auto& [e, name] : copies) order_keys.push_back({resolve_expr(e), &o});
    } else if (sql::IsOrderByAll(*o.expr)) {
      for (size_t i = 0; i < items.size(); i++) order_keys.push_back({static_cast<int>(i), &o});
    } else {
      order_keys.push_back({resolve_column(*o.expr), &o});
    }
  }
  std::vector<int> distinct_on;
  for (const auto& d : node.distinct_on) distinct_on.push_back(resolve_column(*d));
  ExprPtr qualify;
  if (node.qualify) {
    std::vector<std::pair<std::string, ExprPtr>> aliases;
    for (const auto& i : items) aliases.emplace_back(i.name, i.expr);
    qualify = sql_bind::TranslateWithAliases(*this, *node.qualify, rel, outer, aliases);
  }

  bool aggregate = !node.group_by.empty() || node.having != nullptr;
  for (const auto& i : items) aggregate |= sql_bind::ContainsAggregate(*i.expr);
  for (const auto& h : hidden) aggregate |= sql_bind::ContainsAggregate(*h);
  if (qualify) aggregate |= sql_bind::ContainsAggregate(*qualify);
  // A subquery being decorrelated also outputs the inner side of its correlation.
  std::vector<ExprPtr> correlated;
  if (correlation_ != nullptr && correlation_->select == &node) {
    std::vector<ExprPtr> select_exprs;
    for (const auto& i : items) select_exprs.push_back(i.expr);
    correlated = CorrelationOutputs(node, select_exprs, aggregate);
  }

  LogicalPlanPtr base = rel.plan;
  if (aggregate) {
    AggregateRewriter rewriter(*this, from);
    for (const auto& c : correlated) rewriter.AddGroup(c);
    if (node.group_by.all) {
      for (const auto& i : items) {
        if (!sql_bind::ContainsAggregate(*i.expr)) rewriter.AddGroup(i.expr);
      }
    }
    // Grouping sets as lists of group ids; one set (all keys) without ROLLUP/CUBE/SETS.
    std::vector<std::vector<size_t>> grouping_sets = {{}};
    for (size_t i = 0; i < rewriter.groups().size(); i++) grouping_sets[0].push_back(i);
    bool has_grouping_sets = false;
    auto add_group = [&](const sql::Expr& g) -> size_t {
      ExprPtr e;
      if (IsIntegerConstant(g)) {
        const int64_t k = std::stoll(g.As<sql::ConstantExpr>().value);
        if (k < 1 || k > static_cast<int64_t>(items.size())) {
          ThrowBind(g, fmt::format("GROUP BY term out of range - should be between 1 and {}", items.size()));
        }
        e = items[k - 1].expr;
      } else if (const std::string* n = SingleName(g); n && from.Find(*n) == -1) {
        for (const auto& i : items) {
          if (!e && ToLower(i.name) == ToLower(*n)) e = i.expr;
        }
      }
      if (!e) e = TranslateExpr(g, scope);
      if (sql_bind::ContainsAggregate(*e)) ThrowBind(g, "GROUP BY clause cannot contain aggregates!");
      if (sql_bind::ContainsWindow(*e)) ThrowBind(g, "GROUP BY clause cannot contain window functions!");
      return rewriter.AddGroup(e);
    };
    for (const auto& element : node.group_by.elements) {
      std::vector<std::vector<size_t>> lists;
      if (element.kind == sql::GroupingKind::kGroupingSets) {
        for (const auto& set : element.sets) {
          lists.emplace_back();
          for (const auto& g : set) lists.back().push_back(add_group(*g));
        }
      } else {
        lists.emplace_back();
        for (const auto& g : element.exprs) lists.back().push_back(add_group(*g));
      }
      has_grouping_sets |= element.kind != sql::GroupingKind::kExpr;
      grouping_sets = At(node, [&] {
        return sql_bind::CrossGroupingSets(
            grouping_sets, sql_bind::ExpandGroupingElement(element.kind, lists));
      });
    }
    rewriter.set_grouping_sets(has_grouping_sets);
    std::vector<std::pair<std::string, ExprPtr>> select_aliases;
    for (const auto& i : items) select_aliases.emplace_back(i.name, i.expr);
    for (auto& i : items) i.expr = rewriter.Rewrite(i.expr, *i.at);
    for (auto& h : hidden) h = rewriter.Rewrite(h, node);
    for (auto& c : correlated) c = rewriter.Rewrite(c, node);
    if (qualify) qualify = rewriter.Rewrite(qualify, *node.qualify);
    ExprPtr having;
    if (node.having) {
      sql_bind::ScopedValue<const std::vector<std::pair<std::string, ExprPtr>>*> aliases(select_aliases_,
                                                                                       &select_aliases);
      having = rewriter.Rewrite(TranslateExpr(*node.having, scope), *node.having);
    }
    if (having && sql_bind::ContainsWindow(*having)) {
      ThrowBind(*node.having, "HAVING clause cannot contain window functions!");
    }
    base = At(node, [&] {
      if (!has_grouping_sets) return MakeAggregate(rel.plan, rewriter.groups(), rewriter.aggregates());
      return sql_bind::MakeGroupingSets(rel.plan, rewriter.groups(), rewriter.aggregates(),
                                        grouping_sets, rewriter.grouping_calls());
    });
    if (having) base = At(*node.having, [&] { return MakeFilter(base, having); });
  }

  // Window calls become columns of a Window node; QUALIFY filters its output.
  std::vector<ExprPtr> windows;
  At(node, [&] {
    for (auto& i : items) i.expr = sql_bind::ExtractWindows(i.expr, windows);
    for (auto& h : hidden) h = sql_bind::ExtractWindows(h, windows);
    if (qualify) qualify = sql_bind::ExtractWindows(qualify, windows);
    return 0;
  });
  if (qualify && windows.empty()) {
    ThrowBind(*node.qualify, "at least one window function must appear in the SELECT column or "
                             "QUALIFY clause");
  }
  if (!windows.empty()) base = At(node, [&] { return MakeWindow(base, windows); });
  if (qualify) base = At(*node.qualify, [&] { return MakeFilter(base, qualify); });

  // unnest(list) in the SELECT list: an Unnest node multiplies the rows; the items read its
  // element columns.
  std::vector<ExprPtr> unnests;
  At(node, [&] {
    for (auto& i : items) i.expr = ExtractUnnests(i.expr, unnests);
    return 0;
  });
  if (!unnests.empty()) base = At(node, [&] { return MakeUnnest(base, unnests); });

  std::vector<ExprPtr> projection;
  for (const auto& i : items) {
    ExprPtr e = i.plain && !aggregate ? i.expr : Alias(i.expr, i.name);
    At(*i.at, [&] { return BindExpression(e, base->schema); });
    projection.push_back(e);
  }
  for (size_t h = 0; h < hidden.size(); h++) {
    projection.push_back(Alias(hidden[h], fmt::format("#o{}", h)));
  }
  for (size_t k = 0; k < correlated.size(); k++) {
    projection.push_back(Alias(correlated[k], fmt::format("#corr{}", k)));
  }
  LogicalPlanPtr plan = At(node, [&] { return MakeProject(base, projection); });
  std::vector<Field> visible(plan->schema.fields().begin(),
                             plan->schema.fields().begin() + static_cast<long>(items.size()));
  if (node.distinct && distinct_on.empty()) {
    if (!hidden.empty()) {
      ThrowBind(node, "For SELECT DISTINCT, ORDER BY expressions must appear in select list");
    }
    plan = MakeDistinct(plan);
  }
  if (order_keys.empty() && !node.limit && !node.offset && distinct_on.empty()) return plan;
  plan = sql_bind::WithFields(plan, [](Field& f, size_t i) {
    f.name = fmt::format("#c{}", i);
    f.qualifier.clear();
  });
  std::vector<SortSpec> keys;
  for (const auto& k : order_keys) {
    keys.push_back({Col(fmt::format("#c{}", k.column)), !k.item->descending,
                    k.item->nulls == sql::NullOrder::kFirst});
  }
  if (!distinct_on.empty()) plan = sql_bind::KeepFirstPerGroup(plan, distinct_on, keys);
  if (!keys.empty()) plan = MakeSort(plan, std::move(keys));
  std::vector<int> indices;
  for (size_t i = 0; i < items.size(); i++) indices.push_back(static_cast<int>(i));
  plan = sql_bind::ProjectByIndex(plan, indices, visible);
  return ApplyModifiers(node, plan);
}

LogicalPlanPtr SqlBinder::ApplyModifiers(const sql::QueryNode& query, LogicalPlanPtr plan) {
  if (query.kind != sql::QueryKind::kSelect && !query.order_by.empty()) {
    BoundRelation rel = sql_bind::MakeRelation(plan);
    BindScope scope{&rel, nullptr};
    std::vector<SortSpec> keys;
    for (const auto& o : query.order_by) {
      ExprPtr e;
      if (sql::IsOrderByAll(*o.expr)) {
        for (const Field& f : plan->schema.fields()) {
          keys.push_back({Col(f.name, f.qualifier), !o.descending, o.nulls == sql::NullOrder::kFirst});
        }
        continue;
      }
      if (IsIntegerConstant(*o.expr)) {
        const int64_t k = std::stoll(o.expr->As<sql::ConstantExpr>().value);
        if (k < 1 || k > static_cast<int64_t>(plan->schema.size())) {
          ThrowBind(*o.expr, fmt::format("ORDER term out of range - should be between 1 and {}",
                                         plan->schema.size()));
        }
        const Field& f = plan->schema.field(k - 1);
        e = Col(f.name, f.qualifier);
      } else {
        e = TranslateExpr(*o.expr, scope);
      }
      keys.push_back({e, !o.descending, o.nulls == sql::NullOrder::kFirst});
    }
    plan = At(query, [&] { return MakeSort(plan, keys); });
  }
  if (query.limit || query.offset) {
    auto number = [&](const sql::Expr& e) {
      Value v = EvaluateConstantExpr(e);
      if (v.is_null() || !v.type().IsInteger()) ThrowBind(e, "LIMIT and OFFSET need integer constants");
      if (v.GetInt() < 0) ThrowBind(e, "LIMIT and OFFSET must not be negative");
      return v.GetInt();
    };
    const int64_t limit = query.limit ? number(*query.limit) : -1;
    const int64_t offset = query.offset ? number(*query.offset) : 0;
    plan = MakeLimit(plan, limit, offset);
  }
  return plan;
}

LogicalPlanPtr SqlBinder::BindValues(const sql::ValuesNode& node) {
  const std::function<ExprPtr(size_t)> defaults = std::move(values_defaults_);
  values_defaults_ = nullptr;
  std::vector<std::vector<ExprPtr>> translated;
  bool has_subquery = false;
  for (const auto& row : node.rows) {
    BoundRelation empty;
    BindScope scope{&empty, nullptr};
    std::vector<ExprPtr> exprs;
    for (const auto& e : row) {
      if (e->kind == sql::ExprKind::kDefault && defaults) {
        exprs.push_back(At(*e, [&] { return defaults(exprs.size()); }));
        continue;
      }
      exprs.push_back(TranslateExpr(*e, scope));
      has_subquery |= ContainsSubquery(*exprs.back());
    }
    if (!translated.empty() && exprs.size() != translated[0].size()) {
      ThrowBind(*row.at(0), "VALUES lists must all be the same length");
    }
    translated.push_back(std::move(exprs));
  }
  if (has_subquery) return BindValuesWithSubqueries(node, translated);
  std::vector<std::vector<Value>> rows;
  for (size_t r = 0; r < translated.size(); r++) {
    std::vector<Value> values;
    for (size_t c = 0; c < translated[r].size(); c++) {
      values.push_back(At(*node.rows[r][c], [&] {
        return EvaluateConstant(*BindExpression(translated[r][c], Schema()));
      }));
    }
    rows.push_back(std::move(values));
  }
  Schema schema;
  for (size_t c = 0; c < (rows.empty() ? 0 : rows[0].size()); c++) {
    LogicalType type = TypeId::kNull;
    for (const auto& r : rows) {
      if (!r[c].is_null()) type = At(node, [&] { return CommonSuperType(type, r[c].type()); });
    }
    if (type.id() == TypeId::kNull && defaults) {
      // An INSERT's column of NULLs takes the type of the column it goes to (the type of
      // that column's default), so `INSERT INTO t VALUES (1, NULL)` fills a LIST column.
      const ExprPtr d = defaults(c);
      type = d->kind == ExprKind::kLiteral ? d->value.type() : BindExpression(d, Schema())->type;
    }
    if (type.id() == TypeId::kNull) type = TypeId::kInteger;
    schema.Add(Field{fmt::format("col{}", c), type, true, "valueslist"});
  }
  for (auto& r : rows) {
    for (size_t c = 0; c < r.size(); c++) {
      r[c] = r[c].is_null() ? Value::Null(schema.field(c).type) : r[c].CastTo(schema.field(c).type);
    }
  }
  return MakeValues(schema, BatchesFromRows(schema, rows));
}

LogicalPlanPtr SqlBinder::BindValuesWithSubqueries(
    const sql::ValuesNode& node, const std::vector<std::vector<ExprPtr>>& rows) {
  // A subquery's value is not known while binding: each row is a projection of one row,
  // computed when the query runs (after its subqueries).
  LogicalPlanPtr plan;
  for (size_t r = 0; r < rows.size(); r++) {
    std::vector<ExprPtr> exprs;
    for (size_t c = 0; c < rows[r].size(); c++) {
      exprs.push_back(Alias(rows[r][c], fmt::format("col{}", c)));
    }
    LogicalPlanPtr row = At(*node.rows[r].at(0), [&] { return MakeProject(RangeScan(0, 1), exprs); });
    plan = plan ? At(node, [&] { return MakeUnion(plan, row); }) : row;
  }
  return sql_bind::WithFields(plan, [](Field& f, size_t) { f.qualifier = "valueslist"; });
}

}  // namespace sluice
