#include "optimizer/plan_rewrite.h"

#include "common/error.h"

namespace sluice::opt {

void SplitConjuncts(const ExprPtr& e, std::vector<ExprPtr>& out) {
  if (e->kind == ExprKind::kAnd) {
    for (const auto& a : e->args) SplitConjuncts(a, out);
    return;
  }
  out.push_back(e);
}

ExprPtr Conjunction(const std::vector<ExprPtr>& parts) {
  if (parts.empty()) return nullptr;
  if (parts.size() == 1) return parts[0];
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kAnd;
  e->type = TypeId::kBoolean;
  e->args = parts;
  e->bound = true;
  return e;
}

ExprPtr BoolLiteral(bool value) {
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kLiteral;
  e->value = Value::Boolean(value);
  e->type = TypeId::kBoolean;
  e->bound = true;
  return e;
}

bool IsBoolLiteral(const Expr& e, bool value) {
  return e.kind == ExprKind::kLiteral && !e.value.is_null() &&
         e.value.type().id() == TypeId::kBoolean && e.value.GetBool() == value;
}

bool IsNullLiteral(const Expr& e) { return e.kind == ExprKind::kLiteral && e.value.is_null(); }

ExprPtr SubstituteColumns(const ExprPtr& e, const std::vector<ExprPtr>& replacement) {
  if (e->kind == ExprKind::kColumnRef) {
    SLUICE_CHECK(e->column_index >= 0 && e->column_index < static_cast<int>(replacement.size()),
                 "column {} out of range {}", e->column_index, replacement.size());
    ExprPtr r = replacement[e->column_index];
    if (r->alias.empty()) return r;
    auto copy = std::make_shared<Expr>(*r);
    copy->alias.clear();
    return copy;
  }
  if (e->args.empty()) return e;
  auto copy = std::make_shared<Expr>(*e);
  for (auto& a : copy->args) a = SubstituteColumns(a, replacement);
  return copy;
}

void AddColumnsOf(const Expr& e, std::set<int>& out) {
  if (e.kind == ExprKind::kColumnRef) out.insert(e.column_index);
  for (const auto& a : e.args) AddColumnsOf(*a, out);
}

std::set<int> ColumnsOf(const Expr& e) {
  std::set<int> out;
  AddColumnsOf(e, out);
  return out;
}

bool IsVolatile(const Expr& e) {
  if (e.kind == ExprKind::kCall &&
      (e.name == "random" || e.name == "uuid" || e.name == "gen_random_uuid" ||
       e.name == "nextval" || e.name == "setseed")) {
    return true;
  }
  for (const auto& a : e.args) {
    if (IsVolatile(*a)) return true;
  }
  return false;
}

namespace {
std::shared_ptr<LogicalPlan> NewNode(LogicalKind kind, std::vector<LogicalPlanPtr> children) {
  auto node = std::make_shared<LogicalPlan>();
  node->kind = kind;
  node->children = std::move(children);
  return node;
}
}  // namespace

LogicalPlanPtr NewFilter(LogicalPlanPtr child, ExprPtr predicate) {
  auto node = NewNode(LogicalKind::kFilter, {child});
  node->schema = child->schema;
  node->predicate = std::move(predicate);
  return node;
}

LogicalPlanPtr NewProject(LogicalPlanPtr child, std::vector<ExprPtr> exprs, Schema schema) {
  auto node = NewNode(LogicalKind::kProject, {std::move(child)});
  node->exprs = std::move(exprs);
  node->schema = std::move(schema);
  return node;
}

LogicalPlanPtr NewSelect(LogicalPlanPtr child, const std::vector<int>& indices) {
  std::vector<ExprPtr> exprs;
  Schema schema;
  for (int i : indices) {
    exprs.push_back(BoundColumnRef(child->schema, i));
    schema.Add(child->schema.field(i));
  }
  return NewProject(std::move(child), std::move(exprs), std::move(schema));
}

LogicalPlanPtr NewJoin(LogicalPlanPtr left, LogicalPlanPtr right, JoinKind kind,
                       ExprPtr predicate) {
  if (!predicate && kind != JoinKind::kInner && kind != JoinKind::kCross) {
    predicate = BoolLiteral(true);
  }
  if (kind == JoinKind::kInner && !predicate) kind = JoinKind::kCross;
  auto node = NewNode(LogicalKind::kJoin, {left, right});
  node->join_kind = kind;
  node->predicate = std::move(predicate);
  node->schema = left->schema;
  if (kind == JoinKind::kSemi || kind == JoinKind::kAnti) return node;
  const size_t nleft = left->schema.size();
  for (const auto& f : right->schema.fields()) node->schema.Add(f);
  auto& fields = node->schema.mutable_fields();
  for (size_t i = 0; i < fields.size(); i++) {
    const bool left_side = i < nleft;
    if ((left_side && (kind == JoinKind::kRight || kind == JoinKind::kFull)) ||
        (!left_side && (kind == JoinKind::kLeft || kind == JoinKind::kFull ||
                        kind == JoinKind::kAsofLeft))) {
      fields[i].nullable = true;
    }
  }
  return node;
}

LogicalPlanPtr WithChildren(const LogicalPlan& node, std::vector<LogicalPlanPtr> children) {
  auto copy = std::make_shared<LogicalPlan>(node);
  copy->children = std::move(children);
  return copy;
}

}  // namespace sluice::opt
