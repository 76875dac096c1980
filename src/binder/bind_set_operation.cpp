// UNION, INTERSECT and EXCEPT, [ALL]. INTERSECT and EXCEPT compare rows as GROUP BY does
// (NULL equals NULL, as in DuckDB and the SQL standard's "not distinct"), so they are planned
// as an aggregate over both sides tagged with their side, not as a join on `=`.
#include <fmt/format.h>

#include "binder/sql_binder.h"

namespace sluice {

namespace {

constexpr const char* kSide = "#side";
constexpr const char* kCopy = "#copy";

std::string ColumnName(size_t i) { return fmt::format("#s{}", i); }

std::vector<ExprPtr> ValueColumns(size_t n) {
  std::vector<ExprPtr> cols;
  for (size_t i = 0; i < n; i++) cols.push_back(Col(ColumnName(i)));
  return cols;
}

// One side of INTERSECT / EXCEPT: its columns renamed "#s<i>", then "#side" (0 left, 1 right)
// and, for ALL, "#copy": the number of the row among its equal rows on that side (1, 2, ...),
// so that the k-th copy of a row on the left meets the k-th copy on the right.
LogicalPlanPtr TagSide(const LogicalPlanPtr& side, int tag, bool all) {
  const size_t n = side->schema.size();
  LogicalPlanPtr plan = sql_bind::WithFields(side, [](Field& f, size_t i) {
    f.name = ColumnName(i);
    f.qualifier.clear();
  });
  std::vector<ExprPtr> exprs = ValueColumns(n);
  if (all) {
    WindowSpec spec;
    spec.partition_by = ValueColumns(n);
    plan = MakeWindow(plan, {Alias(WindowCall("row_number", {}, spec), kCopy)});
    exprs.push_back(Col(kCopy));
  } else {
    plan = MakeDistinct(plan);
  }
  exprs.push_back(Alias(Lit(Value::Integer(tag)), kSide));
  return MakeProject(plan, exprs);
}

}  // namespace

LogicalPlanPtr SqlBinder::BindSetOperation(const sql::SetOperationNode& node,
                                           const BindScope* outer) {
  LogicalPlanPtr left = BindQuery(*node.left, outer);
  LogicalPlanPtr right = BindQuery(*node.right, outer);
  if (left->schema.size() != right->schema.size()) {
    ThrowBind(node, fmt::format("Set operations can only apply to expressions with the same number "
                                "of result columns ({} vs {})",
                                left->schema.size(), right->schema.size()));
  }
  if (node.op == sql::SetOpType::kUnion) {
    LogicalPlanPtr plan = At(node, [&] { return MakeUnion(left, right); });
    return node.all ? plan : MakeDistinct(plan);
  }
  // Rows (with their copy number under ALL) of both sides, grouped: a group that holds the
  // left side and the right side is in INTERSECT; one that holds only the left is in EXCEPT.
  const Schema names = left->schema;
  const size_t n = names.size();
  LogicalPlanPtr both = At(node, [&] {
    return MakeUnion(TagSide(left, 0, node.all), TagSide(right, 1, node.all));
  });
  std::vector<ExprPtr> groups = ValueColumns(n);
  if (node.all) groups.push_back(Col(kCopy));
  LogicalPlanPtr grouped = MakeAggregate(
      both, groups,
      {Alias(Aggregate("min", {Col(kSide)}), "#min_side"),
       Alias(Aggregate("max", {Col(kSide)}), "#max_side")});
  ExprPtr keep =
      node.op == sql::SetOpType::kIntersect
          ? And({Call("=", {Col("#min_side"), Lit(Value::Integer(0))}),
                 Call("=", {Col("#max_side"), Lit(Value::Integer(1))})})
          : Call("=", {Col("#max_side"), Lit(Value::Integer(0))});
  LogicalPlanPtr plan = MakeProject(MakeFilter(grouped, keep), ValueColumns(n));
  return sql_bind::WithFields(plan, [&](Field& f, size_t i) {
    f.name = names.field(i).name;
    f.qualifier.clear();
  });
}

}  // namespace sluice
