#include "io/file_set_target.h"

#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>

#include <fmt/format.h>

#include "common/error.h"
#include "common/strings.h"
#include "io/file_format.h"
#include "io/file_publish.h"
#include "io/hive_partition_sink.h"
#include "objstore/s3_location.h"

namespace sluice {

namespace {

namespace fs = std::filesystem;

class FileSetWriter;

// A task's sink as the writer sees it: reports its rows when it closes (so that only closed
// attempts count) and writes out what its file holds past the budget.
class TrackedSink : public DataSink {
 public:
  TrackedSink(std::unique_ptr<DataSink> inner, FileSetWriter* writer, int index,
              int64_t max_buffered_bytes)
      : inner_(std::move(inner)),
        writer_(writer),
        index_(index),
        max_buffered_bytes_(max_buffered_bytes) {}

  void Write(const Batch& batch) override {
    inner_->Write(batch);
    rows_ += static_cast<int64_t>(batch.num_rows());
    if (inner_->buffered_bytes() > max_buffered_bytes_) inner_->Flush();
  }
  void Close() override;
  int64_t buffered_bytes() const override { return inner_->buffered_bytes(); }
  void Flush() override { inner_->Flush(); }

 private:
  std::unique_ptr<DataSink> inner_;
  FileSetWriter* writer_;
  int index_;
  int64_t max_buffered_bytes_;
  int64_t rows_ = 0;
};

// One write of a FileSetTarget: part files under the staging directory until Commit.
class FileSetWriter : public DataWriter {
 public:
  // `joined`: another process began the write and cleared the staging directory.
  FileSetWriter(const FileFormat& format, OptionValues options, Schema schema, FileSetSpec spec,
                ThreadPool* pool, bool joined)
      : format_(format),
        options_(std::move(options)),
        schema_(std::move(schema)),
        spec_(std::move(spec)),
        pool_(pool),
        staging_(StagingDirectoryFor(spec_.path)) {
    if (spec_.layout == FileLayout::kSingleFile && !IsS3Path(spec_.path)) {
      const fs::path parent = fs::path(spec_.path).parent_path();
      if (!parent.empty() && !fs::is_directory(parent)) {
        throw IOError(fmt::format("Cannot create file '{}': directory '{}' does not exist",
                                  spec_.path, parent.string()));
      }
    }
    std::error_code ec;
    if (!joined) fs::remove_all(staging_, ec);
    fs::create_directories(staging_, ec);
    if (ec) {
      throw IOError(
          fmt::format("Cannot create directory '{}': {}", staging_.string(), ec.message()));
    }
  }

  ~FileSetWriter() override {
    if (committed_ || exported_) return;
    std::error_code ec;
    fs::remove_all(staging_, ec);
  }

  std::unique_ptr<DataSink> OpenSink(int index) override {
    std::unique_ptr<DataSink> sink;
    if (spec_.layout == FileLayout::kHivePartitioned) {
      auto open = [this](const std::string& path, const Schema& schema) {
        return format_.CreateFileSink(path, schema, options_, nullptr);
      };
      sink = std::make_unique<HivePartitionSink>(staging_.string(), schema_,
                                                 spec_.partition_columns,
                                                 format_.WriteExtension(), open, index,
                                                 spec_.max_buffered_bytes);
    } else {
      sink = format_.CreateFileSink(PartPath(index), schema_, options_, pool_);
    }
    return std::make_unique<TrackedSink>(std::move(sink), this, index, spec_.max_buffered_bytes);
  }

  void Commit() override {
    SLUICE_CHECK(!committed_, "commit of {} twice", spec_.path);
    if (spec_.layout == FileLayout::kSingleFile) {
      std::vector<std::string> parts;
      for (const auto& [index, rows] : closed_) parts.push_back(PartPath(index));
      if (parts.empty()) {
        format_.CreateFileSink(spec_.path, schema_, options_, nullptr)->Close();
      } else if (parts.size() == 1) {
        PublishFile(parts[0], spec_.path);
      } else {
        format_.ConcatenateFiles(parts, spec_.path, schema_, options_);
      }
    } else if (IsS3Path(spec_.path)) {
      PublishDirectoryToObjectStore(staging_, spec_.path);
    } else {
      // The old directory is moved aside, the new one into its place, then the old removed.
      const fs::path target(spec_.path);
      const fs::path old = spec_.path + ".tmp-old";
      std::error_code ec;
      fs::remove_all(old, ec);
      if (fs::exists(target)) PublishFile(target.string(), old.string());
      PublishFile(staging_.string(), target.string());
      fs::remove_all(old, ec);
    }
    committed_ = true;
    std::error_code ec;
    fs::remove_all(staging_, ec);
  }

  int64_t rows_written() const override {
    std::lock_guard lock(mutex_);
    int64_t rows = 0;
    for (const auto& [index, n] : closed_) rows += n;
    return rows;
  }

  // Lines "<sink index> <rows>": the part files are in the shared staging directory.
  std::string ExportSinks() override {
    std::lock_guard lock(mutex_);
    std::string out;
    for (const auto& [index, rows] : closed_) out += fmt::format("{} {}\n", index, rows);
    exported_ = true;
    return out;
  }

  void ImportSinks(const std::string& exported) override {
    std::lock_guard lock(mutex_);
    size_t at = 0;
    while (at < exported.size()) {
      const size_t end = exported.find('\n', at);
      SLUICE_CHECK(end != std::string::npos, "truncated sink list of {}", spec_.path);
      int index = 0;
      long long rows = 0;
      SLUICE_CHECK(std::sscanf(exported.c_str() + at, "%d %lld", &index, &rows) == 2,
                   "bad sink list of {}", spec_.path);
      closed_.emplace(index, rows);
      at = end + 1;
    }
  }

  void Closed(int index, int64_t rows) {
    std::lock_guard lock(mutex_);
    closed_[index] = rows;
  }

 private:
  std::string PartPath(int index) const {
    return (staging_ / fmt::format("part-{}{}", index, format_.WriteExtension())).string();
  }

  const FileFormat& format_;
  const OptionValues options_;
  const Schema schema_;
  const FileSetSpec spec_;
  ThreadPool* pool_;
  const fs::path staging_;
  mutable std::mutex mutex_;
  std::map<int, int64_t> closed_;  // sink index -> rows of its last closed attempt
  bool committed_ = false;
  bool exported_ = false;  // another process's writer commits (or removes) the parts
};

void TrackedSink::Close() {
  inner_->Close();
  writer_->Closed(index_, rows_);
}

}  // namespace

FileSetTarget::FileSetTarget(const FileFormat& format, OptionValues options, Schema schema,
                             FileSetSpec spec, ThreadPool* pool)
    : format_(format),
      options_(std::move(options)),
      schema_(std::move(schema)),
      spec_(std::move(spec)),
      pool_(pool) {
  if (spec_.layout == FileLayout::kHivePartitioned) {
    SLUICE_CHECK(!spec_.partition_columns.empty() &&
                     spec_.partition_columns.size() < schema_.size(),
                 "{} partition columns of {}", spec_.partition_columns.size(), schema_.size());
  }
}

std::unique_ptr<DataWriter> FileSetTarget::Begin() const {
  return std::make_unique<FileSetWriter>(format_, options_, schema_, spec_, pool_, false);
}

std::unique_ptr<DataWriter> FileSetTarget::BeginJoined() const {
  return std::make_unique<FileSetWriter>(format_, options_, schema_, spec_, pool_, true);
}

bool FileSetTarget::WritableByEveryProcess() const { return !IsS3Path(spec_.path); }

std::string FileSetTarget::Describe() const {
  std::string text =
      fmt::format("{} '{}' (FORMAT {}", spec_.statement, spec_.path, format_.name());
  if (spec_.layout == FileLayout::kHivePartitioned) {
    std::vector<std::string> names;
    for (const int c : spec_.partition_columns) names.push_back(schema_.field(c).name);
    text += fmt::format(", PARTITION_BY ({})", Join(names, ", "));
  }
  return text + ")";
}

}  // namespace sluice
