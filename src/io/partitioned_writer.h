#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "io/file_writer.h"
#include "vector/batch.h"

namespace sluice {

// One task's share of a Hive-partitioned write: each row goes to
// root/k1=v1/k2=v2/part-<task><target.extension> by its partition column values (which the
// files do not store: they come back from the directory names). One writer stays open per
// partition value the task has seen, so a task makes at most one file per partition (no
// small-file explosion from batch boundaries). Files appear only on Finish (each written atomically).
// Not thread-safe: one per task.
class PartitionedWriter {
 public:
  // REQUIRES: `partition_columns` are distinct indices into `schema`, not all of them.
  PartitionedWriter(std::string root, const Schema& schema, std::vector<int> partition_columns,
                    FileTarget target, int task);
  ~PartitionedWriter();

  void Append(const Batch& batch);
  void Finish();
  int64_t rows_written() const { return rows_; }
  int64_t files_written() const { return static_cast<int64_t>(writers_.size()); }

 private:
  struct Target {
    std::unique_ptr<FileWriter> writer;
    std::vector<uint32_t> rows;  // of the current batch
  };
  Target& TargetFor(const std::string& directory);

  std::string root_;
  std::vector<int> partition_columns_;
  std::vector<int> data_columns_;
  Schema schema_;
  Schema data_schema_;
  FileTarget target_;
  int task_;
  std::map<std::string, Target> writers_;  // relative directory -> its file
  int64_t rows_ = 0;
};

}  // namespace sluice
