#pragma once

#include <cstddef>
#include <fstream>
#include <string>

namespace sluice {

struct StatementResult;

// Where and how the interactive shell writes results: the .mode (DuckDB's names), the row
// limit of the box view, and standard output or the file of .output.
class ShellOutput {
 public:
  enum class Mode { kDuckbox, kCsv, kJson, kMarkdown, kLine, kList };

  // A .mode name: duckbox (also box and table), csv, json, markdown, line, list. Throws
  // InvalidInputError naming the modes for any other.
  static Mode ParseMode(const std::string& name);
  static const char* ModeName(Mode mode);

  Mode mode() const { return mode_; }
  void set_mode(Mode mode) { mode_ = mode; }
  // At most this many rows in the duckbox view (a footer says when there were more).
  size_t max_rows() const { return max_rows_; }
  void set_max_rows(size_t rows) { max_rows_ = rows; }

  // Sends later output to file `path` (emptied first) or, when empty, to standard output
  // again. Throws IOError when the file cannot be opened (output stays where it was).
  void Redirect(const std::string& path);
  // "stdout" or the file's path.
  std::string target() const { return file_path_.empty() ? "stdout" : file_path_; }

  // Writes the rows of `result` in the current mode; nothing for statements without rows.
  void Print(const StatementResult& result);
  void Write(const std::string& text);

 private:
  Mode mode_ = Mode::kDuckbox;
  size_t max_rows_ = 40;
  std::string file_path_;  // empty: standard output
  std::ofstream file_;
};

}  // namespace sluice
