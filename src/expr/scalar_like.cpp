// LIKE / ILIKE / NOT LIKE (with ESCAPE) and the RE2-based regexp functions. A literal
// pattern is compiled once at bind time; the common shapes 'abc', 'abc%', '%abc' and '%abc%'
// become a comparison, a prefix test, a suffix test and a substring search. '_' matches one
// UTF-8 code point. ILIKE folds Unicode case (expr/case_mapping.h).
#include <fmt/format.h>
#include <re2/re2.h>

#include <cstring>
#include <memory>

#include "common/error.h"
#include "expr/case_mapping.h"
#include "expr/kernel_util.h"
#include "expr/scalar_functions.h"

namespace sluice {

namespace {

const LogicalType kVarchar = TypeId::kVarchar;
const LogicalType kBool = TypeId::kBoolean;

constexpr int kAnyString = -1;  // %
constexpr int kAnyChar = -2;    // _

// ILIKE compares the lower case of both sides (as DuckDB does), code point by code point.
void FoldCase(std::string_view s, std::string& out) { Utf8ToLower(s, out); }

class LikePattern {
 public:
  LikePattern(std::string_view pattern, std::optional<char> escape, bool fold_case)
      : fold_case_(fold_case) {
    std::string p;
    if (fold_case) {
      FoldCase(pattern, p);
    } else {
      p.assign(pattern);
    }
    for (size_t i = 0; i < p.size(); i++) {
      const char c = p[i];
      if (escape && c == *escape) {
        if (i + 1 >= p.size()) {
          throw InvalidInputError("Like pattern must not end with escape character!");
        }
        tokens_.push_back(static_cast<unsigned char>(p[++i]));
      } else if (c == '%') {
        if (tokens_.empty() || tokens_.back() != kAnyString) tokens_.push_back(kAnyString);
      } else if (c == '_') {
        tokens_.push_back(kAnyChar);
      } else {
        tokens_.push_back(static_cast<unsigned char>(c));
      }
    }
    Classify();
  }

  bool Matches(std::string_view s, std::string& scratch) const {
    if (fold_case_) {
      FoldCase(s, scratch);
      s = scratch;
    }
    switch (shape_) {
      case Shape::kExact:
        return s == literal_;
      case Shape::kPrefix:
        return s.size() >= literal_.size() &&
               std::memcmp(s.data(), literal_.data(), literal_.size()) == 0;
      case Shape::kSuffix:
        return s.size() >= literal_.size() && std::memcmp(s.data() + s.size() - literal_.size(),
                                                          literal_.data(), literal_.size()) == 0;
      case Shape::kContains:
        return literal_.empty() ||
               memmem(s.data(), s.size(), literal_.data(), literal_.size()) != nullptr;
      case Shape::kGeneral:
        return MatchGeneral(s);
    }
    return false;
  }

 private:
  enum class Shape { kExact, kPrefix, kSuffix, kContains, kGeneral };

  void Classify() {
    size_t begin = 0, end = tokens_.size();
    const bool lead = end > 0 && tokens_[0] == kAnyString;
    const bool trail = end > (lead ? 1 : 0) && tokens_[end - 1] == kAnyString;
    if (lead) begin++;
    if (trail) end--;
    for (size_t i = begin; i < end; i++) {
      if (tokens_[i] < 0) {
        shape_ = Shape::kGeneral;
        return;
      }
      literal_ += static_cast<char>(tokens_[i]);
    }
    shape_ = lead && trail ? Shape::kContains
             : lead        ? Shape::kSuffix
             : trail       ? Shape::kPrefix
                           : Shape::kExact;
  }

  static size_t NextChar(std::string_view s, size_t i) {
    i++;
    while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) i++;
    return i;
  }

  // Greedy matching with backtracking to the last %, linear for patterns with one %.
  bool MatchGeneral(std::string_view s) const {
    size_t si = 0, pi = 0, star_pi = SIZE_MAX, star_si = 0;
    const size_t np = tokens_.size();
    while (si < s.size()) {
      if (pi < np && tokens_[pi] == kAnyChar) {
        si = NextChar(s, si);
        pi++;
      } else if (pi < np && tokens_[pi] >= 0 && static_cast<unsigned char>(s[si]) == tokens_[pi]) {
        si++;
        pi++;
      } else if (pi < np && tokens_[pi] == kAnyString) {
        star_pi = pi++;
        star_si = si;
      } else if (star_pi != SIZE_MAX) {
        pi = star_pi + 1;
        si = star_si = NextChar(s, star_si);
      } else {
        return false;
      }
    }
    while (pi < np && tokens_[pi] == kAnyString) pi++;
    return pi == np;
  }

  bool fold_case_;
  std::vector<int> tokens_;
  Shape shape_ = Shape::kGeneral;
  std::string literal_;
};

std::optional<char> EscapeChar(std::string_view e) {
  if (e.empty()) return std::nullopt;
  if (e.size() > 1) throw InvalidInputError("Like escape must be a single character");
  return e[0];
}

ScalarKernel LikeKernel(bool fold_case, bool negated, std::shared_ptr<const LikePattern> compiled) {
  return [fold_case, negated, compiled](const std::vector<ColumnPtr>& args, size_t n) {
    kernel::ArgReader s(*args[0]), p(*args[1]);
    std::optional<kernel::ArgReader> e;
    if (args.size() > 2) e.emplace(*args[2]);
    std::string scratch;
    const uint8_t flip = negated ? 1 : 0;
    return kernel::RowExec(kBool, args, n, [&](size_t i, Column& out) {
      bool m;
      if (compiled) {
        m = compiled->Matches(s.Get<StringView>(i).view(), scratch);
      } else {
        const LikePattern pattern(p.Get<StringView>(i).view(),
                                  e ? EscapeChar(e->Get<StringView>(i).view()) : std::nullopt,
                                  fold_case);
        m = pattern.Matches(s.Get<StringView>(i).view(), scratch);
      }
      out.data<uint8_t>()[i] = static_cast<uint8_t>(m) ^ flip;
      return true;
    });
  };
}

std::optional<BoundScalar> ResolveLike(const std::vector<ExprPtr>& args, bool fold_case,
                                       bool negated) {
  if (args.size() < 2 || args.size() > 3) return std::nullopt;
  for (const auto& a : args) {
    if (!kernel::ImplicitlyCastable(*a, kVarchar)) return std::nullopt;
  }
  std::shared_ptr<const LikePattern> compiled;
  const Value* pattern = kernel::LiteralArg(args, 1);
  const Value* escape = args.size() > 2 ? kernel::LiteralArg(args, 2) : nullptr;
  if (pattern && pattern->type().id() == TypeId::kVarchar && (args.size() == 2 || escape)) {
    std::optional<char> esc;
    if (escape) esc = EscapeChar(escape->GetString());
    compiled = std::make_shared<const LikePattern>(pattern->GetString(), esc, fold_case);
  }
  return BoundScalar{kBool, std::vector<LogicalType>(args.size(), kVarchar),
                     LikeKernel(fold_case, negated, compiled)};
}

std::shared_ptr<const RE2> CompileRegex(std::string_view pattern) {
  RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_shared<const RE2>(re2::StringPiece(pattern.data(), pattern.size()), options);
  if (!re->ok()) {
    throw InvalidInputError(
        fmt::format("invalid regular expression '{}': {}", pattern, re->error()));
  }
  return re;
}

// Uses the pattern compiled at bind time, or compiles row patterns, reusing the last one.
class RegexSource {
 public:
  explicit RegexSource(std::shared_ptr<const RE2> compiled) : compiled_(std::move(compiled)) {}
  const RE2& Get(std::string_view pattern) {
    if (compiled_) return *compiled_;
    if (!last_ || last_pattern_ != pattern) {
      last_ = CompileRegex(pattern);
      last_pattern_.assign(pattern);
    }
    return *last_;
  }

 private:
  std::shared_ptr<const RE2> compiled_;
  std::shared_ptr<const RE2> last_;
  std::string last_pattern_;
};

std::shared_ptr<const RE2> PrecompiledRegex(const std::vector<ExprPtr>& args, size_t i) {
  const Value* v = kernel::LiteralArg(args, i);
  if (v == nullptr || v->type().id() != TypeId::kVarchar) return nullptr;
  return CompileRegex(v->GetString());
}

std::optional<BoundScalar> ResolveRegexpMatches(const std::vector<ExprPtr>& args) {
  if (args.size() != 2) return std::nullopt;
  for (const auto& a : args) {
    if (!kernel::ImplicitlyCastable(*a, kVarchar)) return std::nullopt;
  }
  auto compiled = PrecompiledRegex(args, 1);
  ScalarKernel k = [compiled](const std::vector<ColumnPtr>& cols, size_t n) {
    kernel::ArgReader s(*cols[0]), p(*cols[1]);
    RegexSource source(compiled);
    return kernel::RowExec(kBool, cols, n, [&](size_t i, Column& out) {
      const std::string_view text = s.Get<StringView>(i).view();
      const RE2& re = source.Get(p.Get<StringView>(i).view());
      out.data<uint8_t>()[i] = RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), re);
      return true;
    });
  };
  return BoundScalar{kBool, {kVarchar, kVarchar}, std::move(k)};
}

std::optional<BoundScalar> ResolveRegexpReplace(const std::vector<ExprPtr>& args) {
  if (args.size() != 3 && args.size() != 4) return std::nullopt;
  for (const auto& a : args) {
    if (!kernel::ImplicitlyCastable(*a, kVarchar)) return std::nullopt;
  }
  auto compiled = PrecompiledRegex(args, 1);
  ScalarKernel k = [compiled](const std::vector<ColumnPtr>& cols, size_t n) {
    kernel::ArgReader s(*cols[0]), p(*cols[1]), rep(*cols[2]);
    std::optional<kernel::ArgReader> flags;
    if (cols.size() > 3) flags.emplace(*cols[3]);
    RegexSource source(compiled);
    std::string buf;
    return kernel::RowExec(kVarchar, cols, n, [&](size_t i, Column& out) {
      buf.assign(s.Get<StringView>(i).view());
      const RE2& re = source.Get(p.Get<StringView>(i).view());
      const std::string_view r = rep.Get<StringView>(i).view();
      const re2::StringPiece rewrite(r.data(), r.size());
      const bool global =
          flags && flags->Get<StringView>(i).view().find('g') != std::string_view::npos;
      if (global) {
        RE2::GlobalReplace(&buf, re, rewrite);
      } else {
        RE2::Replace(&buf, re, rewrite);
      }
      out.data<StringView>()[i] = out.AddString(buf);
      return true;
    });
  };
  return BoundScalar{kVarchar, std::vector<LogicalType>(args.size(), kVarchar), std::move(k)};
}

}  // namespace

void RegisterLikeFunctions(FunctionRegistry& r) {
  struct Variant {
    const char* name;
    bool fold_case;
    bool negated;
  };
  const Variant variants[] = {{"like", false, false},    {"~~", false, false},
                              {"not like", false, true}, {"!~~", false, true},
                              {"ilike", true, false},    {"~~*", true, false},
                              {"not ilike", true, true}, {"!~~*", true, true}};
  for (const auto& v : variants) {
    r.AddScalar(
        v.name,
        [v](const std::vector<ExprPtr>& args) { return ResolveLike(args, v.fold_case, v.negated); },
        std::string(v.name) + "(VARCHAR, VARCHAR[, VARCHAR escape])");
  }
  r.AddScalar("regexp_matches", ResolveRegexpMatches, "regexp_matches(VARCHAR, VARCHAR)");
  r.AddScalar("regexp_replace", ResolveRegexpReplace,
              "regexp_replace(VARCHAR, VARCHAR, VARCHAR[, VARCHAR flags])");
}

}  // namespace sluice
