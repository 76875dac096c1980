#pragma once

#include <string>
#include <string_view>
#include <vector>

// Python str helpers over UTF-8 text. Case mapping is ASCII-only; lengths, indexing and
// reversal work on code points.
namespace sluice::jinja {

std::vector<std::string> SplitCodePoints(std::string_view s);
size_t CountCodePoints(std::string_view s);
// Python's str.isspace() for one ASCII byte.
bool IsSpace(char c);
// str.strip(chars): with empty `chars` strips whitespace.
std::string Strip(std::string_view s, std::string_view chars = {}, bool left = true,
                  bool right = true);
// str.split(sep, maxsplit): with empty `sep`, splits on runs of whitespace.
std::vector<std::string> SplitString(std::string_view s, std::string_view sep,
                                     int64_t max_split = -1);
// str.replace(old, new, count); count < 0 replaces all.
std::string ReplaceAll(std::string_view s, std::string_view from, std::string_view to,
                       int64_t count = -1);
std::string Capitalize(std::string_view s);
// Jinja's title filter: capitalizes each word, words split at whitespace and -({[<.
std::string TitleCase(std::string_view s);

}  // namespace sluice::jinja
