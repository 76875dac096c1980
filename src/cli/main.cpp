#include "cli/cli.h"
#include "cli/interrupt_cleanup.h"
#include "mpi/mpi_job.h"

// jemalloc's options. A query frees and allocates again the same amounts (shuffle batches,
// hash tables), so freed pages are kept for reuse instead of being handed back to the OS and
// faulted in again; under a memory_limit the memory manager purges them when it refuses a
// reservation (common/memory.cpp):
//  - dirty/muzzy_decay_ms -1: no time-based purging (with 60 s, q21 at SF1 still faulted in
//    320 MB of fresh pages per run, 80k faults);
//  - lg_extent_max_active_fit 20: a freed extent may be split for a much smaller request.
//    jemalloc's default (6: at most 64x) leaves a freed hash table or column unused by the
//    next query's 16 KiB batches, which take fresh pages instead (q03: 33k faults per run);
//  - thp always: jemalloc asks for transparent huge pages on its memory (where the kernel's
//    THP mode is "madvise", as on Debian), so fresh memory faults in 2 MiB at a time: loading
//    TPC-H SF1 and running q03 three times went from 466k page faults to 4.7k, and from
//    7.7 s of user CPU to 3.2 s.
extern "C" {
const char* malloc_conf =
    "thp:always,dirty_decay_ms:-1,muzzy_decay_ms:-1,lg_extent_max_active_fit:20";
}

int main(int argc, char** argv) {
  // Before MPI starts its threads, so that they too leave the signals to the cleanup thread.
  sluice::InstallInterruptCleanup();
  // Under mpirun / srun, this process is one rank of an SPMD job (docs/scale-out.md); else
  // MPI is never initialized.
  std::unique_ptr<sluice::MpiJob> job = sluice::MpiJob::JoinIfLaunched();
  if (job == nullptr) return sluice::RunCli(argc, argv);
  sluice::SetProcessCluster(job->cluster());
  const int code = sluice::RunCli(argc, argv);
  sluice::SetProcessCluster(nullptr);
  // A rank that ended with an error alone would wait in MPI_Finalize for the others forever.
  if (code != 0 && job->size() > 1) job->Exit(code);
  return code;
}
