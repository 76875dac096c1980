// Column pruning: walks the plan top-down with the set of columns each node's parent uses,
// narrows scans to those columns, drops unused projection and aggregate outputs, and
// renumbers the expressions above.
#include "optimizer/plan_rewrite.h"
#include "optimizer/rules.h"

namespace sluice::opt {

namespace {

// A pruned subtree: its output column i of the original is column map[i] now (-1: dropped).
struct Pruned {
  LogicalPlanPtr plan;
  std::vector<int> map;
};

Pruned Prune(const LogicalPlanPtr& node, std::set<int> needed);

Pruned Unchanged(const LogicalPlanPtr& node) {
  Pruned out{node, {}};
  for (size_t i = 0; i < node->schema.size(); i++) out.map.push_back(static_cast<int>(i));
  return out;
}

ExprPtr Renumber(const ExprPtr& e, const std::vector<int>& map) {
  return RemapColumns(e, [&](int i) { return map[i]; });
}

// Keeps the positions in `needed` (at least one, so that row counts survive).
std::vector<int> KeptPositions(const std::set<int>& needed, size_t width) {
  std::vector<int> kept(needed.begin(), needed.end());
  if (kept.empty() && width > 0) kept.push_back(0);
  return kept;
}

Pruned PruneScan(const LogicalPlanPtr& node, const std::set<int>& needed) {
  const std::vector<int> kept = KeptPositions(needed, node->schema.size());
  if (kept.size() == node->schema.size()) return Unchanged(node);
  auto scan = std::make_shared<LogicalPlan>(*node);
  scan->scan_columns.clear();
  scan->schema = Schema();
  Pruned out{nullptr, std::vector<int>(node->schema.size(), -1)};
  for (size_t k = 0; k < kept.size(); k++) {
    scan->scan_columns.push_back(node->scan_columns[kept[k]]);
    scan->schema.Add(node->schema.field(kept[k]));
    out.map[kept[k]] = static_cast<int>(k);
  }
  out.plan = scan;
  return out;
}

Pruned PruneProject(const LogicalPlanPtr& node, const std::set<int>& needed) {
  const std::vector<int> kept = KeptPositions(needed, node->schema.size());
  std::set<int> child_needed;
  for (int k : kept) AddColumnsOf(*node->exprs[k], child_needed);
  Pruned child = Prune(node->children[0], child_needed);
  std::vector<ExprPtr> exprs;
  Schema schema;
  Pruned out{nullptr, std::vector<int>(node->schema.size(), -1)};
  for (size_t k = 0; k < kept.size(); k++) {
    exprs.push_back(Renumber(node->exprs[kept[k]], child.map));
    schema.Add(node->schema.field(kept[k]));
    out.map[kept[k]] = static_cast<int>(k);
  }
  // A projection of plain columns over another projection is folded into it.
  const LogicalPlan& below = *child.plan;
  bool columns_only = below.kind == LogicalKind::kProject;
  for (const auto& e : exprs) columns_only &= e->kind == ExprKind::kColumnRef;
  if (columns_only) {
    std::vector<ExprPtr> inlined;
    for (const auto& e : exprs) inlined.push_back(SubstituteColumns(e, below.exprs));
    out.plan = NewProject(below.children[0], std::move(inlined), std::move(schema));
    return out;
  }
  // A projection that returns its input unchanged is dropped.
  bool identity = exprs.size() == child.plan->schema.size();
  for (size_t i = 0; identity && i < exprs.size(); i++) {
    identity = exprs[i]->kind == ExprKind::kColumnRef && exprs[i]->column_index == static_cast<int>(i);
  }
  out.plan = identity ? child.plan : NewProject(child.plan, std::move(exprs), std::move(schema));
  return out;
}

Pruned PruneAggregate(const LogicalPlanPtr& node, const std::set<int>& needed) {
  const int ngroups = static_cast<int>(node->exprs.size());
  std::vector<int> kept_aggs;
  for (size_t a = 0; a < node->aggregates.size(); a++) {
    if (needed.count(ngroups + static_cast<int>(a))) kept_aggs.push_back(static_cast<int>(a));
  }
  if (kept_aggs.empty() && ngroups == 0 && !node->aggregates.empty()) kept_aggs.push_back(0);
  std::set<int> child_needed;
  for (const auto& g : node->exprs) AddColumnsOf(*g, child_needed);
  for (int a : kept_aggs) AddColumnsOf(*node->aggregates[a], child_needed);
  Pruned child = Prune(node->children[0], child_needed);
  auto agg = std::make_shared<LogicalPlan>(*node);
  agg->children = {child.plan};
  agg->exprs.clear();
  agg->aggregates.clear();
  agg->schema = Schema();
  Pruned out{nullptr, std::vector<int>(node->schema.size(), -1)};
  for (int g = 0; g < ngroups; g++) {
    agg->exprs.push_back(Renumber(node->exprs[g], child.map));
    agg->schema.Add(node->schema.field(g));
    out.map[g] = g;
  }
  for (size_t k = 0; k < kept_aggs.size(); k++) {
    const int a = kept_aggs[k];
    agg->aggregates.push_back(Renumber(node->aggregates[a], child.map));
    agg->schema.Add(node->schema.field(ngroups + a));
    out.map[ngroups + a] = ngroups + static_cast<int>(k);
  }
  out.plan = agg;
  return out;
}

// `child` (pruned for `needed`) cut to exactly the columns in `needed`: a child may keep
// more (a filter keeps the columns its predicate reads), and a join's input crosses an
// exchange or fills a hash table, where every extra column costs.
Pruned Narrow(Pruned child, const std::set<int>& needed) {
  const std::vector<int> kept = KeptPositions(needed, child.map.size());
  if (kept.size() >= child.plan->schema.size()) return child;
  std::vector<int> indices;
  std::vector<int> map(child.map.size(), -1);
  for (size_t k = 0; k < kept.size(); k++) {
    indices.push_back(child.map[kept[k]]);
    map[kept[k]] = static_cast<int>(k);
  }
  return Pruned{NewSelect(child.plan, indices), std::move(map)};
}

Pruned PruneJoin(const LogicalPlanPtr& node, const std::set<int>& needed) {
  const int nleft = static_cast<int>(node->child(0).schema.size());
  std::set<int> left_needed, right_needed;
  std::set<int> all = needed;
  if (node->predicate) AddColumnsOf(*node->predicate, all);
  for (int c : all) (c < nleft ? left_needed : right_needed).insert(c < nleft ? c : c - nleft);
  Pruned left = Narrow(Prune(node->children[0], left_needed), left_needed);
  Pruned right = Narrow(Prune(node->children[1], right_needed), right_needed);
  const int new_nleft = static_cast<int>(left.plan->schema.size());
  std::vector<int> combined = left.map;
  for (int m : right.map) combined.push_back(m < 0 ? -1 : m + new_nleft);
  ExprPtr predicate = node->predicate ? Renumber(node->predicate, combined) : nullptr;
  auto join = NewJoin(left.plan, right.plan, node->join_kind, predicate);
  // Keep the original fields (nullability) of the surviving columns.
  auto fixed = std::make_shared<LogicalPlan>(*join);
  const size_t width = node->schema.size();
  for (size_t i = 0; i < width; i++) {
    if (combined[i] >= 0) fixed->schema.mutable_fields()[combined[i]] = node->schema.field(i);
  }
  combined.resize(width);
  return Pruned{fixed, combined};
}

// Children whose columns line up by position (UNION ALL) are cut to exactly `kept`.
Pruned PruneUnion(const LogicalPlanPtr& node, const std::set<int>& needed) {
  const std::vector<int> kept = KeptPositions(needed, node->schema.size());
  std::set<int> keep_set(kept.begin(), kept.end());
  std::vector<LogicalPlanPtr> children;
  for (const auto& c : node->children) {
    Pruned child = Prune(c, keep_set);
    std::vector<int> indices;
    for (int k : kept) indices.push_back(child.map[k]);
    bool exact = indices.size() == child.plan->schema.size();
    for (size_t i = 0; exact && i < indices.size(); i++) exact = indices[i] == static_cast<int>(i);
    children.push_back(exact ? child.plan : NewSelect(child.plan, indices));
  }
  auto uni = std::make_shared<LogicalPlan>(*node);
  uni->children = std::move(children);
  uni->schema = Schema();
  Pruned out{nullptr, std::vector<int>(node->schema.size(), -1)};
  for (size_t k = 0; k < kept.size(); k++) {
    uni->schema.Add(node->schema.field(kept[k]));
    out.map[kept[k]] = static_cast<int>(k);
  }
  out.plan = uni;
  return out;
}

// Nodes that pass their child's columns through, after adding the ones they read.
Pruned PrunePassThrough(const LogicalPlanPtr& node, std::set<int> needed) {
  if (node->predicate) AddColumnsOf(*node->predicate, needed);
  for (const auto& k : node->sort_keys) AddColumnsOf(*k.expr, needed);
  if (node->kind == LogicalKind::kRepartition) {
    for (const auto& e : node->exprs) AddColumnsOf(*e, needed);
  }
  Pruned child = Prune(node->children[0], needed);
  auto copy = std::make_shared<LogicalPlan>(*node);
  copy->children = {child.plan};
  copy->schema = child.plan->schema;
  if (copy->predicate) copy->predicate = Renumber(copy->predicate, child.map);
  for (auto& k : copy->sort_keys) k.expr = Renumber(k.expr, child.map);
  if (node->kind == LogicalKind::kRepartition) {
    for (auto& e : copy->exprs) e = Renumber(e, child.map);
  }
  return Pruned{copy, child.map};
}

Pruned Prune(const LogicalPlanPtr& node, std::set<int> needed) {
  switch (node->kind) {
    case LogicalKind::kScan: return PruneScan(node, needed);
    case LogicalKind::kProject: return PruneProject(node, needed);
    case LogicalKind::kAggregate: return PruneAggregate(node, needed);
    case LogicalKind::kJoin: return PruneJoin(node, needed);
    case LogicalKind::kUnion: return PruneUnion(node, needed);
    case LogicalKind::kFilter:
    case LogicalKind::kSort:
    case LogicalKind::kLimit:
    case LogicalKind::kRepartition:
    case LogicalKind::kCoalesce: return PrunePassThrough(node, std::move(needed));
    case LogicalKind::kDistinct: {
      // Every column takes part in the distinctness.
      std::set<int> all;
      for (size_t i = 0; i < node->schema.size(); i++) all.insert(static_cast<int>(i));
      return PrunePassThrough(node, std::move(all));
    }
    case LogicalKind::kValues:
    case LogicalKind::kCache: break;
    default: {
      // Other nodes (windows) read every column of their children.
      std::vector<LogicalPlanPtr> children;
      for (const auto& c : node->children) {
        std::set<int> all;
        for (size_t i = 0; i < c->schema.size(); i++) all.insert(static_cast<int>(i));
        children.push_back(Prune(c, all).plan);
      }
      return Unchanged(WithChildren(*node, std::move(children)));
    }
  }
  return Unchanged(node);
}

}  // namespace

LogicalPlanPtr PruneColumns(const LogicalPlanPtr& plan) {
  std::set<int> all;
  for (size_t i = 0; i < plan->schema.size(); i++) all.insert(static_cast<int>(i));
  Pruned out = Prune(plan, all);
  bool identity = out.plan->schema.size() == plan->schema.size();
  for (size_t i = 0; identity && i < out.map.size(); i++) identity = out.map[i] == static_cast<int>(i);
  if (identity) {
    // Field names and qualifiers of the result are the original ones.
    auto fixed = std::make_shared<LogicalPlan>(*out.plan);
    fixed->schema = plan->schema;
    return fixed;
  }
  auto select = NewSelect(out.plan, out.map);
  auto fixed = std::make_shared<LogicalPlan>(*select);
  fixed->schema = plan->schema;
  return fixed;
}

}  // namespace sluice::opt
