#include "io/partitioned_writer.h"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "common/error.h"
#include "io/hive_dataset.h"

namespace sluice {

PartitionedWriter::PartitionedWriter(std::string root, const Schema& schema,
                                     std::vector<int> partition_columns,
                                     FileTarget target, int task)
    : root_(std::move(root)),
      partition_columns_(std::move(partition_columns)),
      schema_(schema),
      target_(std::move(target)),
      task_(task) {
  for (int c = 0; c < static_cast<int>(schema.size()); c++) {
    if (std::find(partition_columns_.begin(), partition_columns_.end(), c) ==
        partition_columns_.end()) {
      data_columns_.push_back(c);
      data_schema_.Add(schema.field(c));
    }
  }
  SLUICE_CHECK(!data_columns_.empty(), "all {} columns are partition columns", schema.size());
}

PartitionedWriter::~PartitionedWriter() = default;

PartitionedWriter::Target& PartitionedWriter::TargetFor(const std::string& directory) {
  auto it = writers_.find(directory);
  if (it != writers_.end()) return it->second;
  Target& t = writers_[directory];
  const std::filesystem::path dir = std::filesystem::path(root_) / directory;
  std::filesystem::create_directories(dir);
  const std::string path =
      (dir / fmt::format("part-{}{}", task_, target_.extension)).string();
  t.writer = target_.open(path, data_schema_);
  return t;
}

void PartitionedWriter::Append(const Batch& batch) {
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
    t->writer->Append(part);
    t->rows.clear();
  }
  rows_ += static_cast<int64_t>(batch.num_rows());
}

void PartitionedWriter::Finish() {
  for (auto& [directory, t] : writers_) t.writer->Finish();
}

}  // namespace sluice
