#pragma once

#include <string>
#include <vector>

namespace sluice {

// How a query's result rows are ordered before comparison (sqllogictest sort modes).
enum class SltSortMode { kNoSort, kRowSort, kValueSort };

// One record of a sqllogictest file after loop expansion and ${var} substitution.
struct SltRecord {
  enum class Kind {
    kStatement,      // statement ok | statement error
    kQuery,          // query <types> [sort mode] [label]
    kHashThreshold,  // hash-threshold N (argument)
    kModeSkip,       // mode skip: following records are skipped
    kModeUnskip,     // mode unskip
    kHalt,           // halt: stop running the file
    kRequire,        // require <extension> (argument)
    kLoad,           // load <directory>: a new session over that warehouse (argument)
  };
  Kind kind = Kind::kStatement;
  int line = 0;  // 1-based line of the record's header in the file
  std::string sql;
  // statement error: any error passes unless expected_error is non-empty, in which case the
  // error message must contain it (or match it, when it starts with "<REGEX>:").
  bool expect_error = false;
  std::string expected_error;
  std::string types;  // query: one letter per column (I, T, R, ...)
  SltSortMode sort_mode = SltSortMode::kNoSort;
  std::string label;
  bool has_expected = false;          // query: a ---- line was present
  std::vector<std::string> expected;  // query: result lines after ----
  bool skipped_by_condition = false;  // onlyif/skipif says this engine does not run it
  std::string argument;
};

// The name under which Sluice answers onlyif/skipif conditions.
inline constexpr const char* kSltEngineName = "sluice";

// Parses the text of a sqllogictest file (the SQLite/DuckDB format) into records, expanding
// loop/foreach blocks. `path` is only used in messages. Throws InvalidInputError naming
// path:line on a malformed file (unknown command, unbalanced loop).
std::vector<SltRecord> ParseSqllogictest(const std::string& text, const std::string& path);

}  // namespace sluice
