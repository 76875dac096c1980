#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "vector/batch.h"

namespace sluice {

// The rows one task writes: a table's data files, or the files of a COPY, are written as
// they fill (at most a row group per open file is held in memory), so a write streams
// instead of gathering its rows first. Not thread-safe: one sink per task.
class DataSink {
 public:
  virtual ~DataSink() = default;
  // REQUIRES: batch has the table's column types (qualifiers are ignored); not closed.
  virtual void Write(const Batch& batch) = 0;
  // Finishes the sink's files. REQUIRES: called once, after the last Write.
  virtual void Close() = 0;
  // Bytes of rows the sink holds before encoding them (a row group being filled); a sink
  // that writes as it goes holds none.
  virtual int64_t buffered_bytes() const { return 0; }
  // Writes out what the sink holds (an early, smaller row group), so that a caller holding
  // many open sinks stays within its memory. REQUIRES: not closed.
  virtual void Flush() {}
};

// One write in progress, the counterpart of DataSource and the seam of every write operator
// (INSERT, CTAS, DELETE, UPDATE, MERGE, COPY) and of the table formats behind it (Iceberg
// commits a snapshot the same way). Tasks stream rows into sinks; nothing is visible to
// readers until Commit (a table commits one snapshot). A writer destroyed without Commit
// (an error, a cancelled query) removes what it wrote, so the table stays as it was.
//
// Data files are listed in the snapshot in sink-index order (and, in a bucketed table, by
// bucket first), so the layout depends only on the rows given to each index, never on which
// task finished first.
//
// Thread-safety: OpenSink, and Write/Close on distinct sinks, may run on several threads at
// once. Commit runs once, after every sink is closed. WriteConflictError from Commit (or
// from the Begin* call that made the writer) means another writer committed first; nothing
// was committed then.
class DataWriter {
 public:
  virtual ~DataWriter() = default;
  // A sink for the rows of task `index` (>= 0). A sink destroyed without Close (a failed
  // attempt) contributes nothing. An index may be opened again (a retried task): the rows
  // of the sink closed last are the ones committed.
  virtual std::unique_ptr<DataSink> OpenSink(int index) = 0;
  // Commits the snapshot: the rows of every closed sink, plus the rows the write keeps
  // (an append keeps every current row, a rewrite the files it does not replace).
  virtual void Commit() = 0;
  // Rows written through the sinks so far.
  virtual int64_t rows_written() const = 0;

  // A write shared by the processes of an SPMD job (docs/scale-out.md), for targets whose
  // WritableByEveryProcess(): each process begins its own writer on the same target and
  // writes the sinks of its tasks; one process imports what the others exported and commits.
  //
  // What the closed sinks made (their files' descriptions, the rows of small sinks), as
  // bytes for ImportSinks of another process's writer of the same target. From then on this
  // writer neither commits nor removes those files: the importing writer owns them (removes
  // them unless it commits). REQUIRES: every sink is closed; called once, never with Commit.
  virtual std::string ExportSinks();
  // Adds the sinks another process exported, as if they had been closed here.
  // REQUIRES: before Commit; no sink index closed by both processes.
  virtual void ImportSinks(const std::string& exported);
};

// Where a write goes: a table of the warehouse (append, replace, create), the files of a
// COPY. The logical plan's write node holds one; the write begins when the statement runs,
// never while it is planned or explained.
class DataTarget {
 public:
  virtual ~DataTarget() = default;
  // Begins the write. May throw (a conflict, a table dropped meanwhile) before anything is
  // written.
  virtual std::unique_ptr<DataWriter> Begin() const = 0;
  // Begins this process's part of a write that another process of a cluster began first
  // (WritableByEveryProcess): as Begin, but clears nothing the first Begin prepared (a new
  // table's directory, a COPY's staging directory), which other processes may be writing.
  virtual std::unique_ptr<DataWriter> BeginJoined() const { return Begin(); }
  // What the write does, for EXPLAIN: "INSERT INTO t", "CREATE TABLE t AS".
  virtual std::string Describe() const = 0;
  // True when the rows land in this process's memory (a table of an in-memory warehouse):
  // then every process of a cluster makes the write, else one process does
  // (docs/scale-out.md).
  virtual bool InProcessMemory() const { return false; }
  // True when the processes of a cluster may each write the sinks of their own tasks, one
  // process committing them all (the writer's ExportSinks/ImportSinks). Otherwise one
  // process makes the whole write.
  virtual bool WritableByEveryProcess() const { return false; }
};

// Writes `rows` through one sink of `writer` and commits.
void WriteAndCommit(DataWriter& writer, const std::vector<Batch>& rows);

}  // namespace sluice
