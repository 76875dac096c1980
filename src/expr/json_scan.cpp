#include "expr/json_scan.h"

#include <charconv>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "common/error.h"
#include "common/json_document.h"

namespace sluice {

namespace {

constexpr int kMaxDepth = 1000;

// A validating scan that follows the path: values on the path are entered, all others are
// only checked and skipped.
class PathScanner {
 public:
  PathScanner(std::string_view text, const std::vector<JsonPathStep>* steps)
      : t_(text), steps_(steps) {}

  // False (and error()/offset()) when the text is not one JSON value.
  bool Run() {
    if (!Value(0, steps_ ? 0 : -1)) return false;
    SkipSpace();
    if (p_ != t_.size()) return Fail("unexpected content after document");
    return true;
  }
  const std::optional<std::string_view>& found() const { return found_; }
  size_t offset() const { return p_; }
  const char* error() const { return error_; }

 private:
  bool Fail(const char* message) {
    error_ = message;
    return false;
  }
  void SkipSpace() {
    while (p_ < t_.size() && (t_[p_] == ' ' || t_[p_] == '\n' || t_[p_] == '\t' || t_[p_] == '\r')) {
      p_++;
    }
  }

  // `step`: the index of the next path step when this value lies on the path, else -1.
  bool Value(int depth, int step) {
    SkipSpace();
    if (p_ >= t_.size()) return Fail("unexpected end of input");
    if (depth > kMaxDepth) return Fail("nesting too deep");
    const size_t start = p_;
    const bool target = step >= 0 && static_cast<size_t>(step) == steps_->size();
    const int next = target ? -1 : step;
    bool ok;
    const char c = t_[p_];
    if (c == '{') {
      ok = Object(depth, next);
    } else if (c == '[') {
      ok = Array(depth, next);
    } else if (c == '"') {
      bool escaped;
      ok = String(&escaped);
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      ok = Number();
    } else if (Literal("true") || Literal("false") || Literal("null")) {
      ok = true;
    } else {
      return Fail("invalid literal");
    }
    if (ok && target) found_ = t_.substr(start, p_ - start);
    return ok;
  }

  bool Literal(std::string_view word) {
    if (t_.substr(p_, word.size()) != word) return false;
    p_ += word.size();
    return true;
  }

  bool KeyMatches(std::string_view body, bool escaped, const std::string& key) {
    if (!escaped) return body == key;
    JsonNode decoded;
    JsonParseError error;
    const std::string quoted = "\"" + std::string(body) + "\"";
    return ParseJson(quoted, &decoded, &error) && decoded.text == key;
  }

  bool Object(int depth, int step) {
    const JsonPathStep* want = nullptr;
    if (step >= 0) {
      const JsonPathStep& s = (*steps_)[step];
      if (s.kind != JsonPathStep::Kind::kIndex) want = &s;
    }
    p_++;
    SkipSpace();
    if (p_ < t_.size() && t_[p_] == '}') {
      p_++;
      return true;
    }
    bool matched = false;
    while (true) {
      SkipSpace();
      if (p_ >= t_.size() || t_[p_] != '"') return Fail("expected a member name");
      const size_t key_start = p_ + 1;
      bool escaped;
      if (!String(&escaped)) return false;
      const std::string_view body = t_.substr(key_start, p_ - 1 - key_start);
      SkipSpace();
      if (p_ >= t_.size() || t_[p_] != ':') return Fail("expected ':'");
      p_++;
      int member_step = -1;
      if (want != nullptr && !matched && KeyMatches(body, escaped, want->key)) {
        matched = true;  // the first of duplicate keys wins
        member_step = step + 1;
      }
      if (!Value(depth + 1, member_step)) return false;
      SkipSpace();
      if (p_ < t_.size() && t_[p_] == ',') {
        p_++;
        continue;
      }
      if (p_ < t_.size() && t_[p_] == '}') {
        p_++;
        return true;
      }
      return Fail("expected ',' or '}'");
    }
  }

  bool Array(int depth, int step) {
    bool on_path = false;
    int64_t index = 0;
    if (step >= 0) {
      const JsonPathStep& s = (*steps_)[step];
      if (s.kind == JsonPathStep::Kind::kIndex) {
        on_path = true;
        index = s.index;
      } else if (s.kind == JsonPathStep::Kind::kPointer) {
        auto r = std::from_chars(s.key.data(), s.key.data() + s.key.size(), index);
        on_path = !s.key.empty() && r.ec == std::errc() && r.ptr == s.key.data() + s.key.size();
      }
    }
    std::vector<size_t> starts;  // element starts, for an index counted from the end
    p_++;
    SkipSpace();
    if (p_ < t_.size() && t_[p_] == ']') {
      p_++;
      return true;
    }
    int64_t i = 0;
    while (true) {
      SkipSpace();
      if (on_path && index < 0) starts.push_back(p_);
      if (!Value(depth + 1, on_path && index == i ? step + 1 : -1)) return false;
      i++;
      SkipSpace();
      if (p_ < t_.size() && t_[p_] == ',') {
        p_++;
        continue;
      }
      if (p_ < t_.size() && t_[p_] == ']') {
        p_++;
        break;
      }
      return Fail("expected ',' or ']'");
    }
    if (on_path && index < 0 && index + i >= 0) {
      // Scan the chosen element again, now on the path (it is known to be valid).
      const size_t end = p_;
      p_ = starts[static_cast<size_t>(index + i)];
      Value(depth + 1, step + 1);
      p_ = end;
    }
    return true;
  }

  bool String(bool* escaped) {
    p_++;
    *escaped = false;
    while (true) {
      while (p_ < t_.size() && t_[p_] != '"' && t_[p_] != '\\' &&
             static_cast<unsigned char>(t_[p_]) >= 0x20) {
        p_++;
      }
      if (p_ >= t_.size()) return Fail("unterminated string");
      const char c = t_[p_];
      if (c == '"') {
        p_++;
        return true;
      }
      if (c != '\\') return Fail("control character in a string");
      *escaped = true;
      if (++p_ >= t_.size()) return Fail("unterminated string");
      const char e = t_[p_];
      if (e == 'u') {
        for (int k = 1; k <= 4; k++) {
          const char h = p_ + k < t_.size() ? t_[p_ + k] : '\0';
          if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F'))) {
            return Fail("bad \\u escape");
          }
        }
        p_ += 5;
      } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' ||
                 e == 'r' || e == 't') {
        p_++;
      } else {
        return Fail("bad escape in a string");
      }
    }
  }

  bool Number() {
    auto digits = [&] {
      const size_t from = p_;
      while (p_ < t_.size() && t_[p_] >= '0' && t_[p_] <= '9') p_++;
      return p_ > from;
    };
    if (t_[p_] == '-') p_++;
    if (p_ < t_.size() && t_[p_] == '0') {
      p_++;
    } else if (!digits()) {
      return Fail("invalid number");
    }
    if (p_ < t_.size() && t_[p_] == '.') {
      p_++;
      if (!digits()) return Fail("invalid number");
    }
    if (p_ < t_.size() && (t_[p_] == 'e' || t_[p_] == 'E')) {
      p_++;
      if (p_ < t_.size() && (t_[p_] == '+' || t_[p_] == '-')) p_++;
      if (!digits()) return Fail("invalid number");
    }
    return true;
  }

  std::string_view t_;
  const std::vector<JsonPathStep>* steps_;
  size_t p_ = 0;
  const char* error_ = "";
  std::optional<std::string_view> found_;
};

}  // namespace

std::optional<std::string_view> LocateJsonPath(std::string_view text, const JsonPath& path) {
  PathScanner scanner(text, &path.steps());
  if (!scanner.Run()) {
    throw InvalidInputError(fmt::format("Malformed JSON at byte {} of input: {}.  Input: \"{}\"",
                                        scanner.offset(), scanner.error(), text));
  }
  return scanner.found();
}

bool IsValidJson(std::string_view text) {
  PathScanner scanner(text, nullptr);
  return scanner.Run();
}

}  // namespace sluice
