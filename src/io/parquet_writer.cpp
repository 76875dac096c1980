#include "io/parquet_writer.h"

#include "common/error.h"
#include "common/strings.h"
#include "io/parquet_column_writer.h"
#include "io/parquet_schema.h"

namespace sluice {

parquet::Codec ParseParquetCodec(const std::string& name) {
  const std::string n = ToLower(name);
  if (n == "snappy") return parquet::Codec::kSnappy;
  if (n == "zstd") return parquet::Codec::kZstd;
  if (n == "gzip") return parquet::Codec::kGzip;
  if (n == "lz4" || n == "lz4_raw") return parquet::Codec::kLz4Raw;
  if (n == "none" || n == "uncompressed") return parquet::Codec::kUncompressed;
  throw InvalidInputError(fmt::format(
      "Unknown Parquet compression \"{}\" (expected snappy, zstd, gzip, lz4 or uncompressed)", name));
}

ParquetWriter::ParquetWriter(std::string path, Schema schema, ParquetWriteOptions options)
    : schema_(std::move(schema)), options_(options) {
  if (options_.row_group_rows < 1) throw InvalidInputError("Parquet row group size must be positive");
  if (options_.page_bytes < 1) options_.page_bytes = 1;
  elements_ = ParquetSchemaFor(schema_);
  file_ = std::make_unique<AtomicFileWriter>(std::move(path));
  file_->Write("PAR1");
  offset_ = 4;
}

ParquetWriter::~ParquetWriter() = default;

void ParquetWriter::Append(const Batch& batch) {
  SLUICE_CHECK(!finished_);
  SLUICE_CHECK(batch.num_columns() == schema_.size(), "columns={} schema={}", batch.num_columns(),
               schema_.size());
  size_t offset = 0;
  while (offset < batch.num_rows()) {
    const size_t room = static_cast<size_t>(options_.row_group_rows - pending_rows_);
    const size_t n = std::min(room, batch.num_rows() - offset);
    pending_.push_back(offset == 0 && n == batch.num_rows() ? batch : batch.Slice(offset, n));
    pending_rows_ += static_cast<int64_t>(n);
    offset += n;
    if (pending_rows_ >= options_.row_group_rows) FlushRowGroup();
  }
}

void ParquetWriter::FlushRowGroup() {
  if (pending_rows_ == 0) return;
  parquet::RowGroup group;
  group.num_rows = pending_rows_;
  for (size_t c = 0; c < schema_.size(); c++) {
    buffer_.clear();
    parquet::ColumnChunk chunk;
    chunk.file_offset = offset_;
    chunk.meta_data = WriteParquetColumnChunk(pending_, static_cast<int>(c), elements_[c + 1],
                                              options_, offset_, &buffer_);
    group.total_byte_size += chunk.meta_data->total_uncompressed_size;
    file_->Write(buffer_);
    offset_ += static_cast<int64_t>(buffer_.size());
    group.columns.push_back(std::move(chunk));
  }
  metadata_.row_groups.push_back(std::move(group));
  rows_ += pending_rows_;
  pending_.clear();
  pending_rows_ = 0;
}

void ParquetWriter::Finish() {
  SLUICE_CHECK(!finished_);
  FlushRowGroup();
  metadata_.version = 1;
  metadata_.schema = elements_;
  metadata_.num_rows = rows_;
  metadata_.created_by = "Sluice";
  buffer_.clear();
  parquet::SerializeFileMetaData(metadata_, &buffer_);
  const uint32_t footer_len = static_cast<uint32_t>(buffer_.size());
  buffer_.append(reinterpret_cast<const char*>(&footer_len), 4);
  buffer_.append("PAR1");
  file_->Write(buffer_);
  file_->Commit();
  finished_ = true;
}

}  // namespace sluice
