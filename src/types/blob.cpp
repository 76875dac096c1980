#include "types/blob.h"

#include <fmt/format.h>

namespace sluice {

namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string FormatBlob(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size());
  for (char ch : bytes) {
    const auto b = static_cast<unsigned char>(ch);
    if (b >= 0x20 && b <= 0x7E && b != '\\' && b != '\'' && b != '"') {
      out += ch;
    } else {
      out += "\\x";
      out += kHex[b >> 4];
      out += kHex[b & 15];
    }
  }
  return out;
}

bool ParseBlob(std::string_view text, std::string& out, std::string* error) {
  out.clear();
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); i++) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b == '\\') {
      if (i + 3 >= text.size()) {
        if (error != nullptr) {
          *error = fmt::format(
              "Invalid hex escape code encountered in string -> blob conversion of string \"{}\": "
              "unterminated escape code at end of blob",
              text);
        }
        return false;
      }
      const int hi = HexDigit(text[i + 2]), lo = HexDigit(text[i + 3]);
      if (text[i + 1] != 'x' || hi < 0 || lo < 0) {
        if (error != nullptr) {
          *error = fmt::format(
              "Invalid hex escape code encountered in string -> blob conversion of string \"{}\": "
              "{}",
              text, text.substr(i, 4));
        }
        return false;
      }
      out += static_cast<char>(hi * 16 + lo);
      i += 3;
    } else if (b >= 0x80) {
      if (error != nullptr) {
        *error = fmt::format(
            "Invalid byte encountered in STRING -> BLOB conversion of string \"{}\". All "
            "non-ascii characters must be escaped with hex codes (e.g. \\xAA)",
            text);
      }
      return false;
    } else {
      out += static_cast<char>(b);
    }
  }
  return true;
}

}  // namespace sluice
