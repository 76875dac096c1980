#pragma once

#include <optional>
#include <string_view>

#include "expr/json_path.h"

namespace sluice {

// Checks that `text` is exactly one JSON value and finds the value `path` names in one pass,
// without building a tree (the JSON functions' hot path: only the value found is looked at
// further). Returns its text (a view into `text`, whitespace trimmed), or nullopt when the
// path names nothing. Throws InvalidInputError ("Malformed JSON at byte ...") when `text` is
// not JSON, wherever the fault lies.
std::optional<std::string_view> LocateJsonPath(std::string_view text, const JsonPath& path);

// True when `text` is exactly one JSON value.
bool IsValidJson(std::string_view text);

}  // namespace sluice
