#include "stream/file_stream_source.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "common/error.h"
#include "common/json_document.h"
#include "common/strings.h"
#include "io/json_writer.h"
#include "io/parquet_reader.h"

namespace sluice::stream {

namespace fs = std::filesystem;

namespace {

// Whether `path` ends with a Parquet footer's magic: a segment still being written does not.
bool SegmentComplete(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  in.seekg(0, std::ios::end);
  if (static_cast<int64_t>(in.tellg()) < 12) return false;
  in.seekg(-4, std::ios::end);
  char magic[4] = {};
  in.read(magic, 4);
  return in && std::string_view(magic, 4) == "PAR1";
}

}  // namespace

FileStreamSource::FileStreamSource(std::string directory, std::string format)
    : directory_(std::move(directory)) {
  const std::string f = ToLower(format);
  if (f != "json" && f != "csv" && f != "parquet") {
    throw InvalidInputError(
        fmt::format("unknown 'format' = '{}' (json, csv or parquet)", format));
  }
  parquet_ = f == "parquet";
}

std::vector<std::string> FileStreamSource::ListFiles(std::string& directory) const {
  std::error_code ec;
  std::vector<std::string> names;
  directory = directory_;
  if (fs::is_regular_file(directory_, ec)) {
    // One file: the only partition.
    directory = fs::path(directory_).parent_path().string();
    names.push_back(fs::path(directory_).filename().string());
  } else if (!fs::is_directory(directory_, ec)) {
    throw IOError(fmt::format("filesystem source: '{}' is neither a directory nor a file",
                              directory_));
  } else {
    for (const auto& entry : fs::directory_iterator(directory_, ec)) {
      const std::string name = entry.path().filename().string();
      if (name.empty() || name[0] == '.' || name[0] == '_' || !entry.is_regular_file(ec)) continue;
      names.push_back(name);
    }
  }
  std::sort(names.begin(), names.end());
  if (directory.empty()) directory = ".";
  return names;
}

void FileStreamSource::Poll(SourceOffsets& offsets, size_t max_records,
                            std::vector<RawRecord>& out) {
  std::string directory;
  const std::vector<std::string> names = ListFiles(directory);
  size_t taken = 0;
  for (const std::string& name : names) {
    std::string& offset = offsets[name];
    if (offset.empty()) offset = "0";
    if (taken >= max_records) continue;
    const std::string path = directory + "/" + name;
    const int64_t start = std::stoll(offset);
    const int64_t next = parquet_ ? ReadSegment(name, path, start, max_records, taken, out)
                                  : ReadLines(name, path, start, max_records, taken, out);
    offset = std::to_string(next);
  }
}

int64_t FileStreamSource::ReadLines(const std::string& name, const std::string& path,
                                    int64_t start, size_t max_records, size_t& taken,
                                    std::vector<RawRecord>& out) const {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IOError(fmt::format("filesystem source: cannot open '{}'", path));
  in.seekg(0, std::ios::end);
  const int64_t size = static_cast<int64_t>(in.tellg());
  if (size <= start) return start;
  // Read in chunks so a large backlog is not held at once.
  const int64_t chunk = std::min<int64_t>(size - start, int64_t{8} << 20);
  std::string data(static_cast<size_t>(chunk), '\0');
  in.seekg(start);
  in.read(data.data(), chunk);
  int64_t pos = 0;
  while (taken < max_records) {
    const size_t nl = data.find('\n', static_cast<size_t>(pos));
    if (nl == std::string::npos) break;
    std::string line = data.substr(static_cast<size_t>(pos), nl - static_cast<size_t>(pos));
    const int64_t line_start = start + pos;
    pos = static_cast<int64_t>(nl) + 1;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    out.push_back(RawRecord{name, std::to_string(line_start), std::move(line)});
    taken++;
  }
  return start + pos;
}

int64_t FileStreamSource::ReadSegment(const std::string& name, const std::string& path,
                                      int64_t start, size_t max_records, size_t& taken,
                                      std::vector<RawRecord>& out) {
  if (auto known = segment_rows_.find(name); known != segment_rows_.end() && start >= known->second) {
    return start;
  }
  if (!SegmentComplete(path)) return start;
  std::unique_ptr<ParquetSource> segment = ParquetSource::Open(path);
  segment_rows_[name] = segment->EstimatedRows().value_or(INT64_MAX);
  const Schema& schema = segment->schema();
  std::vector<std::string> keys;
  std::vector<int> columns;
  for (size_t c = 0; c < schema.size(); c++) {
    std::string key;
    AppendJsonQuoted(schema.field(c).name, &key);
    keys.push_back(key + ":");
    columns.push_back(static_cast<int>(c));
  }
  int64_t row = 0;  // rows of the segment before the current batch's
  for (int split = 0; split < segment->num_splits() && taken < max_records; split++) {
    auto stream = segment->Open(split, columns);
    Batch batch;
    while (taken < max_records && stream->Next(&batch)) {
      const auto rows = static_cast<int64_t>(batch.num_rows());
      for (int64_t r = std::max<int64_t>(0, start - row); r < rows && taken < max_records; r++) {
        std::string payload = "{";
        for (size_t c = 0; c < keys.size(); c++) {
          if (c > 0) payload += ',';
          payload += keys[c];
          AppendJsonValue(*batch.column(c), static_cast<size_t>(r), &payload);
        }
        payload += '}';
        out.push_back(RawRecord{name, std::to_string(row + r), std::move(payload)});
        taken++;
        start = std::max(start, row + r + 1);
      }
      row += rows;
    }
  }
  return start;
}

}  // namespace sluice::stream
