#pragma once

#include <iosfwd>
#include <string>

namespace sluice {

// Options of `sluice sqllogictest`.
struct SltOptions {
  int threads = 0;  // 0: the Settings default
  // A `statement error` record without an expected message (`----` and a part of the error)
  // fails, even when skipped: the suite must say which error it expects, or a parse error
  // would pass a test meant to check a bind or run-time error.
  bool require_error_messages = false;
};

// Record counts of one or more test files.
struct SltCounts {
  int passed = 0;
  int failed = 0;
  int skipped = 0;
  SltCounts& operator+=(const SltCounts& o) {
    passed += o.passed;
    failed += o.failed;
    skipped += o.skipped;
    return *this;
  }
};

// Runs one sqllogictest file in a fresh Session and writes a report of every failure
// (file:line, SQL, expected vs actual) and of skipped files to `out`. A file that cannot be
// read or parsed counts as one failure.
SltCounts RunSqllogictestFile(const std::string& path, const SltOptions& options,
                              std::ostream& out);

}  // namespace sluice
