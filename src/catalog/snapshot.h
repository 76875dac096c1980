#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "iceberg/file_bounds.h"
#include "types/value.h"
#include "vector/schema.h"

namespace sluice {

class DataSource;

// One field of a table's hidden partitioning (PARTITIONED BY): an Iceberg partition transform
// ("identity", "bucket[16]", "truncate[4]", "year", "month", "day", "hour") of a column.
struct PartitionColumn {
  std::string column;     // unqualified column name, as the schema spells it
  std::string transform;  // the Iceberg spec's name (iceberg::Transform::Parse)
  friend bool operator==(const PartitionColumn&, const PartitionColumn&) = default;
};

// How a table lays out its rows. A bucketed table spreads its rows by HashPartitionOf(hash
// of `columns`, num_buckets), the partition a hash Exchange on those columns would give it,
// so a scan of the table is already hash-partitioned on them (one task per bucket). A
// partitioned table (`partition_by`, warehouse tables only) writes each partition tuple's
// rows to their own data files, recorded as the Iceberg table's partition spec.
struct BucketSpec {
  std::vector<std::string> columns;  // unqualified column names, in hashing order
  int num_buckets = 0;               // 0: not bucketed
  std::vector<PartitionColumn> partition_by = {};  // empty: not partitioned

  bool bucketed() const { return num_buckets > 0; }
  bool partitioned() const { return !partition_by.empty(); }
  friend bool operator==(const BucketSpec&, const BucketSpec&) = default;
};

// The constraints of a table beyond its columns' types and NOT NULL (Field::nullable):
// expressions kept as SQL text, bound again by each statement that writes the table. A
// --db warehouse keeps them in the table's Iceberg properties (sluice.column-defaults,
// sluice.checks).
struct TableConstraints {
  // DEFAULT of each column of the table's schema, in order ("" or past the end: none).
  std::vector<std::string> defaults;
  // CHECK expressions over the table's columns; a row for which one is FALSE is refused.
  std::vector<std::string> checks;
  // PRIMARY KEY and UNIQUE: an INSERT refuses a row whose key (no column NULL) another row
  // has. The columns of a primary key are NOT NULL too.
  struct Key {
    std::vector<std::string> columns;
    bool primary = false;
    friend bool operator==(const Key&, const Key&) = default;
  };
  std::vector<Key> keys;

  // The default of column `i`, "" when none.
  const std::string& DefaultOf(size_t i) const;
  bool empty() const;
  // Equal defaults (a missing one and "" are the same) and checks.
  friend bool operator==(const TableConstraints& a, const TableConstraints& b);
};

// A data file's column metrics as its Iceberg manifest entry holds them: written for Sluice's
// files, read from any writer's; scans skip the files whose bounds no row matching their
// predicates can lie within (iceberg/file_bounds.h).
using FileMetrics = iceberg::ColumnMetrics;

// One committed state of a table: its schema and the data files that hold its rows.
// Immutable once committed; a write produces the next version.
struct Snapshot {
  struct DataFile {
    std::string path;  // relative to the table directory ("data/part-<id>.parquet")
    int64_t rows = 0;
    int bucket = -1;  // bucketed tables: the bucket whose rows the file holds
    int64_t bytes = 0;  // the file's size
    // The Iceberg snapshot that added the file and its data sequence number (0: not yet
    // committed).
    int64_t snapshot_id = 0;
    int64_t sequence_number = 0;
    // Partitioned tables: the Iceberg partition spec the file was written under (-1: the
    // table's current one, for a file not yet committed) and its partition tuple (one value
    // per field of that spec).
    int spec_id = -1;
    std::vector<Value> partition = {};
    FileMetrics metrics = {};
  };

  // The version of the table's metadata file (metadata/v<N>.metadata.json); 0: the table has
  // no committed snapshot yet.
  int64_t version = 0;
  Schema schema;  // unqualified fields
  // The Iceberg field id of each column of `schema` (empty in memory).
  std::vector<int32_t> field_ids;
  int64_t snapshot_id = 0;  // the Iceberg snapshot (0: none)
  std::vector<DataFile> files;
  int64_t row_count = 0;
  BucketSpec buckets;  // kept by every write to the table
  TableConstraints constraints;  // kept by every write but a replace, which sets them
  // The Iceberg operation of the commit that makes this snapshot ("replace": a compaction,
  // same rows in other files); empty: judged from the files added and removed.
  std::string operation;
  // Entries the commit making this snapshot adds to its Iceberg snapshot summary (a
  // streaming job's sluice.job-id and sluice.checkpoint-id); cleared once committed, never
  // read back from metadata.
  std::map<std::string, std::string> summary;
};

// The Iceberg snapshot summary entry holding a table's high-water mark (the batch table of a
// Lambda view, api/lambda_view.cpp): every row with an earlier time is in the snapshot. Each
// commit keeps its parent's mark unless it records its own.
inline constexpr const char* kHighWaterMarkKey = "sluice.high-water-mark";

// The part of a table that an UPDATE, DELETE or MERGE rewrites (copy-on-write per data file):
// the data files of snapshot `version` that may hold a row the statement changes, and a scan
// of every row of those files. Committing it (TableStore::Rewrite) replaces those files by
// the new rows and keeps the table's other files by reference.
struct TableRewrite {
  int64_t version = 0;                       // the snapshot the statement reads
  bool whole = true;                         // every row is rewritten (`files` is then not used)
  std::vector<std::string> files;            // the data files replaced (Snapshot::DataFile::path)
  std::shared_ptr<const DataSource> source;  // the rows of `files` (of the whole table)
  // The rows of the files kept (null when none is, or `whole`): what a key check compares
  // the rows written with.
  std::shared_ptr<const DataSource> kept;
  // Compaction (rewrite_data_files): rows per new data file (0: the store's setting), and
  // the commit's operation (Snapshot::operation).
  int64_t target_file_rows = 0;
  std::string operation;
};

// The snapshot as JSON text (the `_snapshots/v<N>.json` format of warehouses before Iceberg,
// read to convert them) and back. ParseSnapshot throws IOError naming `origin` when the text
// is not a snapshot.
std::string SnapshotToJson(const Snapshot& snapshot);
Snapshot ParseSnapshot(const std::string& json, const std::string& origin);

}  // namespace sluice
