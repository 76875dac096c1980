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

namespace {

// Encoding scratch shared by every writer of the process: a parallel COPY writes one file
// per task, and each new writer would otherwise fault in fresh pages for its first row
// groups (expensive here: the COPY of 30M BIGINTs took twice as long). At most
// kPooledScratch sets are kept; more concurrent encoders allocate and free their own.
constexpr size_t kPooledScratch = 4;
std::mutex scratch_mutex;
std::vector<std::unique_ptr<ParquetChunkBuffers>>& FreeScratch() {
  static auto* free = new std::vector<std::unique_ptr<ParquetChunkBuffers>>();  // never destroyed
  return *free;
}

}  // namespace

std::unique_ptr<ParquetChunkBuffers> ParquetWriter::TakeScratch() {
  std::lock_guard<std::mutex> lock(scratch_mutex);
  auto& free = FreeScratch();
  if (free.empty()) return std::make_unique<ParquetChunkBuffers>();
  auto scratch = std::move(free.back());
  free.pop_back();
  return scratch;
}

void ParquetWriter::GiveBackScratch(std::unique_ptr<ParquetChunkBuffers> scratch) {
  std::lock_guard<std::mutex> lock(scratch_mutex);
  auto& free = FreeScratch();
  if (free.size() < kPooledScratch) free.push_back(std::move(scratch));
}

ParquetWriter::ParquetWriter(std::string path, Schema schema, ParquetWriteOptions options,
                             ThreadPool* encode_pool)
    : schema_(std::move(schema)), options_(options), encode_pool_(encode_pool) {
  if (options_.row_group_rows < 1) throw InvalidInputError("Parquet row group size must be positive");
  if (options_.page_bytes < 1) options_.page_bytes = 1;
  elements_ = ParquetSchemaFor(schema_, options_.field_ids);
  // The element of each top-level column (nested ones span several elements).
  for (size_t e = 1; e < elements_.size();) {
    element_of_.push_back(static_cast<int>(e));
    size_t subtree = 1;  // elements left in this column's subtree
    while (subtree > 0) {
      subtree += static_cast<size_t>(elements_[e].type ? 0 : elements_[e].num_children);
      subtree--;
      e++;
    }
  }
  path_ = std::move(path);
  offset_ = 4;  // "PAR1", written when File() creates the file
}

ParquetWriter::~ParquetWriter() = default;

AtomicFileWriter& ParquetWriter::File() {
  if (file_ == nullptr) {
    file_ = std::make_unique<AtomicFileWriter>(path_);
    file_->Write("PAR1");
  }
  return *file_;
}

void ParquetWriter::Write(const Batch& batch) {
  SLUICE_CHECK(!finished_);
  SLUICE_CHECK(batch.num_columns() == schema_.size(), "columns={} schema={}", batch.num_columns(),
               schema_.size());
  // Small batches (a Hive-partitioned write gives each file a few rows of every batch) are
  // copied together first: held one by one, their fixed costs would outweigh their rows.
  // Row groups smaller than a batch take the rows as they come (a table cutting small files).
  if (batch.num_rows() < kSmallBatchRows &&
      options_.row_group_rows >= static_cast<int64_t>(kBatchSize)) {
    if (small_ == nullptr) {
      small_ = std::make_unique<BatchBuilder>(schema_, kBatchSize);
      // What the builder allocates up front: kBatchSize values of at most 16 bytes a column.
      small_bytes_ = static_cast<int64_t>(kBatchSize * 16 * schema_.size());
    }
    small_->Append(batch, 0, batch.num_rows());
    small_bytes_ += static_cast<int64_t>(batch.MemoryBytes());
    if (small_->Full()) DrainSmall();
    return;
  }
  DrainSmall();
  AddRows(batch);
}

void ParquetWriter::DrainSmall() {
  if (small_ == nullptr) return;
  const Batch rows = small_->Finish();
  small_.reset();
  small_bytes_ = 0;
  if (rows.num_rows() > 0) AddRows(rows);
}

void ParquetWriter::AddRows(const Batch& batch) {
  size_t offset = 0;
  while (offset < batch.num_rows()) {
    const size_t room = static_cast<size_t>(options_.row_group_rows - pending_rows_);
    const size_t n = std::min(room, batch.num_rows() - offset);
    pending_.push_back(offset == 0 && n == batch.num_rows() ? batch : batch.Slice(offset, n));
    pending_bytes_ += static_cast<int64_t>(pending_.back().MemoryBytes());
    pending_rows_ += static_cast<int64_t>(n);
    offset += n;
    if (pending_rows_ >= options_.row_group_rows) FlushRowGroup();
  }
}

void ParquetWriter::FlushRowGroup() {
  if (pending_rows_ == 0) return;
  full_groups_.push_back(std::move(pending_));
  full_group_rows_.push_back(pending_rows_);
  pending_.clear();
  pending_rows_ = 0;
  full_bytes_ += pending_bytes_;
  pending_bytes_ = 0;
  // With a pool, as many row groups as it has threads are encoded together, so that one
  // slow column (long strings) does not leave the other threads idle.
  const size_t together = encode_pool_ != nullptr ? encode_pool_->threads() : 1;
  if (full_groups_.size() >= together) EncodeRowGroups();
}

void ParquetWriter::EncodeRowGroups() {
  const int groups = static_cast<int>(full_groups_.size());
  if (groups == 0) return;
  const int columns = static_cast<int>(schema_.size());
  // Each chunk is encoded as if it started at offset 0, then its page offsets are moved to
  // where it lands in the file, so chunks can be encoded independently (task g * columns +
  // c is column c of group g) and are written in file order after.
  column_buffers_.resize(static_cast<size_t>(groups) * columns);
  // A LIST or STRUCT column is several leaf chunks, one after the other in its buffer.
  std::vector<std::vector<parquet::ColumnMetaData>> metas(column_buffers_.size());
  std::vector<std::vector<int64_t>> starts(column_buffers_.size());
  auto encode = [&](int task) {
    const int g = task / columns, c = task % columns;
    std::string& buffer = column_buffers_[task];
    buffer.clear();
    metas[task].clear();
    starts[task].clear();
    std::unique_ptr<ParquetChunkBuffers> scratch = TakeScratch();
    if (schema_.field(c).type.IsNested()) {
      for (const ParquetShreddedLeaf& leaf :
           ShredNestedColumn(full_groups_[g], c, schema_.field(c).name)) {
        starts[task].push_back(static_cast<int64_t>(buffer.size()));
        metas[task].push_back(WriteParquetLeafChunk(leaf, options_, 0, &buffer, scratch.get()));
      }
    } else {
      starts[task].push_back(0);
      metas[task].push_back(WriteParquetColumnChunk(full_groups_[g], c, elements_[element_of_[c]],
                                                    options_, 0, &buffer, scratch.get()));
    }
    GiveBackScratch(std::move(scratch));
  };
  const int tasks = groups * columns;
  if (encode_pool_ != nullptr && tasks > 1) {
    encode_pool_->ParallelFor(tasks, encode);
  } else {
    for (int t = 0; t < tasks; t++) encode(t);
  }
  for (int g = 0; g < groups; g++) {
    parquet::RowGroup group;
    group.num_rows = full_group_rows_[g];
    for (int c = 0; c < columns; c++) {
      const int task = g * columns + c;
      for (size_t l = 0; l < metas[task].size(); l++) {
        parquet::ColumnMetaData& meta = metas[task][l];
        meta.data_page_offset += offset_;
        if (meta.dictionary_page_offset) *meta.dictionary_page_offset += offset_;
        parquet::ColumnChunk chunk;
        chunk.file_offset = offset_ + starts[task][l];
        group.total_byte_size += meta.total_uncompressed_size;
        chunk.meta_data = std::move(meta);
        group.columns.push_back(std::move(chunk));
      }
      File().Write(column_buffers_[task]);
      offset_ += static_cast<int64_t>(column_buffers_[task].size());
    }
    metadata_.row_groups.push_back(std::move(group));
    rows_ += full_group_rows_[g];
  }
  full_groups_.clear();
  full_group_rows_.clear();
  full_bytes_ = 0;
}

void ParquetWriter::Flush() {
  SLUICE_CHECK(!finished_);
  // Encoding the full row groups frees most; the one being filled ends early only when
  // there are none.
  DrainSmall();
  if (full_groups_.empty()) FlushRowGroup();
  EncodeRowGroups();
  ReleaseBuffers();
}

void ParquetWriter::ReleaseBuffers() { std::vector<std::string>().swap(column_buffers_); }

void ParquetWriter::Close() {
  SLUICE_CHECK(!finished_);
  DrainSmall();
  FlushRowGroup();
  EncodeRowGroups();
  metadata_.version = 1;
  metadata_.schema = elements_;
  metadata_.num_rows = rows_;
  metadata_.created_by = "Sluice";
  buffer_.clear();
  parquet::SerializeFileMetaData(metadata_, &buffer_);
  const uint32_t footer_len = static_cast<uint32_t>(buffer_.size());
  buffer_.append(reinterpret_cast<const char*>(&footer_len), 4);
  buffer_.append("PAR1");
  File().Write(buffer_);
  File().Commit();
  finished_ = true;
  std::string().swap(buffer_);
  ReleaseBuffers();
}

}  // namespace sluice
