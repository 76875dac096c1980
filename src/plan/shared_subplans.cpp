#include "plan/shared_subplans.h"

#include <map>
#include <set>
#include <unordered_map>

#include "plan/subquery.h"

namespace sluice {

namespace {

bool IsFilledCache(const LogicalPlan& plan) {
  return plan.kind == LogicalKind::kCache && plan.cache->filled;
}

// Counts the places each node is read from: a node reached again is not descended into.
class UseCounter {
 public:
  void Count(const LogicalPlanPtr& plan) {
    CountNodes(plan);
    MapSubqueries(plan, [this](const ExprPtr& e) {
      const SubqueryRef* ref = e->subquery.get();
      if (ref->plan && refs_.insert(ref).second) Count(ref->plan);
      return e;
    });
  }
  int uses(const LogicalPlan* node) const {
    auto it = uses_.find(node);
    return it == uses_.end() ? 0 : it->second;
  }

 private:
  void CountNodes(const LogicalPlanPtr& plan) {
    if (uses_[plan.get()]++ > 0 || IsFilledCache(*plan)) return;
    for (const auto& c : plan->children) CountNodes(c);
  }

  std::unordered_map<const LogicalPlan*, int> uses_;
  std::set<const SubqueryRef*> refs_;
};

// Whether running `plan` again costs more than holding its rows: it aggregates, joins or
// windows. False when it cannot be run on its own ahead of the query.
bool WorthCaching(const LogicalPlan& plan, bool* heavy) {
  if (plan.kind == LogicalKind::kCache) {
    *heavy = true;  // reads an earlier cache: no more than its rows
    return true;
  }
  if (plan.recursive || plan.lateral || plan.kind == LogicalKind::kWrite ||
      plan.kind == LogicalKind::kMapBatches) {
    return false;
  }
  switch (plan.kind) {
    case LogicalKind::kAggregate:
    case LogicalKind::kDistinct:
    case LogicalKind::kWindow:
    case LogicalKind::kJoin: *heavy = true; break;
    default: break;
  }
  for (const auto& c : plan.children) {
    if (!WorthCaching(*c, heavy)) return false;
  }
  return true;
}

class Rewriter {
 public:
  Rewriter(const UseCounter& counter, const std::function<bool(const LogicalPlan&)>& fits)
      : counter_(counter), fits_(fits) {}

  LogicalPlanPtr Plan(const LogicalPlanPtr& plan) {
    return MapSubqueries(Nodes(plan), [this](const ExprPtr& e) { return Subquery(e); });
  }

 private:
  LogicalPlanPtr Nodes(const LogicalPlanPtr& plan) {
    auto done = done_.find(plan.get());
    if (done != done_.end()) return done->second;
    LogicalPlanPtr out = plan;
    if (!IsFilledCache(*plan)) {
      std::vector<LogicalPlanPtr> children;
      bool changed = false;
      for (const auto& c : plan->children) {
        children.push_back(Nodes(c));
        changed |= children.back() != c;
      }
      if (changed) {
        auto copy = std::make_shared<LogicalPlan>(*plan);
        copy->children = std::move(children);
        out = copy;
      }
      bool heavy = false;
      if (counter_.uses(plan.get()) > 1 && plan->kind != LogicalKind::kCache &&
          !ContainsSubquery(*plan) && WorthCaching(*plan, &heavy) && heavy && fits_(*plan)) {
        out = MakeCache(out);
      }
    }
    done_.emplace(plan.get(), out);
    return out;
  }

  // One copy of each subquery, its plan rewritten, shared by every expression using it.
  ExprPtr Subquery(const ExprPtr& e) {
    const SubqueryRef* old = e->subquery.get();
    if (!old->plan) return e;
    auto it = refs_.find(old);
    if (it == refs_.end()) {
      auto ref = std::make_shared<SubqueryRef>(*old);
      ref->plan = Plan(old->plan);
      it = refs_.emplace(old, std::move(ref)).first;
    }
    if (it->second->plan == old->plan) return e;
    auto copy = std::make_shared<Expr>(*e);
    copy->subquery = it->second;
    return copy;
  }

  const UseCounter& counter_;
  const std::function<bool(const LogicalPlan&)>& fits_;
  std::unordered_map<const LogicalPlan*, LogicalPlanPtr> done_;
  std::map<const SubqueryRef*, std::shared_ptr<const SubqueryRef>> refs_;
};

}  // namespace

LogicalPlanPtr CacheSharedSubplans(const LogicalPlanPtr& plan,
                                   const std::function<bool(const LogicalPlan&)>& fits) {
  UseCounter counter;
  counter.Count(plan);
  return Rewriter(counter, fits).Plan(plan);
}

}  // namespace sluice
