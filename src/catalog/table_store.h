#pragma once

#include <memory>
#include <vector>

#include "catalog/snapshot.h"
#include "io/data_source.h"
#include "vector/batch.h"

namespace sluice {

// The storage of one table: a sequence of snapshots, each replacing the last by one atomic
// commit. Writers compute the new rows first and then call Append or Overwrite, so a failing
// statement never reaches the store and leaves the current snapshot in place. This is the
// seam where table metadata moves to Apache Iceberg later.
// Thread-safety: reads (Current, Source) may run concurrently with one writer; writes are
// serialized by the caller (the Warehouse).
class TableStore {
 public:
  virtual ~TableStore() = default;

  // The latest committed snapshot (version 0 before the first commit).
  virtual Snapshot Current() const = 0;
  // A scan of the table by reference: each scan reads the snapshot that is current when it
  // starts, so plans bound earlier (views, prepared DataFrames) see later commits. The source
  // has the schema of the latest snapshot; after Overwrite with another schema, Source()
  // returns a new object and the old one keeps reading its last snapshot.
  virtual std::shared_ptr<const DataSource> Source() const = 0;

  // Commits a snapshot of the current rows followed by `rows` (of the table's column types).
  virtual void Append(const std::vector<Batch>& rows) = 0;
  // Commits a snapshot holding exactly `rows`, under `schema` (qualifiers are dropped).
  virtual void Overwrite(const Schema& schema, const std::vector<Batch>& rows) = 0;
};

// A schema with the qualifiers cleared: tables store bare column names.
Schema UnqualifiedSchema(Schema schema);

}  // namespace sluice
