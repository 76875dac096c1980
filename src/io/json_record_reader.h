#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sluice {

// How the records of a JSON file are laid out (read_json's `format` option).
enum class JsonRecordFormat : uint8_t {
  kAuto,              // decided per file from its first bytes
  kNewlineDelimited,  // one object per line (splittable by byte ranges)
  kArray,             // one top-level array of objects
  kUnstructured,      // objects one after another, any whitespace (pretty-printed)
};

// The records (top-level JSON values, usually objects) of one file or split, one at a time.
// One thread at a time.
class JsonRecordReader {
 public:
  virtual ~JsonRecordReader() = default;
  // The next record's text and its byte offset in the file; false at the end. The view stays
  // valid until the next call. Throws IOError / InvalidInputError naming the file and line.
  virtual bool Next(std::string_view* record, int64_t* offset) = 0;
  // 1-based line number of the byte at `offset` (slow; for error messages).
  virtual int64_t LineAt(int64_t offset) const = 0;
  virtual const std::string& path() const = 0;
};

}  // namespace sluice
