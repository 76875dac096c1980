#pragma once

#include <fmt/format.h>

#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "api/session.h"
#include "api/sql_runner.h"
#include "io/data_source.h"
#include "vector/batch.h"

namespace sluice::testing {

// A fresh directory under the system temp directory, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::random_device device;
    path_ = (std::filesystem::temp_directory_path() /
             fmt::format("sluice-catalog-{:08x}{:08x}", device(), device()))
                .string();
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// How many Parquet data files a --db table directory holds (committed or not).
inline size_t DataFiles(const std::string& table_dir) {
  size_t n = 0;
  for (const auto& e : std::filesystem::directory_iterator(table_dir + "/data")) {
    n += e.path().extension() == ".parquet";
  }
  return n;
}

// The rows of a result as "a|b" strings, sorted.
inline std::vector<std::string> SortedRows(const std::vector<Batch>& batches) {
  std::vector<std::string> rows;
  for (const auto& b : batches) {
    for (size_t r = 0; r < b.num_rows(); r++) {
      std::string line;
      for (const auto& v : b.GetRow(r)) {
        if (!line.empty()) line += "|";
        line += v.is_null() ? "NULL" : v.ToString();
      }
      rows.push_back(line);
    }
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

// Runs `sql`; the rows of its last statement, sorted.
inline std::vector<std::string> Query(Session& session, const std::string& sql) {
  auto results = RunSqlScript(session, sql);
  return SortedRows(results.back().batches);
}

// Every row of a source's first two columns, read split by split, sorted.
inline std::vector<std::string> ReadAll(const DataSource& source) {
  std::vector<Batch> batches;
  for (int s = 0; s < source.num_splits(); s++) {
    auto stream = source.Open(s, {0, 1});
    Batch b;
    while (stream->Next(&b)) batches.push_back(b);
  }
  return SortedRows(batches);
}

}  // namespace sluice::testing
