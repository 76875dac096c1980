#include "exec/filter_project.h"

#include <vector>

#include "common/strings.h"
#include "exec/exec_context.h"
#include "expr/evaluator.h"

namespace sluice {

namespace {

class FilterStream : public BatchStream {
 public:
  FilterStream(std::unique_ptr<BatchStream> input, const Expr* predicate)
      : input_(std::move(input)), predicate_(predicate), sel_(kBatchSize) {}

  bool Next(Batch* out) override {
    Batch batch;
    while (input_->Next(&batch)) {
      if (sel_.size() < batch.num_rows()) sel_.resize(batch.num_rows());
      const size_t n = EvaluateFilter(*predicate_, batch, sel_.data());
      if (n == 0) continue;
      *out = n == batch.num_rows() ? std::move(batch) : batch.Gather(sel_.data(), n);
      return true;
    }
    return false;
  }

 private:
  std::unique_ptr<BatchStream> input_;
  const Expr* predicate_;
  std::vector<uint32_t> sel_;
};

class ProjectStream : public BatchStream {
 public:
  ProjectStream(std::unique_ptr<BatchStream> input, const std::vector<ExprPtr>* exprs)
      : input_(std::move(input)), exprs_(exprs) {}

  bool Next(Batch* out) override {
    Batch batch;
    if (!input_->Next(&batch)) return false;
    std::vector<ColumnPtr> columns;
    columns.reserve(exprs_->size());
    for (const auto& e : *exprs_) columns.push_back(Evaluate(*e, batch));
    *out = Batch(std::move(columns), batch.num_rows());
    return true;
  }

 private:
  std::unique_ptr<BatchStream> input_;
  const std::vector<ExprPtr>* exprs_;
};

}  // namespace

Filter::Filter(PhysicalOperatorPtr child, ExprPtr predicate)
    : PhysicalOperator(std::move(child)), predicate_(std::move(predicate)) {}

std::unique_ptr<BatchStream> Filter::Execute(int partition, ExecContext& ctx) const {
  return std::make_unique<FilterStream>(ctx.Execute(child(), partition), predicate_.get());
}

Project::Project(PhysicalOperatorPtr child, std::vector<ExprPtr> exprs, Schema schema)
    : PhysicalOperator(std::move(schema), std::move(child)), exprs_(std::move(exprs)) {}

std::string Project::details() const {
  std::vector<std::string> parts;
  for (const auto& e : exprs_) parts.push_back(e->ToString());
  return Join(parts, ", ");
}

namespace {

int IntegerWidth(TypeId id) {
  switch (id) {
    case TypeId::kTinyInt: return 1;
    case TypeId::kSmallInt: return 2;
    case TypeId::kInteger: return 4;
    case TypeId::kBigInt: return 8;
    default: return 0;
  }
}

// Whether `e` is column `key` itself, or that column widened from one integer type to a
// wider one: both hash functions hash every integer as its 64-bit value, so the widened
// column places rows exactly as the column does.
bool PassesThrough(const Expr& e, int key) {
  if (e.kind == ExprKind::kColumnRef) return e.column_index == key;
  if (e.kind != ExprKind::kCast || e.args.size() != 1) return false;
  const Expr& from = *e.args[0];
  const int from_width = IntegerWidth(from.type.id());
  return from.kind == ExprKind::kColumnRef && from.column_index == key && from_width > 0 &&
         IntegerWidth(e.type.id()) >= from_width;
}

}  // namespace

Partitioning Project::output_partitioning() const {
  Partitioning p = child().output_partitioning();
  if (p.kind != Partitioning::Kind::kHash) return p;
  // Hash keys survive when every key column is passed through; renumber them. The last
  // column passing a key through names it: a join appends its keys cast to their common type
  // after the columns (plan_util.h EnsureColumns), and those are the keys it asks about.
  std::vector<int> keys;
  for (int key : p.keys) {
    int found = -1;
    for (size_t i = 0; i < exprs_.size(); i++) {
      if (PassesThrough(*exprs_[i], key)) found = static_cast<int>(i);
    }
    if (found < 0) return Partitioning::Unknown(p.num_partitions);
    keys.push_back(found);
  }
  return Partitioning::Hash(std::move(keys), p.num_partitions, p.hash);
}

std::unique_ptr<BatchStream> Project::Execute(int partition, ExecContext& ctx) const {
  return std::make_unique<ProjectStream>(ctx.Execute(child(), partition), &exprs_);
}

}  // namespace sluice
