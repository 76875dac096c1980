// String functions. Positions and lengths count UTF-8 code points (as DuckDB does), with a
// byte fast path for ASCII text; lower/upper map Unicode case (expr/case_mapping.h). Functions returning a
// piece of their input (substring, trim, left, split_part) return views into the input's
// bytes instead of copying them.
#include <algorithm>
#include <cstring>

#include "expr/case_mapping.h"
#include "expr/kernel_util.h"
#include "expr/scalar_functions.h"

namespace sluice {

namespace {

using kernel::ArgReader;
using kernel::RowExec;

const LogicalType kVarchar = TypeId::kVarchar;
const LogicalType kBigInt = TypeId::kBigInt;
const LogicalType kBool = TypeId::kBoolean;

bool IsAscii(std::string_view s) {
  for (unsigned char c : s) {
    if (c >= 0x80) return false;
  }
  return true;
}
bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

int64_t CharLength(std::string_view s) {
  int64_t n = 0;
  for (unsigned char c : s) n += !IsContinuation(c);
  return n;
}

// Byte offset of code point `chars` (clamped to the end).
size_t ByteOffset(std::string_view s, int64_t chars, bool ascii) {
  if (chars <= 0) return 0;
  if (ascii) return std::min<size_t>(chars, s.size());
  size_t i = 0;
  while (i < s.size() && chars > 0) {
    i++;
    while (i < s.size() && IsContinuation(s[i])) i++;
    chars--;
  }
  return i;
}

// A view of part of an input string; valid because the output shares the input's heaps.
StringView Piece(std::string_view s) {
  return StringView(s.data(), static_cast<uint32_t>(s.size()));
}

void Set(Column& out, size_t i, StringView v) { out.data<StringView>()[i] = v; }
void SetCopy(Column& out, size_t i, std::string_view s) {
  out.data<StringView>()[i] = out.AddString(s);
}

// SQL SUBSTRING on code points: 1-based start, negative start counts from the end, the
// part before position 1 is cut off.
std::string_view Substring(std::string_view s, int64_t start, std::optional<int64_t> length) {
  const bool ascii = IsAscii(s);
  const int64_t len = ascii ? static_cast<int64_t>(s.size()) : CharLength(s);
  if (start < 0) start = len + start + 1;
  int64_t end = length ? (*length < 0 ? start : start + *length) : len + 1;
  if (length && *length < 0) {
    // DuckDB: a negative length takes the characters before start.
    end = start;
    start = start + *length;
  }
  start = std::max<int64_t>(start, 1);
  end = std::min<int64_t>(end, len + 1);
  if (end <= start) return {};
  const size_t b = ByteOffset(s, start - 1, ascii);
  const size_t e = ByteOffset(s, end - 1, ascii);
  return s.substr(b, e - b);
}

ScalarKernel SubstringKernel(bool with_length) {
  return [with_length](const std::vector<ColumnPtr>& args, size_t n) {
    ArgReader s(*args[0]), start(*args[1]);
    std::optional<ArgReader> length;
    if (with_length) length.emplace(*args[2]);
    return RowExec(kVarchar, args, n, [&](size_t i, Column& out) {
      std::optional<int64_t> l;
      if (length) l = length->Get<int64_t>(i);
      Set(out, i, Piece(Substring(s.Get<StringView>(i).view(), start.Get<int64_t>(i), l)));
      return true;
    });
  };
}

// A kernel mapping one string to a string through `fn(view, buffer) -> view`; when the result
// points into `buffer` it is copied, otherwise it is a piece of the input.
template <typename Fn>
ScalarKernel StringToString(Fn fn) {
  return [fn](const std::vector<ColumnPtr>& args, size_t n) {
    std::vector<ArgReader> in;
    for (const auto& a : args) in.emplace_back(*a);
    std::string buffer;
    return RowExec(kVarchar, args, n, [&](size_t i, Column& out) {
      buffer.clear();
      std::string_view r = fn(in, i, buffer);
      if (!buffer.empty() && r.data() == buffer.data()) {
        SetCopy(out, i, r);
      } else {
        Set(out, i, Piece(r));
      }
      return true;
    });
  };
}

template <typename R, typename Fn>
ScalarKernel StringsToValue(LogicalType result, Fn fn) {
  return [result, fn](const std::vector<ColumnPtr>& args, size_t n) {
    std::vector<ArgReader> in;
    for (const auto& a : args) in.emplace_back(*a);
    return RowExec(result, args, n, [&](size_t i, Column& out) {
      out.data<R>()[i] = fn(in, i);
      return true;
    });
  };
}

std::string_view Str(const std::vector<ArgReader>& in, size_t arg, size_t i) {
  return in[arg].Get<StringView>(i).view();
}
int64_t Int(const std::vector<ArgReader>& in, size_t arg, size_t i) {
  return in[arg].Get<int64_t>(i);
}

std::string_view Trim(std::string_view s, std::string_view chars, bool left, bool right) {
  if (left) {
    const size_t b = s.find_first_not_of(chars);
    s = b == std::string_view::npos ? std::string_view() : s.substr(b);
  }
  if (right) {
    const size_t e = s.find_last_not_of(chars);
    s = e == std::string_view::npos ? std::string_view() : s.substr(0, e + 1);
  }
  return s;
}

void RegisterTrim(FunctionRegistry& r, const char* name, bool left, bool right) {
  r.AddScalar(name,
              kernel::FixedSignature({kVarchar}, kVarchar,
                                     StringToString([left, right](const std::vector<ArgReader>& in,
                                                                  size_t i, std::string&) {
                                       return Trim(Str(in, 0, i), " ", left, right);
                                     })),
              std::string(name) + "(VARCHAR[, VARCHAR])");
  r.AddScalar(name,
              kernel::FixedSignature({kVarchar, kVarchar}, kVarchar,
                                     StringToString([left, right](const std::vector<ArgReader>& in,
                                                                  size_t i, std::string&) {
                                       return Trim(Str(in, 0, i), Str(in, 1, i), left, right);
                                     })),
              "");
}

// lpad/rpad to `len` code points with `fill` repeated; a longer input is truncated.
std::string_view Pad(std::string_view s, int64_t len, std::string_view fill, bool left,
                     std::string& buf) {
  if (len <= 0) return {};
  const int64_t have = CharLength(s);
  if (have >= len) return s.substr(0, ByteOffset(s, len, IsAscii(s)));
  if (fill.empty()) return s;
  // Every code point is at least a byte: a longer result is over the limit whatever the text.
  kernel::CheckStringSize(static_cast<uint64_t>(len), left ? "lpad" : "rpad");
  std::string pad;
  const bool fill_ascii = IsAscii(fill);
  int64_t need = len - have;
  const int64_t fill_chars = CharLength(fill);
  kernel::CheckStringSize(s.size() + static_cast<uint64_t>(need / fill_chars) * fill.size() +
                              ByteOffset(fill, need % fill_chars, fill_ascii),
                          left ? "lpad" : "rpad");
  while (need > 0) {
    const int64_t take = std::min(need, fill_chars);
    pad.append(fill.substr(0, ByteOffset(fill, take, fill_ascii)));
    need -= take;
  }
  buf = left ? pad + std::string(s) : std::string(s) + pad;
  return buf;
}

// Concatenation skipping NULL arguments (concat), or NULL if any is NULL (||).
ScalarKernel ConcatKernel(bool skip_nulls) {
  return [skip_nulls](const std::vector<ColumnPtr>& args, size_t n) {
    std::vector<ArgReader> in;
    for (const auto& a : args) in.emplace_back(*a);
    std::string buf;
    auto row = [&](size_t i, Column& out) {
      buf.clear();
      uint64_t total = 0;
      for (const auto& r : in) total += r.IsValid(i) ? r.Get<StringView>(i).size() : 0;
      kernel::CheckStringSize(total, skip_nulls ? "concat" : "||");
      for (const auto& r : in) {
        if (!r.IsValid(i)) {
          if (skip_nulls) continue;
          return false;
        }
        buf.append(r.Get<StringView>(i).view());
      }
      SetCopy(out, i, buf);
      return true;
    };
    if (skip_nulls) return kernel::RowExecAll(kVarchar, args, n, row);
    return RowExec(kVarchar, args, n, row);
  };
}

// concat_ws(separator, x, ...): the non-NULL arguments joined by the separator; NULL when
// the separator is.
ScalarKernel ConcatWsKernel() {
  return [](const std::vector<ColumnPtr>& args, size_t n) {
    std::vector<ArgReader> in;
    for (const auto& a : args) in.emplace_back(*a);
    std::string buf;
    auto row = [&](size_t i, Column& out) {
      if (!in[0].IsValid(i)) return false;
      const std::string_view separator = in[0].Get<StringView>(i).view();
      uint64_t total = 0;
      for (size_t a = 1; a < in.size(); a++) {
        if (in[a].IsValid(i)) total += in[a].Get<StringView>(i).size() + separator.size();
      }
      kernel::CheckStringSize(total, "concat_ws");
      buf.clear();
      bool first = true;
      for (size_t a = 1; a < in.size(); a++) {
        if (!in[a].IsValid(i)) continue;
        if (!first) buf.append(separator);
        first = false;
        buf.append(in[a].Get<StringView>(i).view());
      }
      SetCopy(out, i, buf);
      return true;
    };
    return kernel::RowExecAll(kVarchar, args, n, row);
  };
}

std::optional<BoundScalar> ResolveConcat(const std::vector<ExprPtr>& args, bool skip_nulls) {
  if (args.empty() || (!skip_nulls && args.size() != 2)) return std::nullopt;
  return BoundScalar{kVarchar, std::vector<LogicalType>(args.size(), kVarchar),
                     ConcatKernel(skip_nulls)};
}

}  // namespace

void RegisterStringFunctions(FunctionRegistry& r) {
  using In = const std::vector<ArgReader>&;
  r.AddScalar(
      "||", [](const std::vector<ExprPtr>& a) { return ResolveConcat(a, false); }, "||(ANY, ANY)");
  r.AddScalar(
      "concat", [](const std::vector<ExprPtr>& a) { return ResolveConcat(a, true); },
      "concat(ANY, ...)");
  r.AddScalar(
      "concat_ws",
      [](const std::vector<ExprPtr>& a) -> std::optional<BoundScalar> {
        if (a.size() < 2) return std::nullopt;
        return BoundScalar{kVarchar, std::vector<LogicalType>(a.size(), kVarchar), ConcatWsKernel()};
      },
      "concat_ws(VARCHAR, ANY, ...)");
  const auto length =
      StringsToValue<int64_t>(kBigInt, [](In in, size_t i) { return CharLength(Str(in, 0, i)); });
  for (const char* name : {"length", "char_length", "character_length", "len"}) {
    r.AddScalar(name, kernel::FixedSignature({kVarchar}, kBigInt, length), "length(VARCHAR)");
  }
  r.AddScalar(
      "octet_length",
      kernel::FixedSignature(
          {kVarchar}, kBigInt,
          StringsToValue<int64_t>(
              kBigInt, [](In in, size_t i) { return static_cast<int64_t>(Str(in, 0, i).size()); })),
      "octet_length(VARCHAR)");
  for (const bool upper : {false, true}) {
    auto k = StringToString([upper](In in, size_t i, std::string& buf) {
      if (upper) {
        Utf8ToUpper(Str(in, 0, i), buf);
      } else {
        Utf8ToLower(Str(in, 0, i), buf);
      }
      return std::string_view(buf);
    });
    const std::vector<const char*> names = upper ? std::vector<const char*>{"upper", "ucase"}
                                                 : std::vector<const char*>{"lower", "lcase"};
    for (const char* name : names) {
      r.AddScalar(name, kernel::FixedSignature({kVarchar}, kVarchar, k),
                  std::string(name) + "(VARCHAR)");
    }
  }
  for (const char* name : {"substring", "substr"}) {
    r.AddScalar(name, kernel::FixedSignature({kVarchar, kBigInt}, kVarchar, SubstringKernel(false)),
                std::string(name) + "(VARCHAR, BIGINT[, BIGINT])");
    r.AddScalar(
        name, kernel::FixedSignature({kVarchar, kBigInt, kBigInt}, kVarchar, SubstringKernel(true)),
        "");
  }
  RegisterTrim(r, "trim", true, true);
  RegisterTrim(r, "ltrim", true, false);
  RegisterTrim(r, "rtrim", false, true);
  r.AddScalar("replace",
              kernel::FixedSignature({kVarchar, kVarchar, kVarchar}, kVarchar,
                                     StringToString([](In in, size_t i, std::string& buf) {
                                       std::string_view s = Str(in, 0, i), from = Str(in, 1, i),
                                                        to = Str(in, 2, i);
                                       if (from.empty() || s.find(from) == std::string_view::npos)
                                         return s;
                                       size_t pos = 0;
                                       for (size_t hit;
                                            (hit = s.find(from, pos)) != std::string_view::npos;
                                            pos = hit + from.size()) {
                                         buf.append(s.substr(pos, hit - pos)).append(to);
                                       }
                                       buf.append(s.substr(pos));
                                       return std::string_view(buf);
                                     })),
              "replace(VARCHAR, VARCHAR, VARCHAR)");
  const std::pair<const char*, int> predicates[] = {
      {"starts_with", 0}, {"prefix", 0}, {"ends_with", 1}, {"suffix", 1}, {"contains", 2}};
  for (const auto& [name, kind] : predicates) {
    r.AddScalar(name,
                kernel::FixedSignature(
                    {kVarchar, kVarchar}, kBool,
                    StringsToValue<uint8_t>(kBool,
                                            [kind = kind](In in, size_t i) -> uint8_t {
                                              std::string_view s = Str(in, 0, i), p = Str(in, 1, i);
                                              if (kind == 0) return s.substr(0, p.size()) == p;
                                              if (kind == 1)
                                                return s.size() >= p.size() &&
                                                       s.substr(s.size() - p.size()) == p;
                                              return s.find(p) != std::string_view::npos;
                                            })),
                std::string(name) + "(VARCHAR, VARCHAR)");
  }
  const auto strpos = StringsToValue<int64_t>(kBigInt, [](In in, size_t i) -> int64_t {
    std::string_view s = Str(in, 0, i);
    const size_t hit = s.find(Str(in, 1, i));
    return hit == std::string_view::npos ? 0 : CharLength(s.substr(0, hit)) + 1;
  });
  for (const char* name : {"strpos", "position", "instr"}) {
    r.AddScalar(name, kernel::FixedSignature({kVarchar, kVarchar}, kBigInt, strpos),
                std::string(name) + "(VARCHAR, VARCHAR)");
  }
  for (const bool left : {true, false}) {
    r.AddScalar(left ? "left" : "right",
                kernel::FixedSignature({kVarchar, kBigInt}, kVarchar,
                                       StringToString([left](In in, size_t i, std::string&) {
                                         std::string_view s = Str(in, 0, i);
                                         const bool ascii = IsAscii(s);
                                         const int64_t len =
                                             ascii ? static_cast<int64_t>(s.size()) : CharLength(s);
                                         int64_t k = Int(in, 1, i);
                                         if (k < 0) k = std::max<int64_t>(0, len + k);
                                         k = std::min(k, len);
                                         if (left) return s.substr(0, ByteOffset(s, k, ascii));
                                         return s.substr(ByteOffset(s, len - k, ascii));
                                       })),
                left ? "left(VARCHAR, BIGINT)" : "right(VARCHAR, BIGINT)");
    r.AddScalar(left ? "lpad" : "rpad",
                kernel::FixedSignature({kVarchar, kBigInt, kVarchar}, kVarchar,
                                       StringToString([left](In in, size_t i, std::string& buf) {
                                         return Pad(Str(in, 0, i), Int(in, 1, i), Str(in, 2, i),
                                                    left, buf);
                                       })),
                left ? "lpad(VARCHAR, BIGINT, VARCHAR)" : "rpad(VARCHAR, BIGINT, VARCHAR)");
  }
  r.AddScalar("reverse",
              kernel::FixedSignature({kVarchar}, kVarchar,
                                     StringToString([](In in, size_t i, std::string& buf) {
                                       std::string_view s = Str(in, 0, i);
                                       // Reverse code points, keeping each one's bytes in order.
                                       for (size_t end = s.size(); end > 0;) {
                                         size_t begin = end - 1;
                                         while (begin > 0 && IsContinuation(s[begin])) begin--;
                                         buf.append(s.substr(begin, end - begin));
                                         end = begin;
                                       }
                                       return std::string_view(buf);
                                     })),
              "reverse(VARCHAR)");
  r.AddScalar("split_part",
              kernel::FixedSignature(
                  {kVarchar, kVarchar, kBigInt}, kVarchar,
                  StringToString([](In in, size_t i, std::string&) -> std::string_view {
                    std::string_view s = Str(in, 0, i), delim = Str(in, 1, i);
                    int64_t index = Int(in, 2, i);
                    std::vector<std::string_view> parts;
                    if (delim.empty()) {
                      parts.push_back(s);
                    } else {
                      size_t pos = 0;
                      for (size_t hit; (hit = s.find(delim, pos)) != std::string_view::npos;
                           pos = hit + delim.size()) {
                        parts.push_back(s.substr(pos, hit - pos));
                      }
                      parts.push_back(s.substr(pos));
                    }
                    if (index < 0) index = static_cast<int64_t>(parts.size()) + index + 1;
                    if (index < 1 || index > static_cast<int64_t>(parts.size())) return {};
                    return parts[index - 1];
                  })),
              "split_part(VARCHAR, VARCHAR, BIGINT)");
  r.AddScalar("repeat",
              kernel::FixedSignature({kVarchar, kBigInt}, kVarchar,
                                     StringToString([](In in, size_t i, std::string& buf) {
                                       std::string_view s = Str(in, 0, i);
                                       const int64_t count = Int(in, 1, i);
                                       if (count <= 0 || s.empty()) return std::string_view();
                                       const unsigned __int128 bytes =
                                           static_cast<unsigned __int128>(s.size()) * count;
                                       kernel::CheckStringSize(
                                           bytes > UINT64_MAX ? UINT64_MAX
                                                              : static_cast<uint64_t>(bytes),
                                           "repeat");
                                       buf.reserve(static_cast<size_t>(bytes));
                                       for (int64_t k = 0; k < count; k++) buf.append(s);
                                       return std::string_view(buf);
                                     })),
              "repeat(VARCHAR, BIGINT)");
}

}  // namespace sluice
