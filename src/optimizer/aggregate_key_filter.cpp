// Grouped aggregates joined on their group keys aggregate only the keys the join can meet.
// A decorrelated scalar subquery (TPC-H q17: `l_quantity < (SELECT 0.2 * avg(l_quantity)
// FROM lineitem WHERE l_partkey = p_partkey)`) becomes
//   outer LEFT JOIN (SELECT l_partkey, avg(...) FROM lineitem GROUP BY l_partkey) ON ...,
// which aggregates every part although the outer query keeps a few hundred. When a join's
// other input holds the key values through a small relation (here the filtered `part`), the
// aggregate's input is first semi-joined with that relation:
//   ... GROUP BY over (lineitem SEMI JOIN part' ON l_partkey = p_partkey)
// which is DuckDB's duplicate-eliminated ("delim") join and the magic-set rewrite.
//
// Exact: a group's rows all carry its key, so groups the semi join keeps are computed from
// all their rows, and a dropped group has a key no row of the other input has: it could not
// satisfy the `outer key = group key` conjunct. Holds for INNER, LEFT, SEMI and ANTI joins
// with the aggregate on the right (its unmatched rows are never output). The relation used
// (the "key source") is any subtree of the other input whose key columns hold a superset of
// the values reaching the join: the input itself, a join child the keys come from, or the
// other side of an equality the join enforces. It is planned a second time, so it must be
// free of volatile functions, and it is used only when its estimate is below the
// aggregate input's (a whole table: 16 times below).
//
// A semi or anti join on column equalities alone whose right input is far larger than the
// key source of its left (TPC-H q4: 57k orders EXISTS in 6M lineitem rows; q22's customers
// NOT EXISTS in orders) first makes its right input the distinct key values (a no-op for
// such a join: only whether a key occurs counts), which the rewrite above then restricts to
// the left's keys: the large input is probed against the small key set where it is read
// (a broadcast semi join) instead of being shuffled and built whole. Only when the key
// source is estimated 4 times smaller than the right input (an aggregate more to run).
#include <algorithm>

#include "optimizer/cardinality.h"
#include "optimizer/plan_rewrite.h"
#include "optimizer/rules.h"

namespace sluice::opt {

namespace {

bool PlanIsVolatile(const LogicalPlan& plan) {
  auto any = [](const std::vector<ExprPtr>& exprs) {
    return std::any_of(exprs.begin(), exprs.end(), [](const ExprPtr& e) { return IsVolatile(*e); });
  };
  if ((plan.predicate && IsVolatile(*plan.predicate)) || any(plan.exprs) || any(plan.aggregates)) {
    return true;
  }
  return std::any_of(plan.children.begin(), plan.children.end(),
                     [](const LogicalPlanPtr& c) { return PlanIsVolatile(*c); });
}

// A scan, under projections only.
bool IsWholeTable(const LogicalPlan& plan) {
  if (plan.kind == LogicalKind::kProject) return IsWholeTable(*plan.children[0]);
  return plan.kind == LogicalKind::kScan;
}

// The column a bound `a = b` conjunct equates with `column` (over the same input), or -1.
int EqualColumn(const Expr& conjunct, int column) {
  if (conjunct.kind != ExprKind::kCall || conjunct.name != "=" || conjunct.args.size() != 2) return -1;
  const Expr& a = *conjunct.args[0];
  const Expr& b = *conjunct.args[1];
  if (a.kind != ExprKind::kColumnRef || b.kind != ExprKind::kColumnRef || !(a.type == b.type)) {
    return -1;
  }
  if (a.column_index == column) return b.column_index;
  if (b.column_index == column) return a.column_index;
  return -1;
}

// A join conjunct `l = r` equating a column of the left input (of `nleft` columns) with one
// of the right, of one type: their indices (the right one within the right input).
bool SideEquality(const Expr& conjunct, int nleft, int* left_column, int* right_column) {
  if (conjunct.kind != ExprKind::kCall || conjunct.name != "=" || conjunct.args.size() != 2) {
    return false;
  }
  const Expr& a = *conjunct.args[0];
  const Expr& b = *conjunct.args[1];
  if (a.kind != ExprKind::kColumnRef || b.kind != ExprKind::kColumnRef || !(a.type == b.type)) {
    return false;
  }
  const bool a_left = a.column_index < nleft;
  if (a_left == (b.column_index < nleft)) return false;
  *left_column = a_left ? a.column_index : b.column_index;
  *right_column = (a_left ? b.column_index : a.column_index) - nleft;
  return true;
}

// A subtree whose `columns` hold every value tuple that `columns` of the node it was found
// under can hold (NULLs aside), with its estimated rows.
struct KeySource {
  LogicalPlanPtr plan;
  std::vector<int> columns;
  double rows = 0;
  double score = 0;  // rows, times 4 for an inner join (see SmallestKeySource)
};

// The key source with the fewest estimated rows reachable from `node`: the node itself, or
// one found under a projection of plain columns, a filter, or a join child the columns come
// from (through an inner or semi join's equalities, the other side's equal columns). A
// source below an inner join is cheaper to compute than the join, so the join is kept only
// when it has under a quarter of the rows (TPC-H q2's filtered parts, not partsupp joined with
// them and with the suppliers of one region).
KeySource SmallestKeySource(const LogicalPlanPtr& node, const std::vector<int>& columns) {
  KeySource best{node, columns, EstimateRows(*node)};
  const LogicalPlan* below = node.get();
  while (below->kind == LogicalKind::kProject || below->kind == LogicalKind::kFilter) {
    below = &below->child();
  }
  const bool inner_join = below->kind == LogicalKind::kJoin &&
                          (below->join_kind == JoinKind::kInner || below->join_kind == JoinKind::kCross);
  best.score = inner_join ? best.rows * 4 : best.rows;
  auto consider = [&](const LogicalPlanPtr& child, const std::vector<int>& cols) {
    KeySource found = SmallestKeySource(child, cols);
    if (found.score < best.score) best = std::move(found);
  };
  switch (node->kind) {
    case LogicalKind::kProject: {
      std::vector<int> mapped;
      for (int c : columns) {
        const Expr& e = *node->exprs[c];
        if (e.kind != ExprKind::kColumnRef) return best;
        mapped.push_back(e.column_index);
      }
      consider(node->children[0], mapped);
      return best;
    }
    case LogicalKind::kFilter:
      consider(node->children[0], columns);
      return best;
    case LogicalKind::kJoin: {
      const JoinKind kind = node->join_kind;
      const int nleft = static_cast<int>(node->children[0]->schema.size());
      const bool all_left = std::all_of(columns.begin(), columns.end(), [&](int c) { return c < nleft; });
      const bool all_right = std::none_of(columns.begin(), columns.end(), [&](int c) { return c < nleft; });
      const bool inner = kind == JoinKind::kInner || kind == JoinKind::kCross;
      if (all_left && (inner || kind == JoinKind::kLeft || kind == JoinKind::kSemi ||
                       kind == JoinKind::kAnti)) {
        consider(node->children[0], columns);
      }
      if (all_right && (inner || kind == JoinKind::kLeft)) {
        std::vector<int> shifted;
        for (int c : columns) shifted.push_back(c - nleft);
        consider(node->children[1], shifted);
      }
      // Every output row has equal values in the columns an inner or semi join equates.
      if ((inner || kind == JoinKind::kSemi) && node->predicate && (all_left || all_right)) {
        std::vector<ExprPtr> conjuncts;
        SplitConjuncts(node->predicate, conjuncts);
        std::vector<int> other;
        for (int c : columns) {
          int equal = -1;
          for (const auto& conjunct : conjuncts) {
            const int e = EqualColumn(*conjunct, c);
            if (e >= 0 && (e < nleft) != (c < nleft)) {
              equal = e;
              break;
            }
          }
          if (equal < 0) break;
          other.push_back(equal);
        }
        if (other.size() == columns.size()) {
          if (all_left) {
            for (int& c : other) c -= nleft;
            consider(node->children[1], other);
          } else if (inner) {
            consider(node->children[0], other);
          }
        }
      }
      return best;
    }
    default:
      return best;
  }
}

// The aggregate `plan` reads column `column` from through projections of plain columns and
// filters, with that column's group key index; nullopt otherwise. `path` collects the nodes
// from `plan` down to the aggregate.
const LogicalPlan* GroupKeyOf(const LogicalPlan& plan, int column, int* key,
                              std::vector<const LogicalPlan*>* path) {
  path->push_back(&plan);
  switch (plan.kind) {
    case LogicalKind::kProject: {
      const Expr& e = *plan.exprs[column];
      if (e.kind != ExprKind::kColumnRef) return nullptr;
      return GroupKeyOf(*plan.children[0], e.column_index, key, path);
    }
    case LogicalKind::kFilter:
      return GroupKeyOf(*plan.children[0], column, key, path);
    case LogicalKind::kAggregate:
      if (column >= static_cast<int>(plan.exprs.size())) return nullptr;
      *key = column;
      return &plan;
    default:
      return nullptr;
  }
}

// `path` (root first, ending at the aggregate) rebuilt with the aggregate's input replaced.
LogicalPlanPtr Rebuild(const std::vector<const LogicalPlan*>& path, size_t at, LogicalPlanPtr input) {
  const LogicalPlan& node = *path[at];
  if (at + 1 == path.size()) return WithChildren(node, {std::move(input)});
  return WithChildren(node, {Rebuild(path, at + 1, std::move(input))});
}

LogicalPlanPtr Rewrite(const LogicalPlanPtr& node);

// `join` with its right input's aggregate restricted to the keys of its left input, or null.
LogicalPlanPtr ReduceRightAggregate(const LogicalPlan& join, const LogicalPlanPtr& left,
                                    const LogicalPlanPtr& right, double min_ratio = 1) {
  const JoinKind kind = join.join_kind;
  if (!join.predicate || (kind != JoinKind::kInner && kind != JoinKind::kLeft &&
                          kind != JoinKind::kSemi && kind != JoinKind::kAnti)) {
    return nullptr;
  }
  const int nleft = static_cast<int>(left->schema.size());
  std::vector<ExprPtr> conjuncts;
  SplitConjuncts(join.predicate, conjuncts);
  const LogicalPlan* aggregate = nullptr;
  std::vector<const LogicalPlan*> path;
  std::vector<int> left_columns;
  std::vector<int> keys;
  std::vector<ExprPtr> templates;  // the conjuncts, for their kernels
  for (const auto& c : conjuncts) {
    int outer = -1, inner = -1;
    if (!SideEquality(*c, nleft, &outer, &inner)) continue;
    int key = -1;
    std::vector<const LogicalPlan*> found_path;
    const LogicalPlan* found = GroupKeyOf(*right, inner, &key, &found_path);
    if (found == nullptr || (aggregate != nullptr && found != aggregate)) continue;
    if (std::find(keys.begin(), keys.end(), key) != keys.end()) continue;
    aggregate = found;
    path = std::move(found_path);
    left_columns.push_back(outer);
    keys.push_back(key);
    templates.push_back(c);
  }
  if (aggregate == nullptr || aggregate->exprs.empty()) return nullptr;
  const LogicalPlanPtr& input = aggregate->children[0];
  const KeySource source = SmallestKeySource(left, left_columns);
  // A whole table holds keys the aggregate's input is unlikely to lack (a foreign key's
  // target, q18's orders for lineitem) unless it is far smaller; a filtered or joined
  // relation is worth it whenever the estimate says it is the smaller.
  const double input_rows = EstimateRows(*input);
  const double margin = std::max(min_ratio, IsWholeTable(*source.plan) ? 16.0 : 1.0);
  if (!(source.rows * margin < input_rows) || PlanIsVolatile(*source.plan)) return nullptr;
  for (const auto& k : keys) {
    if (IsVolatile(*aggregate->exprs[k])) return nullptr;
  }
  // input SEMI JOIN source ON group_key_i(input) = source.column_i.
  const int ninput = static_cast<int>(input->schema.size());
  std::vector<ExprPtr> on;
  for (size_t i = 0; i < keys.size(); i++) {
    auto ref = std::make_shared<Expr>(*BoundColumnRef(source.plan->schema, source.columns[i]));
    ref->column_index += ninput;
    auto eq = std::make_shared<Expr>(*templates[i]);
    eq->args = {aggregate->exprs[keys[i]], ref};
    on.push_back(eq);
  }
  LogicalPlanPtr reduced = NewJoin(input, source.plan, JoinKind::kSemi, Conjunction(on));
  return WithChildren(join, {left, Rebuild(path, 0, std::move(reduced))});
}

// `join` (semi or anti, on `left` and `right`) with its right input replaced by the
// distinct values of its key columns, when every conjunct equates a left and a right column
// of one type; null otherwise.
LogicalPlanPtr WithDistinctRightKeys(const LogicalPlan& join, const LogicalPlanPtr& left,
                                     const LogicalPlanPtr& right) {
  if (!join.predicate || (join.join_kind != JoinKind::kSemi && join.join_kind != JoinKind::kAnti)) {
    return nullptr;
  }
  const int nleft = static_cast<int>(left->schema.size());
  std::vector<ExprPtr> conjuncts;
  SplitConjuncts(join.predicate, conjuncts);
  auto node = std::make_shared<LogicalPlan>();
  node->kind = LogicalKind::kAggregate;
  node->children = {right};
  std::vector<ExprPtr> on;
  for (const auto& c : conjuncts) {
    int outer = -1, inner = -1;
    if (!SideEquality(*c, nleft, &outer, &inner)) return nullptr;
    auto key = std::make_shared<Expr>(*BoundColumnRef(right->schema, inner));
    key->column_index = nleft + static_cast<int>(node->exprs.size());
    auto eq = std::make_shared<Expr>(*c);
    eq->args = {BoundColumnRef(left->schema, outer), key};
    on.push_back(eq);
    node->exprs.push_back(BoundColumnRef(right->schema, inner));
    node->schema.Add(right->schema.field(inner));
  }
  auto rewritten = std::make_shared<LogicalPlan>(join);
  rewritten->children = {left, node};
  rewritten->predicate = Conjunction(on);
  return ReduceRightAggregate(*rewritten, left, node, /*min_ratio=*/4);
}

LogicalPlanPtr Rewrite(const LogicalPlanPtr& node) {
  if (node->kind == LogicalKind::kCache) return node;
  std::vector<LogicalPlanPtr> children;
  for (const auto& c : node->children) children.push_back(Rewrite(c));
  if (node->kind == LogicalKind::kJoin) {
    if (LogicalPlanPtr reduced = ReduceRightAggregate(*node, children[0], children[1])) {
      return reduced;
    }
    if (LogicalPlanPtr reduced = WithDistinctRightKeys(*node, children[0], children[1])) {
      return reduced;
    }
  }
  return WithChildren(*node, std::move(children));
}

}  // namespace

LogicalPlanPtr FilterAggregatesByJoinKeys(const LogicalPlanPtr& plan) { return Rewrite(plan); }

}  // namespace sluice::opt
