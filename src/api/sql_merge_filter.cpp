#include "api/sql_merge_filter.h"

#include "api/dataframe.h"
#include "api/session.h"
#include "common/strings.h"
#include "optimizer/plan_rewrite.h"
#include "plan/logical_plan.h"

namespace sluice {

namespace {


// True when `e` is computed from target columns and constants only, without functions whose
// value changes between evaluations (a filter evaluated once per target row must agree with
// the condition evaluated per pair).
bool ReadsOnlyTarget(const Expr& e, const std::string& target) {
  switch (e.kind) {
    case ExprKind::kColumnRef: return EqualsIgnoreCase(e.qualifier, target);
    case ExprKind::kLiteral: return true;
    case ExprKind::kCall:
      if (opt::IsVolatile(e)) return false;
      break;
    case ExprKind::kCast:
    case ExprKind::kAnd:
    case ExprKind::kOr:
    case ExprKind::kNot:
    case ExprKind::kIsNull:
    case ExprKind::kIsNotNull:
    case ExprKind::kIn:
    case ExprKind::kCase:
    case ExprKind::kCoalesce: break;
    default: return false;
  }
  for (const auto& a : e.args) {
    if (!ReadsOnlyTarget(*a, target)) return false;
  }
  return true;
}

bool IsColumnOf(const Expr& e, const std::string& qualifier) {
  return e.kind == ExprKind::kColumnRef && EqualsIgnoreCase(e.qualifier, qualifier);
}

// A source key column whose min and max bound every value equal to it: not floating point
// (NaN compares unlike its order) and not nested.
bool HasRangeOrder(const Schema& schema, const Expr& column) {
  const int i = schema.Find(column.name, column.qualifier);
  if (i < 0) return false;
  const LogicalType& type = schema.field(i).type;
  return type.IsInteger() || type.id() == TypeId::kVarchar || type.id() == TypeId::kDate ||
         type.id() == TypeId::kTimestamp || type.id() == TypeId::kDecimal;
}

}  // namespace

ExprPtr MergeTargetFilter(Session& session, const ExprPtr& condition,
                          const std::string& target_qualifier, const LogicalPlanPtr& source) {
  const Schema& source_schema = source->schema;
  if (condition == nullptr || source_schema.size() == 0) return nullptr;
  const std::string& source_qualifier = source_schema.field(0).qualifier;
  if (EqualsIgnoreCase(source_qualifier, target_qualifier)) return nullptr;
  std::vector<ExprPtr> conjuncts, filter;
  opt::SplitConjuncts(condition, conjuncts);
  // Equalities target.k = source.k: (target column, source column).
  std::vector<std::pair<ExprPtr, ExprPtr>> keys;
  for (const auto& c : conjuncts) {
    if (ReadsOnlyTarget(*c, target_qualifier)) {
      filter.push_back(c);
    } else if (c->kind == ExprKind::kCall && c->name == "=" && c->args.size() == 2) {
      const ExprPtr& a = c->args[0];
      const ExprPtr& b = c->args[1];
      if (IsColumnOf(*a, target_qualifier) && IsColumnOf(*b, source_qualifier) &&
          HasRangeOrder(source_schema, *b)) {
        keys.emplace_back(a, b);
      }
      if (IsColumnOf(*b, target_qualifier) && IsColumnOf(*a, source_qualifier) &&
          HasRangeOrder(source_schema, *a)) {
        keys.emplace_back(b, a);
      }
    }
  }
  if (!keys.empty()) {
    std::vector<ExprPtr> bounds;
    for (const auto& [t, s] : keys) {
      bounds.push_back(Alias(Min(s), "#min" + std::to_string(bounds.size())));
      bounds.push_back(Alias(Max(s), "#max" + std::to_string(bounds.size())));
    }
    const std::vector<Batch> result =
        session.Execute(*MakeAggregate(source, {}, bounds));
    for (size_t k = 0; k < keys.size(); k++) {
      if (result.empty() || result[0].num_rows() == 0) break;
      const Value lo = result.at(0).column(2 * k)->GetValue(0);
      const Value hi = result.at(0).column(2 * k + 1)->GetValue(0);
      if (lo.is_null() || hi.is_null()) {
        // No source row has a key: no pair can form.
        filter.push_back(Lit(Value::Boolean(false)));
        break;
      }
      filter.push_back(Ge(keys[k].first, Lit(lo)));
      filter.push_back(Le(keys[k].first, Lit(hi)));
    }
  }
  if (filter.empty()) return nullptr;
  return filter.size() == 1 ? filter[0] : And(filter);
}

}  // namespace sluice
