#pragma once

#include <memory>
#include <mutex>

#include "catalog/bucketed_source.h"
#include "catalog/table_store.h"
#include "io/memory_table.h"

namespace sluice {

// A table held in memory (a session without --db). A commit swaps the MemoryTable's rows,
// which is atomic for readers: a running scan keeps the rows it opened. A bucketed table
// also keeps one MemoryTable per bucket, read through a BucketedSource.
class InMemoryTableStore : public TableStore {
 public:
  bool InProcessMemory() const override { return true; }
  explicit InMemoryTableStore(const Schema& schema);

  Snapshot Current() const override;
  std::shared_ptr<const DataSource> Source() const override;
  std::unique_ptr<DataWriter> BeginAppend() override;
  using TableStore::BeginReplace;
  std::unique_ptr<DataWriter> BeginReplace(const Schema& schema, const BucketSpec& buckets,
                                            const TableConstraints& constraints) override;
  void ChangeSchema(const Schema& schema, const TableConstraints& constraints) override;

 private:
  class Writer;
  // The commits of a Writer: `rows` appended, or replacing every row.
  void CommitAppend(const std::vector<Batch>& rows);
  void CommitReplace(const Schema& schema, const BucketSpec& buckets,
                     const TableConstraints& constraints, const std::vector<Batch>& rows);
  // Publishes rows_ (and bucket_rows_) to the sources. REQUIRES: mutex_ held.
  void PublishLocked(const Schema& schema, bool new_layout);

  mutable std::mutex mutex_;
  std::shared_ptr<MemoryTable> table_;  // every row, whatever the layout
  std::vector<Batch> rows_;             // the rows of the current snapshot (shared with table_)
  int64_t version_ = 0;
  int64_t row_count_ = 0;
  BucketSpec buckets_;
  TableConstraints constraints_;
  std::vector<std::vector<Batch>> bucket_rows_;  // bucketed: the rows of each bucket
  std::vector<std::shared_ptr<MemoryTable>> bucket_tables_;
  std::shared_ptr<BucketedSource> bucketed_;  // null unless bucketed
};

}  // namespace sluice
