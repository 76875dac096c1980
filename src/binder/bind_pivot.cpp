// PIVOT and UNPIVOT (DuckDB's semantics). PIVOT is an aggregate: grouped by the GROUP BY
// columns (by default every column not named in ON or USING), one output column per
// combination of ON values and USING aggregate, each aggregate filtered to the rows of its
// values. UNPIVOT turns the ON columns into rows: the kept columns, a name column and the
// value columns, through an Unnest of lists built per row.

#include <fmt/format.h>

#include "binder/aggregate_rewriter.h"
#include "binder/sql_binder.h"
#include "common/strings.h"
#include "expr/binder.h"
#include "vector/value_rows.h"

namespace sluice {
namespace {

// DuckDB's pivot_limit: more columns than this is a mistake (a key column in ON).
constexpr size_t kMaxPivotColumns = 100000;

BoundRelation Qualified(LogicalPlanPtr plan, const sql::TableRef& ref, const char* fallback) {
  const std::string qualifier = ref.alias.empty() ? fallback : ref.alias;
  return sql_bind::MakeRelation(sql_bind::WithFields(plan, [&](Field& f, size_t i) {
    f.qualifier = qualifier;
    if (i < ref.column_aliases.size()) f.name = ref.column_aliases[i];
  }));
}

// The columns of `rel` that `e` reads.
void ReadColumns(const Expr& e, const Schema& schema, std::set<int>& out) {
  std::vector<const Expr*> refs;
  sql_bind::CollectColumnRefs(e, refs);
  for (const Expr* r : refs) {
    const int i = schema.Find(r->name, r->qualifier);
    if (i >= 0) out.insert(i);
  }
}

std::vector<std::string> Names(const Schema& schema) {
  std::vector<std::string> names;
  for (const Field& f : schema.fields()) names.push_back(f.name);
  return names;
}

bool Unpivotable(const LogicalType& a, const LogicalType& b) {
  return a.id() == TypeId::kNull || b.id() == TypeId::kNull || (a.IsNumeric() && b.IsNumeric()) ||
         a.id() == b.id();
}

}  // namespace

std::vector<SqlBinder::PivotValues> SqlBinder::BindPivotValues(const sql::PivotSpec& p,
                                                               const BoundRelation& src,
                                                               const BindScope& scope) {
  std::vector<PivotValues> out;
  for (const sql::PivotOn& on : p.on) {
    PivotValues v;
    v.expr = TranslateExpr(*on.expr, scope);
    if (sql_bind::ContainsAggregate(*v.expr)) ThrowBind(*on.expr, "PIVOT ON cannot contain aggregates");
    if (on.has_in) {
      for (const sql::PivotValue& in : on.in) {
        v.values.push_back(EvaluateConstantExpr(*in.value));
        v.names.push_back(in.alias.empty() ? v.values.back().ToString() : in.alias);
      }
    } else {
      // Every distinct non-NULL value, sorted: read from the data now (the values name the
      // output's columns).
      LogicalPlanPtr plan = At(*on.expr, [&] {
        LogicalPlanPtr values = MakeProject(src.plan, {Alias(v.expr, "#pivot")});
        values = MakeDistinct(MakeFilter(values, IsNotNull(Col("#pivot"))));
        return MakeSort(values, {SortSpec{Col("#pivot"), true, false}});
      });
      for (const auto& row : RowsFromBatches(catalog_.RunQuery(*plan))) {
        v.values.push_back(row[0]);
        v.names.push_back(row[0].ToString());
      }
    }
    out.push_back(std::move(v));
  }
  return out;
}

BoundRelation SqlBinder::BindPivot(const sql::TableRef& ref, const BindScope* outer) {
  const sql::PivotSpec& p = *ref.pivot;
  BoundRelation src = BindTableRef(*ref.left, outer);
  BindScope scope{&src, outer};
  const std::vector<PivotValues> on = BindPivotValues(p, src, scope);
  size_t combinations = 1;
  for (const PivotValues& v : on) {
    combinations *= v.values.size();
    if (combinations > kMaxPivotColumns) {
      ThrowBind(ref, fmt::format("PIVOT would make more than {} columns: pivot on fewer "
                                 "distinct values, or list them with IN",
                                 kMaxPivotColumns));
    }
  }
  if (combinations == 0) ThrowBind(ref, "PIVOT has no values to make columns of");

  // The GROUP BY columns; by default every column not read by ON or USING.
  std::vector<ExprPtr> groups;
  std::vector<std::string> group_names;
  if (!p.group_by.empty()) {
    for (const auto& g : p.group_by) {
      groups.push_back(TranslateExpr(*g, scope));
      group_names.push_back(g->kind == sql::ExprKind::kColumnRef
                                ? g->As<sql::ColumnRefExpr>().parts.back()
                                : g->ToString());
    }
  } else {
    std::set<int> read;
    for (const PivotValues& v : on) ReadColumns(*v.expr, src.schema, read);
    for (const sql::PivotAggregate& a : p.aggregates) {
      ReadColumns(*TranslateExpr(*a.expr, scope), src.schema, read);
    }
    for (size_t i = 0; i < src.schema.size(); i++) {
      if (src.hidden[i] || read.count(static_cast<int>(i))) continue;
      const Field& f = src.schema.field(i);
      groups.push_back(Col(f.name, f.qualifier));
      group_names.push_back(f.name);
    }
  }

  AggregateRewriter rewriter(*this, src.schema);
  std::vector<ExprPtr> outputs;
  for (size_t g = 0; g < groups.size(); g++) {
    rewriter.AddGroup(groups[g]);
    outputs.push_back(Alias(rewriter.Rewrite(groups[g], ref), group_names[g]));
  }
  // One column per combination of values (the first ON column varying slowest) and aggregate.
  std::vector<size_t> pick(on.size(), 0);
  for (size_t c = 0; c < combinations; c++) {
    std::vector<ExprPtr> conditions;
    std::string name;
    for (size_t i = 0; i < on.size(); i++) {
      conditions.push_back(Call("is not distinct from", {on[i].expr, Lit(on[i].values[pick[i]])}));
      name += (i > 0 ? "_" : "") + on[i].names[pick[i]];
    }
    ExprPtr condition = conditions.size() == 1 ? conditions[0] : And(conditions);
    if (p.aggregates.empty()) {
      ExprPtr count = Aggregate("count", {Case({condition, Lit(Value::Integer(1))})});
      outputs.push_back(Alias(rewriter.Rewrite(count, ref), name));
    }
    for (const sql::PivotAggregate& a : p.aggregates) {
      ExprPtr e;
      {
        sql_bind::ScopedValue<ExprPtr> filter(pivot_filter_, condition);
        e = TranslateExpr(*a.expr, scope);
      }
      if (!sql_bind::ContainsAggregate(*e)) {
        ThrowBind(*a.expr, "PIVOT USING takes aggregates, such as sum(x) or count(*)");
      }
      std::string column = name;
      if (!a.alias.empty()) {
        column += "_" + a.alias;
      } else if (p.aggregates.size() > 1) {
        column += "_" + a.source_text;
      }
      outputs.push_back(Alias(rewriter.Rewrite(e, *a.expr), column));
    }
    for (size_t i = on.size(); i-- > 0;) {
      if (++pick[i] < on[i].values.size()) break;
      pick[i] = 0;
    }
  }
  LogicalPlanPtr plan = At(ref, [&] {
    return MakeProject(MakeAggregate(src.plan, rewriter.groups(), rewriter.aggregates()), outputs);
  });
  return Qualified(plan, ref, "unnamed_pivot");
}

BoundRelation SqlBinder::BindUnpivot(const sql::TableRef& ref, const BindScope* outer) {
  const sql::PivotSpec& p = *ref.pivot;
  BoundRelation src = BindTableRef(*ref.left, outer);
  const size_t width = p.value_columns.size();
  // Each entry: the columns that fold into one row, and the row's name.
  std::vector<std::vector<int>> entries;
  std::vector<std::string> names;
  for (const sql::UnpivotEntry& entry : p.entries) {
    if (entry.columns.size() == 1 && entry.columns[0]->kind == sql::ExprKind::kStar) {
      for (int i : ColumnsMatches(entry.columns[0]->As<sql::StarExpr>(), src)) {
        entries.push_back({i});
        names.push_back(src.schema.field(i).name);
      }
      continue;
    }
    std::vector<int> columns;
    for (const auto& c : entry.columns) {
      if (c->kind != sql::ExprKind::kColumnRef) ThrowBind(*c, "UNPIVOT takes column names");
      const auto& parts = c->As<sql::ColumnRefExpr>().parts;
      const int i = src.schema.Find(parts.back(), parts.size() > 1 ? parts[parts.size() - 2] : "");
      if (i < 0) {
        ThrowBind(*c, fmt::format("Referenced column \"{}\" not found in FROM clause!{}",
                                  parts.back(), sql_bind::Suggest(parts.back(), Names(src.schema))));
      }
      columns.push_back(i);
    }
    if (entry.alias.empty() && columns.size() > 1) {
      ThrowBind(*entry.columns[0], "UNPIVOT needs a name for a group of columns: (a, b) AS name");
    }
    names.push_back(entry.alias.empty() ? src.schema.field(columns[0]).name : entry.alias);
    entries.push_back(std::move(columns));
  }
  std::set<int> folded;
  for (size_t e = 0; e < entries.size(); e++) {
    if (entries[e].size() != width) {
      ThrowBind(ref, fmt::format("UNPIVOT value count mismatch - entry has {} values, but "
                                 "expected all entries to have {} values",
                                 entries[e].size(), width));
    }
    folded.insert(entries[e].begin(), entries[e].end());
  }
  // Each value column's type: the common type of the columns folded into it.
  std::vector<LogicalType> types(width, LogicalType(TypeId::kNull));
  for (size_t j = 0; j < width; j++) {
    for (const auto& columns : entries) {
      const Field& f = src.schema.field(columns[j]);
      if (!Unpivotable(types[j], f.type)) {
        ThrowBind(ref, fmt::format("Cannot unpivot columns of types {} and {} - an explicit "
                                   "cast is required",
                                   types[j].ToString(), f.type.ToString()));
      }
      types[j] = types[j].id() == TypeId::kNull ? f.type : CommonSuperType(types[j], f.type);
    }
  }
  std::vector<ExprPtr> exprs, kept;
  for (size_t i = 0; i < src.schema.size(); i++) {
    if (src.hidden[i] || folded.count(static_cast<int>(i))) continue;
    const Field& f = src.schema.field(i);
    exprs.push_back(Col(f.name, f.qualifier));
    kept.push_back(Col(f.name, f.qualifier));
  }
  std::vector<ExprPtr> name_list, unnests;
  for (const std::string& n : names) name_list.push_back(Lit(Value::Varchar(n)));
  exprs.push_back(Alias(Call("list_value", name_list), "#unpivot_names"));
  unnests.push_back(Alias(Col("#unpivot_names"), "#unpivot_name"));
  std::vector<ExprPtr> output = kept, not_null;
  output.push_back(Alias(Col("#unpivot_name"), p.name_column));
  for (size_t j = 0; j < width; j++) {
    std::vector<ExprPtr> values;
    for (const auto& columns : entries) {
      const Field& f = src.schema.field(columns[j]);
      values.push_back(CastIfNeeded(Col(f.name, f.qualifier), types[j]));
    }
    exprs.push_back(Alias(Call("list_value", values), fmt::format("#unpivot_values{}", j)));
    unnests.push_back(Alias(Col(fmt::format("#unpivot_values{}", j)), fmt::format("#unpivot_value{}", j)));
    output.push_back(Alias(Col(fmt::format("#unpivot_value{}", j)), p.value_columns[j]));
    not_null.push_back(IsNotNull(Col(fmt::format("#unpivot_value{}", j))));
  }
  LogicalPlanPtr plan = At(ref, [&] {
    LogicalPlanPtr rows = MakeUnnest(MakeProject(src.plan, exprs), unnests);
    if (!p.include_nulls) rows = MakeFilter(rows, not_null.size() == 1 ? not_null[0] : And(not_null));
    return MakeProject(rows, output);
  });
  return Qualified(plan, ref, "unnamed_unpivot");
}

}  // namespace sluice
