#pragma once

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "io/csv_reader.h"

namespace sluice::testing {

// A fresh directory under /tmp, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir() {
    char pattern[] = "/tmp/sluice_io_test_XXXXXX";
    path_ = mkdtemp(pattern);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }
  // Writes `content` to path()/name (creating subdirectories) and returns the full path.
  std::string Write(const std::string& name, const std::string& content) const {
    const std::string full = path_ + "/" + name;
    std::filesystem::create_directories(std::filesystem::path(full).parent_path());
    std::ofstream(full, std::ios::binary) << content;
    return full;
  }

 private:
  std::string path_;
};

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every row of every split, in split order, each value as Value::ToString ("NULL" for NULL).
inline std::vector<std::vector<std::string>> ReadRows(const CsvSource& source,
                                                      std::vector<int> columns = {}) {
  if (columns.empty()) {
    for (size_t i = 0; i < source.schema().size(); i++) columns.push_back(static_cast<int>(i));
  }
  std::vector<std::vector<std::string>> rows;
  for (int split = 0; split < source.num_splits(); split++) {
    auto stream = source.Open(split, columns);
    Batch batch;
    while (stream->Next(&batch)) {
      for (size_t r = 0; r < batch.num_rows(); r++) {
        std::vector<std::string> row;
        for (size_t c = 0; c < batch.num_columns(); c++) {
          row.push_back(batch.column(c)->GetValue(r).ToString());
        }
        rows.push_back(std::move(row));
      }
    }
  }
  return rows;
}

inline std::vector<std::vector<std::string>> ReadCsv(const std::string& path,
                                                     const CsvOptions& options = {}) {
  return ReadRows(*CsvSource::Open(path, options));
}

using Rows = std::vector<std::vector<std::string>>;

// A schema from (name, type) pairs.
inline Schema MakeSchema(const std::vector<std::pair<std::string, LogicalType>>& columns) {
  Schema schema;
  for (const auto& [name, type] : columns) {
    Field field;
    field.name = name;
    field.type = type;
    schema.Add(std::move(field));
  }
  return schema;
}

}  // namespace sluice::testing
