#pragma once

#include <string>
#include <string_view>

// Unicode case mapping of UTF-8 text for lower/upper and ILIKE: simple (one code point to one
// code point) mappings from utf8proc, as DuckDB does, so upper('ß') is 'ẞ' and not 'SS'.
// ASCII text takes a byte loop. Bytes that are not valid UTF-8 are copied unchanged.
// Thread-safe (no state).
namespace sluice {

// `text` with every code point mapped to its lower (upper) case, written into `out`.
void Utf8ToLower(std::string_view text, std::string& out);
void Utf8ToUpper(std::string_view text, std::string& out);

}  // namespace sluice
