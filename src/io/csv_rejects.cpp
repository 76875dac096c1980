#include <fmt/format.h>

#include <cerrno>
#include <cstring>

#include "common/error.h"
#include "io/csv_scan.h"

namespace sluice {

namespace {

// One RFC 4180 field: quoted when it holds a delimiter, quote or line break.
void AppendCsvField(std::string* out, std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
    out->append(text);
    return;
  }
  out->push_back('"');
  for (const char c : text) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

}  // namespace

CsvRejects::CsvRejects(const std::string& path) : path_(path) {
  if (path.empty()) return;
  out_ = std::fopen(path.c_str(), "wb");
  if (out_ == nullptr) {
    throw IOError(fmt::format("Cannot create rejects file '{}': {}", path, std::strerror(errno)));
  }
  std::fputs("file,line,column,error,raw_line\n", out_);
  std::fflush(out_);
}

CsvRejects::~CsvRejects() {
  if (out_ != nullptr) std::fclose(out_);
}

void CsvRejects::Add(const std::string& file, int64_t line, int64_t column,
                     const std::string& error, std::string_view raw_line) {
  count_.fetch_add(1, std::memory_order_relaxed);
  if (out_ == nullptr) return;
  std::string record;
  AppendCsvField(&record, file);
  record += fmt::format(",{},{},", line, column);
  AppendCsvField(&record, error);
  record.push_back(',');
  AppendCsvField(&record, raw_line);
  record.push_back('\n');
  std::lock_guard lock(mutex_);
  // Flushed per record: rejects are rare, and readers may look while the scan runs.
  if (std::fwrite(record.data(), 1, record.size(), out_) != record.size() ||
      std::fflush(out_) != 0) {
    throw IOError(fmt::format("Cannot write rejects file '{}': {}", path_, std::strerror(errno)));
  }
}

}  // namespace sluice
