#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <string>
#include <vector>

#include "expr/expr.h"
#include "vector/batch_stream.h"
#include "vector/column_hash.h"
#include "vector/schema.h"

namespace sluice {

// A relation stored in files (CSV, JSON lines, Parquet), read in independent splits
// (byte ranges, row groups) that the scan runs as parallel tasks. Immutable once opened
// (schema known); Open may be called from many threads at once.
class DataSource {
 public:
  virtual ~DataSource() = default;

  virtual const Schema& schema() const = 0;
  // Independent pieces of work; the scan has one partition per split. The split count
  // depends only on the files (sizes), never on the thread count.
  virtual int num_splits() const = 0;
  // Reads split `split`, producing only the columns `columns` (indices into schema(), in
  // that order) — projection pushdown.
  virtual std::unique_ptr<BatchStream> Open(int split, const std::vector<int>& columns) const = 0;

  // "csv 'data/x.csv' (3 files, 1.2 GiB)" for EXPLAIN.
  virtual std::string Describe() const = 0;
  // Total bytes on disk, and row count if known cheaply; for planning (broadcast decisions).
  virtual int64_t EstimatedBytes() const = 0;
  virtual std::optional<int64_t> EstimatedRows() const { return std::nullopt; }
  // The smallest and largest value of an integer, DATE, TIMESTAMP or DOUBLE column (days,
  // micros), when known cheaply (Parquet footers); for range selectivity when planning.
  virtual std::optional<std::pair<double, double>> NumericRange(int column) const {
    (void)column;
    return std::nullopt;
  }

  // Bucketed sources (tables stored by bucket): the columns (indices into schema(), in
  // hashing order) by which split i holds exactly the rows a hash Exchange on them into
  // num_splits() partitions would send to partition i (HashPartitionOf in
  // vector/column_hash.h), so a scan is already hash-partitioned on them. Empty otherwise.
  virtual std::vector<int> hash_partition_columns() const { return {}; }
  // The function that placed the rows of a bucketed source: Sluice's hash, or Iceberg's
  // bucket transform of its one bucket column (then split i holds the rows whose Iceberg
  // bucket is i, and the rows whose column is NULL are in split 0).
  virtual PartitionHash hash_partition_function() const { return PartitionHash::kSluice; }

  // Pruning pushdown: a source that reads only what may satisfy `conjuncts` (AND-ed BOOLEAN
  // predicates bound over schema(), column indices into it), skipping the files, partitions
  // or row groups they prove empty, and may drop single rows that fail them. Pruning is
  // coarse: rows that remain still need the filter. nullptr when the source cannot prune
  // (the default) or no conjunct helps.
  virtual std::shared_ptr<const DataSource> WithFilters(
      const std::vector<ExprPtr>& conjuncts) const {
    (void)conjuncts;
    return nullptr;
  }
};

// A value in the domain of DataSource::NumericRange: integers, DATE (days) and TIMESTAMP
// (micros) as numbers, DOUBLE itself; nullopt for NULL and other types.
inline std::optional<double> RangeNumber(const Value& v) {
  if (v.is_null()) return std::nullopt;
  const LogicalType& t = v.type();
  if (t.IsInteger() || t.id() == TypeId::kDate || t.id() == TypeId::kTimestamp) {
    return static_cast<double>(v.GetInt());
  }
  if (t.id() == TypeId::kDouble) return v.GetDouble();
  return std::nullopt;
}

// Expands a path, a directory (all regular files in it, recursively, sorted) or a glob
// (`*`, `?`, `**`) into a sorted list of files. Throws IOError when nothing matches.
std::vector<std::string> ExpandPaths(const std::string& pattern);

}  // namespace sluice
