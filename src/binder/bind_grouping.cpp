// GROUP BY ROLLUP / CUBE / GROUPING SETS as a UNION ALL of one aggregate per grouping set.
#include <algorithm>

#include <fmt/format.h>

#include "binder/sql_binder.h"
#include "expr/binder.h"

namespace sluice::sql_bind {

std::vector<std::vector<size_t>> ExpandGroupingElement(sql::GroupingKind kind,
                                                        const std::vector<std::vector<size_t>>& lists) {
  std::vector<std::vector<size_t>> sets;
  switch (kind) {
    case sql::GroupingKind::kExpr:
    case sql::GroupingKind::kGroupingSets: return lists;
    case sql::GroupingKind::kRollup: {
      const std::vector<size_t>& ids = lists.at(0);
      for (size_t k = ids.size() + 1; k-- > 0;) sets.emplace_back(ids.begin(), ids.begin() + k);
      return sets;
    }
    case sql::GroupingKind::kCube: {
      const std::vector<size_t>& ids = lists.at(0);
      if (ids.size() > 12) throw BindError("CUBE supports at most 12 expressions");
      // Largest sets first; bit i set keeps ids[i].
      const size_t all = (size_t{1} << ids.size()) - 1;
      for (size_t mask = all + 1; mask-- > 0;) {
        std::vector<size_t> set;
        for (size_t i = 0; i < ids.size(); i++) {
          if ((mask >> (ids.size() - 1 - i)) & 1) set.push_back(ids[i]);
        }
        sets.push_back(std::move(set));
      }
      return sets;
    }
  }
  return sets;
}

std::vector<std::vector<size_t>> CrossGroupingSets(const std::vector<std::vector<size_t>>& left,
                                                   const std::vector<std::vector<size_t>>& right) {
  std::vector<std::vector<size_t>> out;
  for (const auto& l : left) {
    for (const auto& r : right) {
      std::vector<size_t> set = l;
      for (size_t id : r) {
        if (std::find(set.begin(), set.end(), id) == set.end()) set.push_back(id);
      }
      out.push_back(std::move(set));
    }
  }
  if (out.size() > 4096) throw BindError("too many grouping sets (more than 4096)");
  return out;
}

LogicalPlanPtr MakeGroupingSets(const LogicalPlanPtr& child, const std::vector<ExprPtr>& groups,
                                const std::vector<ExprPtr>& aggregates,
                                const std::vector<std::vector<size_t>>& sets,
                                const std::vector<std::vector<size_t>>& grouping_calls) {
  std::vector<LogicalType> types;
  for (const auto& g : groups) types.push_back(BindExpression(g, child->schema)->type);
  LogicalPlanPtr result;
  for (const auto& set : sets) {
    std::vector<bool> present(groups.size(), false);
    std::vector<ExprPtr> set_groups;
    for (size_t id : set) {
      present[id] = true;
      set_groups.push_back(groups[id]);
    }
    LogicalPlanPtr aggregate = MakeAggregate(child, set_groups, aggregates);
    std::vector<ExprPtr> columns;
    for (size_t i = 0; i < groups.size(); i++) {
      const std::string name = fmt::format("#g{}", i);
      columns.push_back(present[i] ? Col(name) : Alias(Lit(Value::Null(types[i])), name));
    }
    for (size_t j = 0; j < aggregates.size(); j++) columns.push_back(Col(fmt::format("#a{}", j)));
    for (size_t k = 0; k < grouping_calls.size(); k++) {
      // GROUPING(a, b, ...): one bit per argument, the first the most significant, set when
      // the argument is not grouped in this set.
      int64_t bits = 0;
      for (size_t id : grouping_calls[k]) bits = bits * 2 + (present[id] ? 0 : 1);
      columns.push_back(Alias(Lit(Value::BigInt(bits)), fmt::format("#q{}", k)));
    }
    LogicalPlanPtr projected = MakeProject(aggregate, columns);
    result = result ? MakeUnion(result, projected) : projected;
  }
  return result;
}

}  // namespace sluice::sql_bind
