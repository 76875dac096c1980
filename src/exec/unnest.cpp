#include "exec/unnest.h"

#include <algorithm>

#include "common/strings.h"
#include "exec/exec_context.h"
#include "expr/evaluator.h"

namespace sluice {

namespace {

// One partition of Unnest: evaluates the lists of an input batch, then emits the rows of
// whole input rows, about kBatchSize at a time (a row with a longer list makes a larger
// batch).
class UnnestStream : public BatchStream {
 public:
  UnnestStream(std::unique_ptr<BatchStream> input, const std::vector<ExprPtr>* lists)
      : input_(std::move(input)), lists_(lists) {}

  bool Next(Batch* out) override {
    while (true) {
      if (row_ >= batch_.num_rows()) {
        if (!input_->Next(&batch_)) return false;
        row_ = 0;
        lists_eval_.clear();
        for (const auto& e : *lists_) lists_eval_.push_back(Evaluate(*e, batch_));
      }
      // Rows of the input (sel) and, per list, the element row in its child or -1 (NULL).
      std::vector<uint32_t> sel;
      std::vector<std::vector<int64_t>> elements(lists_eval_.size());
      for (; row_ < batch_.num_rows() && sel.size() < kBatchSize; row_++) {
        uint64_t count = 0;
        for (const auto& l : lists_eval_) {
          if (l->IsValid(row_)) count = std::max(count, Entry(*l, row_).length);
        }
        for (uint64_t j = 0; j < count; j++) {
          sel.push_back(static_cast<uint32_t>(row_));
          for (size_t k = 0; k < lists_eval_.size(); k++) {
            const Column& l = *lists_eval_[k];
            const bool has = l.IsValid(row_) && j < Entry(l, row_).length;
            elements[k].push_back(has ? static_cast<int64_t>(Entry(l, row_).offset + j) : -1);
          }
        }
      }
      if (sel.empty()) continue;
      Batch passthrough = batch_.Gather(sel.data(), sel.size());
      std::vector<ColumnPtr> columns = passthrough.columns();
      for (size_t k = 0; k < lists_eval_.size(); k++) {
        const Column& child = lists_eval_[k]->child(0);
        std::vector<uint32_t> pick(sel.size());
        for (size_t i = 0; i < sel.size(); i++) {
          pick[i] = elements[k][i] < 0 ? 0 : static_cast<uint32_t>(elements[k][i]);
        }
        std::shared_ptr<Column> values;
        if (child.size() == 0) {
          values = Column::Make(child.type(), sel.size());
          for (size_t i = 0; i < sel.size(); i++) values->SetValue(i, Value::Null(child.type()));
          values->set_size(sel.size());
        } else {
          values = child.Gather(pick.data(), pick.size());
          for (size_t i = 0; i < sel.size(); i++) {
            if (elements[k][i] < 0) values->SetNull(i);
          }
        }
        columns.push_back(std::move(values));
      }
      *out = Batch(std::move(columns), sel.size());
      return true;
    }
  }

 private:
  static const ListEntry& Entry(const Column& list, size_t row) {
    return list.list_entries()[list.is_constant() ? 0 : row];
  }

  std::unique_ptr<BatchStream> input_;
  const std::vector<ExprPtr>* lists_;
  Batch batch_;
  size_t row_ = 0;
  std::vector<ColumnPtr> lists_eval_;
};

}  // namespace

Unnest::Unnest(PhysicalOperatorPtr child, std::vector<ExprPtr> lists, Schema schema)
    : PhysicalOperator(std::move(schema), std::move(child)), lists_(std::move(lists)) {}

std::string Unnest::details() const {
  std::vector<std::string> parts;
  for (const auto& e : lists_) parts.push_back(e->ToString());
  return Join(parts, ", ");
}

std::unique_ptr<BatchStream> Unnest::Execute(int partition, ExecContext& ctx) const {
  return std::make_unique<UnnestStream>(ctx.Execute(child(), partition), &lists_);
}

}  // namespace sluice
