#pragma once

#include <mpi.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "shuffle/cluster.h"

namespace sluice {

class ShuffleServer;

// The ranks of MPI_COMM_WORLD as a Cluster. Collectives are built from nonblocking
// point-to-point messages on a communicator of their own, so that a wait can time out and
// name the ranks it still waits for (MPI's blocking collectives would wait forever for a
// rank that hangs). Byte strings of any size travel as a 64-bit length and chunks under MPI's
// int count limit. Owns the ShuffleServer that answers other ranks' exchange reads.
//
// REQUIRES: MPI initialized with MPI_THREAD_MULTIPLE (shuffle reads run on worker threads).
// Thread-safety: as Cluster; SendBytes, ReceiveBytes and Wait are thread-safe.
class MpiCluster : public Cluster {
 public:
  // `error_fd`: where failure messages go (the job's error output, also on ranks whose
  // standard error was silenced).
  explicit MpiCluster(int error_fd);
  ~MpiCluster() override;

  int rank() const override { return rank_; }
  int size() const override { return size_; }
  std::vector<std::string> AllGather(const std::string& local) override;
  std::string Broadcast(const std::string& value) override;
  void Barrier() override;
  void SetStage(int stage) override;
  [[noreturn]] void Abort(const std::string& message) override;
  std::unique_ptr<ShuffleTransport> NewTransport(MemoryManager* memory,
                                                 TempDirectory* temp) override;

  // Sends `data` to `peer` as a length then chunks, all with `tag` on `comm`; returns once
  // sent. `what` names the transfer in a timeout message.
  void SendBytes(MPI_Comm comm, int peer, int tag, std::string_view data, std::string_view what);
  // Receives what SendBytes sent with the same comm, peer and tag.
  std::string ReceiveBytes(MPI_Comm comm, int peer, int tag, std::string_view what);
  // Waits for `requests` (requests[i] talks to rank peers[i]); past the timeout, Abort names
  // the ranks whose requests are still pending.
  void Wait(std::vector<MPI_Request>& requests, const std::vector<int>& peers,
            std::string_view what);

  // Exchange reads: requests to a rank's server, and the replies (a tag per request).
  MPI_Comm fetch_comm() const { return fetch_comm_; }
  MPI_Comm reply_comm() const { return reply_comm_; }
  // A reply tag for one read of this process (unique among its reads in flight).
  int NextReplyTag();
  ShuffleServer& server() { return *server_; }
  int stage() const { return stage_.load(); }

  // Test hooks (SLUICE_TEST_MPI_FAULT=abort:RANK:STAGE or hang:RANK:STAGE): this rank dies
  // (std::abort) or stops answering at the end of map stage STAGE, before its exchange, or
  // when STAGE is a final stage writing files, after its tasks wrote theirs and before the
  // commit.
  void MaybeInjectFault() override;

  // Bytes this process sent to and received from other ranks (all traffic).
  int64_t bytes_sent() const { return bytes_sent_.load(); }
  int64_t bytes_received() const { return bytes_received_.load(); }

  // Whether exchange rows travel LZ4-compressed where that pays (SLUICE_MPI_COMPRESSION:
  // "lz4", the default, or "none"), and the serialized bytes of the rows this rank served
  // before and after compression.
  bool compress_shuffle() const { return compress_shuffle_; }
  void CountServed(int64_t raw, int64_t sent) {
    served_raw_ += raw;
    served_sent_ += sent;
  }

 private:
  int rank_ = 0;
  int size_ = 1;
  int error_fd_;
  double timeout_seconds_;
  int64_t chunk_bytes_;
  MPI_Comm collective_comm_ = MPI_COMM_NULL;
  MPI_Comm fetch_comm_ = MPI_COMM_NULL;
  MPI_Comm reply_comm_ = MPI_COMM_NULL;
  int max_tag_ = 32767;
  std::atomic<int> next_reply_tag_{0};
  std::atomic<int> stage_{0};
  std::atomic<int64_t> bytes_sent_{0};
  std::atomic<int64_t> bytes_received_{0};
  bool compress_shuffle_ = true;
  std::atomic<int64_t> served_raw_{0};
  std::atomic<int64_t> served_sent_{0};
  std::string fault_;  // the test hook's kind ("abort", "hang") when it targets this rank
  int fault_stage_ = -1;
  std::unique_ptr<ShuffleServer> server_;
};

}  // namespace sluice
