#include "stream/file_stream_source.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "common/error.h"

namespace sluice::stream {

namespace fs = std::filesystem;

void FileStreamSource::Poll(SourceOffsets& offsets, size_t max_records,
                            std::vector<RawRecord>& out) {
  std::error_code ec;
  std::vector<std::string> names;
  std::string directory = directory_;
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
  size_t taken = 0;
  for (const std::string& name : names) {
    std::string& offset = offsets[name];
    if (offset.empty()) offset = "0";
    if (taken >= max_records) continue;
    const int64_t start = std::stoll(offset);
    std::ifstream in(directory + "/" + name, std::ios::binary);
    if (!in) throw IOError(fmt::format("filesystem source: cannot open '{}/{}'", directory, name));
    in.seekg(0, std::ios::end);
    const int64_t size = static_cast<int64_t>(in.tellg());
    if (size <= start) continue;
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
    offset = std::to_string(start + pos);
  }
}

}  // namespace sluice::stream
