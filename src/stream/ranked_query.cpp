#include "stream/ranked_query.h"

#include <fmt/format.h>

#include "api/dataframe.h"
#include "binder/sql_binder.h"
#include "common/error.h"
#include "common/strings.h"
#include "expr/expr.h"

namespace sluice::stream {

namespace {

constexpr const char* kShape =
    "deduplication and Top-N in a streaming job take the form SELECT ... FROM (SELECT *, "
    "ROW_NUMBER() OVER (PARTITION BY k ORDER BY <the WATERMARK column>) AS rn FROM source) "
    "WHERE rn = 1 (or rn <= n): ranked by event time ascending, a row's rank never changes "
    "(keep-last and other window functions need a changelog, not built yet)";

bool HasWindow(const LogicalPlan& plan) {
  if (plan.kind == LogicalKind::kWindow) return true;
  for (const auto& child : plan.children) {
    if (HasWindow(*child)) return true;
  }
  return false;
}

// Every window call ranks by the time column ascending (ROW_NUMBER, RANK or DENSE_RANK).
void CheckWindows(const LogicalPlan& plan, const std::string& time_column) {
  if (plan.kind == LogicalKind::kWindow) {
    const Schema& input = plan.children[0]->schema;
    for (const ExprPtr& call : plan.exprs) {
      const std::string name = ToLower(call->name);
      const bool ranking = name == "row_number" || name == "rank" || name == "dense_rank";
      const auto& order = call->window ? call->window->order_by : std::vector<WindowOrder>{};
      if (!ranking || order.empty() || !order[0].ascending ||
          order[0].expr->kind != ExprKind::kColumnRef || order[0].expr->column_index < 0 ||
          ToLower(input.field(static_cast<size_t>(order[0].expr->column_index)).name) !=
              ToLower(time_column)) {
        throw NotImplementedError(kShape);
      }
    }
  }
  for (const auto& child : plan.children) CheckWindows(*child, time_column);
}

// The rank limit of `where` (rn = 1, rn <= n, rn < n) and the rank column's name.
std::optional<std::pair<std::string, int64_t>> RankFilter(const sql::Expr* where) {
  if (where == nullptr || where->kind != sql::ExprKind::kBinary) return std::nullopt;
  const auto& b = where->As<sql::BinaryExpr>();
  if (b.left->kind != sql::ExprKind::kColumnRef || b.right->kind != sql::ExprKind::kConstant) {
    return std::nullopt;
  }
  const auto& constant = b.right->As<sql::ConstantExpr>();
  if (constant.type != sql::ConstantType::kInteger) return std::nullopt;
  const int64_t n = std::stoll(constant.value);
  const std::string column = b.left->As<sql::ColumnRefExpr>().parts.back();
  if (b.op == sql::BinaryOp::kEqual && n == 1) return std::make_pair(column, int64_t{1});
  if (b.op == sql::BinaryOp::kLessEqual && n >= 1) return std::make_pair(column, n);
  if (b.op == sql::BinaryOp::kLess && n >= 2) return std::make_pair(column, n - 1);
  return std::nullopt;
}

}  // namespace

std::optional<RankedQuery> RankedQuery::Analyze(const sql::SelectNode& select,
                                                const LogicalPlan& plan,
                                                const SourceDefinition& source) {
  if (!HasWindow(plan)) return std::nullopt;
  if (source.watermark_column.empty()) {
    throw InvalidInputError(fmt::format(
        "a streaming job with ROW_NUMBER() ranks by event time: table {} declares no WATERMARK",
        source.name));
  }
  CheckWindows(plan, source.watermark_column);
  const auto filter = RankFilter(select.where.get());
  if (!filter || select.from == nullptr || select.from->kind != sql::TableRefKind::kSubquery) {
    throw NotImplementedError(kShape);
  }
  if (plan.schema.Find(source.watermark_column) < 0) {
    throw InvalidInputError(fmt::format(
        "a deduplicating or Top-N streaming job selects the time column {}, which says when a "
        "row is final",
        source.watermark_column));
  }
  return RankedQuery(select.from->query.get(), filter->first, filter->second, source);
}

std::vector<Batch> RankedQuery::Keep(Session& session, const std::string& job_sql,
                                     const std::vector<Batch>& final_rows) const {
  if (final_rows.empty()) return {};
  session.RegisterView(source_.name, DataFrame(&session, MakeValues(source_.schema, final_rows)),
                       true);
  SqlBinder binder(session, job_sql);
  LogicalPlanPtr plan = binder.BindQuery(*inner_);
  const int rank = plan->schema.Find(rank_column_);
  std::vector<ExprPtr> columns;
  for (size_t c = 0; c < source_.schema.size(); c++) {
    const int index = plan->schema.Find(source_.schema.field(c).name);
    if (rank < 0 || index < 0) throw NotImplementedError(kShape);
    columns.push_back(BoundColumnRef(plan->schema, index));
  }
  plan = MakeFilter(plan, Call("<=", {BoundColumnRef(plan->schema, rank), Lit(Value::BigInt(limit_))}));
  plan = MakeProject(plan, columns);
  std::vector<Batch> out;
  for (Batch& batch : session.Execute(*plan)) {
    if (batch.num_rows() > 0) out.push_back(std::move(batch));
  }
  return out;
}

}  // namespace sluice::stream
