#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "stream/stream_source.h"

namespace sluice::stream {

// 'connector' = 'filesystem': a directory of append-only files, each a partition named by
// its file name. Files that appear later are picked up; names starting with '.' or '_' are
// skipped (write elsewhere or under such a name, then rename into place). A path naming one
// file reads that file alone.
// - 'format' = 'json' | 'csv': files of lines that grow; a partition's offset is the byte
//   position after the last complete line read (a line still being written, without its
//   newline, waits).
// - 'format' = 'parquet': immutable segments, read once complete (a file whose footer is not
//   written yet waits); the offset is the number of the segment's rows read. Each row
//   travels as a JSON object of its columns (what a dead letter shows).
class FileStreamSource : public StreamSource {
 public:
  FileStreamSource(std::string directory, std::string format);
  void Poll(SourceOffsets& offsets, size_t max_records, std::vector<RawRecord>& out) override;
  std::string Describe() const override { return "filesystem '" + directory_ + "'"; }

 private:
  // The names of the partition files, sorted, and the directory holding them.
  std::vector<std::string> ListFiles(std::string& directory) const;
  // Appends lines of `path` after byte `offset`; returns the new offset.
  int64_t ReadLines(const std::string& name, const std::string& path, int64_t offset,
                    size_t max_records, size_t& taken, std::vector<RawRecord>& out) const;
  // Appends rows of segment `path` after row `offset`; returns the new offset.
  int64_t ReadSegment(const std::string& name, const std::string& path, int64_t offset,
                      size_t max_records, size_t& taken, std::vector<RawRecord>& out);

  std::string directory_;
  bool parquet_;
  // Rows of each complete segment seen (segments are immutable): one read to the end is not
  // opened again on later polls.
  std::map<std::string, int64_t> segment_rows_;
};

}  // namespace sluice::stream
