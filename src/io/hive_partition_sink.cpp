#include "io/hive_partition_sink.h"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "common/error.h"
#include "io/hive_dataset.h"

namespace sluice {

HivePartitionSink::HivePartitionSink(std::string root, const Schema& schema,
                                     std::vector<int> partition_columns, std::string extension,
                                     FileSinkOpener open, int task, int64_t max_buffered_bytes)
    : root_(std::move(root)),
      partition_columns_(std::move(partition_columns)),
      schema_(schema),
      extension_(std::move(extension)),
      open_(std::move(open)),
      task_(task),
      max_buffered_bytes_(max_buffered_bytes) {
  for (int c = 0; c < static_cast<int>(schema.size()); c++) {
    if (std::find(partition_columns_.begin(), partition_columns_.end(), c) ==
        partition_columns_.end()) {
      data_columns_.push_back(c);
      data_schema_.Add(schema.field(c));
    }
  }
  SLUICE_CHECK(!data_columns_.empty(), "all {} columns are partition columns", schema.size());
}

HivePartitionSink::~HivePartitionSink() = default;

HivePartitionSink::Target& HivePartitionSink::TargetFor(const std::string& directory) {
  auto it = sinks_.find(directory);
  if (it != sinks_.end()) return it->second;
  Target& t = sinks_[directory];
  const std::filesystem::path dir = std::filesystem::path(root_) / directory;
  std::filesystem::create_directories(dir);
  t.sink = open_((dir / fmt::format("part-{}{}", task_, extension_)).string(), data_schema_);
  return t;
}

void HivePartitionSink::Write(const Batch& batch) {
  // Rows are grouped by partition directory, then each group is gathered once.
  std::vector<Target*> touched;
  std::string directory;
  std::string last_directory;
  Target* last = nullptr;
  for (size_t row = 0; row < batch.num_rows(); row++) {
    directory.clear();
    for (const int c : partition_columns_) {
      if (!directory.empty()) directory.push_back('/');
      directory += HivePathSegment(schema_.field(c).name, batch.column(c)->GetValue(row));
    }
    if (last == nullptr || directory != last_directory) {
      last = &TargetFor(directory);
      last_directory = directory;
      if (last->rows.empty()) touched.push_back(last);
    }
    last->rows.push_back(static_cast<uint32_t>(row));
  }
  const Batch data = batch.Project(data_columns_);
  for (Target* t : touched) {
    const Batch part = t->rows.size() == batch.num_rows()
                           ? data
                           : data.Gather(t->rows.data(), t->rows.size());
    t->sink->Write(part);
    t->rows.clear();
  }
  BoundMemory();
}

void HivePartitionSink::BoundMemory() {
  int64_t held = 0;
  for (const auto& [directory, t] : sinks_) held += t.sink->buffered_bytes();
  if (held <= max_buffered_bytes_) return;
  // Largest first, ties by directory: the same rows flush the same way on every run.
  std::vector<std::pair<int64_t, Target*>> by_size;
  for (auto& [directory, t] : sinks_) by_size.emplace_back(t.sink->buffered_bytes(), &t);
  std::stable_sort(by_size.begin(), by_size.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (const auto& [bytes, t] : by_size) {
    if (held <= max_buffered_bytes_ / 2 || bytes == 0) break;
    t->sink->Flush();
    held -= bytes - t->sink->buffered_bytes();
  }
}

void HivePartitionSink::Close() {
  // Each file's buffers go as soon as it is complete, not when the last one is.
  for (auto& [directory, t] : sinks_) {
    t.sink->Close();
    t.sink.reset();
  }
}

}  // namespace sluice
