#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/memory.h"
#include "shuffle/shuffle_transport.h"
#include "shuffle/temp_directory.h"

namespace sluice {

// The processes of one SPMD job (MPI ranks, docs/scale-out.md): every process plans the same
// queries; each stage's tasks are dealt out among them in contiguous blocks (TaskBlock), and
// exchanges move rows between them through the transport NewTransport makes. A query runs
// in one process when its ExecContext has no cluster. Implemented above shuffle/ (mpi/).
//
// Collective calls (AllGather, Broadcast, Barrier) must be made by every process in the same
// order, from one thread per process (the thread that runs the scheduler). Other methods are
// thread-safe.
class Cluster {
 public:
  virtual ~Cluster() = default;

  virtual int rank() const = 0;
  virtual int size() const = 0;

  // Tasks [first, end) of a stage of `tasks` tasks belong to process `rank`: contiguous blocks
  // in rank order, the first `tasks % size` ranks one task more (one task: rank 0).
  struct TaskRange {
    int first = 0;
    int end = 0;
  };
  static TaskRange TaskBlock(int rank, int size, int tasks);
  TaskRange OwnedTasks(int tasks) const { return TaskBlock(rank(), size(), tasks); }

  // Collective: every process's `local`, indexed by rank. Any size (sent in chunks).
  virtual std::vector<std::string> AllGather(const std::string& local) = 0;
  // Collective: rank 0's `value` on every process (the others' are ignored).
  virtual std::string Broadcast(const std::string& value) = 0;
  // Collective: returns once every process has called it.
  virtual void Barrier() = 0;

  // Test hook (SLUICE_TEST_MPI_FAULT): this process dies or stops when the fault names it and
  // the current stage. Called at the end of each map stage and of a shared write's tasks.
  virtual void MaybeInjectFault() {}

  // The stage the scheduler runs now (0: none), named in failure and timeout messages.
  virtual void SetStage(int stage) = 0;
  // Ends the whole job because of a failure in this process: prints "sluice: rank R failed in
  // stage S: <message>" to the job's error output and stops every process. Never returns.
  [[noreturn]] virtual void Abort(const std::string& message) = 0;

  // A transport whose shuffles span the processes. `memory` and `temp` (this process's budget
  // and spill directory) outlive it.
  virtual std::unique_ptr<ShuffleTransport> NewTransport(MemoryManager* memory,
                                                         TempDirectory* temp) = 0;
};

// The cluster this process joined when it started (the CLI launched by mpirun), or null: new
// Sessions run their queries on it. Set once, before any Session exists.
Cluster* ProcessCluster();
void SetProcessCluster(Cluster* cluster);

}  // namespace sluice
