// FROM clauses: tables, views, CTEs, table functions, files, joins; WHERE placement.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <set>

#include <fmt/format.h>

#include "binder/information_schema.h"
#include "binder/sql_binder.h"
#include "plan/correlated_subquery.h"
#include "binder/table_sources.h"
#include "common/strings.h"
#include "expr/binder.h"
#include "io/file_format_registry.h"
#include "io/table_function.h"

namespace sluice {

namespace {

using sql::TableRef;

// A FROM list `a, b CROSS JOIN c` is flattened into units that the WHERE clause joins.
void CollectUnits(const TableRef& ref, std::vector<const TableRef*>& units) {
  if (ref.kind == sql::TableRefKind::kJoin && ref.alias.empty() &&
      (ref.comma || ref.join_type == TableRef::JoinType::kCross) && !ref.right->lateral) {
    CollectUnits(*ref.left, units);
    CollectUnits(*ref.right, units);
    return;
  }
  units.push_back(&ref);
}

void SplitConjuncts(const sql::Expr& e, std::vector<const sql::Expr*>& out) {
  if (e.kind == sql::ExprKind::kBinary && e.As<sql::BinaryExpr>().op == sql::BinaryOp::kAnd) {
    SplitConjuncts(*e.As<sql::BinaryExpr>().left, out);
    SplitConjuncts(*e.As<sql::BinaryExpr>().right, out);
    return;
  }
  out.push_back(&e);
}

// left ++ right as one relation (what a join outputs), without a plan yet.
BoundRelation Concat(const BoundRelation& left, const BoundRelation& right) {
  BoundRelation out;
  out.schema = left.schema;
  for (const auto& f : right.schema.fields()) out.schema.Add(f);
  out.hidden = left.hidden;
  out.hidden.insert(out.hidden.end(), right.hidden.begin(), right.hidden.end());
  out.coalesce_with = left.coalesce_with;
  const int n = static_cast<int>(left.schema.size());
  for (auto [l, r] : right.coalesce_with) out.coalesce_with[l + n] = r + n;
  return out;
}

BoundRelation Requalify(LogicalPlanPtr plan, const std::string& qualifier,
                        const std::vector<std::string>& aliases) {
  return sql_bind::MakeRelation(sql_bind::WithFields(plan, [&](Field& f, size_t i) {
    f.qualifier = qualifier;
    if (i < aliases.size()) f.name = aliases[i];
  }));
}

// The join strategy a hint name asks for ("broadcast", "merge", "shuffle_hash"), or empty
// for hints that are not join strategy hints (Spark's spellings are accepted too).
std::string JoinStrategyOfHint(const std::string& name) {
  if (name == "BROADCAST" || name == "BROADCASTJOIN" || name == "MAPJOIN") return "broadcast";
  if (name == "MERGE" || name == "MERGEJOIN" || name == "SHUFFLE_MERGE") return "merge";
  if (name == "SHUFFLE_HASH") return "shuffle_hash";
  return "";
}

// Tags a bound FROM item with the join strategy hint that names it (by alias, else by table
// name); the physical planner reads it when the item is a join input.
BoundRelation WithJoinHint(const std::vector<sql::Hint>* hints, const TableRef& ref,
                           BoundRelation rel) {
  if (hints == nullptr || rel.plan == nullptr) return rel;
  std::string name = ref.alias;
  if (name.empty() && ref.kind == sql::TableRefKind::kBaseTable) name = ref.name.parts.back();
  if (name.empty()) return rel;
  for (const sql::Hint& hint : *hints) {
    // SKEW(t, key[, buckets]): t's rows are salted on key (joins, group-bys).
    if (hint.name == "SKEW" && hint.args.size() >= 2 && ToLower(hint.args[0]) == ToLower(name)) {
      int buckets = 0;
      if (hint.args.size() >= 3) {
        buckets = std::atoi(hint.args[2].c_str());
        if (buckets < 2 || buckets > 4096) {
          throw BindError(fmt::format("SKEW({}, {}, {}): buckets must be between 2 and 4096",
                                      hint.args[0], hint.args[1], hint.args[2]));
        }
      }
      if (rel.plan->schema.Find(hint.args[1]) < 0) {
        throw BindError(fmt::format("SKEW({}, {}): {} has no column \"{}\"", hint.args[0],
                                    hint.args[1], name, hint.args[1]));
      }
      rel.plan = sluice::WithSkewKey(rel.plan, hint.args[1], buckets);
    }
  }
  for (const sql::Hint& hint : *hints) {
    const std::string strategy = JoinStrategyOfHint(hint.name);
    if (strategy.empty()) continue;
    for (const std::string& arg : hint.args) {
      if (ToLower(arg) != ToLower(name)) continue;
      rel.plan = sluice::WithJoinHint(rel.plan, strategy);
      return rel;
    }
  }
  return rel;
}

JoinKind ToJoinKind(TableRef::JoinType t) {
  switch (t) {
    case TableRef::JoinType::kInner: return JoinKind::kInner;
    case TableRef::JoinType::kLeft: return JoinKind::kLeft;
    case TableRef::JoinType::kRight: return JoinKind::kRight;
    case TableRef::JoinType::kFull: return JoinKind::kFull;
    case TableRef::JoinType::kCross: return JoinKind::kCross;
    case TableRef::JoinType::kSemi: return JoinKind::kSemi;
    case TableRef::JoinType::kAnti: return JoinKind::kAnti;
  }
  return JoinKind::kInner;
}

// `t FOR SYSTEM_TIME AS OF o.ts`: a time travel to a column of another table, Flink's
// temporal join syntax (a constant time is ordinary time travel).
bool IsTemporalJoinTable(const TableRef& ref) {
  return ref.kind == sql::TableRefKind::kBaseTable &&
         ref.time_travel == sql::TimeTravelKind::kTimestamp && ref.time_travel_at &&
         ref.time_travel_at->kind == sql::ExprKind::kColumnRef;
}

ExprPtr Conjunction(const std::vector<ExprPtr>& parts) {
  if (parts.empty()) return nullptr;
  return parts.size() == 1 ? parts[0] : And(parts);
}

}  // namespace

BoundRelation SqlBinder::BindTableRef(const TableRef& ref, const BindScope* outer) {
  switch (ref.kind) {
    case sql::TableRefKind::kBaseTable: {
      const std::string name = ref.name.parts.back();
      const std::string key = ToLower(name);
      const std::string qualified = Join(ref.name.parts, ".");  // "s.t" names a schema's table
      LogicalPlanPtr plan;
      if (ref.name.parts.size() == 1 && ctes_.count(key)) {
        plan = ctes_[key];
      } else if (ref.name.parts.size() == 2 && ToLower(ref.name.parts[0]) == "information_schema") {
        plan = InformationSchemaRelation(name, catalog_);
        if (!plan) {
          ThrowBind(ref, fmt::format("Table with name {} does not exist! (information_schema "
                                     "has schemata, tables, columns and views)",
                                     name));
        }
      } else if (IsTemporalJoinTable(ref) && lookup_table_ != &ref) {
        ThrowBind(*ref.time_travel_at,
                  fmt::format("FOR SYSTEM_TIME AS OF a column makes a temporal join: FROM o "
                              "[LEFT] JOIN {} FOR SYSTEM_TIME AS OF o.ts ON ...",
                              qualified));
      } else if (ref.time_travel != sql::TimeTravelKind::kNone && lookup_table_ != &ref) {
        plan = BindTimeTravel(ref, qualified);
      } else if (auto view = views_.find(ToLower(qualified)); view != views_.end()) {
        plan = view->second;
      } else if ((plan = catalog_.FindRelation(qualified)) == nullptr &&
                 (plan = BindMetadataTable(ref, qualified)) == nullptr) {
        std::vector<std::string> names = catalog_.TableNames();
        for (const auto& [n, p] : ctes_) names.push_back(n);
        ThrowBind(ref, fmt::format("Table with name {} does not exist!{}", name,
                                   sql_bind::Suggest(name, names)));
      } else if (query_depth_ > 0 && plan->kind != LogicalKind::kScan) {
        views_.emplace(ToLower(qualified), plan);
      }
      return At(ref, [&] {
        return Requalify(plan, ref.alias.empty() ? name : ref.alias, ref.column_aliases);
      });
    }
    case sql::TableRefKind::kSubquery: {
      LogicalPlanPtr plan = BindQuery(*ref.query, outer);
      return Requalify(plan, ref.alias.empty() ? "unnamed_subquery" : ref.alias,
                       ref.column_aliases);
    }
    case sql::TableRefKind::kTableFunction: return BindTableFunction(ref);
    case sql::TableRefKind::kFilePath: {
      const std::string stem = std::filesystem::path(ref.path).stem().string();
      LogicalPlanPtr plan = At(ref, [&] {
        // The format follows the extension (of the first file, for a directory), else the
        // first bytes of the file.
        const FileFormat& format = FileFormats().Sniff(ref.path);
        return MakeScan(format.Open(ref.path, format.NewReadOptions("'" + ref.path + "'")));
      });
      return Requalify(plan, ref.alias.empty() ? stem : ref.alias, ref.column_aliases);
    }
    case sql::TableRefKind::kJoin: return BindJoin(ref, outer);
    case sql::TableRefKind::kPivot: return BindPivot(ref, outer);
    case sql::TableRefKind::kUnpivot: return BindUnpivot(ref, outer);
  }
  ThrowNotImplemented(ref, "unsupported FROM item");
}

BoundRelation SqlBinder::BindTableFunction(const TableRef& ref) {
  // The function and its parameters come from the registry (io/table_function.h): it checks
  // the arguments against them, then the function makes the source.
  const std::string name = ToLower(ref.name.parts.back());
  if (ref.name.parts.size() == 2 && ToLower(ref.name.parts[0]) == "ml") return BindMlFunction(ref);
  if (name == "get_historical_features" && ref.name.parts.size() == 1) {
    return BindHistoricalFeatures(ref);
  }
  if (IsWindowTvf(ref)) return BindWindowTvf(ref);
  if (name == "unnest" && ref.name.parts.size() == 1) {
    // FROM unnest(list): a column "unnest" with a row per element of a constant list.
    if (ref.args.size() != 1) ThrowBind(ref, "unnest() takes exactly one argument");
    const Value list = EvaluateConstantExpr(*ref.args[0]);
    if (list.type().id() != TypeId::kList && list.type().id() != TypeId::kNull) {
      ThrowBind(*ref.args[0], fmt::format("UNNEST requires a LIST argument, not {}",
                                          list.type().ToString()));
    }
    const LogicalType element =
        list.type().id() == TypeId::kList ? list.type().ListChild() : LogicalType(TypeId::kInteger);
    const std::vector<Value>& elements = list.GetChildren();
    std::vector<Batch> batches;
    if (!elements.empty()) {
      auto column = Column::Make(element, elements.size());
      for (size_t i = 0; i < elements.size(); i++) column->SetValue(i, elements[i]);
      column->set_size(elements.size());
      batches.emplace_back(std::vector<ColumnPtr>{column}, elements.size());
    }
    Schema schema;
    schema.Add(Field{"unnest", element, true, ""});
    return Requalify(MakeValues(std::move(schema), std::move(batches)),
                     ref.alias.empty() ? name : ref.alias, ref.column_aliases);
  }
  const TableFunction function = At(ref, [&] { return TableFunctions().Get(name); });
  const Settings settings = catalog_.settings();
  TableFunctionCall call{name, {},
                         OptionValues(&function.named, "function " + name,
                                      "Invalid named parameter"),
                         TableFunctionContext{&settings}};
  std::vector<Value> positional;
  for (size_t i = 0; i < ref.args.size(); i++) {
    const sql::Expr& arg = *ref.args[i];
    if (i < ref.arg_names.size() && !ref.arg_names[i].empty()) {
      const Value v = EvaluateConstantExpr(arg);
      At(arg, [&] { call.named.Set(ref.arg_names[i], v); });
    } else {
      positional.push_back(EvaluateConstantExpr(arg));
    }
  }
  if (ref.time_travel != sql::TimeTravelKind::kNone) BindTableFunctionTimeTravel(ref, call);
  // The Iceberg functions take a warehouse table's name for its metadata file.
  if (name.starts_with("iceberg_") && !positional.empty() && !positional[0].is_null() &&
      positional[0].type().id() == TypeId::kVarchar) {
    if (auto location = catalog_.IcebergMetadataLocation(positional[0].GetString())) {
      positional[0] = Value::Varchar(*location);
    }
  }
  call.positional = At(ref, [&] { return function.ConvertPositional(positional); });
  const TableFunctionOutput output = At(ref, [&] { return function.bind(call); });
  const std::string qualifier =
      !ref.alias.empty() ? ref.alias : !output.alias.empty() ? output.alias : name;
  return Requalify(MakeScan(output.source), qualifier, ref.column_aliases);
}

BoundRelation SqlBinder::BindLateral(const sql::TableRef& ref, const BoundRelation& left,
                                     const BindScope* outer) {
  const BindScope scope{&left, outer};
  SubqueryParameters parameters;
  LogicalPlanPtr plan = BindDependentQuery(*ref.query, scope, parameters);
  BoundRelation rel = Requalify(plan, ref.alias.empty() ? "unnamed_subquery" : ref.alias,
                                ref.column_aliases);
  if (parameters.parameters.empty()) return rel;  // reads nothing of the left side
  auto lateral = std::make_shared<LateralSubquery>();
  lateral->plan = rel.plan;
  for (const auto& p : parameters.parameters) lateral->parameters.push_back(p->subquery);
  lateral->values = parameters.values;
  rel.plan = MakeLateralLeaf(std::move(lateral));
  return rel;
}

void SqlBinder::CheckTemporalJoin(const TableRef& ref, const BoundRelation& left,
                                  const BindScope* outer) {
  const sql::Expr& at = *ref.right->time_travel_at;
  if (ref.comma || (ref.join_type != TableRef::JoinType::kInner &&
                    ref.join_type != TableRef::JoinType::kLeft)) {
    ThrowBind(at, "a temporal join (FOR SYSTEM_TIME AS OF) is a JOIN or LEFT JOIN with ON");
  }
  // The time names a column of the left side (the probe rows), as in Flink.
  BindScope scope{&left, outer};
  const ExprPtr time = BindExpression(TranslateExpr(at, scope), left.schema);
  const TypeId type = time->type.id();
  if (type != TypeId::kTimestamp && type != TypeId::kTimestampTz && type != TypeId::kDate) {
    ThrowBind(at, fmt::format("FOR SYSTEM_TIME AS OF takes a time column of the joined rows, "
                              "not {}",
                              time->type.ToString()));
  }
}

BoundRelation SqlBinder::BindJoin(const TableRef& ref, const BindScope* outer) {
  BoundRelation left = WithJoinHint(join_hints_, *ref.left, BindTableRef(*ref.left, outer));
  const bool temporal = IsTemporalJoinTable(*ref.right);
  if (temporal) CheckTemporalJoin(ref, left, outer);
  // A temporal join reads the table's current snapshot (a lookup join, docs/streaming.md).
  sql_bind::ScopedValue<const TableRef*> lookup(lookup_table_,
                                                temporal ? ref.right.get() : nullptr);
  BoundRelation right = ref.right->lateral ? BindLateral(*ref.right, left, outer)
                                           : WithJoinHint(join_hints_, *ref.right,
                                                          BindTableRef(*ref.right, outer));
  JoinKind kind = ToJoinKind(ref.join_type);
  if (right.plan->lateral && ref.join_type != TableRef::JoinType::kInner &&
      ref.join_type != TableRef::JoinType::kLeft && ref.join_type != TableRef::JoinType::kCross) {
    ThrowBind(ref, "LATERAL joins are INNER, CROSS or LEFT joins");
  }
  if (ref.comma) kind = JoinKind::kCross;
  if (ref.asof) kind = kind == JoinKind::kLeft ? JoinKind::kAsofLeft : JoinKind::kAsof;
  BoundRelation combined = Concat(left, right);
  const int nleft = static_cast<int>(left.schema.size());
  ExprPtr condition;
  std::vector<std::string> using_columns = ref.using_columns;
  if (ref.natural) {
    for (size_t i = 0; i < left.schema.size(); i++) {
      if (left.hidden[i]) continue;
      for (size_t j = 0; j < right.schema.size(); j++) {
        if (!right.hidden[j] && EqualsIgnoreCase(left.schema.field(i).name, right.schema.field(j).name)) {
          using_columns.push_back(left.schema.field(i).name);
        }
      }
    }
  }
  if (!using_columns.empty()) {
    std::vector<ExprPtr> equalities;
    for (const auto& column : using_columns) {
      auto find = [&](const BoundRelation& side) {
        int found = -1;
        for (size_t i = 0; i < side.schema.size(); i++) {
          if (!side.hidden[i] && EqualsIgnoreCase(side.schema.field(i).name, column)) {
            found = static_cast<int>(i);
          }
        }
        if (found < 0) {
          ThrowBind(ref, fmt::format("Column \"{}\" does not exist on both sides of the join", column));
        }
        return found;
      };
      const int l = find(left), r = find(right);
      const Field& lf = left.schema.field(l);
      const Field& rf = right.schema.field(r);
      // ASOF ... USING (k, t): the last column is the inequality left.t >= right.t.
      const bool time = kind == JoinKind::kAsof || kind == JoinKind::kAsofLeft
                            ? &column == &using_columns.back()
                            : false;
      equalities.push_back(Call(time ? ">=" : "=",
                                {Col(lf.name, lf.qualifier), Col(rf.name, rf.qualifier)}));
      if (kind != JoinKind::kSemi && kind != JoinKind::kAnti) {
        combined.hidden[nleft + r] = true;
        if (kind == JoinKind::kRight || kind == JoinKind::kFull) combined.coalesce_with[l] = nleft + r;
      }
    }
    condition = Conjunction(equalities);
  } else if (ref.condition) {
    BindScope scope{&combined, outer};
    condition = TranslateExpr(*ref.condition, scope);
    if (sql_bind::ContainsAggregate(*condition)) ThrowBind(*ref.condition, "JOIN condition cannot contain aggregates!");
  }
  if (kind == JoinKind::kInner && !condition) kind = JoinKind::kCross;
  const sql::AstNode& at = ref.condition ? static_cast<const sql::AstNode&>(*ref.condition) : ref;
  LogicalPlanPtr plan = At(at, [&] { return MakeJoin(left.plan, right.plan, kind, condition); });
  if (kind == JoinKind::kSemi || kind == JoinKind::kAnti) {
    left.plan = plan;
    return left;
  }
  combined.plan = plan;
  if (!ref.alias.empty()) {
    BoundRelation aliased = Requalify(plan, ref.alias, ref.column_aliases);
    aliased.hidden = combined.hidden;
    return aliased;
  }
  return combined;
}

BoundRelation SqlBinder::BindFromWhere(const sql::SelectNode& node, const BindScope* outer) {
  std::vector<BoundRelation> units;
  if (node.from) {
    std::vector<const TableRef*> refs;
    CollectUnits(*node.from, refs);
    // Hints name the join inputs of this SELECT only; subqueries have their own.
    const std::vector<sql::Hint>* saved_hints = join_hints_;
    join_hints_ = node.hints.empty() ? nullptr : &node.hints;
    try {
      for (const TableRef* r : refs) units.push_back(WithJoinHint(join_hints_, *r, BindTableRef(*r, outer)));
    } catch (...) {
      join_hints_ = saved_hints;
      throw;
    }
    join_hints_ = saved_hints;
  } else {
    // SELECT without FROM reads one row of a relation whose only column is invisible.
    BoundRelation one = sql_bind::MakeRelation(RangeScan(0, 1));
    one.hidden.assign(1, true);
    units.push_back(one);
  }
  BoundRelation combined = units[0];
  std::vector<int> offsets{0};
  for (size_t i = 1; i < units.size(); i++) {
    offsets.push_back(static_cast<int>(combined.schema.size()));
    combined = Concat(combined, units[i]);
  }
  BindScope scope{&combined, outer};

  std::vector<const sql::Expr*> conjuncts;
  if (node.where) SplitConjuncts(*node.where, conjuncts);
  std::vector<const sql::Expr*> subquery_conjuncts;
  std::vector<ExprPtr> predicates;
  std::vector<const sql::Expr*> predicate_nodes;
  // Conjuncts holding scalar subqueries that became joins, applied after those joins.
  std::vector<SubqueryJoin> scalar_joins;
  std::vector<ExprPtr> joined_predicates;
  const bool decorrelating = correlation_ != nullptr && correlation_->select == &node;
  for (const sql::Expr* c : conjuncts) {
    if (IsSubqueryConjunct(*c)) {
      subquery_conjuncts.push_back(c);
      continue;
    }
    std::vector<SubqueryJoin> joins;
    ExprPtr p;
    {
      sql_bind::ScopedValue<std::vector<SubqueryJoin>*> sink(scalar_joins_, &joins);
      p = TranslateCondition(*c, scope);
    }
    if (correlation_ != nullptr && !correlation_->outer_refs.empty()) {
      std::vector<const Expr*> refs;
      sql_bind::CollectColumnRefs(*p, refs);
      bool reads_outer = false;
      for (const Expr* r : refs) reads_outer |= correlation_->outer_refs.count(r) > 0;
      if (reads_outer) {
        if (!decorrelating || !joins.empty()) {
          ThrowNotImplemented(*c, "correlated subqueries are not supported here yet: the "
                                  "reference to the enclosing query must be in a WHERE conjunct "
                                  "of the subquery itself");
        }
        correlation_->conjuncts.push_back(p);
        continue;
      }
    }
    if (!joins.empty()) {
      for (auto& j : joins) scalar_joins.push_back(std::move(j));
      joined_predicates.push_back(p);
      continue;
    }
    if (sql_bind::ContainsAggregate(*p)) ThrowBind(*c, "WHERE clause cannot contain aggregates!");
    if (sql_bind::ContainsWindow(*p)) ThrowBind(*c, "WHERE clause cannot contain window functions!");
    predicates.push_back(p);
    predicate_nodes.push_back(c);
  }

  // Which units each predicate reads.
  auto unit_of = [&](int column) {
    return static_cast<int>(std::upper_bound(offsets.begin(), offsets.end(), column) - offsets.begin()) - 1;
  };
  std::vector<std::set<int>> reads(predicates.size());
  for (size_t p = 0; p < predicates.size(); p++) {
    std::vector<const Expr*> refs;
    sql_bind::CollectColumnRefs(*predicates[p], refs);
    for (const Expr* r : refs) {
      const int index = combined.schema.Find(r->name, r->qualifier);
      if (index >= 0) reads[p].insert(unit_of(index));
    }
  }
  std::vector<bool> used(predicates.size(), false);
  for (size_t p = 0; p < predicates.size(); p++) {
    if (reads[p].size() == 1 && units.size() > 1) {
      BoundRelation& u = units[*reads[p].begin()];
      u.plan = At(*predicate_nodes[p], [&] { return MakeFilter(u.plan, predicates[p]); });
      used[p] = true;
    }
  }
  // Greedy join order: next the first unit connected to the joined set by a predicate.
  LogicalPlanPtr plan = units[0].plan;
  std::set<int> joined{0};
  std::vector<int> order{0};
  auto covered = [&](size_t p, int candidate) {
    if (used[p] || !reads[p].count(candidate)) return false;
    for (int u : reads[p]) {
      if (u != candidate && !joined.count(u)) return false;
    }
    return true;
  };
  while (order.size() < units.size()) {
    int pick = -1;
    for (int j = 0; j < static_cast<int>(units.size()) && pick < 0; j++) {
      if (joined.count(j)) continue;
      for (size_t p = 0; p < predicates.size(); p++) {
        if (covered(p, j)) {
          pick = j;
          break;
        }
      }
    }
    if (pick < 0) {
      for (int j = 0; pick < 0; j++) {
        if (!joined.count(j)) pick = j;
      }
    }
    std::vector<ExprPtr> on;
    const sql::AstNode* at = node.where ? node.where.get() : nullptr;
    for (size_t p = 0; p < predicates.size(); p++) {
      if (covered(p, pick)) {
        on.push_back(predicates[p]);
        used[p] = true;
        at = predicate_nodes[p];
      }
    }
    const sql::AstNode& where_at = at ? *at : static_cast<const sql::AstNode&>(node);
    plan = At(where_at, [&] {
      return MakeJoin(plan, units[pick].plan, on.empty() ? JoinKind::kCross : JoinKind::kInner,
                      Conjunction(on));
    });
    joined.insert(pick);
    order.push_back(pick);
  }
  if (!std::is_sorted(order.begin(), order.end())) {
    // Back to FROM order, which `*` and the scope's column positions assume.
    std::vector<int> position_in_plan(units.size());
    int offset = 0;
    for (int u : order) {
      position_in_plan[u] = offset;
      offset += static_cast<int>(units[u].schema.size());
    }
    std::vector<int> indices;
    for (size_t u = 0; u < units.size(); u++) {
      for (size_t i = 0; i < units[u].schema.size(); i++) {
        indices.push_back(position_in_plan[u] + static_cast<int>(i));
      }
    }
    plan = sql_bind::ProjectByIndex(plan, indices, combined.schema.fields());
  }
  std::vector<ExprPtr> rest;
  for (size_t p = 0; p < predicates.size(); p++) {
    if (!used[p]) rest.push_back(predicates[p]);
  }
  if (!rest.empty()) {
    plan = At(*node.where, [&] { return MakeFilter(plan, Conjunction(rest)); });
  }
  combined.plan = plan;
  combined.schema = plan->schema;
  for (const sql::Expr* c : subquery_conjuncts) combined = BindSubqueryConjunct(combined, *c, scope);
  if (!scalar_joins.empty()) {
    combined = ApplySubqueryJoins(combined, scalar_joins, joined_predicates, *node.where);
  }
  return combined;
}

}  // namespace sluice
