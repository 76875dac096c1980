#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/thread_pool.h"
#include "io/file.h"
#include "io/file_writer.h"
#include "io/parquet_column_writer.h"
#include "io/parquet_metadata.h"
#include "io/parquet_options.h"
#include "vector/batch.h"
#include "vector/schema.h"

namespace sluice {

// Writes batches as a Parquet file that DuckDB, Spark and Arrow read with the same SQL
// types: every column OPTIONAL; DATE as INT32 DATE, TIMESTAMP as INT64
// TIMESTAMP(MICROS, not UTC-adjusted), DECIMAL as INT32 / INT64 / FIXED_LEN_BYTE_ARRAY(16)
// by precision, VARCHAR as BYTE_ARRAY STRING, INTERVAL as FIXED_LEN_BYTE_ARRAY(12)
// INTERVAL (micros rounded to millis, as the format stores). Rows are buffered per row
// group (options.row_group_rows) and encoded when full. The file appears at `path` only on
// Finish(); a writer destroyed without Finish leaves any previous file intact. Not
// thread-safe; with an `encode_pool`, as many full row groups as it has threads are
// encoded together, their column chunks in parallel (the bytes written are the same).
class ParquetWriter : public FileWriter {
 public:
  // Throws IOError when the temporary file cannot be created. `encode_pool` (optional) must
  // outlive the writer.
  ParquetWriter(std::string path, Schema schema, ParquetWriteOptions options = {},
                ThreadPool* encode_pool = nullptr);
  ~ParquetWriter();
  ParquetWriter(const ParquetWriter&) = delete;
  ParquetWriter& operator=(const ParquetWriter&) = delete;

  // REQUIRES: batch has the writer's schema (column types).
  void Append(const Batch& batch) override;
  // Writes the last row group and the footer, syncs and renames the file into place.
  // REQUIRES: called once, last.
  void Finish() override;
  int64_t rows_written() const override { return rows_; }

 private:
  // Ends the pending row group; encodes the full ones once there are enough of them.
  void FlushRowGroup();
  // Encodes the full row groups (their columns in parallel on encode_pool_) and writes them.
  void EncodeRowGroups();

  Schema schema_;
  ParquetWriteOptions options_;
  std::unique_ptr<AtomicFileWriter> file_;
  std::vector<parquet::SchemaElement> elements_;
  parquet::FileMetaData metadata_;
  std::vector<Batch> pending_;  // the row group being filled
  int64_t pending_rows_ = 0;
  std::vector<std::vector<Batch>> full_groups_;  // full row groups not yet encoded
  std::vector<int64_t> full_group_rows_;
  int64_t offset_ = 0;
  int64_t rows_ = 0;
  ThreadPool* encode_pool_;
  std::string buffer_;
  std::vector<std::string> column_buffers_;  // one encoded chunk per task (EncodeRowGroups)
  // Encoding scratch reused across columns and row groups: one set per concurrent encoder.
  std::mutex scratch_mutex_;
  std::vector<std::unique_ptr<ParquetChunkBuffers>> free_scratch_;
  bool finished_ = false;
};

}  // namespace sluice
