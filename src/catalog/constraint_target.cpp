#include "catalog/constraint_target.h"

#include <fmt/format.h>

#include "expr/evaluator.h"

namespace sluice {

namespace {

// Checks each batch, then hands it to the table's own sink.
class CheckedSink : public DataSink {
 public:
  CheckedSink(const ConstraintTarget& target, std::unique_ptr<DataSink> inner)
      : target_(target), inner_(std::move(inner)) {}
  void Write(const Batch& batch) override {
    target_.CheckRows(batch);
    inner_->Write(batch);
  }
  void Close() override { inner_->Close(); }
  int64_t buffered_bytes() const override { return inner_->buffered_bytes(); }
  void Flush() override { inner_->Flush(); }

 private:
  const ConstraintTarget& target_;
  std::unique_ptr<DataSink> inner_;
};

// The table's writer with checked sinks. The target outlives the writer (the plan holds it).
class CheckedWriter : public DataWriter {
 public:
  CheckedWriter(const ConstraintTarget& target, std::unique_ptr<DataWriter> inner)
      : target_(target), inner_(std::move(inner)) {}
  std::unique_ptr<DataSink> OpenSink(int index) override {
    return std::make_unique<CheckedSink>(target_, inner_->OpenSink(index));
  }
  void Commit() override { inner_->Commit(); }
  int64_t rows_written() const override { return inner_->rows_written(); }

 private:
  const ConstraintTarget& target_;
  std::unique_ptr<DataWriter> inner_;
};

}  // namespace

ConstraintTarget::ConstraintTarget(std::shared_ptr<const DataTarget> inner, std::string table,
                                   Schema schema, std::vector<Check> checks)
    : inner_(std::move(inner)),
      table_(std::move(table)),
      schema_(std::move(schema)),
      checks_(std::move(checks)) {}

std::unique_ptr<DataWriter> ConstraintTarget::Begin() const {
  return std::make_unique<CheckedWriter>(*this, inner_->Begin());
}

void ConstraintTarget::CheckRows(const Batch& batch) const {
  if (batch.num_rows() == 0) return;
  for (size_t i = 0; i < schema_.size() && i < batch.num_columns(); i++) {
    if (schema_.field(i).nullable) continue;
    const Column& column = *batch.column(i);
    for (size_t r = 0; r < batch.num_rows(); r++) {
      if (column.IsNull(r)) {
        throw ConstraintError(
            fmt::format("NOT NULL constraint failed: {}.{}", table_, schema_.field(i).name));
      }
    }
  }
  std::vector<uint32_t> selected(batch.num_rows());
  for (const auto& check : checks_) {
    // A row fails when its CHECK is FALSE; NULL passes, as in SQL.
    if (EvaluateFilter(*check.violated, batch, selected.data()) > 0) {
      throw ConstraintError(fmt::format("CHECK constraint failed on table {} with expression CHECK({})",
                                        table_, check.sql));
    }
  }
}

}  // namespace sluice
