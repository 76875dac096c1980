#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sluice {

std::string ToLower(std::string_view s);
std::string ToUpper(std::string_view s);
// Equal when ASCII letters are compared without case (SQL names: `Foo` is `foo`).
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
// Levenshtein distance, for "did you mean" suggestions.
size_t EditDistance(std::string_view a, std::string_view b);
// ", did you mean \"x\"?" for the closest candidate within a small distance, or "".
std::string DidYouMean(std::string_view name, const std::vector<std::string>& candidates);
std::vector<std::string> Split(std::string_view s, char sep);
std::string Join(const std::vector<std::string>& parts, std::string_view sep);
// Appends the UTF-8 encoding of code point `cp` (REQUIRES: cp <= 0x10FFFF) to `out`.
void AppendUtf8(uint32_t cp, std::string* out);

}  // namespace sluice
