#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "io/data_writer.h"
#include "vector/batch.h"

namespace sluice {

// Opens the sink of one file at a path, for rows of a schema.
using FileSinkOpener =
    std::function<std::unique_ptr<DataSink>(const std::string& path, const Schema& schema)>;

// One task's share of a Hive-partitioned write: each row goes to
// root/k1=v1/k2=v2/part-<task><extension> by its partition column values (which the files do
// not store: they come back from the directory names). One file sink stays open per
// partition value the task has seen, so a task makes at most one file per partition (no
// small-file explosion from batch boundaries); when the rows they hold pass
// `max_buffered_bytes`, the largest holders write theirs out early (smaller row groups, the
// same files). Files appear only on Close. Not thread-safe: one per task.
class HivePartitionSink : public DataSink {
 public:
  // REQUIRES: `partition_columns` are distinct indices into `schema`, not all of them.
  HivePartitionSink(std::string root, const Schema& schema, std::vector<int> partition_columns,
                    std::string extension, FileSinkOpener open, int task,
                    int64_t max_buffered_bytes);
  ~HivePartitionSink() override;

  void Write(const Batch& batch) override;
  void Close() override;
  int64_t files_written() const { return static_cast<int64_t>(sinks_.size()); }

 private:
  struct Target {
    std::unique_ptr<DataSink> sink;
    std::vector<uint32_t> rows;  // of the current batch
  };
  Target& TargetFor(const std::string& directory);
  // Flushes the sinks holding the most until they hold at most half the budget.
  void BoundMemory();

  std::string root_;
  std::vector<int> partition_columns_;
  std::vector<int> data_columns_;
  Schema schema_;
  Schema data_schema_;
  std::string extension_;
  FileSinkOpener open_;
  int task_;
  int64_t max_buffered_bytes_;
  std::map<std::string, Target> sinks_;  // relative directory -> its file
};

}  // namespace sluice
