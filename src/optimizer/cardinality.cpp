#include "optimizer/cardinality.h"

#include <algorithm>
#include <map>
#include <optional>

#include "optimizer/plan_rewrite.h"

namespace sluice::opt {

namespace {

bool HasColumnEquality(const Expr& predicate, int nleft) {
  std::vector<ExprPtr> conjuncts;
  SplitConjuncts(std::make_shared<Expr>(predicate), conjuncts);
  for (const auto& c : conjuncts) {
    if (c->kind != ExprKind::kCall || c->name != "=" || c->args.size() != 2) continue;
    const std::set<int> a = ColumnsOf(*c->args[0]);
    const std::set<int> b = ColumnsOf(*c->args[1]);
    if (a.empty() || b.empty()) continue;
    if ((*a.rbegin() < nleft && *b.begin() >= nleft) || (*b.rbegin() < nleft && *a.begin() >= nleft)) {
      return true;
    }
  }
  return false;
}

bool IsRangeComparison(const Expr& c) {
  return c.kind == ExprKind::kCall && c.args.size() == 2 &&
         (c.name == "<" || c.name == "<=" || c.name == ">" || c.name == ">=");
}

// The column a comparison bounds against a constant, or -1.
int RangeColumn(const Expr& c) {
  if (!IsRangeComparison(c)) return -1;
  const Expr& a = *c.args[0];
  const Expr& b = *c.args[1];
  if (a.kind == ExprKind::kColumnRef && b.kind == ExprKind::kLiteral) return a.column_index;
  if (b.kind == ExprKind::kColumnRef && a.kind == ExprKind::kLiteral) return b.column_index;
  return -1;
}

// The literal of a `column op literal` comparison as a number in the domain of
// DataSource::NumericRange, or nullopt.
std::optional<double> LiteralNumber(const Expr& c) {
  return RangeNumber(c.args[0]->kind == ExprKind::kLiteral ? c.args[0]->value : c.args[1]->value);
}

}  // namespace

double ScanSelectivity(const Expr& predicate, const LogicalPlan& scan) {
  std::vector<ExprPtr> conjuncts;
  SplitConjuncts(std::make_shared<Expr>(predicate), conjuncts);
  // Bounds per scanned column: [lower, upper] within the column's known range.
  std::map<int, std::pair<double, double>> bounds;
  std::map<int, std::pair<double, double>> ranges;
  std::vector<const Expr*> rest;
  for (const auto& c : conjuncts) {
    const int column = RangeColumn(*c);
    const std::optional<double> literal = column >= 0 ? LiteralNumber(*c) : std::nullopt;
    const int source_column = column >= 0 && column < static_cast<int>(scan.scan_columns.size())
                                  ? scan.scan_columns[column]
                                  : -1;
    std::optional<std::pair<double, double>> range;
    if (literal && source_column >= 0) range = scan.source->NumericRange(source_column);
    if (!range || !(range->second > range->first)) {
      rest.push_back(c.get());
      continue;
    }
    ranges[column] = *range;
    auto [it, added] = bounds.emplace(column, *range);
    // `column < x` / `x > column` bound it from above; the other two from below.
    const bool column_left = c->args[0]->kind == ExprKind::kColumnRef;
    const bool less = c->name == "<" || c->name == "<=";
    if (less == column_left) {
      it->second.second = std::min(it->second.second, *literal);
    } else {
      it->second.first = std::max(it->second.first, *literal);
    }
  }
  if (bounds.empty()) return Selectivity(predicate);
  double share = 1;
  for (const auto& [column, b] : bounds) {
    const auto& r = ranges[column];
    // At least one row's worth: a range that misses every value still plans as small.
    share *= std::clamp((b.second - b.first) / (r.second - r.first), 0.001, 1.0);
  }
  std::set<int> bounded;  // other bounds on one column are one range, as in Selectivity
  for (const Expr* c : rest) {
    const int column = RangeColumn(*c);
    if (column >= 0 && !bounded.insert(column).second) continue;
    share *= Selectivity(*c);
  }
  return share;
}

double Selectivity(const Expr& c) {
  if (c.kind == ExprKind::kCall) {
    if (c.name == "=" || c.name == "==" || c.name == "is not distinct from") return 0.1;
    if (c.name == "<" || c.name == "<=" || c.name == ">" || c.name == ">=") return 0.3;
    if (c.name == "like" || c.name == "ilike") return 0.3;
  }
  if (c.kind == ExprKind::kIsNull) return 0.1;
  if (c.kind == ExprKind::kIn && !c.negated) return std::min(1.0, 0.1 * (c.args.size() - 1));
  if (c.kind == ExprKind::kAnd) {
    // Bounds on one column (`d >= x AND d < y`, BETWEEN) are one range, estimated as one
    // comparison rather than as independent ones.
    std::vector<const Expr*> conjuncts;
    auto flatten = [&](auto& self, const Expr& e) -> void {
      if (e.kind != ExprKind::kAnd) return conjuncts.push_back(&e);
      for (const auto& a : e.args) self(self, *a);
    };
    flatten(flatten, c);
    double s = 1;
    std::set<int> bounded;
    for (const Expr* a : conjuncts) {
      const int column = RangeColumn(*a);
      if (column >= 0 && !bounded.insert(column).second) continue;
      s *= Selectivity(*a);
    }
    return s;
  }
  if (c.kind == ExprKind::kOr) {
    double s = 0;
    for (const auto& a : c.args) s += Selectivity(*a);
    return std::min(1.0, s);
  }
  return 0.5;
}

double UnfilteredRows(const LogicalPlan& plan) {
  switch (plan.kind) {
    case LogicalKind::kFilter:
    case LogicalKind::kProject: return UnfilteredRows(plan.child());
    case LogicalKind::kJoin:
      if (plan.join_kind == JoinKind::kInner &&
          HasColumnEquality(*plan.predicate, static_cast<int>(plan.child(0).schema.size()))) {
        return std::max(UnfilteredRows(plan.child(0)), UnfilteredRows(plan.child(1)));
      }
      return EstimateRows(plan);
    default: return EstimateRows(plan);
  }
}

double EstimateRows(const LogicalPlan& plan) {
  switch (plan.kind) {
    case LogicalKind::kScan: {
      if (auto rows = plan.source->EstimatedRows()) return static_cast<double>(*rows);
      const double width = 8.0 * std::max<size_t>(1, plan.source->schema().size());
      return std::max(1.0, static_cast<double>(plan.source->EstimatedBytes()) / width);
    }
    case LogicalKind::kValues: {
      double rows = 0;
      for (const auto& b : *plan.rows) rows += static_cast<double>(b.num_rows());
      return rows;
    }
    case LogicalKind::kCache:
      if (plan.cache->filled) {
        double rows = 0;
        for (const auto& p : plan.cache->partitions) {
          for (const auto& b : p) rows += static_cast<double>(b.num_rows());
        }
        return rows;
      }
      return EstimateRows(plan.child());
    case LogicalKind::kFilter: {
      const LogicalPlan& child = plan.child();
      const double share = child.kind == LogicalKind::kScan && child.source != nullptr
                               ? ScanSelectivity(*plan.predicate, child)
                               : Selectivity(*plan.predicate);
      return EstimateRows(child) * share;
    }
    case LogicalKind::kAggregate:
      if (plan.exprs.empty()) return 1;
      return std::max(1.0, EstimateRows(plan.child()) * 0.1);
    case LogicalKind::kDistinct: return std::max(1.0, EstimateRows(plan.child()) * 0.5);
    case LogicalKind::kLimit: {
      const double child = EstimateRows(plan.child());
      return plan.limit >= 0 ? std::min(child, static_cast<double>(plan.limit)) : child;
    }
    case LogicalKind::kUnion: {
      double rows = 0;
      for (const auto& c : plan.children) rows += EstimateRows(*c);
      return rows;
    }
    case LogicalKind::kJoin: {
      const double l = EstimateRows(plan.child(0));
      const double r = EstimateRows(plan.child(1));
      const int nleft = static_cast<int>(plan.child(0).schema.size());
      switch (plan.join_kind) {
        case JoinKind::kCross: return l * r;
        case JoinKind::kInner: {
          if (!HasColumnEquality(*plan.predicate, nleft)) return l * r * 0.3;
          // Key/foreign key: the side with more rows before filters holds the foreign key,
          // and keeps the share of rows that the filters on the other (the key's) side keep.
          const double lu = UnfilteredRows(plan.child(0));
          const double ru = UnfilteredRows(plan.child(1));
          return lu >= ru ? l * std::min(1.0, r / std::max(1.0, ru))
                          : r * std::min(1.0, l / std::max(1.0, lu));
        }
        case JoinKind::kLeft: return std::max(l, r);
        case JoinKind::kRight: return std::max(l, r);
        case JoinKind::kFull: return l + r;
        case JoinKind::kSemi:
        case JoinKind::kAnti: return l * 0.5;
        case JoinKind::kAsof:
        case JoinKind::kAsofLeft: return l;  // at most one right row per left row
      }
      return l;
    }
    default: return plan.children.empty() ? 1 : EstimateRows(plan.child());
  }
}

}  // namespace sluice::opt
