#pragma once

#include <memory>

#include "shuffle/cluster.h"

namespace sluice {

// This process's membership of an MPI job (mpirun, mpiexec, srun): MPI is initialized only
// when an MPI launcher started the process (JoinIfLaunched), so a plain `sluice` never
// touches MPI. Owns MPI's lifetime: MPI_Finalize runs when it is destroyed. One per process.
class MpiJob {
 public:
  // Joins the job when the environment shows an MPI launch (OMPI_COMM_WORLD_SIZE, PMIX_RANK,
  // PMI_SIZE, ...; SLUICE_MPI=0 never joins, SLUICE_MPI=1 always does), else returns null
  // without initializing MPI. In a job of more than one rank, ranks other than 0 send their
  // standard output to /dev/null (SLUICE_MPI_ALL_OUTPUT=1 keeps it): rank 0 prints results;
  // every rank keeps its error output, so an error that every rank meets is printed by each.
  // Exits the process with a message when MPI cannot give MPI_THREAD_MULTIPLE.
  static std::unique_ptr<MpiJob> JoinIfLaunched();
  // True when the environment shows that an MPI launcher started this process.
  static bool LaunchedByMpi();

  ~MpiJob();
  MpiJob(const MpiJob&) = delete;
  MpiJob& operator=(const MpiJob&) = delete;

  // The ranks of the job, or null in a job of one rank (queries then run as without MPI).
  Cluster* cluster() const { return cluster_.get(); }
  int rank() const { return rank_; }
  int size() const { return size_; }
  // Ends the job with `exit_code` from this rank (MPI_Abort), for a command that failed: a
  // rank that returned alone would wait forever in MPI_Finalize for the others. Never returns.
  [[noreturn]] void Exit(int exit_code);

 private:
  MpiJob(int rank, int size, std::unique_ptr<Cluster> cluster)
      : rank_(rank), size_(size), cluster_(std::move(cluster)) {}

  int rank_;
  int size_;
  std::unique_ptr<Cluster> cluster_;
};

}  // namespace sluice
