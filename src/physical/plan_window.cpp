#include "physical/plan_window.h"

#include <fmt/format.h>

#include "common/error.h"
#include "exec/exchange.h"
#include "exec/filter_project.h"
#include "exec/window.h"
#include "expr/evaluator.h"
#include "physical/plan_util.h"

namespace sluice {

namespace {

// A structural key of a bound expression (column references by index), to group calls
// with the same window.
std::string BoundKey(const Expr& e) {
  std::string key = fmt::format("{}:{}:{}:{}:{}(", static_cast<int>(e.kind), e.name,
                                e.column_index, e.type.ToString(),
                                e.kind == ExprKind::kLiteral ? e.value.ToSqlLiteral() : "");
  for (const auto& a : e.args) key += BoundKey(*a) + ",";
  return key + ")";
}

std::string SpecKey(const WindowSpec& spec) {
  std::string key = "P";
  for (const auto& p : spec.partition_by) key += BoundKey(*p) + ";";
  key += "O";
  for (const auto& o : spec.order_by) {
    key += BoundKey(*o.expr) + (o.ascending ? "a" : "d") + (o.nulls_first ? "f" : "l") + ";";
  }
  return key;
}

double FrameOffset(const WindowBound& bound, WindowFrameUnit unit) {
  if (!bound.offset) return 0;
  const Value v = EvaluateConstant(*bound.offset);
  if (v.is_null() || !v.type().IsNumeric()) {
    throw InvalidInputError(fmt::format("window frame offset {} must be a non-NULL number",
                                        bound.offset->ToString()));
  }
  const double d = v.CastTo(TypeId::kDouble).GetDouble();
  if (d < 0) throw InvalidInputError("window frame offsets must not be negative");
  if (unit != WindowFrameUnit::kRange && !v.type().IsInteger()) {
    throw InvalidInputError("ROWS and GROUPS frame offsets must be integers");
  }
  return d;
}

// The physical form of a bound window call whose arguments are the given child columns.
WindowFunction MakeFunction(const Expr& call, std::vector<int> args) {
  WindowFunction fn;
  fn.kind = *WindowFunctionKindOf(call.name);
  fn.args = std::move(args);
  fn.aggregate = call.aggregate;
  fn.type = call.type;
  fn.text = call.ToString();
  const WindowSpec& spec = *call.window;
  if (spec.has_frame) {
    fn.unit = spec.unit;
    fn.start = spec.start.kind;
    fn.end = spec.end.kind;
    fn.start_offset = FrameOffset(spec.start, spec.unit);
    fn.end_offset = FrameOffset(spec.end, spec.unit);
    if (fn.start == WindowBoundKind::kUnboundedFollowing ||
        fn.end == WindowBoundKind::kUnboundedPreceding) {
      throw InvalidInputError("window frame cannot start at UNBOUNDED FOLLOWING or end at "
                              "UNBOUNDED PRECEDING");
    }
    const bool offsets = fn.start == WindowBoundKind::kPreceding ||
                         fn.start == WindowBoundKind::kFollowing ||
                         fn.end == WindowBoundKind::kPreceding ||
                         fn.end == WindowBoundKind::kFollowing;
    if (fn.unit == WindowFrameUnit::kRange && offsets && spec.order_by.size() != 1) {
      throw InvalidInputError("RANGE frames with an offset need exactly one ORDER BY expression");
    }
  } else if (!spec.order_by.empty()) {
    fn.unit = WindowFrameUnit::kRange;
    fn.start = WindowBoundKind::kUnboundedPreceding;
    fn.end = WindowBoundKind::kCurrentRow;
  } else {
    fn.unit = WindowFrameUnit::kRows;
    fn.start = WindowBoundKind::kUnboundedPreceding;
    fn.end = WindowBoundKind::kUnboundedFollowing;
  }
  return fn;
}

PhysicalOperatorPtr PartitionedBy(PhysicalOperatorPtr op, const std::vector<int>& keys, int n) {
  const Partitioning current = op->output_partitioning();
  if (keys.empty()) {
    if (op->num_partitions() == 1) return op;
    return std::make_unique<Exchange>(std::move(op), Partitioning::Single());
  }
  if (current.kind == Partitioning::Kind::kHash && current.keys == keys) return op;
  return std::make_unique<Exchange>(std::move(op), Partitioning::Hash(keys, n));
}

}  // namespace

PhysicalOperatorPtr PlanWindow(PhysicalOperatorPtr child, const LogicalPlan& plan,
                               int shuffle_partitions) {
  PhysicalOperatorPtr op = std::move(child);
  const size_t width = op->schema().size();
  const size_t count = plan.exprs.size();
  std::vector<int> result_column(count, -1);
  for (size_t first = 0; first < count; first++) {
    if (result_column[first] >= 0) continue;
    const std::string key = SpecKey(*plan.exprs[first]->window);
    std::vector<size_t> group;
    for (size_t j = first; j < count; j++) {
      if (result_column[j] < 0 && SpecKey(*plan.exprs[j]->window) == key) group.push_back(j);
    }
    const WindowSpec& spec = *plan.exprs[first]->window;
    // Every key and argument as a column, in one projection.
    std::vector<ExprPtr> needed = spec.partition_by;
    for (const auto& o : spec.order_by) needed.push_back(o.expr);
    for (size_t j : group) {
      for (const auto& a : plan.exprs[j]->args) needed.push_back(a);
    }
    const std::vector<int> columns = EnsureColumns(op, needed);
    size_t next = 0;
    std::vector<int> partition_keys;
    for (size_t i = 0; i < spec.partition_by.size(); i++) partition_keys.push_back(columns[next++]);
    std::vector<SortKey> order_keys;
    for (const auto& o : spec.order_by) {
      order_keys.push_back(SortKey{columns[next++], o.ascending, o.nulls_first});
    }
    std::vector<WindowFunction> functions;
    Schema schema = op->schema();
    for (size_t j : group) {
      const Expr& call = *plan.exprs[j];
      std::vector<int> args(columns.begin() + static_cast<long>(next),
                            columns.begin() + static_cast<long>(next + call.args.size()));
      next += call.args.size();
      functions.push_back(MakeFunction(call, std::move(args)));
      result_column[j] = static_cast<int>(schema.size());
      schema.Add(Field{fmt::format("#window{}", j), call.type, true, ""});
    }
    op = PartitionedBy(std::move(op), partition_keys, shuffle_partitions);
    op = std::make_unique<WindowOperator>(std::move(op), std::move(partition_keys),
                                          std::move(order_keys), std::move(functions),
                                          std::move(schema));
  }
  std::vector<ExprPtr> exprs;
  for (size_t i = 0; i < width; i++) exprs.push_back(BoundColumnRef(op->schema(), static_cast<int>(i)));
  for (size_t j = 0; j < count; j++) exprs.push_back(BoundColumnRef(op->schema(), result_column[j]));
  return std::make_unique<Project>(std::move(op), std::move(exprs), plan.schema);
}

}  // namespace sluice
