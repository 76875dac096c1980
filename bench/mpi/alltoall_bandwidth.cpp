// MPI's own all-to-all bandwidth on this machine or cluster, the yardstick of the MPI
// shuffle (bench/mpi/run.sh): every rank sends `mib_per_peer` MiB to every other rank with
// MPI_Alltoall, `rounds` times; rank 0 prints the bytes each rank sent per second (the best
// round) as JSON. Usage: mpirun -n N alltoall_bandwidth [mib_per_peer] [rounds]
#include <mpi.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank = 0;
  int size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  const long mib = argc > 1 ? std::atol(argv[1]) : 32;
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 5;
  const long per_peer = mib << 20;
  std::vector<char> out(static_cast<size_t>(per_peer) * size, 1);
  std::vector<char> in(out.size(), 0);
  double best = 1e30;
  for (int r = 0; r < rounds; r++) {
    MPI_Barrier(MPI_COMM_WORLD);
    const double start = MPI_Wtime();
    MPI_Alltoall(out.data(), static_cast<int>(per_peer), MPI_BYTE, in.data(),
                 static_cast<int>(per_peer), MPI_BYTE, MPI_COMM_WORLD);
    double seconds = MPI_Wtime() - start;
    MPI_Allreduce(MPI_IN_PLACE, &seconds, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
    best = std::min(best, seconds);
  }
  if (rank == 0) {
    const double sent = static_cast<double>(per_peer) * (size - 1);
    std::printf("{\"ranks\": %d, \"mib_per_peer\": %ld, \"seconds\": %.6f, "
                "\"bytes_per_second_per_rank\": %.0f}\n",
                size, mib, best, sent / best);
  }
  MPI_Finalize();
  return 0;
}
