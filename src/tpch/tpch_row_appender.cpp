#include "tpch/tpch_row_appender.h"

namespace sluice::tpch {

RowAppender::RowAppender(TpchTable table, const BatchSink* sink) : table_(table), sink_(sink) {
  const Schema schema = TableSchema(table);
  for (const Field& field : schema.fields()) {
    types_.push_back(field.type);
    is_bigint_.push_back(field.type.id() == TypeId::kBigInt);
  }
  StartBatch();
}

RowAppender::~RowAppender() = default;

void RowAppender::StartBatch() {
  columns_.clear();
  for (const LogicalType& type : types_) columns_.push_back(Column::Make(type, kBatchSize));
  row_ = 0;
}

void RowAppender::Flush() {
  if (row_ == 0) return;
  std::vector<ColumnPtr> columns;
  columns.reserve(columns_.size());
  for (auto& column : columns_) {
    column->set_size(row_);
    columns.push_back(std::move(column));
  }
  const Batch batch(std::move(columns), row_);
  StartBatch();
  (*sink_)(table_, batch);
}

}  // namespace sluice::tpch
