#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "vector/schema.h"

namespace sluice {

// One committed state of a table: its schema and the data files that hold its rows.
// Immutable once committed; a write produces the next version.
struct Snapshot {
  struct DataFile {
    std::string path;  // relative to the table directory ("data/part-<id>.parquet")
    int64_t rows = 0;
  };

  int64_t version = 0;  // 0: the table has no committed snapshot yet
  Schema schema;        // unqualified fields
  std::vector<DataFile> files;
  int64_t row_count = 0;
};

// The snapshot as JSON text (the `_snapshots/v<N>.json` format) and back. ParseSnapshot
// throws IOError naming `origin` when the text is not a snapshot.
std::string SnapshotToJson(const Snapshot& snapshot);
Snapshot ParseSnapshot(const std::string& json, const std::string& origin);

}  // namespace sluice
