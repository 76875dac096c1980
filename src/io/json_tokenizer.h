#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sluice {

// The kind of one member value of a JSON object.
enum class JsonKind : uint8_t { kNull, kTrue, kFalse, kInteger, kFloat, kString, kNested };

// One `"key": value` member of a top-level object, as spans of the line (no copies).
// `key` and, for kString, `text` are the bytes between the quotes, still escaped when
// `key_escaped` / `escaped` is set; numbers and nested values (kNested: an object or array)
// are their raw text.
struct JsonMember {
  std::string_view key;
  std::string_view text;
  JsonKind kind = JsonKind::kNull;
  bool key_escaped = false;
  bool escaped = false;
};

// Where and why a line is not a JSON object. `offset` is the byte offset in the line.
struct JsonSyntaxError {
  size_t offset = 0;
  std::string message;
};

// Splits one line of newline-delimited JSON into the members of its top-level object,
// checking the syntax of the whole line (nested values included) in one pass without
// allocating. A line of only whitespace yields no members and true.
// Returns false and fills `error` when the line is not exactly one JSON object.
bool ParseJsonLine(std::string_view line, std::vector<JsonMember>* members, JsonSyntaxError* error);

// Appends the decoded bytes of an escaped JSON string body (\n, \", \uXXXX with surrogate
// pairs, as UTF-8) to `out`. REQUIRES: `body` passed ParseJsonLine.
void DecodeJsonString(std::string_view body, std::string* out);

// Appends `text` as a quoted JSON string (escaping quotes, backslashes, control bytes).
void AppendJsonString(std::string_view text, std::string* out);

}  // namespace sluice
