#pragma once

#include <string>

#include "api/session.h"
#include "api/sql_runner.h"

namespace sluice::testing {

// The rows of the last statement of `sql` as text, "v1|v2|" per line: for comparing answers.
inline std::string ResultText(Session& session, const std::string& sql) {
  std::string out;
  const StatementResult result = RunSqlScript(session, sql).back();
  for (const auto& b : result.batches) {
    for (size_t i = 0; i < b.num_rows(); i++) {
      for (const auto& v : b.GetRow(i)) out += v.ToString() + "|";
      out += "\n";
    }
  }
  return out;
}

}  // namespace sluice::testing
