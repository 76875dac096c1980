#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "types/logical_type.h"
#include "vector/batch.h"
#include "vector/batch_stream.h"

namespace sluice {

// A temporary file of batches with one schema: appended one at a time (serialized with
// batch_serde, compressed with LZ4) and read back in write order by any number of readers.
// The file is deleted when this object is destroyed (the query's TempDirectory removes
// leftovers). Writes are not thread-safe (one owner); readers may run concurrently with
// each other once writing is done.
class SpillFile {
 public:
  // Creates (truncates) the file at `path`. Throws IOError on failure.
  SpillFile(std::string path, std::vector<LogicalType> types);
  ~SpillFile();
  SpillFile(const SpillFile&) = delete;
  SpillFile& operator=(const SpillFile&) = delete;

  // Appends `batch` (of the file's types). Returns the bytes written to disk.
  int64_t Write(const Batch& batch);
  // A stream over the batches written so far, in order. REQUIRES: this file outlives it.
  std::unique_ptr<BatchStream> OpenReader() const;

  const std::string& path() const { return path_; }
  const std::vector<LogicalType>& types() const { return types_; }
  int64_t bytes_on_disk() const { return offset_; }
  int64_t num_rows() const { return rows_; }
  int64_t num_batches() const { return batches_; }
  // The largest batch written, serialized and uncompressed: about what a reader holds in
  // memory for one batch (its decoded batch, and its raw and compressed frame buffers each
  // at most this).
  int64_t max_batch_bytes() const { return max_batch_bytes_; }

 private:
  std::string path_;
  std::vector<LogicalType> types_;
  int fd_ = -1;
  int64_t offset_ = 0;
  int64_t rows_ = 0;
  int64_t batches_ = 0;
  int64_t max_batch_bytes_ = 0;
};

}  // namespace sluice
