#include "catalog/memory_table_store.h"

#include <atomic>
#include <map>

#include "catalog/bucketing.h"
#include "common/error.h"

namespace sluice {

namespace {

// Equal schemas (Schema's operator== ignores nullability) with the same NOT NULL columns.
bool SameColumns(const Schema& a, const Schema& b) {
  if (!(a == b)) return false;
  for (size_t i = 0; i < a.size(); i++) {
    if (a.field(i).nullable != b.field(i).nullable) return false;
  }
  return true;
}

int64_t CountRows(const std::vector<Batch>& rows) {
  int64_t n = 0;
  for (const auto& b : rows) n += static_cast<int64_t>(b.num_rows());
  return n;
}

}  // namespace

// Gathers each sink's rows (the table lives in memory anyway) and commits them in sink
// order under the store's mutex.
class InMemoryTableStore::Writer : public DataWriter {
 public:
  // `replace`: the rows replace the table's under `schema` and `buckets`; else appended.
  Writer(InMemoryTableStore& store, bool replace, Schema schema, BucketSpec buckets,
         TableConstraints constraints)
      : store_(store),
        replace_(replace),
        schema_(std::move(schema)),
        buckets_(std::move(buckets)),
        constraints_(std::move(constraints)) {}

  std::unique_ptr<DataSink> OpenSink(int index) override {
    std::lock_guard lock(mutex_);
    SLUICE_CHECK(index >= 0, "sink index {}", index);
    return std::make_unique<Sink>(*this, index);
  }

  void Commit() override {
    std::vector<Batch> rows;
    for (auto& [index, batches] : closed_) {
      rows.insert(rows.end(), std::make_move_iterator(batches.begin()),
                  std::make_move_iterator(batches.end()));
    }
    if (replace_) {
      store_.CommitReplace(schema_, buckets_, constraints_, rows);
    } else {
      store_.CommitAppend(rows);
    }
  }

  int64_t rows_written() const override { return rows_.load(); }

 private:
  class Sink : public DataSink {
   public:
    Sink(Writer& writer, int index) : writer_(writer), index_(index) {}
    void Write(const Batch& batch) override {
      rows_.push_back(batch);
      writer_.rows_ += static_cast<int64_t>(batch.num_rows());
    }
    void Close() override {
      std::lock_guard lock(writer_.mutex_);
      writer_.closed_[index_] = std::move(rows_);
    }

   private:
    Writer& writer_;
    const int index_;
    std::vector<Batch> rows_;
  };

  InMemoryTableStore& store_;
  const bool replace_;
  const Schema schema_;
  const BucketSpec buckets_;
  const TableConstraints constraints_;
  std::mutex mutex_;  // guards closed_
  std::map<int, std::vector<Batch>> closed_;  // the rows of each closed sink
  std::atomic<int64_t> rows_{0};
};

InMemoryTableStore::InMemoryTableStore(const Schema& schema)
    : table_(std::make_shared<MemoryTable>(UnqualifiedSchema(schema), std::vector<Batch>{})) {}

Snapshot InMemoryTableStore::Current() const {
  std::lock_guard lock(mutex_);
  Snapshot s;
  s.version = version_;
  s.schema = table_->schema();
  s.row_count = row_count_;
  s.buckets = buckets_;
  s.constraints = constraints_;
  return s;
}

std::shared_ptr<const DataSource> InMemoryTableStore::Source() const {
  std::lock_guard lock(mutex_);
  if (bucketed_ != nullptr) return bucketed_;
  return table_;
}

std::unique_ptr<DataWriter> InMemoryTableStore::BeginAppend() {
  return std::make_unique<Writer>(*this, false, Schema{}, BucketSpec{}, TableConstraints{});
}

std::unique_ptr<DataWriter> InMemoryTableStore::BeginReplace(const Schema& schema,
                                                              const BucketSpec& buckets,
                                                              const TableConstraints& constraints) {
  return std::make_unique<Writer>(*this, true, schema, buckets, constraints);
}

void InMemoryTableStore::ChangeSchema(const Schema& schema, const TableConstraints& constraints) {
  std::vector<Batch> rows;
  BucketSpec buckets;
  {
    std::lock_guard lock(mutex_);
    rows = rows_;
    buckets = RenamedBuckets(buckets_, table_->schema(), UnqualifiedSchema(schema));
  }
  CommitReplace(schema, buckets, constraints, rows);
}

void InMemoryTableStore::CommitAppend(const std::vector<Batch>& rows) {
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

void InMemoryTableStore::CommitReplace(const Schema& schema, const BucketSpec& buckets,
                                       const TableConstraints& constraints,
                                       const std::vector<Batch>& rows) {
  Schema bare = UnqualifiedSchema(schema);
  std::lock_guard lock(mutex_);
  const bool new_layout = !(bare == table_->schema()) || !(buckets == buckets_);
  rows_ = rows;
  row_count_ = CountRows(rows);
  buckets_ = buckets;
  constraints_ = constraints;
  bucket_rows_.clear();
  if (buckets_.bucketed()) bucket_rows_ = SplitIntoBuckets(bare, buckets_, rows);
  if (!SameColumns(bare, table_->schema())) {
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
