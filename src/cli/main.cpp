#include "cli/cli.h"
#include "cli/interrupt_cleanup.h"
#include "mpi/mpi_job.h"

// jemalloc's options: keep freed pages in the process for a minute instead of returning them
// to the OS after its default 10 s; first-touching fresh pages is expensive on the machines
// Sluice runs on (DESIGN.md), and batch queries reuse the same amounts again and again.
extern "C" {
const char* malloc_conf = "dirty_decay_ms:60000,muzzy_decay_ms:60000";
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
