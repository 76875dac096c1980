#include "io/json_lines.h"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "common/error.h"

namespace sluice {

namespace {
constexpr size_t kReadBytes = 1 << 20;
}  // namespace

JsonLineReader::JsonLineReader(const std::string& path, int64_t begin, int64_t end,
                               int64_t max_line_size)
    : reader_(path), end_(std::min(end, reader_.size())), max_line_size_(max_line_size),
      begin_(begin) {
  buffer_.resize(kReadBytes);
}

bool JsonLineReader::Fill() {
  if (eof_) return false;
  if (pos_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + pos_, filled_ - pos_);
    buffer_offset_ += static_cast<int64_t>(pos_);
    filled_ -= pos_;
    pos_ = 0;
  }
  if (filled_ == buffer_.size()) {
    if (static_cast<int64_t>(buffer_.size()) > max_line_size_) {
      throw IOError(fmt::format("Error reading JSON '{}' line {}: line longer than {} bytes",
                                path(), LineAt(buffer_offset_), max_line_size_));
    }
    buffer_.resize(buffer_.size() * 2);
  }
  const size_t n = reader_.ReadAt(buffer_offset_ + static_cast<int64_t>(filled_),
                                  buffer_.data() + filled_, buffer_.size() - filled_);
  if (n == 0) eof_ = true;
  filled_ += n;
  return n > 0;
}

bool JsonLineReader::Next(std::string_view* line, int64_t* offset) {
  if (!started_) {
    started_ = true;
    // A split that starts inside a file begins after the first newline at or after begin-1,
    // so a line starting exactly at `begin` belongs to it and not to the previous split.
    buffer_offset_ = begin_ > 0 ? begin_ - 1 : 0;
    if (begin_ > 0) {
      while (true) {
        const char* nl = static_cast<const char*>(
            std::memchr(buffer_.data() + pos_, '\n', filled_ - pos_));
        if (nl != nullptr) {
          pos_ = static_cast<size_t>(nl - buffer_.data()) + 1;
          break;
        }
        pos_ = filled_;
        if (buffer_offset_ + static_cast<int64_t>(filled_) >= end_ || !Fill()) return false;
      }
    }
  }
  while (true) {
    const int64_t start = buffer_offset_ + static_cast<int64_t>(pos_);
    if (start >= end_) return false;
    const char* nl =
        static_cast<const char*>(std::memchr(buffer_.data() + pos_, '\n', filled_ - pos_));
    if (nl != nullptr) {
      const size_t len = static_cast<size_t>(nl - (buffer_.data() + pos_));
      *line = std::string_view(buffer_.data() + pos_, len);
      *offset = start;
      pos_ += len + 1;
      return true;
    }
    if (!Fill()) {
      if (pos_ == filled_) return false;
      *line = std::string_view(buffer_.data() + pos_, filled_ - pos_);
      *offset = start;
      pos_ = filled_;
      return true;
    }
  }
}

int64_t JsonLineReader::LineAt(int64_t offset) const {
  int64_t line = 1;
  std::vector<char> chunk(kReadBytes);
  for (int64_t at = 0; at < offset;) {
    const size_t want = static_cast<size_t>(std::min<int64_t>(offset - at, kReadBytes));
    const size_t n = reader_.ReadAt(at, chunk.data(), want);
    if (n == 0) break;
    line += std::count(chunk.data(), chunk.data() + n, '\n');
    at += static_cast<int64_t>(n);
  }
  return line;
}

}  // namespace sluice
