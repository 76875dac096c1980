#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/thread_pool.h"
#include "io/file.h"
#include "io/data_writer.h"
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
// group (options.row_group_rows) and encoded when full (or on Flush). The file appears at
// `path` only on Close(); a writer destroyed without Close leaves any previous file intact.
// Not thread-safe; with an `encode_pool`, as many full row groups as it has threads are
// encoded together, their column chunks in parallel (the bytes written are the same).
class ParquetWriter : public DataSink {
 public:
  // The temporary file is created when the first row group is written (or at Close), so that
  // writers that hold only buffered rows (a partitioned write's many small partitions) hold no
  // file descriptor; IOError then when it cannot be created. `encode_pool` (optional) must
  // outlive the writer.
  ParquetWriter(std::string path, Schema schema, ParquetWriteOptions options = {},
                ThreadPool* encode_pool = nullptr);
  ~ParquetWriter();
  ParquetWriter(const ParquetWriter&) = delete;
  ParquetWriter& operator=(const ParquetWriter&) = delete;

  // REQUIRES: batch has the writer's schema (column types).
  void Write(const Batch& batch) override;
  // Writes the last row group and the footer, syncs and renames the file into place.
  // REQUIRES: called once, last.
  void Close() override;
  // The rows held for row groups not yet encoded.
  int64_t buffered_bytes() const override { return small_bytes_ + pending_bytes_ + full_bytes_; }
  // Encodes the full row groups held; with none, ends the row group being filled early.
  void Flush() override;
  int64_t rows_written() const { return rows_; }
  // The footer written. REQUIRES: Close() was called.
  const parquet::FileMetaData& metadata() const { return metadata_; }

  // Joins Parquet files of one schema into one file at `path` (atomically): their row
  // groups in order, the bytes copied as they are and the footer's offsets moved.
  // Throws IOError / InvalidInputError when a part cannot be read.
  static void Concatenate(const std::vector<std::string>& parts, const std::string& path);

 private:
  // Batches of fewer rows are gathered into one of kBatchSize rows before they are held.
  static constexpr size_t kSmallBatchRows = 512;
  // Adds the rows gathered in small_ to the row group being filled.
  void DrainSmall();
  // Adds `batch` to the row group being filled, ending it (and starting the next) when full.
  void AddRows(const Batch& batch);
  // Ends the pending row group; encodes the full ones once there are enough of them.
  void FlushRowGroup();
  // Encodes the full row groups (their columns in parallel on encode_pool_) and writes them.
  void EncodeRowGroups();
  // Frees the encoding buffers kept for the next row group (after Flush, Close).
  void ReleaseBuffers();

  Schema schema_;
  ParquetWriteOptions options_;
  // The file being written, created by File() on first use.
  AtomicFileWriter& File();
  std::string path_;
  std::unique_ptr<AtomicFileWriter> file_;
  std::vector<parquet::SchemaElement> elements_;
  std::vector<int> element_of_;  // schema element of each top-level column
  parquet::FileMetaData metadata_;
  std::unique_ptr<BatchBuilder> small_;  // small batches not yet added, or null
  int64_t small_bytes_ = 0;              // small_'s allocation plus the batches copied in
  std::vector<Batch> pending_;  // the row group being filled
  int64_t pending_rows_ = 0;
  std::vector<std::vector<Batch>> full_groups_;  // full row groups not yet encoded
  std::vector<int64_t> full_group_rows_;
  int64_t offset_ = 0;
  int64_t rows_ = 0;
  int64_t pending_bytes_ = 0;  // of pending_
  int64_t full_bytes_ = 0;     // of full_groups_
  ThreadPool* encode_pool_;
  std::string buffer_;
  std::vector<std::string> column_buffers_;  // one encoded chunk per task (EncodeRowGroups)
  // Encoding scratch from the process-wide pool (one set per concurrent encoder).
  static std::unique_ptr<ParquetChunkBuffers> TakeScratch();
  static void GiveBackScratch(std::unique_ptr<ParquetChunkBuffers> scratch);
  bool finished_ = false;
};

}  // namespace sluice
