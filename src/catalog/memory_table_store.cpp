#include "catalog/memory_table_store.h"

#include "catalog/bucketing.h"

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
  s.buckets = buckets_;
  return s;
}

std::shared_ptr<const DataSource> InMemoryTableStore::Source() const {
  std::lock_guard lock(mutex_);
  if (bucketed_ != nullptr) return bucketed_;
  return table_;
}

void InMemoryTableStore::Append(const std::vector<Batch>& rows) {
  std::lock_guard lock(mutex_);
  rows_.insert(rows_.end(), rows.begin(), rows.end());
  row_count_ += CountRows(rows);
  if (buckets_.bucketed()) {
    auto split = SplitIntoBuckets(table_->schema(), buckets_, rows);
    for (size_t b = 0; b < split.size(); b++) {
      bucket_rows_[b].insert(bucket_rows_[b].end(), split[b].begin(), split[b].end());
    }
  }
  PublishLocked(table_->schema(), false);
  version_++;
}

void InMemoryTableStore::Overwrite(const Schema& schema, const std::vector<Batch>& rows) {
  BucketSpec current;
  {
    std::lock_guard lock(mutex_);
    current = buckets_;
  }
  Replace(schema, KeptBuckets(current, UnqualifiedSchema(schema)), rows);
}

void InMemoryTableStore::Replace(const Schema& schema, const BucketSpec& buckets,
                                 const std::vector<Batch>& rows) {
  Schema bare = UnqualifiedSchema(schema);
  std::lock_guard lock(mutex_);
  const bool new_layout = !(bare == table_->schema()) || !(buckets == buckets_);
  rows_ = rows;
  row_count_ = CountRows(rows);
  buckets_ = buckets;
  bucket_rows_.clear();
  if (buckets_.bucketed()) bucket_rows_ = SplitIntoBuckets(bare, buckets_, rows);
  if (!(bare == table_->schema())) {
    table_ = std::make_shared<MemoryTable>(bare, std::vector<Batch>{});
  }
  PublishLocked(bare, new_layout);
  version_++;
}

void InMemoryTableStore::PublishLocked(const Schema& schema, bool new_layout) {
  table_->Replace(rows_);
  if (!buckets_.bucketed()) {
    bucket_tables_.clear();
    bucketed_.reset();
    return;
  }
  if (new_layout || bucketed_ == nullptr) {
    // Plans bound to the previous layout keep reading its last rows.
    bucket_tables_.clear();
    std::vector<std::shared_ptr<const DataSource>> sources;
    for (int b = 0; b < buckets_.num_buckets; b++) {
      bucket_tables_.push_back(std::make_shared<MemoryTable>(schema, std::vector<Batch>{}));
      sources.push_back(bucket_tables_.back());
    }
    bucketed_ = std::make_shared<BucketedSource>("", schema, buckets_, std::move(sources));
  }
  for (size_t b = 0; b < bucket_tables_.size(); b++) bucket_tables_[b]->Replace(bucket_rows_[b]);
}

}  // namespace sluice
