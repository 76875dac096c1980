#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "io/json_record_reader.h"

namespace sluice {

// The records of a whole JSON file that is not newline-delimited: the elements of one
// top-level array (format 'array'), or values one after another separated by any whitespace
// (format 'unstructured': pretty-printed objects). The file is read into memory at once
// (such files cannot be split); a record longer than max_object_size is an error.
class JsonValueReader : public JsonRecordReader {
 public:
  // REQUIRES: format is kArray or kUnstructured. Throws IOError when the file cannot be read,
  // InvalidInputError when an array file does not start with '['.
  JsonValueReader(const std::string& path, JsonRecordFormat format, int64_t max_object_size);

  bool Next(std::string_view* record, int64_t* offset) override;
  int64_t LineAt(int64_t offset) const override;
  const std::string& path() const override { return path_; }

 private:
  [[noreturn]] void Fail(size_t at, const std::string& message) const;
  void SkipSpace();
  // The end (one past) of the value starting at pos_, checking only its bracket structure
  // (the record's own parser checks the rest).
  size_t ValueEnd() const;

  std::string path_;
  JsonRecordFormat format_;
  int64_t max_object_size_;
  std::string text_;
  size_t pos_ = 0;
  bool done_ = false;
  bool first_ = true;
};

// The layout of a file whose first bytes are `head`: kArray when it starts with '[', else
// kNewlineDelimited when its first non-blank line is a whole JSON object, else kUnstructured.
JsonRecordFormat DetectJsonRecordFormat(std::string_view head);

}  // namespace sluice
