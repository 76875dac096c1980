#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/memory.h"
#include "shuffle/exchange_stats.h"
#include "shuffle/heavy_hitters.h"
#include "shuffle/local_shuffle.h"
#include "shuffle/shuffle_transport.h"
#include "shuffle/temp_directory.h"

namespace sluice {

class MpiCluster;

// An exchange whose map tasks run on several ranks (each rank its block of tasks). Every
// rank keeps the output of its own tasks in a LocalShuffle (so it spills under that rank's
// memory_limit); a read pulls each rank's rows for the partitions it names, from that rank's
// ShuffleServer (its own rows straight from memory), in the fixed order of one process
// (partition, then map task, then write order): the same bytes whatever the rank count.
// FinishMapStage gathers every rank's per-task statistics and key summaries, so Stats (and
// the adaptive decisions taken from them) are the same on every rank.
//
// The output stays readable (retained) until ReleaseAll: a broadcast partition is read by
// every rank, and a retried task reads again. Thread-safe across tasks, like LocalShuffle.
class MpiShuffle : public Shuffle {
 public:
  // `cluster`, `memory` (may be null), `temp` and spec.spilled_metric outlive the shuffle.
  // `id` is the same on every rank for the same exchange.
  MpiShuffle(MpiCluster* cluster, int64_t id, MemoryManager* memory, TempDirectory* temp,
             const ShuffleSpec& spec);
  ~MpiShuffle() override;

  std::unique_ptr<ShuffleWriter> OpenWriter(int task) override;
  std::unique_ptr<BatchStream> Open(const ShuffleRead& read) override;
  ExchangeStats Stats() const override;
  int partitions() const override { return partitions_; }
  int map_tasks() const override { return map_tasks_; }
  void set_retained(bool retained) override { (void)retained; }
  void FinishMapStage() override;
  void ReleaseAll() override;
  int64_t spilled_bytes() const override { return local_.spilled_bytes(); }

  // The server's side of a read: rows [row_begin, row_end) (row_end < 0: to the end) of this
  // rank's output for `partition`, as frames (a 64-bit length, then a batch_serde batch, or
  // with the length's top bit set, its size and the batch as an LZ4 block).
  std::string Serve(int partition, int64_t row_begin, int64_t row_end);

 private:
  class Writer;
  // A contiguous piece of one partition's rows held by one rank: rows [begin, end) of that
  // rank's own output for the partition.
  struct Piece {
    int rank = 0;
    int partition = 0;
    int64_t begin = 0;
    int64_t end = 0;
  };
  // The pieces `read` consists of, in read order. REQUIRES: FinishMapStage has run.
  std::vector<Piece> PiecesOf(const ShuffleRead& read) const;
  // This rank's committed tasks, their counts and key summaries, as bytes for the gather.
  std::string EncodeLocalStats() const;
  void DecodeStats(int rank, const std::string& bytes,
                   std::vector<std::optional<HeavyHitters>>* keys);

  MpiCluster* cluster_;
  int64_t id_;
  std::vector<LogicalType> types_;
  int map_tasks_;
  int partitions_;
  LocalShuffle local_;
  // Per map task run here: rows and bytes per partition ([task * partitions_ + p]), whether
  // it committed, its key summary. Each task's writer touches only its own entries.
  std::vector<int64_t> rows_;
  std::vector<int64_t> bytes_;
  std::vector<char> committed_;
  std::vector<std::optional<HeavyHitters>> summaries_;
  // After FinishMapStage, for every task of every rank: the rank that ran it (-1: none) and
  // its rows per partition; and the merged statistics.
  std::vector<int> holder_;
  std::vector<int64_t> all_rows_;
  ExchangeStats stats_;
  bool finished_ = false;
};

// Creates MpiShuffles for the exchanges of one query on one rank. Thread-safe.
class MpiShuffleTransport : public ShuffleTransport {
 public:
  // `cluster`, `memory` and `temp` outlive the transport and its shuffles.
  MpiShuffleTransport(MpiCluster* cluster, MemoryManager* memory, TempDirectory* temp)
      : cluster_(cluster), memory_(memory), temp_(temp) {}
  std::unique_ptr<Shuffle> Create(const ShuffleSpec& spec) override;

 private:
  MpiCluster* cluster_;
  MemoryManager* memory_;
  TempDirectory* temp_;
};

}  // namespace sluice
