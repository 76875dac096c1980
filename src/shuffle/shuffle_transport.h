#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "shuffle/shuffle_reader.h"
#include "shuffle/shuffle_writer.h"
#include "types/logical_type.h"

namespace sluice {

// The data of one exchange as a transport holds it: map tasks write through writers, reduce
// tasks read through the ShuffleReader side. Thread-safe across tasks.
class Shuffle : public ShuffleReader {
 public:
  // A writer for one attempt of map task `task`. REQUIRES: 0 <= task < map_tasks(); the
  // previous writer of that task committed or aborted.
  virtual std::unique_ptr<ShuffleWriter> OpenWriter(int task) = 0;
  virtual int map_tasks() const = 0;
  // Retained mode (task retries, skew splits): reading keeps the data, so a partition can
  // be read again. REQUIRES: set before any read.
  virtual void set_retained(bool retained) = 0;
  // Called once by the scheduler when every map task this process runs has committed, before
  // any read or Stats: a transport spanning processes makes every process's output readable
  // and its statistics global here (collective: every process calls it, in the same order).
  virtual void FinishMapStage() {}
  // Drops all data (statistics stay); no read may follow. Across processes, collective: it
  // returns once no process reads the data any more.
  virtual void ReleaseAll() = 0;
  // Bytes written to spill files so far.
  virtual int64_t spilled_bytes() const = 0;
};

// What an exchange asks of its transport.
struct ShuffleSpec {
  std::vector<LogicalType> types;  // the rows' column types
  int map_tasks = 1;
  int partitions = 1;  // written partitions (WrittenPartitions of the target)
  std::atomic<int64_t>* spilled_metric = nullptr;  // also counts spilled bytes; may be null
};

// Creates the shuffles of a query: in process (LocalShuffleTransport) or across the
// processes of a Cluster (mpi/mpi_shuffle.h). Thread-safe.
class ShuffleTransport {
 public:
  virtual ~ShuffleTransport() = default;
  virtual std::unique_ptr<Shuffle> Create(const ShuffleSpec& spec) = 0;
};

}  // namespace sluice
