// String functions that recode a whole string character by character or byte by byte:
// the md5/sha1/sha256 hex digests (common/digest.h), translate and initcap; and between
// characters and their code points: chr, ascii, unicode.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <utf8proc.h>

#include "common/digest.h"
#include "common/error.h"
#include "common/strings.h"
#include "expr/case_mapping.h"
#include "expr/kernel_util.h"
#include "expr/scalar_functions.h"

namespace sluice {

namespace {

using kernel::ArgReader;

const LogicalType kVarchar = TypeId::kVarchar;

// The bytes of the UTF-8 character starting at s[i] (one byte when the text is not valid
// UTF-8 there, so every byte is still visited once).
std::string_view CharAt(std::string_view s, size_t i) {
  size_t end = i + 1;
  while (end < s.size() && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) end++;
  return s.substr(i, end - i);
}

// translate's mapping from the characters of `from` to those of `to` at the same position;
// a character of `from` past the end of `to` maps to nothing (it is deleted). When `from`
// repeats a character, its first position wins (as in DuckDB and PostgreSQL).
class CharacterMap {
 public:
  void Build(std::string_view from, std::string_view to) {
    from_ = from;
    to_ = to;
    pairs_.clear();
    size_t j = 0;
    for (size_t i = 0; i < from.size();) {
      const std::string_view f = CharAt(from, i);
      i += f.size();
      std::optional<std::string_view> t;
      if (j < to.size()) {
        t = CharAt(to, j);
        j += t->size();
      }
      if (Find(f) == nullptr) pairs_.emplace_back(f, t);
    }
  }
  bool BuiltFor(std::string_view from, std::string_view to) const {
    return from_.data() == from.data() && from_.size() == from.size() && to_.data() == to.data() &&
           to_.size() == to.size() && !pairs_.empty();
  }
  // The replacement of character `c`: nullptr when `c` is not mapped, else the replacement
  // (nullopt: delete it).
  const std::optional<std::string_view>* Find(std::string_view c) const {
    for (const auto& [f, t] : pairs_) {
      if (f == c) return &t;
    }
    return nullptr;
  }

 private:
  std::string_view from_;
  std::string_view to_;
  std::vector<std::pair<std::string_view, std::optional<std::string_view>>> pairs_;
};

ScalarKernel TranslateKernel() {
  return [](const std::vector<ColumnPtr>& args, size_t n) {
    ArgReader s(*args[0]), from(*args[1]), to(*args[2]);
    CharacterMap map;
    std::string buf;
    return kernel::RowExec(kVarchar, args, n, [&](size_t i, Column& out) {
      const std::string_view text = s.Get<StringView>(i).view();
      const std::string_view f = from.Get<StringView>(i).view();
      const std::string_view t = to.Get<StringView>(i).view();
      if (!map.BuiltFor(f, t)) map.Build(f, t);
      buf.clear();
      for (size_t k = 0; k < text.size();) {
        const std::string_view c = CharAt(text, k);
        k += c.size();
        const std::optional<std::string_view>* replacement = map.Find(c);
        if (replacement == nullptr) {
          buf.append(c);
        } else if (replacement->has_value()) {
          buf.append(**replacement);
        }
      }
      out.data<StringView>()[i] = out.AddString(buf);
      return true;
    });
  };
}

template <std::string (*kDigest)(std::string_view)>
ScalarKernel DigestKernel() {
  return [](const std::vector<ColumnPtr>& args, size_t n) {
    ArgReader s(*args[0]);
    return kernel::RowExec(kVarchar, args, n, [&](size_t i, Column& out) {
      out.data<StringView>()[i] = out.AddString(kDigest(s.Get<StringView>(i).view()));
      return true;
    });
  };
}

// The code point of the UTF-8 character at the start of non-empty `text` (its first byte
// when the text is not valid UTF-8 there).
int32_t FirstCodePoint(std::string_view text) {
  utf8proc_int32_t cp = 0;
  const utf8proc_ssize_t n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                                              static_cast<utf8proc_ssize_t>(text.size()), &cp);
  return n > 0 ? cp : static_cast<unsigned char>(text[0]);
}

// ascii / unicode: the code point of the first character; `empty` for ''.
ScalarKernel FirstCodePointKernel(int32_t empty) {
  return [empty](const std::vector<ColumnPtr>& args, size_t n) {
    ArgReader s(*args[0]);
    return kernel::RowExec(TypeId::kInteger, args, n, [&](size_t i, Column& out) {
      const std::string_view text = s.Get<StringView>(i).view();
      out.data<int32_t>()[i] = text.empty() ? empty : FirstCodePoint(text);
      return true;
    });
  };
}

// chr(code): the character of a Unicode code point, as UTF-8.
ScalarKernel ChrKernel() {
  return [](const std::vector<ColumnPtr>& args, size_t n) {
    ArgReader code(*args[0]);
    std::string buf;
    return kernel::RowExec(kVarchar, args, n, [&](size_t i, Column& out) {
      const int32_t c = code.Get<int32_t>(i);
      if (c < 0 || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
        throw InvalidInputError("Invalid UTF8 Codepoint " + std::to_string(c));
      }
      buf.clear();
      AppendUtf8(static_cast<uint32_t>(c), &buf);
      out.data<StringView>()[i] = out.AddString(buf);
      return true;
    });
  };
}

// initcap(text): the first letter of each word upper case, the others lower case, words
// being separated by white space (Spark's and Hive's initcap).
ScalarKernel InitcapKernel() {
  return [](const std::vector<ColumnPtr>& args, size_t n) {
    ArgReader s(*args[0]);
    std::string buf, mapped;
    return kernel::RowExec(kVarchar, args, n, [&](size_t i, Column& out) {
      const std::string_view text = s.Get<StringView>(i).view();
      buf.clear();
      bool word_start = true;
      for (size_t k = 0; k < text.size();) {
        const std::string_view c = CharAt(text, k);
        k += c.size();
        const bool space = c.size() == 1 && (c[0] == ' ' || (c[0] >= '\t' && c[0] <= '\r'));
        mapped.clear();
        if (space) {
          mapped.append(c);
        } else if (word_start) {
          Utf8ToUpper(c, mapped);
        } else {
          Utf8ToLower(c, mapped);
        }
        buf.append(mapped);
        word_start = space;
      }
      out.data<StringView>()[i] = out.AddString(buf);
      return true;
    });
  };
}

}  // namespace

void RegisterStringCodeFunctions(FunctionRegistry& r) {
  r.AddScalar("chr", kernel::FixedSignature({TypeId::kInteger}, kVarchar, ChrKernel()),
              "chr(INTEGER)");
  r.AddScalar("ascii", kernel::FixedSignature({kVarchar}, TypeId::kInteger, FirstCodePointKernel(0)),
              "ascii(VARCHAR)");
  r.AddScalar("unicode",
              kernel::FixedSignature({kVarchar}, TypeId::kInteger, FirstCodePointKernel(-1)),
              "unicode(VARCHAR)");
  r.AddScalar("initcap", kernel::FixedSignature({kVarchar}, kVarchar, InitcapKernel()),
              "initcap(VARCHAR)");
  r.AddScalar("md5", kernel::FixedSignature({kVarchar}, kVarchar, DigestKernel<Md5Hex>()),
              "md5(VARCHAR)");
  r.AddScalar("sha1", kernel::FixedSignature({kVarchar}, kVarchar, DigestKernel<Sha1Hex>()),
              "sha1(VARCHAR)");
  r.AddScalar("sha256", kernel::FixedSignature({kVarchar}, kVarchar, DigestKernel<Sha256Hex>()),
              "sha256(VARCHAR)");
  r.AddScalar("translate",
              kernel::FixedSignature({kVarchar, kVarchar, kVarchar}, kVarchar, TranslateKernel()),
              "translate(VARCHAR, VARCHAR, VARCHAR)");
}

}  // namespace sluice
