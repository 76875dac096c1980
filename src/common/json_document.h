#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sluice {

// One parsed JSON value: the tree the JSON functions (json_extract, ->, ...) and the
// read_json array / pretty-printed formats walk. Objects keep their members in written
// order, duplicate keys included (lookups take the first, as DuckDB does). Numbers keep
// their source text; WriteJson normalizes them the way DuckDB prints JSON.
struct JsonNode {
  enum class Kind : uint8_t { kNull, kTrue, kFalse, kNumber, kString, kArray, kObject };

  struct Member;  // `"key": value` of an object (defined below: JsonNode is incomplete here)

  Kind kind = Kind::kNull;
  // kNumber: the number as written; kString: the decoded (unescaped, UTF-8) text.
  std::string text;
  std::vector<JsonNode> elements;  // kArray
  std::vector<Member> members;     // kObject

  // The first member named `key`, or nullptr (also when this is no object).
  const JsonNode* Find(std::string_view key) const;
  // True for a number literal with a fraction or exponent.
  bool IsFloat() const;
};

struct JsonNode::Member {
  std::string key;
  JsonNode value;
};

// Where and why a text is not JSON: `offset` is the byte the parser stopped at.
struct JsonParseError {
  size_t offset = 0;
  std::string message;
};

// Parses exactly one JSON value (surrounding whitespace allowed). Returns false and fills
// `error` when the text is not one JSON value. Nesting deeper than 1000 levels is an error
// (not a stack overflow).
bool ParseJson(std::string_view text, JsonNode* out, JsonParseError* error);

// Parses one value starting at text[*pos] (leading whitespace skipped) and moves *pos past
// it, so a caller can read a sequence of values (concatenated or pretty-printed objects).
bool ParseJsonValueAt(std::string_view text, size_t* pos, JsonNode* out, JsonParseError* error);

// Appends `node` as compact JSON (no spaces) as DuckDB writes it: integers that fit 64 bits
// printed plainly (-0 as 0), other integers as written, floats in shortest round-trip form
// (fixed notation with ".0" for exponents -6..20, else d.ddde±x without '+'), strings
// escaped (quotes, backslash, control bytes; UTF-8 kept).
void WriteJson(const JsonNode& node, std::string* out);
// A double in the same notation as WriteJson's floats (NaN, Infinity, -Infinity as words).
void AppendJsonDouble(double value, std::string* out);
// Appends `text` as a quoted JSON string.
void AppendJsonQuoted(std::string_view text, std::string* out);

}  // namespace sluice
