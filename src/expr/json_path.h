#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>


namespace sluice {

// A path into a JSON value as the JSON functions take it (DuckDB's forms):
//   '$.a.b[2]', '$."key with spaces"', '$.list[#-1]' or '$.list[-1]' (from the end),
//   '/a/0' (a JSON pointer), 'key' (any other text: one member name), '' (the value itself),
//   or an integer (an array index). Wildcards ('*') are not supported (an error says so).
// One step of a JsonPath.
struct JsonPathStep {
  enum class Kind : uint8_t { kKey, kIndex, kPointer } kind = Kind::kKey;
  std::string key;    // kKey, kPointer (an index when the value is an array)
  int64_t index = 0;  // kIndex: >= 0 from the start, < 0 from the end
};

class JsonPath {
 public:
  // Throws InvalidInputError ("JSON path error near '...'") for a malformed '$' path.
  static JsonPath Parse(std::string_view text);
  static JsonPath Index(int64_t index);

  const std::vector<JsonPathStep>& steps() const { return steps_; }

 private:
  using Step = JsonPathStep;
  std::vector<Step> steps_;
};

}  // namespace sluice
