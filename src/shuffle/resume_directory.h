#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "shuffle/exchange_stats.h"
#include "shuffle/shuffle_transport.h"
#include "types/logical_type.h"

namespace sluice {

// What a job keeps on a directory every process sees so that a rerun after a failure resumes
// it (`sluice sql --resume DIR`, docs/scale-out.md), as Spark reuses the map outputs of the
// stages that completed:
// - the map output of every completed map stage, per process: one file per map task (its
//   batches per output partition, in write order, and its key summary), then a completion
//   marker written atomically (temp + rename) once every task file of that process is on
//   disk (fsync), holding the stage's global row counts per partition;
// - the statements of the script whose durable writes committed (a --db table, a COPY TO),
//   which a rerun skips instead of writing them twice.
//
// Layout: DIR/stages/<StageKey::Name()>/r<rank>.t<task> and r<rank>.done; DIR/statements.
// Statement and job numbering (BeginStatement, NextJob) is called from the thread that runs
// the script only; the stage methods are thread-safe across different tasks.
class ResumeDirectory {
 public:
  // One map stage of one process. The name holds what makes stored output reusable: the
  // same statement and job of the script, the same stage, the same plan (fingerprint), the
  // same task count and rank count.
  struct StageKey {
    std::string job;  // NextJob()
    int stage = 0;
    uint64_t fingerprint = 0;  // of the stage's plan
    int tasks = 0;             // map tasks of the stage
    int ranks = 1;
    int rank = 0;
    std::string Name() const;
  };

  // Uses `dir` (created when missing). `journal` is the text of DIR/statements as rank 0
  // read it (ReadJournal), so that every process skips the same statements.
  ResumeDirectory(std::string dir, const std::string& journal);
  // The text of `dir`/statements, empty when there is none.
  static std::string ReadJournal(const std::string& dir);
  const std::string& dir() const { return dir_; }

  // The next statement of the script (numbered from 1); restarts job numbering.
  int BeginStatement();
  // A key for the next query (scheduler run) of the current statement: "<statement>.<job>".
  std::string NextJob();

  // Whether statement `statement` of text `text` committed a durable write in an earlier run.
  bool Committed(int statement, const std::string& text) const;
  // Records (durably) that it did. Called by one process (rank 0).
  void RecordCommitted(int statement, const std::string& text);

  // This process's marker of `key` says its output is complete.
  bool HasCompleteStage(const StageKey& key) const;
  // Removes this process's marker of `key` (before the stage runs again).
  void ClearStage(const StageKey& key);
  // A writer that also stores what map task `task` writes through `inner`; the stored file
  // becomes visible (renamed, synced) when the writer commits, before `inner` commits.
  std::unique_ptr<ShuffleWriter> RecordTask(const StageKey& key, int task,
                                            std::unique_ptr<ShuffleWriter> inner);
  // Marks this process's output of `key` complete (every task it runs committed): the
  // stage's merged `stats` are kept with the marker. Throws IOError.
  void CompleteStage(const StageKey& key, const ExchangeStats& stats);
  // Writes the stored output of map task `task` into `shuffle` and commits it. Throws
  // IOError when the file is missing or damaged.
  void RestoreTask(const StageKey& key, int task, Shuffle& shuffle,
                   const std::vector<LogicalType>& types) const;
  // The stage's rows per partition kept with this process's marker.
  std::vector<int64_t> StoredRows(const StageKey& key) const;

  // Removes everything this job kept (the job succeeded). Called by one process (rank 0).
  void RemoveAll();

 private:
  std::string StageDir(const StageKey& key) const;
  std::string MarkerPath(const StageKey& key) const;

  std::string dir_;
  std::map<int, std::string> committed_;  // statement -> hash of its text
  int statement_ = 0;
  int job_ = 0;
};

}  // namespace sluice
