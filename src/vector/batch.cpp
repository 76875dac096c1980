#include "vector/batch.h"

namespace sluice {

Batch Batch::Project(const std::vector<int>& indices) const {
  std::vector<ColumnPtr> out;
  out.reserve(indices.size());
  for (int i : indices) out.push_back(columns_[i]);
  return Batch(std::move(out), num_rows_);
}

Batch Batch::Gather(const uint32_t* sel, size_t n) const {
  std::vector<ColumnPtr> out;
  out.reserve(columns_.size());
  for (const auto& c : columns_) out.push_back(c->Gather(sel, n));
  return Batch(std::move(out), n);
}

Batch Batch::Slice(size_t offset, size_t n) const {
  if (offset == 0 && n == num_rows_) return *this;
  std::vector<ColumnPtr> out;
  out.reserve(columns_.size());
  for (const auto& c : columns_) out.push_back(c->Slice(offset, n));
  return Batch(std::move(out), n);
}

size_t Batch::MemoryBytes() const {
  size_t bytes = 0;
  for (const auto& c : columns_) bytes += c->MemoryBytes();
  return bytes;
}

std::vector<Value> Batch::GetRow(size_t row) const {
  std::vector<Value> values;
  values.reserve(columns_.size());
  for (const auto& c : columns_) values.push_back(c->GetValue(row));
  return values;
}

BatchBuilder::BatchBuilder(const Schema& schema, size_t target_rows) : target_rows_(target_rows) {
  for (const auto& f : schema.fields()) types_.push_back(f.type);
  Start();
}

void BatchBuilder::Start() {
  columns_.clear();
  for (const auto& t : types_) columns_.push_back(Column::Make(t, target_rows_));
  rows_ = 0;
}

void BatchBuilder::Append(const Batch& batch, size_t offset, size_t n) {
  for (size_t i = 0; i < columns_.size(); i++) columns_[i]->Append(*batch.column(i), offset, n);
  rows_ += n;
}

void BatchBuilder::AppendSelected(const Batch& batch, const uint32_t* sel, size_t n) {
  for (size_t i = 0; i < columns_.size(); i++) columns_[i]->AppendSelected(*batch.column(i), sel, n);
  rows_ += n;
}

Batch BatchBuilder::Finish() {
  std::vector<ColumnPtr> out(columns_.begin(), columns_.end());
  Batch batch(std::move(out), rows_);
  Start();
  return batch;
}

}  // namespace sluice
