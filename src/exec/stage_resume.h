#pragma once

#include <optional>

#include "exec/exchange.h"
#include "exec/exec_context.h"
#include "shuffle/resume_directory.h"

namespace sluice {

// The scheduler's side of --resume (shuffle/resume_directory.h): a map stage whose output
// every process stored in an earlier run of the job is loaded instead of run, and a stage
// that runs stores its output as it goes (ResumeDirectory::RecordTask), marked complete once
// its exchange finished.

// The key of map stage `stage` of `exchange` (`tasks` map tasks, its input as re-planned), or
// none when the context keeps no stages.
std::optional<ResumeDirectory::StageKey> ResumeKeyOf(const Exchange& exchange, ExecContext& ctx,
                                                     int stage, int tasks);

// When every process of the query holds a complete stored output of `key` (agreed through
// the cluster: collective), writes this process's share of it into `shuffle` (its tasks of
// the stage, each committed) and returns true. Otherwise clears this process's marker, so
// that the stage runs and stores its output anew, and returns false. The caller then runs
// FinishMapStage as after running the tasks.
bool LoadStoredStage(const ResumeDirectory::StageKey& key, const Exchange& exchange,
                     Shuffle& shuffle, ExecContext& ctx);

// After a loaded stage's FinishMapStage: checks its merged row counts against those stored
// with it (InternalError, naming the directory, when they differ) and says that it was
// reused: on standard error from rank 0 ("sluice: --resume: ... reused") and in EXPLAIN
// ANALYZE's note on the exchange.
void ReportLoadedStage(const ResumeDirectory::StageKey& key, const Exchange& exchange,
                       const ExchangeStats& stats, ExecContext& ctx);

}  // namespace sluice
