#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "catalog/snapshot.h"
#include "io/data_writer.h"
#include "common/error.h"
#include "io/data_source.h"
#include "vector/batch.h"

namespace sluice {

// The storage of one table: a sequence of snapshots, each replacing the last by one atomic
// commit. A bucketed table (Snapshot::buckets) writes the rows of each bucket to their own
// files, split by the stores themselves so that every write keeps the layout. A write
// streams its rows through a DataWriter and commits once at the end; a failing statement
// never commits and leaves the current snapshot in place. This is the seam where table
// metadata moves to Apache Iceberg.
// Thread-safety: reads (Current, Source) and writes may run concurrently; a store writes
// data files without a lock and serializes only its commits, and a write that lost a race
// to another (Overwrite, Replace, Rewrite) fails with WriteConflictError.
class TableStore {
 public:
  virtual ~TableStore() = default;

  // The latest committed snapshot (version 0 before the first commit).
  virtual Snapshot Current() const = 0;
  // True for a table held in this process's memory (no files).
  virtual bool InProcessMemory() const { return false; }
  // True when the processes of a cluster may each write data files of one write, one of
  // them committing (DataWriter::ExportSinks).
  virtual bool WritableByEveryProcess() const { return false; }
  // A scan of the table by reference: each scan reads the snapshot that is current when it
  // starts, so plans bound earlier (views, prepared DataFrames) see later commits. The source
  // has the schema of the latest snapshot; after Overwrite with another schema, Source()
  // returns a new object and the old one keeps reading its last snapshot.
  virtual std::shared_ptr<const DataSource> Source() const = 0;

  // Writes begin here and stream through the returned DataWriter (table_writer.h).
  // An append: the snapshot committed holds the current rows followed by the new ones. A
  // blind append: when another process committed meanwhile, the rows are appended to its
  // snapshot instead (WriteConflictError only if it changed the schema).
  virtual std::unique_ptr<DataWriter> BeginAppend() = 0;
  // BeginAppend whose commit records `summary` in its Iceberg snapshot summary (stores
  // without Iceberg metadata ignore it).
  virtual std::unique_ptr<DataWriter> BeginAppendWithSummary(
      std::map<std::string, std::string> summary) {
    (void)summary;
    return BeginAppend();
  }
  // A snapshot holding exactly the rows written, under `schema` (qualifiers are dropped),
  // bucket layout `buckets` (none when !buckets.bucketed()) and `constraints`: CREATE OR
  // REPLACE, and ALTER TABLE changes that rewrite the rows (a column that keeps its name
  // keeps its Iceberg field id, a new one gets a fresh id). The rows are computed from the
  // snapshot this store sees now, so when another process commits before this write does,
  // nothing is committed and WriteConflictError is thrown.
  // REQUIRES: `buckets` was resolved against `schema` (ResolveBucketSpec).
  virtual std::unique_ptr<DataWriter> BeginReplace(const Schema& schema, const BucketSpec& buckets,
                                                    const TableConstraints& constraints) = 0;
  std::unique_ptr<DataWriter> BeginReplace(const Schema& schema, const BucketSpec& buckets) {
    return BeginReplace(schema, buckets, TableConstraints{});
  }
  // BeginReplace keeping the current bucket layout where `schema` still has its columns, and
  // the current constraints.
  std::unique_ptr<DataWriter> BeginOverwrite(const Schema& schema);
  // ALTER TABLE changes that keep every row as it is (RENAME COLUMN, SET/DROP DEFAULT):
  // commits the current rows under `schema` and `constraints`. Column i keeps the Iceberg
  // field id (and data) of the current column i; a bucket column renamed stays one.
  // WriteConflictError when another process committed meanwhile.
  // REQUIRES: `schema` has the current schema's column count and types.
  virtual void ChangeSchema(const Schema& schema, const TableConstraints& constraints) = 0;

  // Copy-on-write: the data files of the current snapshot that may hold a row satisfying
  // every one of `conjuncts` (BOOLEAN predicates bound over the table's schema; none: every
  // file), judged by their statistics. A store without data files (in memory) rewrites
  // the whole table.
  virtual TableRewrite PlanRewrite(const std::vector<ExprPtr>& conjuncts) const {
    (void)conjuncts;
    TableRewrite whole;
    whole.version = Current().version;
    whole.source = Source();
    return whole;
  }
  // The table without the rows of `rewrite` (its files, or every row when whole), with the
  // rows written (those that replace them and any new rows, of the table's column types)
  // in new data files. WriteConflictError, now or from Commit, when another writer
  // committed since rewrite.version; nothing is committed then.
  virtual std::unique_ptr<DataWriter> BeginRewrite(const TableRewrite& rewrite);

  // The same writes with their rows at hand: Begin*, one sink, Commit.
  void Append(const std::vector<Batch>& rows);
  void Overwrite(const Schema& schema, const std::vector<Batch>& rows);
  void Replace(const Schema& schema, const BucketSpec& buckets, const std::vector<Batch>& rows);
  void Rewrite(const TableRewrite& rewrite, const std::vector<Batch>& rows);

  // Writes start a new data file after this many rows (a store of data files).
  virtual void SetTargetFileRows(int64_t rows) { (void)rows; }
};

// A commit that lost a race: another writer (another process) committed a snapshot of the
// same table after this statement read the one it started from. Nothing was committed.
class WriteConflictError : public UserError {
 public:
  explicit WriteConflictError(std::string message) : UserError("Conflict", std::move(message)) {}
};

// A schema with the qualifiers cleared: tables store bare column names.
Schema UnqualifiedSchema(Schema schema);

// `buckets` (over `before`) with each column named as it is in `after`, position for
// position (ChangeSchema renames).
BucketSpec RenamedBuckets(const BucketSpec& buckets, const Schema& before, const Schema& after);

}  // namespace sluice
