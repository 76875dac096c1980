#include "cli/sqllogictest_runner.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <ostream>
#include <regex>
#include <sstream>

#include "api/session.h"
#include "api/sql_runner.h"
#include "cli/sqllogictest_parser.h"
#include "common/digest.h"
#include "common/error.h"

namespace sluice {

namespace {

// True when a statement's message is a count of rows (INSERT, UPDATE, DELETE, MERGE, COPY).
bool IsCount(const std::string& message) {
  if (message.empty() || message.size() > 18) return false;
  for (char c : message) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// `require` arguments that name test-harness behaviour rather than an extension; they are
// satisfied trivially.
bool IsHarnessRequirement(const std::string& name) {
  return name == "skip_reload" || name == "noforcestorage" || name == "no_alternative_verify" ||
         name == "notwindows" || name == "notmingw" || name == "64bit" || name == "vector_size";
}

// Statements that steer a test harness rather than the engine (DuckDB's verification and
// profiling switches): files written for other runners start with them, and they pass here
// without running.
bool IsHarnessPragma(const std::string& sql) {
  static const std::regex kPragma(
      R"(^\s*pragma\s+(enable_verification|disable_verification|verify_\w+|disable_verify_\w+|)"
      R"(enable_profil\w*|disable_profil\w*|enable_progress_bar|disable_progress_bar|)"
      R"(enable_object_cache|disable_object_cache|enable_checkpoint_on_shutdown|)"
      R"(disable_checkpoint_on_shutdown|force_checkpoint|enable_print_progress_bar|)"
      R"(disable_print_progress_bar)\s*;?\s*$)",
      std::regex::icase);
  return std::regex_match(sql, kPragma);
}

// The text a result value is compared as: NULL, (empty) for '', else Value::ToString();
// with `booleans_as_integers`, true and false print as 1 and 0 (engines without a BOOLEAN
// type, such as SQLite, wrote the expected results of many public test files so).
std::string ValueText(const Value& v, bool booleans_as_integers) {
  if (v.is_null()) return "NULL";
  if (booleans_as_integers && v.type().id() == TypeId::kBoolean) return v.GetBool() ? "1" : "0";
  std::string s = v.ToString();
  if (s.empty()) return "(empty)";
  return s;
}

using Rows = std::vector<std::vector<std::string>>;

Rows ResultRows(const StatementResult& result, bool booleans_as_integers = false) {
  Rows rows;
  for (const Batch& batch : result.batches) {
    for (size_t r = 0; r < batch.num_rows(); r++) {
      std::vector<std::string> row;
      row.reserve(batch.num_columns());
      for (size_t c = 0; c < batch.num_columns(); c++) {
        row.push_back(ValueText(batch.column(c)->GetValue(r), booleans_as_integers));
      }
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

bool HasBooleanColumn(const Schema& schema) {
  for (const auto& f : schema.fields()) {
    if (f.type.id() == TypeId::kBoolean) return true;
  }
  return false;
}

std::vector<std::string> SplitOn(const std::string& line, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t pos = line.find(sep); pos != std::string::npos; pos = line.find(sep, start)) {
    out.push_back(line.substr(start, pos - start));
    start = pos + 1;
  }
  out.push_back(line.substr(start));
  return out;
}

std::vector<std::string> SplitWhitespace(const std::string& line) {
  std::vector<std::string> out;
  std::istringstream in(line);
  std::string word;
  while (in >> word) out.push_back(word);
  return out;
}

// The expected values of a query, as rows of `columns` values. Lines are tab-separated rows
// (DuckDB); a line without tabs is split on whitespace when several columns are expected
// (SQLite). When no line has a tab and there are exactly rows*columns lines, the lines are
// one value each (classic SQLite layout).
Rows ExpectedRows(const std::vector<std::string>& lines, size_t columns, size_t actual_rows) {
  Rows rows;
  const bool any_tab = std::any_of(lines.begin(), lines.end(), [](const std::string& l) {
    return l.find('\t') != std::string::npos;
  });
  if (!any_tab && columns > 1 && lines.size() == actual_rows * columns) {
    for (size_t i = 0; i < lines.size(); i += columns) {
      rows.emplace_back(lines.begin() + static_cast<std::ptrdiff_t>(i),
                        lines.begin() + static_cast<std::ptrdiff_t>(i + columns));
    }
    return rows;
  }
  for (const std::string& line : lines) {
    if (line.find('\t') != std::string::npos || columns <= 1) {
      rows.push_back(SplitOn(line, '\t'));
    } else {
      rows.push_back(SplitWhitespace(line));
    }
  }
  return rows;
}

void SortRows(Rows& rows, SltSortMode mode) {
  if (mode == SltSortMode::kRowSort) {
    std::sort(rows.begin(), rows.end());
  } else if (mode == SltSortMode::kValueSort) {
    std::vector<std::string> values;
    for (const auto& row : rows) values.insert(values.end(), row.begin(), row.end());
    std::sort(values.begin(), values.end());
    const size_t width = rows.empty() ? 1 : std::max<size_t>(rows[0].size(), 1);
    rows.clear();
    for (size_t i = 0; i < values.size(); i += width) {
      rows.emplace_back(
          values.begin() + static_cast<std::ptrdiff_t>(i),
          values.begin() + static_cast<std::ptrdiff_t>(std::min(i + width, values.size())));
    }
  }
}

std::optional<double> ParseDouble(const std::string& s) {
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  const double d = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size()) return std::nullopt;
  return d;
}

// R columns compare numerically with a relative tolerance, so that 0.1 + 0.2 may be
// written 0.3; everything else compares as text.
// DuckDB's result patterns: `<REGEX>:p` passes when p (ECMAScript) occurs in the value,
// `<!REGEX>:p` when it does not; for multi-line values such as EXPLAIN output.
std::optional<bool> PatternMatches(const std::string& expected, const std::string& actual) {
  const bool negated = expected.rfind("<!REGEX>:", 0) == 0;
  if (!negated && expected.rfind("<REGEX>:", 0) != 0) return std::nullopt;
  const std::string pattern = expected.substr(expected.find(':') + 1);
  try {
    return std::regex_search(actual, std::regex(pattern)) != negated;
  } catch (const std::regex_error&) {
    return false;
  }
}

bool ValuesMatch(const std::string& expected, const std::string& actual, char type) {
  if (expected == actual) return true;
  if (const auto matched = PatternMatches(expected, actual)) return *matched;
  if (type != 'R') return false;
  const auto e = ParseDouble(expected);
  const auto a = ParseDouble(actual);
  if (!e || !a) return false;
  if (std::isnan(*e) || std::isnan(*a)) return std::isnan(*e) && std::isnan(*a);
  if (std::isinf(*e) || std::isinf(*a)) return *e == *a;
  return std::fabs(*e - *a) <= 1e-9 + 1e-8 * std::max(std::fabs(*e), std::fabs(*a));
}

std::string HashValues(const Rows& rows) {
  std::string joined;
  for (const auto& row : rows) {
    for (const auto& v : row) {
      joined += v;
      joined += '\n';
    }
  }
  return Md5Hex(joined);
}

size_t ValueCount(const Rows& rows) {
  size_t n = 0;
  for (const auto& row : rows) n += row.size();
  return n;
}

std::string Indent(const std::string& text) {
  std::string out = "  ";
  for (char c : text) {
    out += c;
    if (c == '\n') out += "  ";
  }
  return out;
}

std::string FormatRows(const Rows& rows) {
  if (rows.empty()) return "  (no rows)\n";
  std::string out;
  for (const auto& row : rows) {
    out += "  ";
    for (size_t i = 0; i < row.size(); i++) {
      if (i > 0) out += '\t';
      out += row[i];
    }
    out += '\n';
  }
  return out;
}

// Runs the records of one file; state that records change (skip mode, hash threshold,
// labels) lives here.
class FileRunner {
 public:
  FileRunner(std::string path, const SltOptions& options, std::ostream& out)
      : path_(std::move(path)), options_(options), out_(out) {}

  SltCounts Run() {
    std::vector<SltRecord> records;
    try {
      records = ParseSqllogictest(ReadFile(), path_);
    } catch (const Error& e) {
      out_ << "FAIL " << path_ << ": " << e.what() << "\n";
      counts_.failed++;
      return counts_;
    }
    Settings settings;
    if (options_.threads > 0) settings.Set("threads", std::to_string(options_.threads));
    settings.set_progress_bar(false);
    settings_ = settings;
    session_ = std::make_unique<Session>(settings);
    test_dir_ = MakeTestDir();
    for (size_t i = 0; i < records.size(); i++) {
      const SltRecord& r = records[i];
      if (r.kind == SltRecord::Kind::kHalt) {
        if (r.skipped_by_condition || skip_mode_) continue;
        break;
      }
      if (r.kind == SltRecord::Kind::kRequire && !IsHarnessRequirement(r.argument)) {
        const int rest = CountTests(records, i + 1);
        out_ << "SKIP " << path_ << ": require " << r.argument << " (Sluice has no extensions); "
             << rest << " records skipped\n";
        counts_.skipped += rest;
        break;
      }
      RunRecord(*session_, r);
    }
    session_.reset();
    std::error_code ignored;
    if (!test_dir_.empty()) std::filesystem::remove_all(test_dir_, ignored);
    return counts_;
  }

 private:
  static int CountTests(const std::vector<SltRecord>& records, size_t from) {
    int n = 0;
    for (size_t i = from; i < records.size(); i++) {
      if (records[i].kind == SltRecord::Kind::kStatement ||
          records[i].kind == SltRecord::Kind::kQuery) {
        n++;
      }
    }
    return n;
  }

  std::string ReadFile() const {
    std::ifstream in(path_, std::ios::binary);
    if (!in) throw IOError(fmt::format("cannot open test file '{}'", path_));
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
  }

  // A fresh directory that __TEST_DIR__ in the SQL stands for (files written by COPY).
  static std::string MakeTestDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "sluice_slt_XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) return "";
    return pattern;
  }

  std::string PrepareSql(const std::string& sql) const {
    std::string out = sql;
    const std::string token = "__TEST_DIR__";
    for (size_t pos = out.find(token); pos != std::string::npos;
         pos = out.find(token, pos + test_dir_.size())) {
      out.replace(pos, token.size(), test_dir_);
    }
    return out;
  }

  void RunRecord(Session& session, const SltRecord& r) {
    switch (r.kind) {
      case SltRecord::Kind::kModeSkip:
        skip_mode_ = true;
        return;
      case SltRecord::Kind::kModeUnskip:
        skip_mode_ = false;
        return;
      case SltRecord::Kind::kHashThreshold:
        hash_threshold_ = std::atoi(r.argument.c_str());
        return;
      case SltRecord::Kind::kRequire:
      case SltRecord::Kind::kHalt:
        return;
      case SltRecord::Kind::kLoad:
        // Like DuckDB's `load`: later records run on the (persistent) warehouse in that
        // directory; loading it again reopens it as a new process would.
        if (skip_mode_ || r.skipped_by_condition) return;
        session_.reset();
        session_ = std::make_unique<Session>(settings_, PrepareSql(r.argument));
        return;
      case SltRecord::Kind::kStatement:
      case SltRecord::Kind::kQuery:
        break;
    }
    if (skip_mode_ || r.skipped_by_condition) {
      if (LacksErrorMessage(r)) return Fail(r, "statement error names no expected message");
      counts_.skipped++;
      return;
    }
    if (r.kind == SltRecord::Kind::kStatement && !r.expect_error && IsHarnessPragma(r.sql)) {
      counts_.passed++;
      return;
    }
    std::vector<StatementResult> results;
    std::string error;
    try {
      results = RunSqlScript(session, PrepareSql(r.sql));
    } catch (const std::exception& e) {
      error = e.what();
    }
    if (r.kind == SltRecord::Kind::kStatement) {
      CheckStatement(r, error);
    } else {
      CheckQuery(r, results, error);
    }
  }

  void CheckStatement(const SltRecord& r, const std::string& error) {
    if (!r.expect_error) {
      if (!error.empty()) return Fail(r, "statement failed: " + error);
      counts_.passed++;
      return;
    }
    if (error.empty()) return Fail(r, "statement succeeded but an error was expected");
    if (LacksErrorMessage(r)) {
      return Fail(r, fmt::format("statement error names no expected message; add ---- and the "
                                 "part of the error that the test checks:\n{}",
                                 Indent(error)));
    }
    if (!r.expected_error.empty() && !ErrorMatches(r.expected_error, error)) {
      return Fail(r, fmt::format("error message mismatch\nexpected error containing:\n{}\n"
                                 "actual error:\n{}",
                                 Indent(r.expected_error), Indent(error)));
    }
    counts_.passed++;
  }

  bool LacksErrorMessage(const SltRecord& r) const {
    return options_.require_error_messages && r.kind == SltRecord::Kind::kStatement &&
           r.expect_error && r.expected_error.empty();
  }

  static bool ErrorMatches(const std::string& expected, const std::string& actual) {
    const std::string regex_prefix = "<REGEX>:";
    if (expected.rfind(regex_prefix, 0) == 0) {
      try {
        return std::regex_search(actual, std::regex(expected.substr(regex_prefix.size())));
      } catch (const std::regex_error&) {
        return false;
      }
    }
    return actual.find(expected) != std::string::npos;
  }

  void CheckQuery(const SltRecord& r, const std::vector<StatementResult>& results,
                  const std::string& error) {
    if (!error.empty()) return Fail(r, "query failed: " + error);
    const StatementResult* last = nullptr;
    for (const auto& result : results) {
      if (result.has_rows) last = &result;
    }
    // A data-changing statement's count is its result, as in DuckDB's tests (`query I` of
    // an INSERT gives the rows inserted).
    StatementResult count;
    if (last == nullptr && !results.empty() && IsCount(results.back().message)) {
      count = MakeRowsResult(Schema({Field{"Count", TypeId::kBigInt, false, ""}}),
                             {{Value::BigInt(std::stoll(results.back().message))}});
      last = &count;
    }
    if (last == nullptr) return Fail(r, "query returned no result set");
    const size_t columns = last->schema.size();
    if (columns != r.types.size()) {
      return Fail(r, fmt::format("query has {} columns but the type string '{}' names {}", columns,
                                 r.types, r.types.size()));
    }
    std::string problem = Compare(r, ResultRows(*last));
    // Files written for engines that print booleans as 1 and 0 pass as well.
    if (!problem.empty() && HasBooleanColumn(last->schema) &&
        Compare(r, ResultRows(*last, true)).empty()) {
      problem.clear();
    }
    if (!problem.empty()) return Fail(r, problem);
    counts_.passed++;
  }

  // What differs between `actual` (unsorted) and the record's expected result, or "" when
  // they agree. Remembers the hash of a labelled result.
  std::string Compare(const SltRecord& r, Rows actual) {
    const size_t columns = r.types.size();
    SortRows(actual, r.sort_mode);
    const std::string actual_hash = HashValues(actual);
    if (!r.label.empty()) {
      auto [it, inserted] = labels_.emplace(r.label, actual_hash);
      if (!inserted && it->second != actual_hash) {
        return fmt::format("result differs from an earlier query labelled '{}'\nactual:\n{}",
                           r.label, FormatRows(actual));
      }
    }

    static const std::regex kHashLine(R"(^(\d+) values hashing to ([0-9a-f]{32})$)");
    std::smatch match;
    if (r.expected.size() == 1 && std::regex_match(r.expected[0], match, kHashLine)) {
      const size_t count = std::stoull(match[1].str());
      if (count != ValueCount(actual) || match[2].str() != actual_hash) {
        return fmt::format("expected:\n  {}\nactual:\n  {} values hashing to {}\n{}",
                           r.expected[0], ValueCount(actual), actual_hash, FormatRows(actual));
      }
      return "";
    }

    Rows expected = ExpectedRows(r.expected, columns, actual.size());
    // Only rowsort/valuesort reorder the expected side too; nosort compares as written.
    if (r.sort_mode != SltSortMode::kNoSort) SortRows(expected, r.sort_mode);
    std::string problem;
    if (expected.size() != actual.size()) {
      problem = fmt::format("expected {} rows, got {}", expected.size(), actual.size());
    }
    for (size_t i = 0; problem.empty() && i < expected.size(); i++) {
      if (expected[i].size() != actual[i].size()) {
        problem = fmt::format("row {}: expected {} values, got {}", i + 1, expected[i].size(),
                              actual[i].size());
        break;
      }
      for (size_t c = 0; c < expected[i].size(); c++) {
        const char type = c < r.types.size() ? r.types[c] : 'T';
        if (!ValuesMatch(expected[i][c], actual[i][c], type)) {
          problem = fmt::format("row {} column {}: expected '{}', got '{}'", i + 1, c + 1,
                                expected[i][c], actual[i][c]);
          break;
        }
      }
    }
    if (problem.empty()) return "";
    if (hash_threshold_ > 0 && ValueCount(actual) > static_cast<size_t>(hash_threshold_)) {
      problem += fmt::format(" ({} values hashing to {})", ValueCount(actual), actual_hash);
    }
    return fmt::format("{}\nexpected:\n{}actual:\n{}", problem, FormatRows(expected),
                       FormatRows(actual));
  }

  void Fail(const SltRecord& r, const std::string& detail) {
    counts_.failed++;
    out_ << "FAIL " << path_ << ":" << r.line << "\n"
         << "SQL:\n"
         << Indent(r.sql) << "\n"
         << detail;
    if (detail.empty() || detail.back() != '\n') out_ << "\n";
    out_ << "\n";
  }

  std::string path_;
  SltOptions options_;
  std::ostream& out_;
  SltCounts counts_;
  std::string test_dir_;
  Settings settings_;
  std::unique_ptr<Session> session_;  // replaced by `load`
  bool skip_mode_ = false;
  int hash_threshold_ = 0;
  std::map<std::string, std::string> labels_;  // label -> hash of its first result
};

}  // namespace

SltCounts RunSqllogictestFile(const std::string& path, const SltOptions& options,
                              std::ostream& out) {
  return FileRunner(path, options, out).Run();
}

}  // namespace sluice
