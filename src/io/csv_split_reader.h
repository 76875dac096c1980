#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "io/csv_scan.h"
#include "io/csv_tokenizer.h"
#include "io/file.h"
#include "vector/batch_stream.h"

namespace sluice {

// Reads the rows of one CsvSplit into batches of up to kBatchSize rows holding the projected
// columns. Reads with large pread calls into a pooled buffer, tokenizes a run of rows, then
// converts column by column straight into the batch's typed buffers. Errors name the file,
// line, column and value; the line is counted from the file start only when one happens.
// REQUIRES: `context` and `file` outlive the reader. One thread at a time (BatchStream).
class CsvSplitReader : public BatchStream {
 public:
  CsvSplitReader(const CsvScanContext& context, const CsvScanFile& file, const CsvSplit& split,
                 std::vector<int> columns);
  bool Next(Batch* out) override;

 private:
  // A tokenized row not yet converted; offsets into buffer_.
  struct PendingRow {
    uint32_t start;
    uint32_t next;
  };

  void Begin();
  // Tokenizes one row into the pending run (or reports it as bad); sets done_ at the end.
  void ReadRow();
  // Drops buffer bytes before `keep_from` and reads more after the rest.
  void Refill(size_t keep_from);
  // Converts the pending rows into the batch's columns.
  void Flush();
  // Converts column `c` of pending rows [from, to) into `column` at batch_rows_ + i; returns
  // the first row that failed, or `to`.
  size_t ConvertRange(Column* column, int c, size_t from, size_t to);
  void CompactBatch(const std::vector<uint8_t>& bad);
  void StartBatch();

  void ReportRowError(const CsvTokenizer::Row& row, std::string message, int column);
  [[noreturn]] void ThrowLineTooLong(size_t row_start);
  // "Error reading CSV 'f' line L, column C ("name")"; column is 1-based, 0 for none.
  std::string Where(int64_t line, int column) const;
  // 1-based line of the byte at `offset` in the file.
  int64_t LineAt(int64_t offset);
  std::string_view RawLine(size_t start, size_t next) const;

  const CsvScanContext& context_;
  const CsvScanFile& file_;
  CsvSplit split_;
  std::vector<int> columns_;
  int num_columns_;
  CsvTokenizer tokenizer_;
  FileReader reader_;
  std::unique_ptr<PooledBuffer> buffer_;
  bool null_is_empty_only_;

  bool started_ = false;
  bool done_ = false;
  bool eof_ = false;
  int64_t buffer_offset_ = 0;  // file offset of buffer_->data()[0]
  size_t filled_ = 0;
  size_t pos_ = 0;

  size_t run_rows_ = 0;                    // rows tokenized before converting them
  std::unique_ptr<CsvField[]> fields_;     // run_rows_ x num_columns_
  std::vector<PendingRow> pending_;
  std::vector<std::shared_ptr<Column>> batch_columns_;
  size_t batch_rows_ = 0;
  std::string scratch_;

  // Lines counted so far: the byte at line_offset_ is on line line_number_.
  int64_t line_offset_ = 0;
  int64_t line_number_ = 1;
};

}  // namespace sluice
