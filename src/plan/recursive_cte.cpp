#include "plan/recursive_cte.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "vector/value_rows.h"

namespace sluice {

namespace {

bool HoldsRecursiveCte(const LogicalPlan& plan) {
  if (plan.recursive) return true;
  if (plan.kind == LogicalKind::kCache && plan.cache->filled) return false;
  return std::any_of(plan.children.begin(), plan.children.end(),
                     [](const LogicalPlanPtr& c) { return HoldsRecursiveCte(*c); });
}

// `plan` with every node `replace` returns non-null for replaced by that.
LogicalPlanPtr ReplaceNodes(const LogicalPlanPtr& plan,
                            const std::function<LogicalPlanPtr(const LogicalPlan&)>& replace) {
  if (LogicalPlanPtr r = replace(*plan)) return r;
  if (plan->kind == LogicalKind::kCache && plan->cache->filled) return plan;
  std::shared_ptr<LogicalPlan> copy;
  for (size_t i = 0; i < plan->children.size(); i++) {
    LogicalPlanPtr c = ReplaceNodes(plan->children[i], replace);
    if (c == plan->children[i]) continue;
    if (!copy) copy = std::make_shared<LogicalPlan>(*plan);
    copy->children[i] = std::move(c);
  }
  return copy ? copy : plan;
}

struct RowLess {
  bool operator()(const std::vector<Value>& a, const std::vector<Value>& b) const {
    for (size_t i = 0; i < a.size(); i++) {
      const int c = CompareValues(a[i], b[i]);
      if (c != 0) return c < 0;
    }
    return false;
  }
};

// The rows of `batches` not in `seen` (adding them to it), as batches of `schema`.
std::vector<Batch> NewRows(const Schema& schema, const std::vector<Batch>& batches,
                           std::set<std::vector<Value>, RowLess>& seen) {
  std::vector<std::vector<Value>> rows;
  for (auto& row : RowsFromBatches(batches)) {
    if (seen.insert(row).second) rows.push_back(std::move(row));
  }
  return BatchesFromRows(schema, rows);
}

size_t CountRows(const std::vector<Batch>& batches) {
  size_t n = 0;
  for (const auto& b : batches) n += b.num_rows();
  return n;
}

std::vector<Batch> Compute(const RecursiveCte& cte, const Schema& schema, const PlanRunner& run) {
  std::set<std::vector<Value>, RowLess> seen;
  std::vector<Batch> working = run(*cte.anchor, fmt::format("Recursive CTE {}: anchor", cte.name));
  if (!cte.union_all) working = NewRows(schema, working, seen);
  std::vector<Batch> all = working;
  for (int step = 1; CountRows(working) > 0; step++) {
    auto rows = std::make_shared<const std::vector<Batch>>(std::move(working));
    LogicalPlanPtr plan = ReplaceNodes(cte.recursive, [&](const LogicalPlan& node) -> LogicalPlanPtr {
      if (node.kind != LogicalKind::kValues || node.rows.get() != cte.working) return nullptr;
      auto filled = std::make_shared<LogicalPlan>(node);
      filled->rows = rows;
      return filled;
    });
    working = run(*plan, fmt::format("Recursive CTE {}: step {}", cte.name, step));
    if (!cte.union_all) working = NewRows(schema, working, seen);
    all.insert(all.end(), working.begin(), working.end());
  }
  return all;
}

}  // namespace

LogicalPlanPtr MakeWorkingTable(const Schema& schema) { return MakeValues(schema, {}); }

LogicalPlanPtr MakeRecursiveCte(const Schema& schema, std::shared_ptr<const RecursiveCte> cte) {
  auto node = std::make_shared<LogicalPlan>(*MakeValues(schema, {}));
  node->recursive = std::move(cte);
  return node;
}

bool ReadsWorkingTable(const LogicalPlan& plan, const std::vector<Batch>* working) {
  if (plan.kind == LogicalKind::kValues && plan.rows.get() == working) return true;
  return std::any_of(plan.children.begin(), plan.children.end(),
                     [&](const LogicalPlanPtr& c) { return ReadsWorkingTable(*c, working); });
}

std::vector<std::shared_ptr<const RecursiveCte>> RecursiveCtesOf(const LogicalPlan& plan) {
  std::vector<std::shared_ptr<const RecursiveCte>> out;
  std::function<void(const LogicalPlan&)> visit = [&](const LogicalPlan& node) {
    if (node.recursive) {
      const bool seen = std::any_of(out.begin(), out.end(),
                                    [&](const auto& c) { return c == node.recursive; });
      if (!seen) {
        visit(*node.recursive->anchor);
        visit(*node.recursive->recursive);
        out.push_back(node.recursive);
      }
    }
    for (const auto& c : node.children) visit(*c);
  };
  visit(plan);
  return out;
}

LogicalPlanPtr ComputeRecursiveCtes(const LogicalPlanPtr& plan, const PlanRunner& run) {
  if (!HoldsRecursiveCte(*plan)) return plan;
  std::map<const RecursiveCte*, std::shared_ptr<const std::vector<Batch>>> done;
  return ReplaceNodes(plan, [&](const LogicalPlan& node) -> LogicalPlanPtr {
    if (!node.recursive) return nullptr;
    auto& rows = done[node.recursive.get()];
    if (!rows) {
      rows = std::make_shared<const std::vector<Batch>>(Compute(*node.recursive, node.schema, run));
    }
    auto filled = std::make_shared<LogicalPlan>(node);
    filled->recursive = nullptr;
    filled->rows = rows;
    return filled;
  });
}

}  // namespace sluice
