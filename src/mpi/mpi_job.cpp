#include "mpi/mpi_job.h"

#include <fcntl.h>
#include <mpi.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "mpi/mpi_cluster.h"

namespace sluice {

namespace {

bool EnvSet(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0';
}

// Sends this process's standard output to /dev/null.
void SilenceOutput() {
  std::fflush(stdout);
  const int null_fd = open("/dev/null", O_WRONLY);
  if (null_fd >= 0) {
    dup2(null_fd, STDOUT_FILENO);
    close(null_fd);
  }
}

}  // namespace

bool MpiJob::LaunchedByMpi() {
  if (const char* forced = std::getenv("SLUICE_MPI"); forced != nullptr && *forced != '\0') {
    return std::strcmp(forced, "0") != 0;
  }
  // Open MPI's mpirun, PMIx launchers (Open MPI 4/5, srun --mpi=pmix), PMI-1/2 launchers
  // (MPICH's hydra, srun --mpi=pmi2) and MVAPICH.
  return EnvSet("OMPI_COMM_WORLD_SIZE") || EnvSet("PMIX_RANK") || EnvSet("PMI_SIZE") ||
         EnvSet("PMI_RANK") || EnvSet("MV2_COMM_WORLD_SIZE");
}

std::unique_ptr<MpiJob> MpiJob::JoinIfLaunched() {
  if (!LaunchedByMpi()) return nullptr;
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_MULTIPLE, &provided);
  int rank = 0;
  int size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  if (provided < MPI_THREAD_MULTIPLE) {
    std::fprintf(stderr,
                 "sluice: rank %d: this MPI library does not support MPI_THREAD_MULTIPLE, which "
                 "the MPI shuffle needs\n",
                 rank);
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
  if (size == 1) return std::unique_ptr<MpiJob>(new MpiJob(rank, size, nullptr));
  if (rank > 0 && !EnvSet("SLUICE_MPI_ALL_OUTPUT")) SilenceOutput();
  return std::unique_ptr<MpiJob>(
      new MpiJob(rank, size, std::make_unique<MpiCluster>(STDERR_FILENO)));
}

MpiJob::~MpiJob() {
  cluster_.reset();
  MPI_Finalize();
}

void MpiJob::Exit(int exit_code) {
  std::fflush(stdout);
  std::fflush(stderr);
  MPI_Abort(MPI_COMM_WORLD, exit_code);
  std::_Exit(exit_code);
}

}  // namespace sluice
