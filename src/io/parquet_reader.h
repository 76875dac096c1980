#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "io/data_source.h"
#include "io/parquet_filters.h"
#include "io/parquet_metadata.h"
#include "io/parquet_schema.h"
#include "io/parquet_statistics.h"

namespace sluice {

struct ParquetReadOptions {
  // Row groups whose statistics prove that some predicate matches no row are skipped.
  std::vector<ParquetPredicate> predicates;
};

// Parquet files (a path, directory or glob) as a DataSource: one split per row group (after
// pruning by statistics), reading only the projected columns. Open reads and checks every
// footer; all files must have the same column names and types. Nested columns (structs,
// lists, maps) read as VARCHAR JSON text (see ParquetNestedReader).
// Thread-safe after Open; the streams it returns must not outlive it.
class ParquetSource : public DataSource {
 public:
  // Throws IOError (missing, truncated or corrupt file, naming it), NotImplementedError
  // (unsupported types).
  static std::unique_ptr<ParquetSource> Open(const std::string& path_or_glob,
                                             const ParquetReadOptions& options = {});

  const Schema& schema() const override { return schema_; }
  int num_splits() const override { return static_cast<int>(splits_.size()); }
  std::unique_ptr<BatchStream> Open(int split, const std::vector<int>& columns) const override;
  // "parquet 'x/*.parquet' (3 files, 12 row groups, 5 pruned by statistics, 1.2 GiB)".
  std::string Describe() const override;
  int64_t EstimatedBytes() const override { return total_bytes_; }
  std::optional<int64_t> EstimatedRows() const override { return rows_; }
  // From the row groups' statistics (every split's, unknown when one lacks them).
  std::optional<std::pair<double, double>> NumericRange(int column) const override;
  // The same files with row groups pruned by the conjuncts of the form `column op constant`
  // and `column IS [NOT] NULL` (see ParquetPredicatesFromConjuncts), and whose splits test
  // those conjuncts row by row before decoding other columns (see OpenParquetRowGroup);
  // nullptr if none has that form.
  std::shared_ptr<const DataSource> WithFilters(
      const std::vector<ExprPtr>& conjuncts) const override;

  int64_t row_groups_total() const { return row_groups_total_; }
  int64_t row_groups_pruned() const { return row_groups_total_ - num_splits(); }
  // Files none of whose row groups survived pruning.
  int64_t files_skipped() const { return files_skipped_; }
  // Statistics of column `column` in split `split` (for tests and the optimizer).
  ParquetColumnStats SplitStats(int split, int column) const;

  struct File {
    std::string path;
    int64_t size = 0;
    parquet::FileMetaData metadata;
    std::vector<ParquetLeaf> leaves;    // one per column chunk
    std::vector<ParquetColumn> columns;  // one per schema() field
  };
  // The files read, with their footers and schemas (field ids among them).
  const std::vector<File>& files() const { return files_; }

 private:
  ParquetSource() = default;
  ParquetSource(const ParquetSource&) = default;
  // Cuts one split per row group that `predicates` do not prove empty.
  void BuildSplits(const std::vector<ParquetPredicate>& predicates);

  struct Split {
    int file;
    int row_group;
  };

  std::string pattern_;
  std::vector<File> files_;
  std::vector<Split> splits_;
  // Conjuncts the splits test before decoding the other columns (set by WithFilters).
  std::vector<ParquetRowFilter> row_filters_;
  Schema schema_;
  int64_t total_bytes_ = 0;
  int64_t rows_ = 0;
  int64_t row_groups_total_ = 0;
  int64_t files_skipped_ = 0;
};

// Reads and checks the footer of one Parquet file. Throws IOError naming the file.
ParquetSource::File ReadParquetFooter(const std::string& path);

}  // namespace sluice
