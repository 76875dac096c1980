#include "expr/json_path.h"

#include <charconv>

#include <fmt/format.h>

#include "common/error.h"

namespace sluice {

namespace {

[[noreturn]] void PathError(std::string_view rest) {
  throw InvalidInputError(fmt::format("JSON path error near '{}'", rest));
}

bool ParseInt(std::string_view s, int64_t* out) {
  if (s.empty()) return false;
  auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

}  // namespace

JsonPath JsonPath::Index(int64_t index) {
  JsonPath path;
  path.steps_.push_back(Step{Step::Kind::kIndex, "", index});
  return path;
}

JsonPath JsonPath::Parse(std::string_view text) {
  JsonPath path;
  if (text.empty()) return path;
  if (text[0] == '/') {
    size_t pos = 1;
    while (true) {
      const size_t slash = text.find('/', pos);
      std::string token(text.substr(pos, slash == std::string_view::npos ? text.npos : slash - pos));
      std::string decoded;  // JSON pointer escapes: ~1 is '/', ~0 is '~'
      for (size_t i = 0; i < token.size(); i++) {
        if (token[i] == '~' && i + 1 < token.size() && (token[i + 1] == '0' || token[i + 1] == '1')) {
          decoded.push_back(token[i + 1] == '0' ? '~' : '/');
          i++;
        } else {
          decoded.push_back(token[i]);
        }
      }
      path.steps_.push_back(Step{Step::Kind::kPointer, std::move(decoded), 0});
      if (slash == std::string_view::npos) break;
      pos = slash + 1;
    }
    return path;
  }
  if (text[0] != '$') {
    path.steps_.push_back(Step{Step::Kind::kKey, std::string(text), 0});
    return path;
  }
  size_t pos = 1;
  while (pos < text.size()) {
    const char c = text[pos];
    if (c == '.') {
      pos++;
      if (pos < text.size() && text[pos] == '*') {
        throw NotImplementedError("JSON path wildcards ('*') are not supported");
      }
      if (pos < text.size() && text[pos] == '"') {
        const size_t close = text.find('"', pos + 1);
        if (close == std::string_view::npos) PathError(text.substr(pos));
        path.steps_.push_back(Step{Step::Kind::kKey, std::string(text.substr(pos + 1, close - pos - 1)), 0});
        pos = close + 1;
        continue;
      }
      const size_t end = text.find_first_of(".[", pos);
      const std::string_view key = text.substr(pos, end == std::string_view::npos ? text.npos : end - pos);
      if (key.empty()) PathError(text.substr(pos - 1));
      path.steps_.push_back(Step{Step::Kind::kKey, std::string(key), 0});
      pos = end == std::string_view::npos ? text.size() : end;
    } else if (c == '[') {
      const size_t close = text.find(']', pos);
      if (close == std::string_view::npos) PathError(text.substr(pos));
      std::string_view inside = text.substr(pos + 1, close - pos - 1);
      if (inside == "*") throw NotImplementedError("JSON path wildcards ('*') are not supported");
      bool from_end = false;
      if (!inside.empty() && inside[0] == '#') {
        inside.remove_prefix(1);
        if (inside.empty()) PathError(text.substr(pos));
        if (inside[0] != '-') PathError(text.substr(pos));
        from_end = true;
      }
      int64_t index = 0;
      if (!ParseInt(inside, &index)) PathError(text.substr(pos));
      if (from_end && index == 0) PathError(text.substr(pos));
      path.steps_.push_back(Step{Step::Kind::kIndex, "", index});
      pos = close + 1;
    } else {
      PathError(text.substr(pos));
    }
  }
  return path;
}

}  // namespace sluice
