#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <limits>

#include "cli/cli.h"
#include "cli/sqllogictest_runner.h"
#include "common/error.h"

namespace sluice {

namespace {

constexpr const char* kSqllogictestUsage = R"(Usage: sluice sqllogictest [options] FILE...

Runs sqllogictest files (the SQLite/DuckDB format), each in a fresh session, and reports
every failing record (file:line, SQL, expected and actual results). Ends with the summary
line 'N passed, N failed, N skipped', counting records.

Options:
      --threads N   worker threads (default: number of cores)
      --require-error-messages
                    fail every `statement error` record that names no expected
                    message (a `----` line, then text the error must contain)
  -h, --help        show this help

Exit code 0 when no record failed, 1 otherwise, 2 on a usage error.
)";

}  // namespace

int SqllogictestCommand(const std::vector<std::string>& args) {
  if (WantsHelp(args)) {
    fmt::print("{}", kSqllogictestUsage);
    return 0;
  }
  SltOptions options;
  std::vector<std::string> files;
  for (size_t i = 0; i < args.size(); i++) {
    const std::string& a = args[i];
    if (a == "--threads") {
      options.threads = static_cast<int>(std::min<int64_t>(
          ParsePositiveInt(a, NeedValue(args, i)), std::numeric_limits<int>::max()));
    } else if (a == "--require-error-messages") {
      options.require_error_messages = true;
    } else if (a.size() > 1 && a[0] == '-') {
      throw InvalidInputError(
          fmt::format("unknown option '{}' (see sluice sqllogictest --help)", a));
    } else {
      files.push_back(a);
    }
  }
  if (files.empty()) {
    throw UsageError("no test files given (see sluice sqllogictest --help)");
  }
  SltCounts total;
  for (const std::string& file : files) total += RunSqllogictestFile(file, options, std::cout);
  std::cout << fmt::format("{} passed, {} failed, {} skipped\n", total.passed, total.failed,
                           total.skipped);
  std::cout.flush();
  return total.failed > 0 ? 1 : 0;
}

}  // namespace sluice
