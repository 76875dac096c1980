// libFuzzer target for the SQL front end; not part of the regular build. Build with e.g.
//   clang++ -std=c++20 -fsanitize=fuzzer,address,undefined -Isrc \
//     tests/sql_parser/sql_parser_fuzz.cpp src/sql/*.cpp <ThrowCheckFailure impl> -lfmt
// Any exception other than ParseError, and any crash, is a bug.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/error.h"
#include "sql/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view sql(reinterpret_cast<const char*>(data), size);
  try {
    for (const auto& statement : sluice::sql::ParseScript(sql)) {
      // Canonical text must itself parse: a failure here is a ToString bug.
      sluice::sql::ParseStatement(statement->ToString());
    }
  } catch (const sluice::ParseError&) {
  }
  return 0;
}
