// Join ordering: a region is a maximal tree of inner/cross joins. Its inputs (leaves) and
// the conjuncts of its join conditions are collected, then rebuilt: the largest input first
// (it probes), then repeatedly the connected input that keeps the fewest of the joined rows
// (the smallest share of its table left by its filters and by those of the smaller inputs
// it references), the smaller input on a tie (it is the hash join's build side), and a
// cross product only when nothing is connected. An input that references smaller filtered
// inputs is joined with them first, on its own (a bushy plan): TPC-H q3's lineitem then
// probes the orders of one customer segment, not all orders, and q21's lineitem the
// suppliers of one nation. q8 joins lineitem with its few filtered parts before the
// unfiltered suppliers.
// Column equalities are grouped into equivalence classes, so a.x = b.y AND b.y = c.z also
// joins a and c on a.x = c.z when that order is chosen.
#include <algorithm>
#include <map>
#include <numeric>
#include <set>

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

bool IsColumnEquality(const Expr& c) {
  return c.kind == ExprKind::kCall && c.name == "=" && c.args.size() == 2 &&
         c.args[0]->kind == ExprKind::kColumnRef && c.args[1]->kind == ExprKind::kColumnRef &&
         c.args[0]->type == c.args[1]->type && c.args[0]->column_index != c.args[1]->column_index;
}

// Orders one region. Leaves are joined greedily into a left-deep spine that starts from
// the largest input; a leaf that references smaller inputs with filters (TPC-H q3's orders
// and the customers of one segment, q21's suppliers and one nation) is first joined with
// them on its own, and that smaller result is what the spine probes: a bushy plan whose
// build sides are already reduced.
class RegionOrder {
 public:
  explicit RegionOrder(const LogicalPlanPtr& root) : root_(root) {
    Flatten(root, region_);
    nleaves_ = static_cast<int>(region_.leaves.size());
    leaf_of_.resize(region_.width);
    for (int l = 0; l < nleaves_; l++) {
      for (size_t i = 0; i < region_.leaves[l]->schema.size(); i++) {
        leaf_of_[region_.leaf_offset[l] + i] = l;
      }
    }
    // Column equalities go into classes; the rest are placed where their leaves are joined.
    for (const auto& c : region_.conjuncts) {
      if (IsColumnEquality(*c)) {
        const int a = c->args[0]->column_index, b = c->args[1]->column_index;
        classes_.Union(a, b);
        column_ref_[a] = c->args[0];
        column_ref_[b] = c->args[1];
      } else {
        others_.push_back(c);
      }
    }
    for (const auto& [col, ref] : column_ref_) members_[classes_.Find(col)].push_back(col);
    for (const auto& c : others_) {
      std::set<int> leaves;
      for (int col : ColumnsOf(*c)) leaves.insert(leaf_of_[col]);
      others_leaves_.push_back(leaves);
    }
    used_.assign(others_.size(), false);
    for (const auto& leaf : region_.leaves) {
      rows_.push_back(EstimateRows(*leaf));
      unfiltered_.push_back(std::max(1.0, UnfilteredRows(*leaf)));
      kept_.push_back(std::min(1.0, rows_.back() / unfiltered_.back()));
    }
    // The inputs a leaf references: in each class it is in, the member with the fewest rows
    // before filters (the one whose key the others hold; nation for c_nationkey =
    // s_nationkey = n_nationkey, where customer and supplier reference nation, not each other).
    referenced_.resize(nleaves_);
    for (const auto& [root_col, cols] : members_) {
      int owner = leaf_of_[cols[0]];
      for (int c : cols) {
        if (unfiltered_[leaf_of_[c]] < unfiltered_[owner]) owner = leaf_of_[c];
      }
      for (int c : cols) {
        if (leaf_of_[c] != owner) referenced_[leaf_of_[c]].insert(owner);
      }
      owner_[root_col] = owner;
    }
  }

  LogicalPlanPtr Run() {
    int start = 0;
    for (int l = 1; l < nleaves_; l++) {
      if (rows_[l] > rows_[start]) start = l;
    }
    Built built = Build(start, std::vector<bool>(nleaves_, true));
    // Conjuncts over a single leaf (none after pushdown, unless volatile) or none at all.
    std::vector<ExprPtr> rest;
    for (size_t i = 0; i < others_.size(); i++) {
      if (!used_[i]) {
        rest.push_back(RemapColumns(others_[i], [&](int c) { return built.position[c]; }));
      }
    }
    LogicalPlanPtr plan = built.plan;
    if (!rest.empty()) plan = NewFilter(plan, Conjunction(rest));
    bool identity = true;
    for (int i = 0; i < region_.width; i++) identity &= built.position[i] == i;
    LogicalPlanPtr out = identity ? plan : NewSelect(plan, built.position);
    auto fixed = std::make_shared<LogicalPlan>(*out);
    fixed->schema = root_->schema;  // same fields, in the region's original order
    return fixed;
  }

 private:
  // A plan over some leaves; position[c] = the column of region column c in it (-1 for
  // columns of other leaves).
  struct Built {
    LogicalPlanPtr plan;
    std::vector<int> leaves;
    std::vector<int> position;
    int width = 0;
  };

  // The left-deep plan over the `allowed` leaves from `start`: repeatedly the connected
  // leaf that keeps the fewest of the joined rows (the smaller one on a tie, as the hash
  // join's build side), joined together with the smaller filtered inputs it references; a
  // cross product only when nothing is connected.
  Built Build(int start, const std::vector<bool>& allowed) {
    std::vector<bool> joined(nleaves_, false);
    Built built;
    built.position.assign(region_.width, -1);
    built.plan = region_.leaves[start];
    {
      // Class members inside the first leaf are tied to each other by a filter on it.
      std::vector<ExprPtr> own;
      Conditions(joined, {start}, false, &own);
      Place(built, start);
      joined[start] = true;
      for (auto& e : own) e = RemapColumns(e, [&](int i) { return built.position[i]; });
      if (!own.empty()) built.plan = NewFilter(built.plan, Conjunction(own));
    }
    for (;;) {
      int pick = -1;
      bool connected = false;
      double pick_share = 1;
      for (int l = 0; l < nleaves_; l++) {
        if (joined[l] || !allowed[l]) continue;
        const bool c = Conditions(joined, {l}, false, nullptr);
        const double l_share = c ? Growth(l, joined, allowed) : 1;
        const bool fewer = c && connected ? l_share < pick_share ||
                                                (l_share == pick_share && rows_[l] < rows_[pick])
                                          : rows_[l] < rows_[pick];
        if (pick < 0 || (c && !connected) || (c == connected && fewer)) {
          pick = l;
          connected = c;
          pick_share = l_share;
        }
      }
      if (pick < 0) break;
      // The smaller filtered inputs that `pick` references join it first, on their own.
      std::vector<int> group;
      if (connected) {
        std::vector<bool> visited(nleaves_, false);
        Reduced(pick, joined, allowed, visited, &group);
      }
      std::vector<ExprPtr> on;
      LogicalPlanPtr right;
      if (group.empty()) {
        Conditions(joined, {pick}, false, &on);
        Place(built, pick);
        right = region_.leaves[pick];
        joined[pick] = true;
      } else {
        group.push_back(pick);
        std::vector<bool> sub_allowed(nleaves_, false);
        for (int l : group) sub_allowed[l] = true;
        Built sub = Build(pick, sub_allowed);
        Conditions(joined, sub.leaves, true, &on);
        for (int l : sub.leaves) {
          for (size_t i = 0; i < region_.leaves[l]->schema.size(); i++) {
            const int c = region_.leaf_offset[l] + static_cast<int>(i);
            built.position[c] = built.width + sub.position[c];
          }
          built.leaves.push_back(l);
          joined[l] = true;
        }
        built.width += sub.width;
        right = sub.plan;
      }
      for (auto& e : on) e = RemapColumns(e, [&](int i) { return built.position[i]; });
      built.plan = NewJoin(built.plan, right, on.empty() ? JoinKind::kCross : JoinKind::kInner,
                           Conjunction(on));
    }
    return built;
  }

  void Place(Built& built, int leaf) {
    for (size_t i = 0; i < region_.leaves[leaf]->schema.size(); i++) {
      built.position[region_.leaf_offset[leaf] + i] = built.width + static_cast<int>(i);
    }
    built.width += static_cast<int>(region_.leaves[leaf]->schema.size());
    built.leaves.push_back(leaf);
  }

  // The rows joining `leaf` to the `joined` ones keeps, as a share of theirs: the share of
  // its own rows that it and the inputs it references keep (a key join), times its rows per
  // key when it is joined by one column that is a key of another input (customer joined to
  // supplier by nation multiplies each supplier row by the customers of its nation). A join
  // on several columns is taken for a key join (TPC-H's partsupp).
  double Growth(int leaf, const std::vector<bool>& joined, const std::vector<bool>& allowed) {
    std::vector<bool> visited(nleaves_, false);
    const double share = Reduced(leaf, joined, allowed, visited, nullptr);
    bool key = false;
    int links = 0;
    double fanout = 0;
    for (const auto& [root_col, cols] : members_) {
      bool in_plan = false, in_leaf = false;
      for (int c : cols) {
        in_plan |= joined[leaf_of_[c]];
        in_leaf |= leaf_of_[c] == leaf;
      }
      if (!in_plan || !in_leaf) continue;
      links++;
      const int owner = owner_.at(root_col);
      if (owner == leaf) {
        key = true;
      } else {
        const double per_key = unfiltered_[leaf] / unfiltered_[owner];
        fanout = links == 1 ? per_key : std::min(fanout, per_key);
      }
    }
    return key || links >= 2 ? share : share * std::max(1.0, fanout);
  }

  // The share of `leaf`'s rows left once it is joined with the inputs that reduce it: the
  // smaller inputs it references, not yet joined, whose filters (or those of the inputs
  // they reference in turn) keep less than all of their rows. Those inputs are appended to
  // `group` (when given). One join keeps the share its smaller side keeps: a key join.
  double Reduced(int leaf, const std::vector<bool>& joined, const std::vector<bool>& allowed,
                 std::vector<bool>& visited, std::vector<int>* group) {
    visited[leaf] = true;
    double share = kept_[leaf];
    for (int m : referenced_[leaf]) {
      if (joined[m] || !allowed[m] || visited[m] || unfiltered_[m] >= unfiltered_[leaf]) continue;
      std::vector<int> below;
      const double r = Reduced(m, joined, allowed, visited, group ? &below : nullptr);
      if (r >= 1) continue;
      share *= r;
      if (group) {
        group->push_back(m);
        group->insert(group->end(), below.begin(), below.end());
      }
    }
    return share;
  }

  // Conjuncts that joining `leaves` to the `joined` ones makes evaluable (into `out` when
  // given, marking them used), and whether one of them links the two. Invariant: the
  // members of a class inside a built plan are equal; with `built` the new leaves are one
  // plan already, so one equality ties their class to the joined members, else each
  // member is tied (to one joined member, or to each other while none is joined).
  bool Conditions(const std::vector<bool>& joined, const std::vector<int>& leaves, bool built,
                  std::vector<ExprPtr>* out) {
    std::vector<bool> is_new(nleaves_, false);
    for (int l : leaves) is_new[l] = true;
    bool keyed = false;
    for (const auto& [root_col, cols] : members_) {
      int in_plan = -1;
      std::vector<int> in_new;
      for (int c : cols) {
        if (joined[leaf_of_[c]] && in_plan < 0) in_plan = c;
        if (is_new[leaf_of_[c]]) in_new.push_back(c);
      }
      if (in_new.empty()) continue;
      keyed |= in_plan >= 0;
      if (!out) continue;
      if (built) {
        if (in_plan >= 0) out->push_back(Equality(root_col, in_plan, in_new[0]));
        continue;
      }
      const int anchor = in_plan >= 0 ? in_plan : in_new[0];
      for (int c : in_new) {
        if (c != anchor) out->push_back(Equality(root_col, anchor, c));
      }
    }
    for (size_t i = 0; i < others_.size(); i++) {
      if (used_[i]) continue;
      bool touches = false, ready = true;
      for (int l : others_leaves_[i]) {
        touches |= is_new[l];
        ready &= is_new[l] || joined[l];
      }
      if (!touches || !ready) continue;
      if (out) {
        out->push_back(others_[i]);
        used_[i] = true;
      }
      // A non-equality condition (an OR across tables, a range) joins nothing by itself: it
      // does not make a leaf "connected", or an unkeyed leaf would be pulled in early and
      // multiply rows (TPC-H q7's nation pair before lineitem).
    }
    return keyed;
  }

  // An equality between two class members, with the kernel of one of the class's
  // equalities (all members have one type).
  ExprPtr Equality(int root_col, int a, int b) {
    auto eq = std::make_shared<Expr>();
    eq->kind = ExprKind::kCall;
    eq->name = "=";
    eq->type = TypeId::kBoolean;
    eq->bound = true;
    for (const auto& c : region_.conjuncts) {
      if (IsColumnEquality(*c) && classes_.Find(c->args[0]->column_index) == root_col) {
        eq->kernel = c->kernel;
        break;
      }
    }
    eq->args = {column_ref_[a], column_ref_[b]};
    return eq;
  }

  LogicalPlanPtr root_;
  Region region_;
  int nleaves_ = 0;
  std::vector<int> leaf_of_;
  EquivalenceClasses classes_;
  std::vector<ExprPtr> others_;
  std::vector<std::set<int>> others_leaves_;
  std::vector<bool> used_;
  std::map<int, ExprPtr> column_ref_;  // a bound reference for each class member
  std::map<int, std::vector<int>> members_;  // class root -> columns
  std::vector<double> rows_;
  std::vector<double> unfiltered_;
  std::vector<double> kept_;  // the share of its table a leaf's filters keep
  std::vector<std::set<int>> referenced_;
  std::map<int, int> owner_;  // class root -> the leaf whose key the class is
};

LogicalPlanPtr ReorderRegion(const LogicalPlanPtr& root) { return RegionOrder(root).Run(); }

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
