#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "tpch/tpch_schema.h"
#include "types/string_view.h"
#include "vector/batch.h"
#include "vector/column.h"

namespace sluice::tpch {

// Receives the batches of generated rows of one table, in row order.
using BatchSink = std::function<void(TpchTable table, const Batch& batch)>;

// Fills the columns of one table row by row and hands each full batch (kBatchSize rows) to
// a sink. Setters take the column index in TableSchema order and must match its type.
// Not thread-safe: one appender per generating task.
class RowAppender {
 public:
  RowAppender(TpchTable table, const BatchSink* sink);
  ~RowAppender();  // REQUIRES: Flush() was called (or no rows are pending)
  RowAppender(const RowAppender&) = delete;
  RowAppender& operator=(const RowAppender&) = delete;

  // BIGINT or INTEGER column.
  void Int(int column, int64_t value) {
    if (is_bigint_[column]) {
      columns_[column]->data<int64_t>()[row_] = value;
    } else {
      columns_[column]->data<int32_t>()[row_] = static_cast<int32_t>(value);
    }
  }
  // DECIMAL(15,2) column, value in cents.
  void Money(int column, int64_t cents) { columns_[column]->data<int64_t>()[row_] = cents; }
  // DATE column, days since 1970-01-01.
  void Date(int column, int32_t days) { columns_[column]->data<int32_t>()[row_] = days; }
  // VARCHAR column; the bytes are copied.
  void Text(int column, std::string_view text) {
    columns_[column]->data<StringView>()[row_] = columns_[column]->AddString(text);
  }
  // VARCHAR column whose bytes live for the whole process (the text pool): not copied.
  void StaticText(int column, std::string_view text) {
    columns_[column]->data<StringView>()[row_] =
        StringView(text.data(), static_cast<uint32_t>(text.size()));
  }
  // Completes the current row; emits the batch when it is full.
  void EndRow() {
    if (++row_ == kBatchSize) Flush();
  }
  // Emits the pending rows, if any.
  void Flush();

 private:
  void StartBatch();

  TpchTable table_;
  const BatchSink* sink_;
  std::vector<LogicalType> types_;
  std::vector<bool> is_bigint_;
  std::vector<std::shared_ptr<Column>> columns_;
  size_t row_ = 0;
};

}  // namespace sluice::tpch
