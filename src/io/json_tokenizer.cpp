#include "io/json_tokenizer.h"

#include <cctype>

#include "common/json_document.h"
#include "common/strings.h"

namespace sluice {

namespace {

// A cursor over one line; every Parse* leaves pos_ after what it consumed or fails.
class JsonLineParser {
 public:
  JsonLineParser(std::string_view line, JsonSyntaxError* error)
      : p_(line.data()), begin_(line.data()), end_(line.data() + line.size()), error_(error) {}

  bool ParseObject(std::vector<JsonMember>* members) {
    SkipSpace();
    if (p_ == end_) return true;
    if (*p_ != '{') return Fail("expected a JSON object ('{')");
    p_++;
    SkipSpace();
    if (p_ < end_ && *p_ == '}') {
      p_++;
      return ExpectEnd();
    }
    while (true) {
      SkipSpace();
      if (p_ == end_ || *p_ != '"') return Fail("expected a quoted key");
      JsonMember m;
      if (!ParseString(&m.key, &m.key_escaped)) return false;
      SkipSpace();
      if (p_ == end_ || *p_ != ':') return Fail("expected ':' after the key");
      p_++;
      SkipSpace();
      if (!ParseValue(&m, 0)) return false;
      members->push_back(m);
      SkipSpace();
      if (p_ == end_) return Fail("unterminated object (expected ',' or '}')");
      if (*p_ == ',') {
        p_++;
        continue;
      }
      if (*p_ == '}') {
        p_++;
        return ExpectEnd();
      }
      return Fail("expected ',' or '}'");
    }
  }

 private:
  static constexpr int kMaxDepth = 1000;

  bool Fail(const char* message) {
    error_->offset = static_cast<size_t>(p_ - begin_);
    error_->message = message;
    return false;
  }

  void SkipSpace() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\r' || *p_ == '\n')) p_++;
  }

  bool ExpectEnd() {
    SkipSpace();
    return p_ == end_ ? true : Fail("unexpected text after the object");
  }

  // At a '"': the body between the quotes.
  bool ParseString(std::string_view* body, bool* escaped) {
    const char* start = ++p_;
    *escaped = false;
    while (true) {
      while (p_ < end_ && *p_ != '"' && *p_ != '\\' && static_cast<unsigned char>(*p_) >= 0x20) {
        p_++;
      }
      if (p_ == end_) return Fail("unterminated string");
      if (*p_ == '"') break;
      if (*p_ != '\\') return Fail("control character in a string");
      *escaped = true;
      p_++;
      if (p_ == end_) return Fail("unterminated string");
      const char c = *p_;
      if (c == 'u') {
        for (int i = 1; i <= 4; i++) {
          if (p_ + i >= end_ || !std::isxdigit(static_cast<unsigned char>(p_[i]))) {
            return Fail("bad \\u escape");
          }
        }
        p_ += 5;
      } else if (c == '"' || c == '\\' || c == '/' || c == 'b' || c == 'f' || c == 'n' ||
                 c == 'r' || c == 't') {
        p_++;
      } else {
        return Fail("bad escape in a string");
      }
    }
    *body = std::string_view(start, static_cast<size_t>(p_ - start));
    p_++;
    return true;
  }

  bool ParseNumber(JsonMember* m) {
    const char* start = p_;
    bool is_float = false;
    if (*p_ == '-') p_++;
    if (p_ == end_ || !std::isdigit(static_cast<unsigned char>(*p_))) return Fail("bad number");
    if (*p_ == '0' && p_ + 1 < end_ && std::isdigit(static_cast<unsigned char>(p_[1]))) {
      return Fail("bad number (leading zero)");
    }
    while (p_ < end_ && std::isdigit(static_cast<unsigned char>(*p_))) p_++;
    if (p_ < end_ && *p_ == '.') {
      is_float = true;
      p_++;
      if (p_ == end_ || !std::isdigit(static_cast<unsigned char>(*p_))) return Fail("bad number");
      while (p_ < end_ && std::isdigit(static_cast<unsigned char>(*p_))) p_++;
    }
    if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
      is_float = true;
      p_++;
      if (p_ < end_ && (*p_ == '+' || *p_ == '-')) p_++;
      if (p_ == end_ || !std::isdigit(static_cast<unsigned char>(*p_))) return Fail("bad number");
      while (p_ < end_ && std::isdigit(static_cast<unsigned char>(*p_))) p_++;
    }
    m->kind = is_float ? JsonKind::kFloat : JsonKind::kInteger;
    m->text = std::string_view(start, static_cast<size_t>(p_ - start));
    return true;
  }

  bool ParseWord(std::string_view word, JsonKind kind, JsonMember* m) {
    if (static_cast<size_t>(end_ - p_) < word.size() || std::string_view(p_, word.size()) != word) {
      return Fail("unexpected character (expected a value)");
    }
    m->kind = kind;
    m->text = std::string_view(p_, word.size());
    p_ += word.size();
    return true;
  }

  // A value; nested objects and arrays are checked and kept as raw text.
  bool ParseValue(JsonMember* m, int depth) {
    if (p_ == end_) return Fail("expected a value");
    switch (*p_) {
      case '"':
        m->kind = JsonKind::kString;
        return ParseString(&m->text, &m->escaped);
      case 't': return ParseWord("true", JsonKind::kTrue, m);
      case 'f': return ParseWord("false", JsonKind::kFalse, m);
      case 'n': return ParseWord("null", JsonKind::kNull, m);
      case '{':
      case '[': {
        const char* start = p_;
        if (!SkipNested(depth + 1)) return false;
        m->kind = JsonKind::kNested;
        m->text = std::string_view(start, static_cast<size_t>(p_ - start));
        return true;
      }
      default:
        if (*p_ == '-' || std::isdigit(static_cast<unsigned char>(*p_))) return ParseNumber(m);
        return Fail("unexpected character (expected a value)");
    }
  }

  // At '{' or '[': checks the whole nested value.
  bool SkipNested(int depth) {
    if (depth > kMaxDepth) return Fail("nesting too deep");
    const char close = *p_ == '{' ? '}' : ']';
    const bool object = close == '}';
    p_++;
    SkipSpace();
    if (p_ < end_ && *p_ == close) {
      p_++;
      return true;
    }
    JsonMember scratch;
    while (true) {
      SkipSpace();
      if (object) {
        if (p_ == end_ || *p_ != '"') return Fail("expected a quoted key");
        std::string_view key;
        bool escaped;
        if (!ParseString(&key, &escaped)) return false;
        SkipSpace();
        if (p_ == end_ || *p_ != ':') return Fail("expected ':' after the key");
        p_++;
        SkipSpace();
      }
      if (!ParseValue(&scratch, depth)) return false;
      SkipSpace();
      if (p_ == end_) return Fail(object ? "unterminated object" : "unterminated array");
      if (*p_ == ',') {
        p_++;
        continue;
      }
      if (*p_ == close) {
        p_++;
        return true;
      }
      return Fail(object ? "expected ',' or '}'" : "expected ',' or ']'");
    }
  }

  const char* p_;
  const char* begin_;
  const char* end_;
  JsonSyntaxError* error_;
};

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}


}  // namespace

bool ParseJsonLine(std::string_view line, std::vector<JsonMember>* members,
                   JsonSyntaxError* error) {
  members->clear();
  return JsonLineParser(line, error).ParseObject(members);
}

void DecodeJsonString(std::string_view body, std::string* out) {
  for (size_t i = 0; i < body.size(); i++) {
    const char c = body[i];
    if (c != '\\') {
      out->push_back(c);
      continue;
    }
    const char e = body[++i];
    switch (e) {
      case 'b': out->push_back('\b'); break;
      case 'f': out->push_back('\f'); break;
      case 'n': out->push_back('\n'); break;
      case 'r': out->push_back('\r'); break;
      case 't': out->push_back('\t'); break;
      case 'u': {
        auto hex4 = [&](size_t at) {
          uint32_t v = 0;
          for (size_t k = 0; k < 4; k++) v = v * 16 + static_cast<uint32_t>(HexValue(body[at + k]));
          return v;
        };
        uint32_t cp = hex4(i + 1);
        i += 4;
        // A high surrogate followed by a low one is one code point; a lone one becomes U+FFFD.
        if (cp >= 0xD800 && cp < 0xDC00 && i + 6 < body.size() && body[i + 1] == '\\' &&
            body[i + 2] == 'u') {
          const uint32_t low = hex4(i + 3);
          if (low >= 0xDC00 && low < 0xE000) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            i += 6;
          }
        }
        if (cp >= 0xD800 && cp < 0xE000) cp = 0xFFFD;
        AppendUtf8(cp, out);
        break;
      }
      default: out->push_back(e); break;  // " \ /
    }
  }
}

void AppendJsonString(std::string_view text, std::string* out) { AppendJsonQuoted(text, out); }

}  // namespace sluice
