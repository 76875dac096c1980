#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <thread>

namespace sluice {

class MpiCluster;
class MpiShuffle;

// Answers other ranks' reads of this rank's exchange output: a thread that waits for read
// requests (MpiCluster::fetch_comm) and sends back the rows asked for. Shuffles register by
// an id that every rank gives the same exchange (they are created in the same order on all
// ranks). Started and stopped with the cluster. Thread-safe.
class ShuffleServer {
 public:
  // What a read asks for: rows [row_begin, row_end) of this rank's output for one partition
  // of one exchange, sent back on reply_comm with tag reply_tag.
  struct Request {
    int64_t shuffle = 0;  // -1: stop (sent by the server's own rank)
    int64_t partition = 0;
    int64_t row_begin = 0;
    int64_t row_end = -1;
    int64_t reply_tag = 0;
  };
  // The tag of requests on MpiCluster::fetch_comm.
  static constexpr int kRequestTag = 0;
  // The length sent instead of the rows when the rank holds no such exchange.
  static constexpr uint64_t kUnknownShuffle = ~uint64_t{0};

  explicit ShuffleServer(MpiCluster* cluster);
  ~ShuffleServer();
  ShuffleServer(const ShuffleServer&) = delete;
  ShuffleServer& operator=(const ShuffleServer&) = delete;

  // The id of the next exchange created in this process.
  int64_t NextShuffleId();
  // `shuffle` answers reads of `id` until Unregister. REQUIRES: outlives its registration.
  void Register(int64_t id, MpiShuffle* shuffle);
  void Unregister(int64_t id);

 private:
  void Serve();
  void Answer(const Request& request, int source);

  MpiCluster* cluster_;
  std::mutex mutex_;  // guards shuffles_; held while a read is answered
  std::map<int64_t, MpiShuffle*> shuffles_;
  int64_t next_id_ = 0;
  std::thread thread_;
};

}  // namespace sluice
