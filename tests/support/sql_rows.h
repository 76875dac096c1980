#pragma once

// The rows a SQL script's last statement returned, for unit tests of modules at or above
// api/. Header-only; include as "tests/support/sql_rows.h".

#include <string>
#include <vector>

#include "api/session.h"
#include "api/sql_runner.h"
#include "tests/support/row_batches.h"

namespace sluice::test_support {

// The last statement's rows of `sql` run in `session`, one "v1|v2|...|" line each.
inline std::string SqlRows(Session& session, const std::string& sql) {
  std::string out;
  const std::vector<StatementResult> results = RunSqlScript(session, sql);
  for (const auto& b : results.back().batches) {
    for (size_t r = 0; r < b.num_rows(); r++) out += RowString(b.GetRow(r)) + "\n";
  }
  return out;
}

}  // namespace sluice::test_support
