#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "io/file.h"
#include "io/json_record_reader.h"

namespace sluice {

// Reads the lines of a file that start in [begin, end) (a JSON lines split), with large
// positional reads into one reused buffer. Lines exclude their '\n'.
// One thread at a time.
class JsonLineReader : public JsonRecordReader {
 public:
  // Throws IOError when the file cannot be opened.
  JsonLineReader(const std::string& path, int64_t begin, int64_t end, int64_t max_line_size);

  // The next line and its file offset; false at the end of the range. The view stays valid
  // until the next call. Throws IOError for a line longer than max_line_size.
  bool Next(std::string_view* line, int64_t* offset) override;

  const std::string& path() const override { return reader_.path(); }
  // 1-based line number of the byte at `offset` (counts newlines from the file start; slow,
  // for error messages).
  int64_t LineAt(int64_t offset) const override;

 private:
  // Reads more bytes after the unconsumed ones; false at end of file.
  bool Fill();

  FileReader reader_;
  int64_t end_;
  int64_t max_line_size_;
  std::vector<char> buffer_;
  int64_t buffer_offset_ = 0;  // file offset of buffer_[0]
  size_t filled_ = 0;
  size_t pos_ = 0;
  bool eof_ = false;
  bool started_ = false;
  int64_t begin_;
};

}  // namespace sluice
