#include "expr/case_mapping.h"

#include <utf8proc.h>

namespace sluice {

namespace {

template <bool kUpper>
void MapCase(std::string_view text, std::string& out) {
  out.assign(text);
  bool ascii = true;
  for (char& c : out) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u >= 0x80) {
      ascii = false;
      break;
    }
    if (kUpper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
    if (!kUpper && c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  if (ascii) return;
  out.clear();
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(text.size());
  utf8proc_uint8_t encoded[4];
  while (left > 0) {
    utf8proc_int32_t cp;
    const utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    if (n <= 0) {  // invalid UTF-8: keep the byte
      out.push_back(static_cast<char>(*p));
      p++;
      left--;
      continue;
    }
    const utf8proc_int32_t mapped = kUpper ? utf8proc_toupper(cp) : utf8proc_tolower(cp);
    const utf8proc_ssize_t m = utf8proc_encode_char(mapped, encoded);
    out.append(reinterpret_cast<const char*>(encoded), static_cast<size_t>(m));
    p += n;
    left -= n;
  }
}

}  // namespace

void Utf8ToLower(std::string_view text, std::string& out) { MapCase<false>(text, out); }
void Utf8ToUpper(std::string_view text, std::string& out) { MapCase<true>(text, out); }

}  // namespace sluice
