#pragma once

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "api/result_format.h"
#include "api/session.h"
#include "api/sql_runner.h"
#include "dbt/runner.h"

namespace sluice::dbt {

// A temporary directory removed at the end of the test, with helpers to write project files.
class TempDir {
 public:
  TempDir() {
    path_ = std::filesystem::temp_directory_path() /
            ("sluice_dbt_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string path() const { return path_.string(); }
  std::string Sub(const std::string& name) const { return (path_ / name).string(); }
  void Write(const std::string& relative, const std::string& text) const {
    const auto file = path_ / relative;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file) << text;
  }

 private:
  static inline int counter_ = 0;
  std::filesystem::path path_;
};

// The result of the last statement of `sql` as CSV.
inline std::string QueryCsv(Session& session, const std::string& sql) {
  auto results = RunSqlScript(session, sql);
  return FormatCsv(results.back().schema, results.back().batches);
}

}  // namespace sluice::dbt
