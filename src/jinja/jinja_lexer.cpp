#include "jinja/jinja_lexer.h"

#include <algorithm>
#include <cctype>

#include "common/strings.h"
#include "jinja/jinja_error.h"
#include "jinja/jinja_text.h"
#include "jinja/jinja_value.h"

namespace sluice::jinja {

namespace {

bool IsNameStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IsNameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool IsDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }


std::string NormalizeNewlines(std::string_view source, bool keep_trailing_newline) {
  std::string out;
  out.reserve(source.size());
  for (size_t i = 0; i < source.size(); ++i) {
    if (source[i] == '\r') {
      out += '\n';
      if (i + 1 < source.size() && source[i + 1] == '\n') ++i;
    } else {
      out += source[i];
    }
  }
  if (!keep_trailing_newline && !out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

class Lexer {
 public:
  Lexer(std::string source, const std::string& name, const LexerOptions& options)
      : src_(std::move(source)), name_(name), options_(options) {
    line_starts_.push_back(0);
    for (size_t i = 0; i < src_.size(); ++i) {
      if (src_[i] == '\n') line_starts_.push_back(i + 1);
    }
  }

  std::vector<Token> Run() {
    while (pos_ < src_.size()) {
      size_t open = FindTagStart(pos_);
      size_t text_start = pos_;
      std::string text = src_.substr(pos_, (open == std::string::npos ? src_.size() : open) - pos_);
      ApplyPendingLeftStrip(text, text_start);
      if (open == std::string::npos) {
        EmitText(std::move(text), text_start);
        pos_ = src_.size();
        break;
      }
      char kind = src_[open + 1];
      size_t p = open + 2;
      char modifier = p < src_.size() && (src_[p] == '-' || src_[p] == '+') ? src_[p] : 0;
      if (modifier) ++p;
      if (modifier == '-') {
        text = Strip(text, {}, false, true);
      } else if (modifier == 0 && options_.lstrip_blocks && kind != '{') {
        LstripBlock(text, text_start);
      }
      if (kind == '%' && TryRawBlock(p, text, text_start)) continue;
      EmitText(std::move(text), text_start);
      if (kind == '#') {
        LexComment(open, p);
      } else {
        Emit(kind == '{' ? TokenKind::kPrintBegin : TokenKind::kBlockBegin,
             kind == '{' ? "{{" : "{%", open);
        pos_ = p;
        LexTagBody(kind == '{');
      }
    }
    Emit(TokenKind::kEnd, "", src_.size());
    return std::move(tokens_);
  }

 private:
  [[noreturn]] void Fail(size_t offset, const std::string& message) const {
    auto [line, column] = LineColumn(offset);
    throw JinjaError(SourcePosition{name_, line, column}, message);
  }

  std::pair<int, int> LineColumn(size_t offset) const {
    auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
    size_t line = static_cast<size_t>(it - line_starts_.begin());
    return {static_cast<int>(line), static_cast<int>(offset - line_starts_[line - 1] + 1)};
  }

  void Emit(TokenKind kind, std::string text, size_t offset) {
    Token t;
    t.kind = kind;
    t.text = std::move(text);
    std::tie(t.line, t.column) = LineColumn(offset);
    tokens_.push_back(std::move(t));
  }

  void EmitText(std::string text, size_t offset) {
    if (!text.empty()) Emit(TokenKind::kText, std::move(text), offset);
  }

  size_t FindTagStart(size_t from) const {
    for (size_t i = src_.find('{', from); i != std::string::npos; i = src_.find('{', i + 1)) {
      if (i + 1 < src_.size() && (src_[i + 1] == '{' || src_[i + 1] == '%' || src_[i + 1] == '#')) {
        return i;
      }
    }
    return std::string::npos;
  }

  // Applies `-%}` (strip all leading whitespace) or trim_blocks (drop one newline) left over
  // from the previous tag.
  void ApplyPendingLeftStrip(std::string& text, size_t& text_start) {
    if (strip_next_) {
      size_t n = 0;
      while (n < text.size() && IsSpace(text[n])) ++n;
      text.erase(0, n);
      text_start += n;
    } else if (trim_next_newline_ && !text.empty() && text[0] == '\n') {
      text.erase(0, 1);
      text_start += 1;
    }
    strip_next_ = false;
    trim_next_newline_ = false;
  }

  void LstripBlock(std::string& text, size_t text_start) {
    size_t nl = text.rfind('\n');
    size_t from = nl == std::string::npos ? 0 : nl + 1;
    bool at_line_start = nl != std::string::npos || text_start == 0 || src_[text_start - 1] == '\n';
    if (!at_line_start) return;
    for (size_t i = from; i < text.size(); ++i) {
      if (text[i] != ' ' && text[i] != '\t') return;
    }
    text.erase(from);
  }

  void LexComment(size_t open, size_t p) {
    size_t close = src_.find("#}", p);
    if (close == std::string::npos) Fail(open, "missing end of comment tag");
    if (close > p && src_[close - 1] == '-') {
      strip_next_ = true;
    } else if (options_.trim_blocks && !(close > p && src_[close - 1] == '+')) {
      trim_next_newline_ = true;
    }
    pos_ = close + 2;
  }

  // Matches `[-+]? ws* word ws* [-+]? %}` at `p` (after "{%"); returns the offset after "%}"
  // or npos, with the modifiers found.
  size_t MatchSimpleTag(size_t p, std::string_view word, char* close_modifier) const {
    size_t q = p;
    while (q < src_.size() && IsSpace(src_[q])) ++q;
    if (src_.compare(q, word.size(), word) != 0) return std::string::npos;
    q += word.size();
    if (q < src_.size() && IsNameChar(src_[q])) return std::string::npos;
    while (q < src_.size() && IsSpace(src_[q])) ++q;
    *close_modifier = 0;
    if (q < src_.size() && (src_[q] == '-' || src_[q] == '+')) *close_modifier = src_[q++];
    if (src_.compare(q, 2, "%}") != 0) return std::string::npos;
    return q + 2;
  }

  bool TryRawBlock(size_t p, std::string& text, size_t text_start) {
    char raw_close = 0;
    size_t body_start = MatchSimpleTag(p, "raw", &raw_close);
    if (body_start == std::string::npos) return false;
    EmitText(std::move(text), text_start);
    for (size_t i = src_.find("{%", body_start); i != std::string::npos;
         i = src_.find("{%", i + 1)) {
      size_t q = i + 2;
      char open_modifier = q < src_.size() && (src_[q] == '-' || src_[q] == '+') ? src_[q] : 0;
      if (open_modifier) ++q;
      char end_close = 0;
      size_t after = MatchSimpleTag(q, "endraw", &end_close);
      if (after == std::string::npos) continue;
      std::string body = src_.substr(body_start, i - body_start);
      if (raw_close == '-') body = Strip(body, {}, true, false);
      if (open_modifier == '-') body = Strip(body, {}, false, true);
      EmitText(std::move(body), body_start);
      strip_next_ = end_close == '-';
      trim_next_newline_ = options_.trim_blocks && end_close == 0;
      pos_ = after;
      return true;
    }
    Fail(p - 2, "unexpected end of template, expected 'endraw'");
  }

  void LexTagBody(bool print) {
    const std::string_view end = print ? "}}" : "%}";
    int depth = 0;
    while (true) {
      while (pos_ < src_.size() && IsSpace(src_[pos_])) ++pos_;
      if (pos_ >= src_.size()) {
        Fail(pos_, std::string("unexpected end of template, expected '") + std::string(end) + "'");
      }
      if (depth == 0) {
        char modifier = (src_[pos_] == '-' || src_[pos_] == '+') ? src_[pos_] : 0;
        size_t q = pos_ + (modifier ? 1 : 0);
        if (src_.compare(q, 2, end) == 0) {
          Emit(print ? TokenKind::kPrintEnd : TokenKind::kBlockEnd, std::string(end), pos_);
          pos_ = q + 2;
          strip_next_ = modifier == '-';
          trim_next_newline_ = !print && options_.trim_blocks && modifier == 0;
          return;
        }
      }
      LexToken(depth);
    }
  }

  void LexToken(int& depth) {
    size_t start = pos_;
    char c = src_[pos_];
    if (IsNameStart(c)) {
      while (pos_ < src_.size() && IsNameChar(src_[pos_])) ++pos_;
      Emit(TokenKind::kName, src_.substr(start, pos_ - start), start);
      return;
    }
    if (IsDigit(c)) {
      LexNumber();
      return;
    }
    if (c == '\'' || c == '"') {
      LexString();
      return;
    }
    static const char* kTwoChar[] = {"//", "**", "==", "!=", "<=", ">="};
    for (const char* op : kTwoChar) {
      if (src_.compare(pos_, 2, op) == 0) {
        Emit(TokenKind::kOperator, op, start);
        pos_ += 2;
        return;
      }
    }
    if (std::string_view("+-*/%~[](){}<>=.:|,;").find(c) == std::string_view::npos) {
      Fail(start, std::string("unexpected character '") + c + "'");
    }
    if (c == '(' || c == '[' || c == '{') ++depth;
    if (c == ')' || c == ']' || c == '}') {
      if (depth == 0) Fail(start, std::string("unexpected '") + c + "'");
      --depth;
    }
    Emit(TokenKind::kOperator, std::string(1, c), start);
    ++pos_;
  }

  void LexNumber() {
    size_t start = pos_;
    auto digits = [&] {
      while (pos_ < src_.size() &&
             (IsDigit(src_[pos_]) ||
              (src_[pos_] == '_' && pos_ + 1 < src_.size() && IsDigit(src_[pos_ + 1])))) {
        ++pos_;
      }
    };
    digits();
    bool is_float = false;
    // After a dot (`row.0.1`) numbers are integers, as in Jinja's lexer.
    bool after_dot = start > 0 && src_[start - 1] == '.';
    if (!after_dot && pos_ + 1 < src_.size() && src_[pos_] == '.' && IsDigit(src_[pos_ + 1])) {
      is_float = true;
      ++pos_;
      digits();
    }
    if (!after_dot && pos_ < src_.size() && (src_[pos_] == 'e' || src_[pos_] == 'E')) {
      size_t q = pos_ + 1;
      if (q < src_.size() && (src_[q] == '+' || src_[q] == '-')) ++q;
      if (q < src_.size() && IsDigit(src_[q])) {
        is_float = true;
        pos_ = q;
        digits();
      }
    }
    std::string text;
    for (size_t i = start; i < pos_; ++i) {
      if (src_[i] != '_') text += src_[i];
    }
    Emit(is_float ? TokenKind::kFloat : TokenKind::kInteger, text, start);
    try {
      if (is_float) {
        tokens_.back().float_value = std::stod(text);
      } else {
        tokens_.back().int_value = std::stoll(text);
      }
    } catch (const std::out_of_range&) {
      Fail(start, "number out of range: " + text);
    }
  }

  void LexString() {
    size_t start = pos_;
    char quote = src_[pos_++];
    std::string value;
    while (true) {
      if (pos_ >= src_.size()) Fail(start, "unterminated string");
      char c = src_[pos_++];
      if (c == quote) break;
      if (c != '\\') {
        value += c;
        continue;
      }
      if (pos_ >= src_.size()) Fail(start, "unterminated string");
      char e = src_[pos_++];
      switch (e) {
        case 'n':
          value += '\n';
          break;
        case 't':
          value += '\t';
          break;
        case 'r':
          value += '\r';
          break;
        case '0':
          value += '\0';
          break;
        case 'a':
          value += '\a';
          break;
        case 'b':
          value += '\b';
          break;
        case 'f':
          value += '\f';
          break;
        case 'v':
          value += '\v';
          break;
        case '\\':
          value += '\\';
          break;
        case '\'':
          value += '\'';
          break;
        case '"':
          value += '"';
          break;
        case '\n':
          break;  // line continuation
        case 'x':
        case 'u':
        case 'U': {
          size_t len = e == 'x' ? 2 : (e == 'u' ? 4 : 8);
          if (pos_ + len > src_.size())
            Fail(pos_ - 2, "truncated \\" + std::string(1, e) + " escape");
          std::string hex = src_.substr(pos_, len);
          if (!std::all_of(hex.begin(), hex.end(),
                           [](char h) { return std::isxdigit(static_cast<unsigned char>(h)); })) {
            Fail(pos_ - 2, "truncated \\" + std::string(1, e) + " escape");
          }
          AppendUtf8(static_cast<uint32_t>(std::stoul(hex, nullptr, 16)), &value);
          pos_ += len;
          break;
        }
        default:
          // Python keeps unknown escapes as written.
          value += '\\';
          value += e;
      }
    }
    Emit(TokenKind::kString, std::move(value), start);
  }

  std::string src_;
  const std::string& name_;
  LexerOptions options_;
  std::vector<size_t> line_starts_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  bool strip_next_ = false;         // the previous tag ended with '-'
  bool trim_next_newline_ = false;  // trim_blocks after the previous block tag
};

}  // namespace

std::vector<Token> TokenizeTemplate(std::string_view source, const std::string& template_name,
                                    const LexerOptions& options) {
  Lexer lexer(NormalizeNewlines(source, options.keep_trailing_newline), template_name, options);
  return lexer.Run();
}

std::string DescribeToken(const Token& token) {
  switch (token.kind) {
    case TokenKind::kText:
      return "template data";
    case TokenKind::kPrintBegin:
      return "'{{'";
    case TokenKind::kPrintEnd:
      return "end of print statement";
    case TokenKind::kBlockBegin:
      return "'{%'";
    case TokenKind::kBlockEnd:
      return "end of statement block";
    case TokenKind::kEnd:
      return "end of template";
    case TokenKind::kString:
      return "string " + ReprString(token.text);
    default:
      return "'" + token.text + "'";
  }
}

}  // namespace sluice::jinja
