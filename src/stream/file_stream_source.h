#pragma once

#include <string>

#include "stream/stream_source.h"

namespace sluice::stream {

// 'connector' = 'filesystem': a directory of append-only files of JSON lines or CSV lines.
// Each file is a partition named by its file name; its offset is the byte position after
// the last complete line read (a line still being written, without its newline, waits).
// Files that appear later are picked up; names starting with '.' or '_' are skipped. A path
// naming one file reads that file alone.
class FileStreamSource : public StreamSource {
 public:
  explicit FileStreamSource(std::string directory) : directory_(std::move(directory)) {}
  void Poll(SourceOffsets& offsets, size_t max_records, std::vector<RawRecord>& out) override;
  std::string Describe() const override { return "filesystem '" + directory_ + "'"; }

 private:
  std::string directory_;
};

}  // namespace sluice::stream
