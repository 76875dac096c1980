#pragma once

#include <memory>
#include <mutex>

#include "catalog/table_store.h"
#include "io/memory_table.h"

namespace sluice {

// A table held in memory (a session without --db). A commit swaps the MemoryTable's rows,
// which is atomic for readers: a running scan keeps the rows it opened.
class InMemoryTableStore : public TableStore {
 public:
  explicit InMemoryTableStore(const Schema& schema);

  Snapshot Current() const override;
  std::shared_ptr<const DataSource> Source() const override;
  void Append(const std::vector<Batch>& rows) override;
  void Overwrite(const Schema& schema, const std::vector<Batch>& rows) override;

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<MemoryTable> table_;
  std::vector<Batch> rows_;  // the rows of the current snapshot (shared with table_)
  int64_t version_ = 0;
  int64_t row_count_ = 0;
};

}  // namespace sluice
