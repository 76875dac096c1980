#include "io/json_value_reader.h"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "common/error.h"
#include "io/file.h"
#include "io/json_tokenizer.h"

namespace sluice {

namespace {
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
}  // namespace

JsonValueReader::JsonValueReader(const std::string& path, JsonRecordFormat format,
                                 int64_t max_object_size)
    : path_(path), format_(format), max_object_size_(max_object_size) {
  FileReader reader(path);
  text_.resize(static_cast<size_t>(reader.size()));
  const size_t n = reader.ReadAt(0, text_.data(), text_.size());
  text_.resize(n);
  SkipSpace();
  if (format_ == JsonRecordFormat::kArray) {
    if (pos_ >= text_.size() || text_[pos_] != '[') {
      throw InvalidInputError(fmt::format(
          "Expected top-level JSON array with format='array', but first character is '{}' in "
          "file \"{}\".", pos_ < text_.size() ? std::string(1, text_[pos_]) : "", path_));
    }
    pos_++;
  }
}

void JsonValueReader::Fail(size_t at, const std::string& message) const {
  throw InvalidInputError(fmt::format("Error reading JSON '{}' line {}: {}", path_,
                                      LineAt(static_cast<int64_t>(at)), message));
}

void JsonValueReader::SkipSpace() {
  while (pos_ < text_.size() && IsSpace(text_[pos_])) pos_++;
}

size_t JsonValueReader::ValueEnd() const {
  size_t p = pos_;
  const char first = text_[p];
  if (first != '{' && first != '[') {
    while (p < text_.size() && !IsSpace(text_[p]) && text_[p] != ',' && text_[p] != ']') p++;
    return p;
  }
  int depth = 0;
  bool in_string = false;
  for (; p < text_.size(); p++) {
    const char c = text_[p];
    if (in_string) {
      if (c == '\\') {
        p++;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      depth++;
    } else if (c == '}' || c == ']') {
      if (--depth == 0) return p + 1;
    }
  }
  Fail(pos_, "unterminated JSON value at the end of the file");
}

bool JsonValueReader::Next(std::string_view* record, int64_t* offset) {
  if (done_) return false;
  SkipSpace();
  if (format_ == JsonRecordFormat::kArray) {
    if (!first_) {
      if (pos_ < text_.size() && text_[pos_] == ',') {
        pos_++;
        SkipSpace();
      } else if (pos_ >= text_.size() || text_[pos_] != ']') {
        Fail(pos_, "expected ',' or ']' after an array element");
      }
    }
    if (pos_ >= text_.size()) Fail(pos_, "unterminated top-level array");
    if (text_[pos_] == ']') {
      pos_++;
      SkipSpace();
      if (pos_ < text_.size()) Fail(pos_, "unexpected text after the top-level array");
      done_ = true;
      return false;
    }
  } else if (pos_ >= text_.size()) {
    done_ = true;
    return false;
  }
  first_ = false;
  const size_t end = ValueEnd();
  if (static_cast<int64_t>(end - pos_) > max_object_size_) {
    Fail(pos_, fmt::format("a JSON object of {} bytes is over maximum_object_size ({} bytes)",
                           end - pos_, max_object_size_));
  }
  *record = std::string_view(text_).substr(pos_, end - pos_);
  *offset = static_cast<int64_t>(pos_);
  pos_ = end;
  return true;
}

int64_t JsonValueReader::LineAt(int64_t offset) const {
  const size_t end = std::min(text_.size(), static_cast<size_t>(offset));
  return 1 + std::count(text_.begin(), text_.begin() + static_cast<std::ptrdiff_t>(end), '\n');
}

JsonRecordFormat DetectJsonRecordFormat(std::string_view head) {
  size_t p = 0;
  while (p < head.size() && IsSpace(head[p])) p++;
  if (p < head.size() && head[p] == '[') return JsonRecordFormat::kArray;
  const size_t eol = head.find('\n', p);
  std::string_view line = head.substr(p, eol == std::string_view::npos ? head.npos : eol - p);
  std::vector<JsonMember> members;
  JsonSyntaxError error;
  if (!line.empty() && ParseJsonLine(line, &members, &error)) {
    return JsonRecordFormat::kNewlineDelimited;
  }
  return JsonRecordFormat::kUnstructured;
}

}  // namespace sluice
