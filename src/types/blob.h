#pragma once

#include <string>
#include <string_view>

namespace sluice {

// BLOB text forms, as DuckDB writes and reads them: printable ASCII as is, every other byte
// (and \, ', ") as \xHH with upper-case hex digits.
std::string FormatBlob(std::string_view bytes);

// Reads the text form: ASCII characters as themselves and \xHH escapes (either case) as one
// byte. Returns false with DuckDB's message in *error for a bad escape or a non-ASCII byte.
bool ParseBlob(std::string_view text, std::string& out, std::string* error);

}  // namespace sluice
