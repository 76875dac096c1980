// Join ordering: a region is a maximal tree of inner/cross joins. Its inputs (leaves) and
// the conjuncts of its join conditions are collected, then rebuilt left-deep: the largest
// input first (it probes), then repeatedly the connected input that keeps the fewest of the
// joined rows (the smallest share of its table left by its filters: a key join keeps that
// share of the probe rows; looking one join ahead, times the smallest share of a neighbour
// it connects), the smaller input on a tie (it is the hash join's build side),
// and a cross product only when nothing is connected. TPC-H q8 then joins lineitem with
// its few filtered parts before the unfiltered suppliers and nations.
// Column equalities are grouped into equivalence classes, so a.x = b.y AND b.y = c.z also
// joins a and c on a.x = c.z when that order is chosen.
#include <algorithm>
#include <map>
#include <numeric>

#include "optimizer/cardinality.h"
#include "optimizer/plan_rewrite.h"
#include "optimizer/rules.h"

namespace sluice::opt {

namespace {

bool IsRegionJoin(const LogicalPlan& n) {
  return n.kind == LogicalKind::kJoin &&
         (n.join_kind == JoinKind::kInner || n.join_kind == JoinKind::kCross);
}

LogicalPlanPtr Reorder(const LogicalPlanPtr& node);

// The inputs and conjuncts of a region; conjuncts are bound over all leaves concatenated.
struct Region {
  std::vector<LogicalPlanPtr> leaves;
  std::vector<int> leaf_offset;
  std::vector<ExprPtr> conjuncts;
  int width = 0;
};

void Flatten(const LogicalPlanPtr& node, Region& region) {
  if (!IsRegionJoin(*node)) {
    region.leaves.push_back(Reorder(node));
    region.leaf_offset.push_back(region.width);
    region.width += static_cast<int>(node->schema.size());
    return;
  }
  const int offset = region.width;
  Flatten(node->children[0], region);
  Flatten(node->children[1], region);
  if (node->predicate) {
    std::vector<ExprPtr> parts;
    SplitConjuncts(node->predicate, parts);
    for (const auto& p : parts) {
      region.conjuncts.push_back(RemapColumns(p, [&](int i) { return i + offset; }));
    }
  }
}

// Union-find over region columns joined by `a = b` conjuncts of equal types.
struct EquivalenceClasses {
  std::map<int, int> parent;
  int Find(int x) {
    auto it = parent.find(x);
    if (it == parent.end() || it->second == x) return x;
    return it->second = Find(it->second);
  }
  void Union(int a, int b) {
    parent.emplace(a, a);
    parent.emplace(b, b);
    parent[Find(a)] = Find(b);
  }
};

// Rows of `plan` before the filters on it: the rows a key of its table matches.
double UnfilteredRows(const LogicalPlan& plan) {
  if (plan.kind == LogicalKind::kFilter || plan.kind == LogicalKind::kProject) {
    return UnfilteredRows(plan.child());
  }
  return EstimateRows(plan);
}

bool IsColumnEquality(const Expr& c) {
  return c.kind == ExprKind::kCall && c.name == "=" && c.args.size() == 2 &&
         c.args[0]->kind == ExprKind::kColumnRef && c.args[1]->kind == ExprKind::kColumnRef &&
         c.args[0]->type == c.args[1]->type && c.args[0]->column_index != c.args[1]->column_index;
}

LogicalPlanPtr ReorderRegion(const LogicalPlanPtr& root) {
  Region region;
  Flatten(root, region);
  const int nleaves = static_cast<int>(region.leaves.size());
  std::vector<int> leaf_of(region.width);
  for (int l = 0; l < nleaves; l++) {
    for (size_t i = 0; i < region.leaves[l]->schema.size(); i++) leaf_of[region.leaf_offset[l] + i] = l;
  }
  // Column equalities go into classes; the rest are placed where their leaves are joined.
  EquivalenceClasses classes;
  std::vector<ExprPtr> others;
  std::map<int, ExprPtr> column_ref;  // a bound reference for each class member
  for (const auto& c : region.conjuncts) {
    if (IsColumnEquality(*c)) {
      const int a = c->args[0]->column_index, b = c->args[1]->column_index;
      classes.Union(a, b);
      column_ref[a] = c->args[0];
      column_ref[b] = c->args[1];
    } else {
      others.push_back(c);
    }
  }
  std::map<int, std::vector<int>> members;  // class root -> columns
  for (const auto& [col, ref] : column_ref) members[classes.Find(col)].push_back(col);
  std::vector<std::set<int>> others_leaves;
  for (const auto& c : others) {
    std::set<int> leaves;
    for (int col : ColumnsOf(*c)) leaves.insert(leaf_of[col]);
    others_leaves.push_back(leaves);
  }

  std::vector<double> rows;
  std::vector<double> kept;  // the share of its table a leaf's filters keep
  for (const auto& leaf : region.leaves) {
    rows.push_back(EstimateRows(*leaf));
    kept.push_back(std::min(1.0, rows.back() / std::max(1.0, UnfilteredRows(*leaf))));
  }
  std::vector<bool> joined(nleaves, false);
  std::vector<bool> used(others.size(), false);
  std::vector<int> position(region.width, -1);  // region column -> column of the built plan
  int start = 0;
  for (int l = 1; l < nleaves; l++) {
    if (rows[l] > rows[start]) start = l;
  }
  LogicalPlanPtr plan = region.leaves[start];
  joined[start] = true;
  int built_width = 0;
  auto place = [&](int leaf) {
    for (size_t i = 0; i < region.leaves[leaf]->schema.size(); i++) {
      position[region.leaf_offset[leaf] + i] = built_width + static_cast<int>(i);
    }
    built_width += static_cast<int>(region.leaves[leaf]->schema.size());
  };
  place(start);
  // An equality between two class members, with the kernel of one of the class's equalities
  // (all members have one type).
  auto equality = [&](int root_col, int a, int b) {
    auto eq = std::make_shared<Expr>();
    eq->kind = ExprKind::kCall;
    eq->name = "=";
    eq->type = TypeId::kBoolean;
    eq->bound = true;
    for (const auto& c : region.conjuncts) {
      if (IsColumnEquality(*c) && classes.Find(c->args[0]->column_index) == root_col) {
        eq->kernel = c->kernel;
        break;
      }
    }
    eq->args = {column_ref[a], column_ref[b]};
    return ExprPtr(eq);
  };
  // Conjuncts that joining `leaf` makes evaluable, and whether one of them links it to the
  // joined leaves. Invariant: the members of a class inside the built plan are equal; a new
  // leaf's members are tied to one of them (or to each other while none is built yet).
  auto conditions = [&](int leaf, std::vector<ExprPtr>* out, std::vector<size_t>* uses) {
    bool keyed = false;
    for (const auto& [root_col, cols] : members) {
      int in_plan = -1;
      std::vector<int> in_leaf;
      for (int c : cols) {
        if (joined[leaf_of[c]] && in_plan < 0) in_plan = c;
        if (leaf_of[c] == leaf) in_leaf.push_back(c);
      }
      if (in_leaf.empty()) continue;
      keyed |= in_plan >= 0;
      if (!out) continue;
      const int anchor = in_plan >= 0 ? in_plan : in_leaf[0];
      for (int c : in_leaf) {
        if (c != anchor) out->push_back(equality(root_col, anchor, c));
      }
    }
    for (size_t i = 0; i < others.size(); i++) {
      if (used[i] || !others_leaves[i].count(leaf)) continue;
      bool ready = true;
      for (int l : others_leaves[i]) ready &= l == leaf || joined[l];
      if (!ready) continue;
      if (out) out->push_back(others[i]);
      if (uses) uses->push_back(i);
      // A non-equality condition (an OR across tables, a range) joins nothing by itself: it
      // does not make a leaf "connected", or an unkeyed leaf would be pulled in early and
      // multiply rows (TPC-H q7's nation pair before lineitem).
    }
    return keyed;
  };
  {
    // Class members inside the first leaf are tied to each other by a filter on it.
    std::vector<ExprPtr> own;
    std::vector<size_t> uses;
    joined[start] = false;
    conditions(start, &own, &uses);
    joined[start] = true;
    for (size_t i : uses) used[i] = true;
    for (auto& e : own) e = RemapColumns(e, [&](int i) { return position[i]; });
    if (!own.empty()) plan = NewFilter(plan, Conjunction(own));
  }
  // Leaves joined by an equality class, for one step of lookahead: an unfiltered input
  // that leads to a filtered one (TPC-H q21's supplier, then nation = 'SAUDI ARABIA') keeps
  // the share its neighbour would keep once joined.
  std::vector<std::set<int>> neighbours(nleaves);
  for (const auto& [root_col, cols] : members) {
    for (int a : cols) {
      for (int b : cols) {
        if (leaf_of[a] != leaf_of[b]) neighbours[leaf_of[a]].insert(leaf_of[b]);
      }
    }
  }
  auto share = [&](int leaf) {
    double next = 1;
    for (int m : neighbours[leaf]) {
      if (!joined[m]) next = std::min(next, kept[m]);
    }
    return kept[leaf] * next;
  };
  double built_rows = rows[start];
  for (int step = 1; step < nleaves; step++) {
    int pick = -1;
    bool connected = false;
    double pick_share = 1;
    for (int l = 0; l < nleaves; l++) {
      if (joined[l]) continue;
      const bool c = conditions(l, nullptr, nullptr);
      const double l_share = c ? share(l) : 1;
      const bool fewer = c && connected ? l_share < pick_share ||
                                              (l_share == pick_share && rows[l] < rows[pick])
                                        : rows[l] < rows[pick];
      if (pick < 0 || (c && !connected) || (c == connected && fewer)) {
        pick = l;
        connected = c;
        pick_share = l_share;
      }
    }
    std::vector<ExprPtr> on;
    std::vector<size_t> uses;
    conditions(pick, &on, &uses);
    for (size_t i : uses) used[i] = true;
    place(pick);
    for (auto& e : on) e = RemapColumns(e, [&](int i) { return position[i]; });
    plan = NewJoin(plan, region.leaves[pick], on.empty() ? JoinKind::kCross : JoinKind::kInner,
                   Conjunction(on));
    joined[pick] = true;
    built_rows = connected ? std::max(built_rows, rows[pick]) : built_rows * rows[pick];
  }
  // Conjuncts over a single leaf (none after pushdown, unless volatile) or none at all.
  std::vector<ExprPtr> rest;
  for (size_t i = 0; i < others.size(); i++) {
    if (!used[i]) rest.push_back(RemapColumns(others[i], [&](int c) { return position[c]; }));
  }
  if (!rest.empty()) plan = NewFilter(plan, Conjunction(rest));
  std::vector<int> order(region.width);
  for (int i = 0; i < region.width; i++) order[i] = position[i];
  bool identity = true;
  for (int i = 0; i < region.width; i++) identity &= order[i] == i;
  LogicalPlanPtr out = identity ? plan : NewSelect(plan, order);
  auto fixed = std::make_shared<LogicalPlan>(*out);
  fixed->schema = root->schema;  // same fields, in the region's original order
  return fixed;
}

LogicalPlanPtr Reorder(const LogicalPlanPtr& node) {
  if (node->kind == LogicalKind::kCache) return node;
  if (IsRegionJoin(*node)) return ReorderRegion(node);
  std::vector<LogicalPlanPtr> children;
  for (const auto& c : node->children) children.push_back(Reorder(c));
  return WithChildren(*node, std::move(children));
}

}  // namespace

LogicalPlanPtr ReorderJoins(const LogicalPlanPtr& plan) { return Reorder(plan); }

}  // namespace sluice::opt
