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

// DuckDB's regex options: c (case-sensitive), i (case-insensitive), l (literal), m / n / p
// (newline-sensitive: '.' does not match a newline; the default), s ('.' matches newlines),
// g (global, regexp_replace only); spaces are ignored and a later option wins.
struct RegexOptions {
  RE2::Options re2;
  bool global = false;
};

RegexOptions ParseRegexOptions(std::string_view flags, bool allow_global) {
  RegexOptions o;
  o.re2.set_log_errors(false);
  for (char c : flags) {
    switch (c) {
      case 'c': o.re2.set_case_sensitive(true); break;
      case 'i': o.re2.set_case_sensitive(false); break;
      case 'l': o.re2.set_literal(true); break;
      case 'm':
      case 'n':
      case 'p': o.re2.set_dot_nl(false); break;
      case 's': o.re2.set_dot_nl(true); break;
      case 'g':
        if (!allow_global) {
          throw InvalidInputError(
              "Option 'g' (global replace) is only valid for regexp_replace");
        }
        o.global = true;
        break;
      case ' ':
      case '\t':
      case '\n': break;
      default: throw InvalidInputError(fmt::format("Unrecognized Regex option {}", c));
    }
  }
  return o;
}

std::shared_ptr<const RE2> CompileRegex(std::string_view pattern, const RE2::Options& options) {
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
  RegexSource(std::shared_ptr<const RE2> compiled, RE2::Options options)
      : compiled_(std::move(compiled)), options_(options) {}
  const RE2& Get(std::string_view pattern) {
    if (compiled_) return *compiled_;
    if (!last_ || last_pattern_ != pattern) {
      last_ = CompileRegex(pattern, options_);
      last_pattern_.assign(pattern);
    }
    return *last_;
  }

 private:
  std::shared_ptr<const RE2> compiled_;
  RE2::Options options_;
  std::shared_ptr<const RE2> last_;
  std::string last_pattern_;
};

// The options argument `i` (a constant, as in DuckDB), or the defaults when absent.
RegexOptions OptionsArg(const std::vector<ExprPtr>& args, size_t i, const char* function,
                        bool allow_global) {
  if (args.size() <= i) return ParseRegexOptions("", allow_global);
  const Value* v = kernel::LiteralArg(args, i);
  if (v == nullptr || v->type().id() != TypeId::kVarchar) {
    throw BindError(fmt::format("{}: the options argument must be a constant string", function));
  }
  return ParseRegexOptions(v->GetString(), allow_global);
}

std::shared_ptr<const RE2> PrecompiledRegex(const std::vector<ExprPtr>& args, size_t i,
                                            const RE2::Options& options) {
  const Value* v = kernel::LiteralArg(args, i);
  if (v == nullptr || v->type().id() != TypeId::kVarchar) return nullptr;
  return CompileRegex(v->GetString(), options);
}

bool AllVarchar(const std::vector<ExprPtr>& args) {
  for (const auto& a : args) {
    if (!kernel::ImplicitlyCastable(*a, kVarchar)) return false;
  }
  return true;
}

// regexp_matches (a match anywhere) and regexp_full_match (the whole string), with options.
std::optional<BoundScalar> ResolveRegexpTest(const std::vector<ExprPtr>& args, bool full,
                                             const char* name) {
  if ((args.size() != 2 && args.size() != 3) || !AllVarchar(args)) return std::nullopt;
  const RegexOptions options = OptionsArg(args, 2, name, false);
  auto compiled = PrecompiledRegex(args, 1, options.re2);
  ScalarKernel k = [compiled, full, re2_options = options.re2](const std::vector<ColumnPtr>& cols,
                                                               size_t n) {
    kernel::ArgReader s(*cols[0]), p(*cols[1]);
    RegexSource source(compiled, re2_options);
    return kernel::RowExec(kBool, cols, n, [&](size_t i, Column& out) {
      const std::string_view text = s.Get<StringView>(i).view();
      const RE2& re = source.Get(p.Get<StringView>(i).view());
      const re2::StringPiece piece(text.data(), text.size());
      out.data<uint8_t>()[i] = full ? RE2::FullMatch(piece, re) : RE2::PartialMatch(piece, re);
      return true;
    });
  };
  return BoundScalar{kBool, std::vector<LogicalType>(args.size(), kVarchar), std::move(k)};
}

// True when `args` fit regexp_extract / regexp_extract_all: (VARCHAR s, VARCHAR pattern
// [, BIGINT group [, VARCHAR options]]).
bool RegexpExtractArgsFit(const std::vector<ExprPtr>& args) {
  return args.size() >= 2 && args.size() <= 4 &&
         kernel::ImplicitlyCastable(*args[0], kVarchar) &&
         kernel::ImplicitlyCastable(*args[1], kVarchar) &&
         (args.size() <= 2 || kernel::ImplicitlyCastable(*args[2], TypeId::kBigInt)) &&
         (args.size() <= 3 || kernel::ImplicitlyCastable(*args[3], kVarchar));
}

// regexp_extract(s, pattern[, group[, options]]): the first match's group (0: the whole
// match), '' when nothing matches or the group did not take part.
std::optional<BoundScalar> ResolveRegexpExtract(const std::vector<ExprPtr>& args) {
  if (!RegexpExtractArgsFit(args)) return std::nullopt;
  const RegexOptions options = OptionsArg(args, 3, "regexp_extract", false);
  auto compiled = PrecompiledRegex(args, 1, options.re2);
  ScalarKernel k = [compiled, re2_options = options.re2](const std::vector<ColumnPtr>& cols,
                                                         size_t n) {
    kernel::ArgReader s(*cols[0]), p(*cols[1]);
    std::optional<kernel::ArgReader> group;
    if (cols.size() > 2) group.emplace(*cols[2]);
    RegexSource source(compiled, re2_options);
    std::vector<re2::StringPiece> groups;
    return kernel::RowExec(kVarchar, cols, n, [&](size_t i, Column& out) {
      const std::string_view text = s.Get<StringView>(i).view();
      const RE2& re = source.Get(p.Get<StringView>(i).view());
      const int64_t g = group ? group->Get<int64_t>(i) : 0;
      if (g < 0 || g > 9) throw InvalidInputError("Group index must be between 0 and 9!");
      if (g > re.NumberOfCapturingGroups()) {  // as in DuckDB: no such group gives ''
        out.data<StringView>()[i] = StringView();
        return true;
      }
      groups.assign(static_cast<size_t>(g) + 1, re2::StringPiece());
      const re2::StringPiece piece(text.data(), text.size());
      std::string_view result;
      if (re.Match(piece, 0, piece.size(), RE2::UNANCHORED, groups.data(),
                   static_cast<int>(groups.size())) &&
          groups[g].data() != nullptr) {
        result = std::string_view(groups[g].data(), groups[g].size());
      }
      out.data<StringView>()[i] = StringView(result.data(), static_cast<uint32_t>(result.size()));
      return true;
    });
  };
  std::vector<LogicalType> types = {kVarchar, kVarchar};
  if (args.size() > 2) types.push_back(TypeId::kBigInt);
  if (args.size() > 3) types.push_back(kVarchar);
  return BoundScalar{kVarchar, std::move(types), std::move(k)};
}

// regexp_extract_all(s, pattern[, group[, options]]): group `group` of every non-overlapping
// match, as a VARCHAR[] (an empty match advances by one character).
std::optional<BoundScalar> ResolveRegexpExtractAll(const std::vector<ExprPtr>& args) {
  if (!RegexpExtractArgsFit(args)) return std::nullopt;
  const RegexOptions options = OptionsArg(args, 3, "regexp_extract_all", false);
  auto compiled = PrecompiledRegex(args, 1, options.re2);
  const LogicalType type = LogicalType::List(kVarchar);
  ScalarKernel k = [compiled, type, re2_options = options.re2](const std::vector<ColumnPtr>& cols,
                                                               size_t n) -> ColumnPtr {
    const bool all_const = kernel::AllConstant(cols);
    const size_t m = all_const ? 1 : n;
    auto out = Column::Make(type, std::max<size_t>(m, 1));
    out->set_size(m);
    Column& child = out->mutable_child(0);
    kernel::ArgReader s(*cols[0]), p(*cols[1]);
    std::optional<kernel::ArgReader> group;
    if (cols.size() > 2) group.emplace(*cols[2]);
    RegexSource source(compiled, re2_options);
    std::vector<re2::StringPiece> groups;
    for (size_t i = 0; i < m; i++) {
      const size_t offset = child.size();
      bool null = false;
      for (const auto& c : cols) null |= !c->IsValid(i);
      if (!null) {
        const std::string_view text = s.Get<StringView>(i).view();
        const RE2& re = source.Get(p.Get<StringView>(i).view());
        const int64_t g = group ? group->Get<int64_t>(i) : 0;
        if (g < 0 || g > 9) throw InvalidInputError("Group index must be between 0 and 9!");
        if (g > re.NumberOfCapturingGroups()) {
          throw InvalidInputError("Pattern has fewer groups than the group index");
        }
        groups.assign(static_cast<size_t>(g) + 1, re2::StringPiece());
        const re2::StringPiece piece(text.data(), text.size());
        size_t pos = 0;
        while (pos <= text.size() &&
               re.Match(piece, pos, piece.size(), RE2::UNANCHORED, groups.data(),
                        static_cast<int>(groups.size()))) {
          const std::string_view found =
              groups[g].data() == nullptr ? std::string_view()
                                          : std::string_view(groups[g].data(), groups[g].size());
          child.Reserve(child.size() + 1);
          child.data<StringView>()[child.size()] = child.AddString(found);
          child.SetValid(child.size());
          child.set_size(child.size() + 1);
          const size_t end = static_cast<size_t>(groups[0].data() - text.data()) + groups[0].size();
          pos = groups[0].empty() ? end + 1 : end;
        }
      }
      out->list_entries()[i] = ListEntry{offset, child.size() - offset};
      if (null) out->SetNull(i);
    }
    if (all_const) return kernel::ToConstant(*out, n);
    return out;
  };
  std::vector<LogicalType> types = {kVarchar, kVarchar};
  if (args.size() > 2) types.push_back(TypeId::kBigInt);
  if (args.size() > 3) types.push_back(kVarchar);
  return BoundScalar{type, std::move(types), std::move(k)};
}

std::optional<BoundScalar> ResolveRegexpReplace(const std::vector<ExprPtr>& args) {
  if ((args.size() != 3 && args.size() != 4) || !AllVarchar(args)) return std::nullopt;
  const RegexOptions options = OptionsArg(args, 3, "regexp_replace", true);
  auto compiled = PrecompiledRegex(args, 1, options.re2);
  ScalarKernel k = [compiled, options](const std::vector<ColumnPtr>& cols, size_t n) {
    kernel::ArgReader s(*cols[0]), p(*cols[1]), rep(*cols[2]);
    RegexSource source(compiled, options.re2);
    std::string buf;
    return kernel::RowExec(kVarchar, cols, n, [&](size_t i, Column& out) {
      buf.assign(s.Get<StringView>(i).view());
      const RE2& re = source.Get(p.Get<StringView>(i).view());
      const std::string_view r = rep.Get<StringView>(i).view();
      const re2::StringPiece rewrite(r.data(), r.size());
      if (options.global) {
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
  r.AddScalar(
      "regexp_matches",
      [](const std::vector<ExprPtr>& a) { return ResolveRegexpTest(a, false, "regexp_matches"); },
      "regexp_matches(VARCHAR, VARCHAR[, VARCHAR options])");
  r.AddScalar(
      "regexp_full_match",
      [](const std::vector<ExprPtr>& a) { return ResolveRegexpTest(a, true, "regexp_full_match"); },
      "regexp_full_match(VARCHAR, VARCHAR[, VARCHAR options])");
  r.AddScalar("regexp_extract", ResolveRegexpExtract,
              "regexp_extract(VARCHAR, VARCHAR[, BIGINT group[, VARCHAR options]])");
  r.AddScalar("regexp_extract_all", ResolveRegexpExtractAll,
              "regexp_extract_all(VARCHAR, VARCHAR[, BIGINT group[, VARCHAR options]])");
  r.AddScalar("regexp_replace", ResolveRegexpReplace,
              "regexp_replace(VARCHAR, VARCHAR, VARCHAR[, VARCHAR options])");
}

}  // namespace sluice
