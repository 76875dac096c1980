#include "physical/plan_salted_aggregate.h"

#include <fmt/format.h>

#include "exec/exchange.h"
#include "exec/filter_project.h"
#include "exec/hash_aggregate.h"
#include "expr/aggregate_function.h"
#include "expr/binder.h"
#include "physical/plan_util.h"

namespace sluice {

PhysicalOperatorPtr PlanSaltedDistinctAggregate(PhysicalOperatorPtr& child,
                                                const std::vector<ExprPtr>& groups,
                                                const std::vector<ExprPtr>& aggs,
                                                const Schema& schema, int buckets,
                                                int partitions) {
  if (groups.empty() || aggs.empty() || buckets < 2) return nullptr;
  int arg_column = -1;
  for (const auto& a : aggs) {
    if (a->name != "count" || !a->distinct || a->args.size() != 1 ||
        a->args[0]->kind != ExprKind::kColumnRef) {
      return nullptr;
    }
    if (arg_column >= 0 && a->args[0]->column_index != arg_column) return nullptr;
    arg_column = a->args[0]->column_index;
  }

  // Stage 1: count(DISTINCT x) per (keys, salt).
  const Schema& input = child->schema();
  ExprPtr salt = BindExpression(
      Call("%", {Call("hash", {BoundColumnRef(input, arg_column)}),
                 Lit(Value::BigInt(buckets))}),
      input);
  const int salt_column = EnsureColumns(child, {salt})[0];
  std::vector<ExprPtr> salted_groups = groups;
  salted_groups.push_back(BoundColumnRef(child->schema(), salt_column));
  std::vector<int> salted_keys;
  Schema counts_schema;
  for (const auto& g : salted_groups) {
    salted_keys.push_back(g->column_index);
    counts_schema.Add(Field{g->OutputName(), g->type, true, ""});
  }
  for (size_t i = 0; i < aggs.size(); i++) {
    counts_schema.Add(Field{fmt::format("__distinct_{}", i), aggs[i]->type, true, ""});
  }
  PhysicalOperatorPtr shuffled = std::make_unique<Exchange>(
      std::move(child), Partitioning::Hash(salted_keys, partitions));
  PhysicalOperatorPtr counts = std::make_unique<HashAggregate>(
      std::move(shuffled), salted_groups, aggs, AggregateMode::kSingle, counts_schema);

  // Stage 2: sum the counts per key (decomposable: partial, exchange, final).
  const size_t g = groups.size();
  std::vector<ExprPtr> key_refs;
  std::vector<int> key_columns;
  for (size_t i = 0; i < g; i++) {
    key_refs.push_back(BoundColumnRef(counts_schema, static_cast<int>(i)));
    key_columns.push_back(static_cast<int>(i));
  }
  std::vector<ExprPtr> sums;
  for (size_t i = 0; i < aggs.size(); i++) {
    sums.push_back(BindExpression(
        Aggregate("sum", {BoundColumnRef(counts_schema, static_cast<int>(g + 1 + i))}),
        counts_schema));
  }
  Schema partial_schema;
  Schema sum_schema;
  for (const auto& k : key_refs) {
    partial_schema.Add(Field{k->OutputName(), k->type, true, ""});
    sum_schema.Add(Field{k->OutputName(), k->type, true, ""});
  }
  for (size_t i = 0; i < sums.size(); i++) {
    const auto types = sums[i]->aggregate->state_types();
    for (size_t j = 0; j < types.size(); j++) {
      partial_schema.Add(Field{fmt::format("__state_{}_{}", i, j), types[j], true, ""});
    }
    sum_schema.Add(Field{fmt::format("__sum_{}", i), sums[i]->type, true, ""});
  }
  auto partial = std::make_unique<HashAggregate>(std::move(counts), key_refs, sums,
                                                 AggregateMode::kPartial, partial_schema);
  PhysicalOperatorPtr regrouped = std::make_unique<Exchange>(
      std::move(partial), Partitioning::Hash(key_columns, partitions));
  PhysicalOperatorPtr summed = std::make_unique<HashAggregate>(
      std::move(regrouped), key_refs, sums, AggregateMode::kFinal, sum_schema);

  // Back to the aggregate's own output types (count is BIGINT; a sum may be wider).
  std::vector<ExprPtr> out;
  for (size_t i = 0; i < schema.size(); i++) {
    out.push_back(CastIfNeeded(BoundColumnRef(sum_schema, static_cast<int>(i)),
                               schema.field(i).type));
  }
  return std::make_unique<Project>(std::move(summed), std::move(out), schema);
}

}  // namespace sluice
