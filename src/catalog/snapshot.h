#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "vector/schema.h"

namespace sluice {

// How a bucketed table spreads its rows: a row goes to bucket HashPartitionOf(hash of
// `columns`, num_buckets), the partition a hash Exchange on those columns would give it,
// so a scan of the table is already hash-partitioned on them (one task per bucket).
struct BucketSpec {
  std::vector<std::string> columns;  // unqualified column names, in hashing order
  int num_buckets = 0;               // 0: not bucketed

  bool bucketed() const { return num_buckets > 0; }
  friend bool operator==(const BucketSpec&, const BucketSpec&) = default;
};

// One committed state of a table: its schema and the data files that hold its rows.
// Immutable once committed; a write produces the next version.
struct Snapshot {
  struct DataFile {
    std::string path;  // relative to the table directory ("data/part-<id>.parquet")
    int64_t rows = 0;
    int bucket = -1;  // bucketed tables: the bucket whose rows the file holds
  };

  int64_t version = 0;  // 0: the table has no committed snapshot yet
  Schema schema;        // unqualified fields
  std::vector<DataFile> files;
  int64_t row_count = 0;
  BucketSpec buckets;  // kept by every write to the table
};

// The snapshot as JSON text (the `_snapshots/v<N>.json` format) and back. ParseSnapshot
// throws IOError naming `origin` when the text is not a snapshot.
std::string SnapshotToJson(const Snapshot& snapshot);
Snapshot ParseSnapshot(const std::string& json, const std::string& origin);

}  // namespace sluice
