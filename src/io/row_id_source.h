#pragma once

#include <memory>
#include <string>
#include <vector>

#include "io/data_source.h"

namespace sluice {

// A source with one more column after its own: a BIGINT row id, unique among the rows one
// scan of it reads (split index in the high bits, the row's position in the split below),
// so rows that are equal in every column stay apart. A MERGE or UPDATE ... FROM numbers the
// target rows with it to tell how many source rows match each. The ids depend only on the
// source's splits (a retried task reads the same ids again); they are not stable across
// commits.
class RowIdSource : public DataSource {
 public:
  RowIdSource(std::shared_ptr<const DataSource> inner, const std::string& column_name);

  const Schema& schema() const override { return schema_; }
  int num_splits() const override { return inner_->num_splits(); }
  std::unique_ptr<BatchStream> Open(int split, const std::vector<int>& columns) const override;
  std::string Describe() const override { return inner_->Describe() + " with row ids"; }
  int64_t EstimatedBytes() const override { return inner_->EstimatedBytes(); }
  std::optional<int64_t> EstimatedRows() const override { return inner_->EstimatedRows(); }
  PartitionHash hash_partition_function() const override {
    return inner_->hash_partition_function();
  }
  std::vector<int> hash_partition_columns() const override {
    return inner_->hash_partition_columns();
  }
  // Prunes by the conjuncts that do not read the row id (ids then number the rows read).
  std::shared_ptr<const DataSource> WithFilters(
      const std::vector<ExprPtr>& conjuncts) const override;

  // Rows a split may hold: the id is split << kSplitShift | row.
  static constexpr int kSplitShift = 40;

 private:
  std::shared_ptr<const DataSource> inner_;
  std::string column_name_;
  Schema schema_;
};

}  // namespace sluice
