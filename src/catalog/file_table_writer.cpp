#include "catalog/file_table_writer.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "catalog/bucketing.h"
#include "catalog/iceberg_commit.h"
#include "catalog/partitioning.h"
#include "common/error.h"
#include "io/parquet_reader.h"
#include "io/parquet_statistics.h"
#include "io/parquet_writer.h"
#include "io/stored_files.h"

namespace sluice {

// The data files of one task. Files are cut at batch boundaries once they hold the store's
// target_file_rows rows, so the layout depends only on the rows given to each sink. A sink
// holds its first kSmallSinkRows rows in memory: one that never gets more gives them to the
// writer, which writes the rows of all such sinks together at commit (in sink order), so a
// small write of many partitions makes one file rather than one per partition.
class FileTableStore::Writer::Sink : public DataSink {
 public:
  Sink(Writer& writer, int index)
      : writer_(writer),
        index_(index),
        target_rows_(writer.target_file_rows_),
        open_(static_cast<size_t>(
            writer.next_.buckets.bucketed() ? writer.next_.buckets.num_buckets : 1)),
        layout_(PartitionLayoutOf(writer.next_.schema, writer.next_.buckets.partition_by)) {
    options_.row_group_rows = std::min(kRowGroupRows, target_rows_);
    // Iceberg data files: each column carries its field id.
    options_.field_ids = writer.next_.field_ids;
  }

  void Write(const Batch& batch) override {
    if (batch.num_rows() == 0) return;
    writer_.rows_ += static_cast<int64_t>(batch.num_rows());
    if (streaming_) {
      WriteRows(batch);
      return;
    }
    held_.push_back(batch);
    held_rows_ += static_cast<int64_t>(batch.num_rows());
    if (held_rows_ >= kSmallSinkRows) {
      streaming_ = true;
      for (const auto& b : held_) WriteRows(b);
      held_.clear();
    }
  }

  void Close() override {
    for (size_t b = 0; b < open_.size(); b++) {
      if (open_[b].writer != nullptr) Finish(b);
    }
    std::lock_guard lock(writer_.mutex_);
    writer_.files_[index_] = std::move(files_);
    if (held_.empty()) {
      writer_.small_.erase(index_);
    } else {
      writer_.small_[index_] = std::move(held_);
    }
  }

  // Rows a sink holds before it writes files of its own.
  static constexpr int64_t kSmallSinkRows = 16384;

  // Writes `rows` to files now: the rows of small sinks, counted when they were written.
  void WriteAll(const std::vector<Batch>& rows) {
    streaming_ = true;
    for (const auto& b : rows) WriteRows(b);
  }

 private:
  struct OpenFile {
    std::unique_ptr<ParquetWriter> writer;
    std::string relative;
    std::vector<Value> partition;  // partitioned tables: the tuple of the file's rows
  };

  void WriteRows(const Batch& batch) {
    const Snapshot& next = writer_.next_;
    if (!layout_.empty()) {
      // One file per partition tuple (open_[0] is left unused).
      for (auto& part : SplitIntoPartitions(next.schema, layout_, batch)) {
        auto [it, added] = partitions_.emplace(PartitionKey(part.partition), open_.size());
        if (added) {
          open_.emplace_back();
          open_.back().partition = std::move(part.partition);
        }
        WriteTo(it->second, part.rows);
      }
      return;
    }
    if (!next.buckets.bucketed()) {
      WriteTo(0, batch);
      return;
    }
    const auto split = SplitIntoBuckets(next.schema, next.buckets, {batch});
    for (size_t b = 0; b < split.size(); b++) {
      for (const auto& part : split[b]) WriteTo(b, part);
    }
  }

  void WriteTo(size_t bucket, const Batch& batch) {
    if (batch.num_rows() == 0) return;
    OpenFile& f = open_[bucket];
    if (f.writer == nullptr) {
      {
        std::lock_guard lock(writer_.mutex_);
        f.relative = writer_.store_.NewDataFile(
            &writer_.write_, writer_.next_.buckets.bucketed() ? static_cast<int>(bucket) : -1);
      }
      f.writer = std::make_unique<ParquetWriter>(writer_.store_.dir_ + "/" + f.relative,
                                                 writer_.next_.schema, options_);
    }
    f.writer->Write(batch);
    if (f.writer->rows_written() >= target_rows_) Finish(bucket);
  }

  void Finish(size_t bucket) {
    OpenFile& f = open_[bucket];
    f.writer->Close();
    Snapshot::DataFile file;
    file.path = f.relative;
    file.rows = f.writer->rows_written();
    const std::string path = writer_.store_.dir_ + "/" + f.relative;
    file.bytes = StoredFileSize(path).value_or(0);
    if (writer_.next_.buckets.bucketed()) file.bucket = static_cast<int>(bucket);
    file.partition = f.partition;
    file.metrics = MetricsOf(writer_.next_.schema, writer_.next_.field_ids,
                             ParquetFileStats(f.writer->metadata(), path), file.rows);
    files_.push_back(std::move(file));
    f.writer.reset();
  }

  Writer& writer_;
  const int index_;
  const int64_t target_rows_;
  ParquetWriteOptions options_;
  std::vector<OpenFile> open_;  // per bucket (one when not bucketed), then per partition
  const PartitionLayout layout_;
  std::map<std::string, size_t> partitions_;  // PartitionKey -> index in open_
  std::vector<Snapshot::DataFile> files_;
  bool streaming_ = false;   // files are written as rows come
  std::vector<Batch> held_;  // the first rows, until streaming_
  int64_t held_rows_ = 0;
};

FileTableStore::Writer::Writer(FileTableStore& store, Snapshot next, int64_t base, bool append)
    : store_(store),
      next_(std::move(next)),
      base_(base),
      append_(append),
      target_file_rows_(store.target_file_rows_) {}

FileTableStore::Writer::~Writer() {
  std::lock_guard lock(mutex_);
  if (!committed_ && !exported_) DiscardWrites(&write_);
}

std::string FileTableStore::Writer::ExportSinks() {
  std::lock_guard lock(mutex_);
  SLUICE_CHECK(!committed_ && !exported_, "table {}: a write exported twice", store_.name_);
  SLUICE_CHECK(next_.buckets.partition_by.empty(),
               "table {}: a partitioned table's write cannot be shared", store_.name_);
  nlohmann::json sinks = nlohmann::json::array();
  for (const auto& [index, files] : files_) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& f : files) {
      list.push_back(
          {{"path", f.path}, {"rows", f.rows}, {"bucket", f.bucket}, {"bytes", f.bytes}});
    }
    sinks.push_back({{"index", index}, {"files", std::move(list)}});
  }
  nlohmann::json small = nlohmann::json::array();
  for (const auto& [index, rows] : small_) {
    const std::string relative = store_.NewDataFile(&write_, -1);
    ParquetWriteOptions options;
    options.field_ids = next_.field_ids;
    ParquetWriter file(store_.dir_ + "/" + relative, next_.schema, options);
    for (const auto& b : rows) file.Write(b);
    file.Close();
    small.push_back({{"index", index}, {"path", relative}});
  }
  exported_ = true;
  return nlohmann::json{{"sinks", std::move(sinks)}, {"small", std::move(small)}}.dump();
}

void FileTableStore::Writer::ImportSinks(const std::string& exported) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(exported);
  } catch (const nlohmann::json::exception& e) {
    SLUICE_CHECK(false, "table {}: bad exported sinks: {}", store_.name_, e.what());
  }
  std::lock_guard lock(mutex_);
  SLUICE_CHECK(!committed_, "table {}: sinks imported after the commit", store_.name_);
  for (const auto& sink : doc.at("sinks")) {
    std::vector<Snapshot::DataFile> files;
    for (const auto& f : sink.at("files")) {
      Snapshot::DataFile file;
      file.path = f.at("path").get<std::string>();
      file.rows = f.at("rows").get<int64_t>();
      file.bucket = f.at("bucket").get<int>();
      file.bytes = f.at("bytes").get<int64_t>();
      // The manifest's column metrics, from the footer, as the writing sink computed them.
      const std::string path = store_.dir_ + "/" + file.path;
      file.metrics = MetricsOf(next_.schema, next_.field_ids,
                               ParquetFileStats(ReadParquetFooter(path).metadata, path), file.rows);
      rows_ += file.rows;
      // Removed with this writer's own files unless the commit succeeds.
      write_.written.push_back(store_.dir_ + "/" + file.path);
      files.push_back(std::move(file));
    }
    files_.emplace(sink.at("index").get<int>(), std::move(files));
  }
  for (const auto& entry : doc.at("small")) {
    const std::string path = store_.dir_ + "/" + entry.at("path").get<std::string>();
    std::vector<Batch> rows;
    {
      const auto source = ParquetSource::Open(path);
      std::vector<int> columns(source->schema().size());
      for (size_t c = 0; c < columns.size(); c++) columns[c] = static_cast<int>(c);
      for (int split = 0; split < source->num_splits(); split++) {
        auto stream = source->Open(split, columns);
        Batch b;
        while (stream->Next(&b)) {
          rows_ += static_cast<int64_t>(b.num_rows());
          rows.push_back(std::move(b));
        }
      }
    }
    RemoveStoredFile(path);
    small_.emplace(entry.at("index").get<int>(), std::move(rows));
  }
}

std::unique_ptr<DataSink> FileTableStore::Writer::OpenSink(int index) {
  {
    std::lock_guard lock(mutex_);
    // A retried task opens its index again; its Close replaces the failed attempt's rows.
    SLUICE_CHECK(index >= 0 && !committed_, "sink {} opened after the commit", index);
  }
  return std::make_unique<Sink>(*this, index);
}

void FileTableStore::Writer::Commit() {
  std::map<int, std::vector<Batch>> small;
  {
    std::lock_guard lock(mutex_);
    SLUICE_CHECK(!committed_, "table {}: a write committed twice", store_.name_);
    small.swap(small_);
  }
  if (!small.empty()) {
    // One sink for the rows of every small sink, listed after the tasks' own files.
    Sink rest(*this, kSmallRowsIndex);
    for (const auto& [index, rows] : small) rest.WriteAll(rows);
    rest.Close();
  }
  std::lock_guard lock(mutex_);
  std::vector<Snapshot::DataFile> added;
  for (auto& [index, files] : files_) {
    added.insert(added.end(), std::make_move_iterator(files.begin()),
                 std::make_move_iterator(files.end()));
  }
  // A bucketed table lists its files by bucket (sink order within one).
  std::stable_sort(added.begin(), added.end(),
                   [](const auto& a, const auto& b) { return a.bucket < b.bucket; });
  Snapshot next = next_;
  for (const auto& f : added) {
    next.row_count += f.rows;
    next.files.push_back(f);
  }
  store_.Commit(std::move(next), base_, append_ || replaced_ ? &added : nullptr, &write_,
                replaced_ ? &*replaced_ : nullptr);
  committed_ = true;
}

}  // namespace sluice
