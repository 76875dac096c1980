#include "catalog/memory_table_store.h"

namespace sluice {

Schema UnqualifiedSchema(Schema schema) {
  for (auto& f : schema.mutable_fields()) f.qualifier.clear();
  return schema;
}

namespace {

int64_t CountRows(const std::vector<Batch>& rows) {
  int64_t n = 0;
  for (const auto& b : rows) n += static_cast<int64_t>(b.num_rows());
  return n;
}

}  // namespace

InMemoryTableStore::InMemoryTableStore(const Schema& schema)
    : table_(std::make_shared<MemoryTable>(UnqualifiedSchema(schema), std::vector<Batch>{})) {}

Snapshot InMemoryTableStore::Current() const {
  std::lock_guard lock(mutex_);
  Snapshot s;
  s.version = version_;
  s.schema = table_->schema();
  s.row_count = row_count_;
  return s;
}

std::shared_ptr<const DataSource> InMemoryTableStore::Source() const {
  std::lock_guard lock(mutex_);
  return table_;
}

void InMemoryTableStore::Append(const std::vector<Batch>& rows) {
  std::lock_guard lock(mutex_);
  std::vector<Batch> next = rows_;
  next.insert(next.end(), rows.begin(), rows.end());
  rows_ = next;
  row_count_ += CountRows(rows);
  table_->Replace(std::move(next));
  version_++;
}

void InMemoryTableStore::Overwrite(const Schema& schema, const std::vector<Batch>& rows) {
  Schema bare = UnqualifiedSchema(schema);
  std::lock_guard lock(mutex_);
  rows_ = rows;
  row_count_ = CountRows(rows);
  if (bare == table_->schema()) {
    table_->Replace(rows);
  } else {
    table_ = std::make_shared<MemoryTable>(std::move(bare), rows);
  }
  version_++;
}

}  // namespace sluice
