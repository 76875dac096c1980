#include "common/json_document.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "common/strings.h"

namespace sluice {

const JsonNode* JsonNode::Find(std::string_view key) const {
  if (kind != Kind::kObject) return nullptr;
  for (const Member& m : members) {
    if (m.key == key) return &m.value;
  }
  return nullptr;
}

bool JsonNode::IsFloat() const {
  return kind == Kind::kNumber && text.find_first_of(".eE") != std::string::npos;
}

namespace {

constexpr int kMaxDepth = 1000;


// Recursive descent over one value; `depth` bounds the recursion.
class JsonParser {
 public:
  JsonParser(std::string_view text, size_t pos, JsonParseError* error)
      : text_(text), pos_(pos), error_(error) {}

  size_t pos() const { return pos_; }

  void SkipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r')) {
      pos_++;
    }
  }

  bool Value(JsonNode* out, int depth) {
    SkipSpace();
    if (pos_ >= text_.size()) return Fail("unexpected end of input");
    if (depth > kMaxDepth) return Fail("nesting too deep");
    const char c = text_[pos_];
    if (c == '{') return Object(out, depth);
    if (c == '[') return Array(out, depth);
    if (c == '"') {
      out->kind = JsonNode::Kind::kString;
      return String(&out->text);
    }
    if (c == '-' || (c >= '0' && c <= '9')) return Number(out);
    if (Literal("true")) {
      out->kind = JsonNode::Kind::kTrue;
      return true;
    }
    if (Literal("false")) {
      out->kind = JsonNode::Kind::kFalse;
      return true;
    }
    if (Literal("null")) {
      out->kind = JsonNode::Kind::kNull;
      return true;
    }
    return Fail("invalid literal");
  }

 private:
  bool Fail(const char* message) {
    error_->offset = pos_;
    error_->message = message;
    return false;
  }

  bool Literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  bool Object(JsonNode* out, int depth) {
    out->kind = JsonNode::Kind::kObject;
    pos_++;
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == '}') {
      pos_++;
      return true;
    }
    while (true) {
      SkipSpace();
      if (pos_ >= text_.size() || text_[pos_] != '"') return Fail("expected a member name");
      std::string key;
      if (!String(&key)) return false;
      SkipSpace();
      if (pos_ >= text_.size() || text_[pos_] != ':') return Fail("expected ':'");
      pos_++;
      out->members.push_back(JsonNode::Member{std::move(key), JsonNode{}});
      if (!Value(&out->members.back().value, depth + 1)) return false;
      SkipSpace();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        pos_++;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == '}') {
        pos_++;
        return true;
      }
      return Fail("expected ',' or '}'");
    }
  }

  bool Array(JsonNode* out, int depth) {
    out->kind = JsonNode::Kind::kArray;
    pos_++;
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == ']') {
      pos_++;
      return true;
    }
    while (true) {
      out->elements.emplace_back();
      if (!Value(&out->elements.back(), depth + 1)) return false;
      SkipSpace();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        pos_++;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == ']') {
        pos_++;
        return true;
      }
      return Fail("expected ',' or ']'");
    }
  }

  bool Hex4(uint32_t* cp) {
    if (pos_ + 4 > text_.size()) return Fail("bad \\u escape");
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
      const char h = text_[pos_ + i];
      v <<= 4;
      if (h >= '0' && h <= '9') {
        v |= h - '0';
      } else if (h >= 'a' && h <= 'f') {
        v |= h - 'a' + 10;
      } else if (h >= 'A' && h <= 'F') {
        v |= h - 'A' + 10;
      } else {
        return Fail("bad \\u escape");
      }
    }
    pos_ += 4;
    *cp = v;
    return true;
  }

  bool String(std::string* out) {
    pos_++;
    while (true) {
      const size_t start = pos_;
      while (pos_ < text_.size() && text_[pos_] != '"' && text_[pos_] != '\\' &&
             static_cast<unsigned char>(text_[pos_]) >= 0x20) {
        pos_++;
      }
      out->append(text_.data() + start, pos_ - start);
      if (pos_ >= text_.size()) return Fail("unterminated string");
      const char c = text_[pos_];
      if (c == '"') {
        pos_++;
        return true;
      }
      if (c != '\\') return Fail("control character in a string");
      if (++pos_ >= text_.size()) return Fail("unterminated string");
      const char e = text_[pos_++];
      switch (e) {
        case '"': out->push_back('"'); break;
        case '\\': out->push_back('\\'); break;
        case '/': out->push_back('/'); break;
        case 'b': out->push_back('\b'); break;
        case 'f': out->push_back('\f'); break;
        case 'n': out->push_back('\n'); break;
        case 'r': out->push_back('\r'); break;
        case 't': out->push_back('\t'); break;
        case 'u': {
          uint32_t cp = 0;
          if (!Hex4(&cp)) return false;
          if (cp >= 0xD800 && cp < 0xDC00 && text_.substr(pos_, 2) == "\\u") {
            pos_ += 2;
            uint32_t low = 0;
            if (!Hex4(&low)) return false;
            if (low >= 0xDC00 && low < 0xE000) {
              cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            } else {
              AppendUtf8(cp, out);
              cp = low;
            }
          }
          AppendUtf8(cp, out);
          break;
        }
        default: pos_--; return Fail("bad escape in a string");
      }
    }
  }

  bool Number(JsonNode* out) {
    const size_t start = pos_;
    auto digits = [&] {
      const size_t from = pos_;
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') pos_++;
      return pos_ > from;
    };
    if (text_[pos_] == '-') pos_++;
    if (pos_ < text_.size() && text_[pos_] == '0') {
      pos_++;
    } else if (!digits()) {
      return Fail("invalid number");
    }
    if (pos_ < text_.size() && text_[pos_] == '.') {
      pos_++;
      if (!digits()) return Fail("invalid number");
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      pos_++;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) pos_++;
      if (!digits()) return Fail("invalid number");
    }
    out->kind = JsonNode::Kind::kNumber;
    out->text.assign(text_.data() + start, pos_ - start);
    return true;
  }

  std::string_view text_;
  size_t pos_;
  JsonParseError* error_;
};

void WriteNumber(const std::string& text, bool is_float, std::string* out) {
  if (!is_float) {
    const bool negative = text[0] == '-';
    if (negative) {
      int64_t v = 0;
      auto r = std::from_chars(text.data(), text.data() + text.size(), v);
      if (r.ec != std::errc()) {
        out->append(text);
      } else {
        out->append(std::to_string(v));
      }
    } else {
      uint64_t v = 0;
      auto r = std::from_chars(text.data(), text.data() + text.size(), v);
      out->append(r.ec != std::errc() ? text : std::to_string(v));
    }
    return;
  }
  const double d = std::strtod(text.c_str(), nullptr);
  if (std::isinf(d)) {
    out->append(text);  // out of double range: kept as written
    return;
  }
  AppendJsonDouble(d, out);
}

}  // namespace

bool ParseJsonValueAt(std::string_view text, size_t* pos, JsonNode* out, JsonParseError* error) {
  JsonParser parser(text, *pos, error);
  if (!parser.Value(out, 0)) return false;
  *pos = parser.pos();
  return true;
}

bool ParseJson(std::string_view text, JsonNode* out, JsonParseError* error) {
  JsonParser parser(text, 0, error);
  if (!parser.Value(out, 0)) return false;
  parser.SkipSpace();
  if (parser.pos() != text.size()) {
    error->offset = parser.pos();
    error->message = "unexpected content after document";
    return false;
  }
  return true;
}

void AppendJsonDouble(double value, std::string* out) {
  if (std::isnan(value)) {
    out->append("NaN");
    return;
  }
  if (std::isinf(value)) {
    out->append(value < 0 ? "-Infinity" : "Infinity");
    return;
  }
  // Shortest round-trip digits, then laid out by the decimal exponent.
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof(buf), value, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<size_t>(r.ptr - buf));
  const size_t e = sci.find('e');
  std::string_view mantissa = sci.substr(0, e);
  const int exponent = std::atoi(std::string(sci.substr(e + 1)).c_str());
  std::string sign;
  if (!mantissa.empty() && mantissa[0] == '-') {
    sign = "-";
    mantissa.remove_prefix(1);
  }
  std::string digits;
  for (char c : mantissa) {
    if (c != '.') digits.push_back(c);
  }
  out->append(sign);
  if (exponent >= -6 && exponent < 21) {
    if (exponent >= 0) {
      const size_t int_digits = static_cast<size_t>(exponent) + 1;
      if (digits.size() <= int_digits) {
        out->append(digits).append(int_digits - digits.size(), '0').append(".0");
      } else {
        out->append(digits.substr(0, int_digits)).push_back('.');
        out->append(digits.substr(int_digits));
      }
    } else {
      out->append("0.").append(static_cast<size_t>(-exponent - 1), '0').append(digits);
    }
    return;
  }
  out->push_back(digits[0]);
  if (digits.size() > 1) out->append(".").append(digits.substr(1));
  out->append("e").append(std::to_string(exponent));
}

void AppendJsonQuoted(std::string_view text, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  size_t run = 0;
  for (size_t i = 0; i < text.size(); i++) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out->append(text.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\b': out->append("\\b"); break;
      case '\f': out->append("\\f"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      default:
        out->append("\\u00");
        out->push_back(kHex[c >> 4]);
        out->push_back(kHex[c & 15]);
    }
  }
  out->append(text.data() + run, text.size() - run);
  out->push_back('"');
}

void WriteJson(const JsonNode& node, std::string* out) {
  switch (node.kind) {
    case JsonNode::Kind::kNull: out->append("null"); break;
    case JsonNode::Kind::kTrue: out->append("true"); break;
    case JsonNode::Kind::kFalse: out->append("false"); break;
    case JsonNode::Kind::kNumber: WriteNumber(node.text, node.IsFloat(), out); break;
    case JsonNode::Kind::kString: AppendJsonQuoted(node.text, out); break;
    case JsonNode::Kind::kArray:
      out->push_back('[');
      for (size_t i = 0; i < node.elements.size(); i++) {
        if (i > 0) out->push_back(',');
        WriteJson(node.elements[i], out);
      }
      out->push_back(']');
      break;
    case JsonNode::Kind::kObject:
      out->push_back('{');
      for (size_t i = 0; i < node.members.size(); i++) {
        if (i > 0) out->push_back(',');
        AppendJsonQuoted(node.members[i].key, out);
        out->push_back(':');
        WriteJson(node.members[i].value, out);
      }
      out->push_back('}');
      break;
  }
}

}  // namespace sluice
