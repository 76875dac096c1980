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

Partitioning Project::output_partitioning() const {
  Partitioning p = child().output_partitioning();
  if (p.kind != Partitioning::Kind::kHash) return p;
  // Hash keys survive when every key column is passed through; renumber them.
  std::vector<int> keys;
  for (int key : p.keys) {
    int found = -1;
    for (size_t i = 0; i < exprs_.size(); i++) {
      if (exprs_[i]->kind == ExprKind::kColumnRef && exprs_[i]->column_index == key) {
        found = static_cast<int>(i);
        break;
      }
    }
    if (found < 0) return Partitioning::Unknown(p.num_partitions);
    keys.push_back(found);
  }
  return Partitioning::Hash(std::move(keys), p.num_partitions);
}

std::unique_ptr<BatchStream> Project::Execute(int partition, ExecContext& ctx) const {
  return std::make_unique<ProjectStream>(ctx.Execute(child(), partition), &exprs_);
}

}  // namespace sluice
