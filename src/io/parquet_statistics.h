#pragma once

#include <optional>
#include <string>
#include <vector>

#include "io/parquet_metadata.h"
#include "io/parquet_schema.h"
#include "types/value.h"

namespace sluice {

// A simple predicate `column op constant` (or `column IS [NOT] NULL`) that a Parquet scan
// uses to skip row groups whose statistics prove that no row matches. Pruning is only an
// optimization: rows of the row groups that remain still need the filter.
struct ParquetPredicate {
  enum class Op { kEq, kNe, kLt, kLe, kGt, kGe, kIsNull, kIsNotNull };
  std::string column;  // case-insensitive
  Op op = Op::kEq;
  Value constant;  // ignored for IS [NOT] NULL
};

// The min, max and null count of a column chunk, as Sluice values of the leaf's type;
// absent parts are unknown (no statistics, legacy ones in the wrong sort order, NaN).
struct ParquetColumnStats {
  std::optional<Value> min;
  std::optional<Value> max;
  std::optional<int64_t> null_count;
};

ParquetColumnStats DecodeParquetStats(const ParquetLeaf& leaf, const parquet::ColumnMetaData& meta);

// The statistics of each top-level column of a whole file (`metadata` its footer, `path` for
// errors): the smallest min and largest max of its row groups (unknown when a row group that
// holds a non-NULL value has none) and the sum of their null counts. A nested column's are
// unknown.
std::vector<ParquetColumnStats> ParquetFileStats(const parquet::FileMetaData& metadata,
                                                 const std::string& path);

// True when the statistics prove that no row of a chunk with `num_rows` rows satisfies
// `predicate` (false when they do not, or cannot be compared).
bool ParquetStatsExclude(const ParquetColumnStats& stats, int64_t num_rows,
                         const ParquetPredicate& predicate, const LogicalType& type);

}  // namespace sluice
