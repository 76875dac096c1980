#include "io/parquet_filters.h"

#include <optional>
#include <string>

namespace sluice {

namespace {

using Op = ParquetPredicate::Op;

// The column a (possibly widened) column reference names, or nullptr.
const Expr* ColumnOf(const Expr& e) {
  if (e.kind == ExprKind::kColumnRef && e.bound) return &e;
  // An integer column widened to a larger integer or DOUBLE keeps its order and equality;
  // the statistics check casts the constant back and gives up when that loses information.
  if (e.kind == ExprKind::kCast && !e.try_cast && e.args.size() == 1 &&
      e.args[0]->kind == ExprKind::kColumnRef && e.args[0]->bound &&
      e.args[0]->type.IsInteger() && (e.type.IsInteger() || e.type.id() == TypeId::kDouble)) {
    return e.args[0].get();
  }
  return nullptr;
}

std::optional<Op> ComparisonOp(const std::string& name, bool flipped) {
  if (name == "=" || name == "==") return Op::kEq;
  if (name == "<>" || name == "!=") return Op::kNe;
  if (name == "<") return flipped ? Op::kGt : Op::kLt;
  if (name == "<=") return flipped ? Op::kGe : Op::kLe;
  if (name == ">") return flipped ? Op::kLt : Op::kGt;
  if (name == ">=") return flipped ? Op::kLe : Op::kGe;
  return std::nullopt;
}

// The index of the only column `e` references, -1 if none, -2 if several.
int OnlyColumn(const Expr& e) {
  if (e.kind == ExprKind::kColumnRef) return e.column_index;
  int column = -1;
  for (const ExprPtr& a : e.args) {
    const int c = OnlyColumn(*a);
    if (c == -2 || (c >= 0 && column >= 0 && c != column)) return -2;
    if (c >= 0) column = c;
  }
  return column;
}

}  // namespace

std::vector<ParquetPredicate> ParquetPredicatesFromConjuncts(const std::vector<ExprPtr>& conjuncts,
                                                             const Schema& schema) {
  std::vector<ParquetPredicate> out;
  auto name_of = [&](const Expr* column) -> const std::string* {
    if (column->column_index < 0 || column->column_index >= static_cast<int>(schema.size())) {
      return nullptr;
    }
    return &schema.field(column->column_index).name;
  };
  for (const ExprPtr& c : conjuncts) {
    const Expr& e = *c;
    if ((e.kind == ExprKind::kIsNull || e.kind == ExprKind::kIsNotNull) && e.args.size() == 1) {
      const Expr* column = ColumnOf(*e.args[0]);
      const std::string* name = column ? name_of(column) : nullptr;
      if (name == nullptr) continue;
      ParquetPredicate p;
      p.column = *name;
      p.op = e.kind == ExprKind::kIsNull ? Op::kIsNull : Op::kIsNotNull;
      out.push_back(std::move(p));
      continue;
    }
    if (e.kind != ExprKind::kCall || e.args.size() != 2) continue;
    const Expr* column = ColumnOf(*e.args[0]);
    const Expr* literal = e.args[1].get();
    bool flipped = false;
    if (column == nullptr) {
      column = ColumnOf(*e.args[1]);
      literal = e.args[0].get();
      flipped = true;
    }
    if (column == nullptr || literal->kind != ExprKind::kLiteral || literal->value.is_null()) {
      continue;
    }
    const std::optional<Op> op = ComparisonOp(e.name, flipped);
    const std::string* name = name_of(column);
    if (!op || name == nullptr) continue;
    ParquetPredicate p;
    p.column = *name;
    p.op = *op;
    p.constant = literal->value;
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<ParquetRowFilter> ParquetRowFiltersFromConjuncts(const std::vector<ExprPtr>& conjuncts,
                                                             const Schema& schema) {
  std::vector<ParquetRowFilter> out;
  for (const ExprPtr& c : conjuncts) {
    if (ParquetPredicatesFromConjuncts({c}, schema).empty()) continue;
    const int column = OnlyColumn(*c);
    if (column >= 0 && column < static_cast<int>(schema.size())) out.push_back({column, c});
  }
  return out;
}

}  // namespace sluice
