#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "iceberg/table_files.h"
#include "expr/expr.h"
#include "io/data_source.h"

namespace sluice::iceberg {

// The rows of one snapshot of an Iceberg table, as any engine wrote it: one split per data
// file; columns found by field id (so renamed, reordered, added and dropped columns read
// right; a column a file lacks reads as NULL; int and float widen to the table's type),
// by name in files without ids; position deletes and equality deletes applied by the
// spec's sequence-number rules. Immutable and thread-safe.
class IcebergSource : public DataSource {
 public:
  // Reads the table at `path` (a table directory or a metadata file). Throws IOError or
  // InvalidInputError naming the file at fault.
  static std::unique_ptr<IcebergSource> Open(const std::string& path, const SnapshotSelector& selector = {});

  const Schema& schema() const override { return schema_; }
  int num_splits() const override { return static_cast<int>(files_.size()); }
  std::unique_ptr<BatchStream> Open(int split, const std::vector<int>& columns) const override;
  std::string Describe() const override;
  int64_t EstimatedBytes() const override { return bytes_; }
  std::optional<int64_t> EstimatedRows() const override { return rows_; }
  // The same snapshot planned again with pruning (iceberg/partition_filter.h, file_bounds.h):
  // the manifests whose partition summaries, then the data files whose partition values or
  // column bounds, no row satisfying `conjuncts` can have are left out. nullptr when nothing
  // is left out.
  std::shared_ptr<const DataSource> WithFilters(const std::vector<ExprPtr>& conjuncts) const override;

  int64_t snapshot_id() const { return snapshot_id_; }
  size_t delete_files() const { return delete_files_; }

  // What the delete files say about one data file.
  struct Deletes {
    std::vector<int64_t> positions;  // sorted, distinct
    // Equality deletes: for each set of field ids, the deleted key tuples.
    std::map<std::vector<int>, std::set<std::vector<std::string>>> keys;
  };

 private:
  IcebergSource() = default;
  // Open's work: `pin` (when set) is the snapshot read, with the schema `selector` chooses.
  static std::unique_ptr<IcebergSource> Plan(const std::string& path, const SnapshotSelector& selector,
                                             std::optional<int64_t> pin,
                                             const std::vector<ExprPtr>& conjuncts);

  struct DataFileRef {
    std::string path;
    int64_t sequence_number = 0;
    std::shared_ptr<const Deletes> deletes;  // null when none apply
  };

  std::string table_path_;
  SnapshotSelector selector_;
  int64_t manifests_skipped_ = 0;
  int64_t files_skipped_ = 0;         // by partition values
  int64_t bounds_files_skipped_ = 0;  // by column bounds
  IcebergSchema table_schema_;
  Schema schema_;
  std::vector<DataFileRef> files_;
  int64_t snapshot_id_ = -1;
  size_t delete_files_ = 0;
  int64_t bytes_ = 0;
  int64_t rows_ = 0;
};

}  // namespace sluice::iceberg
