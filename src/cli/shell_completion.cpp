#include "cli/shell_completion.h"

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <set>

#include "api/dataframe.h"
#include "api/session.h"
#include "cli/dot_commands.h"
#include "common/error.h"
#include "expr/function_registry.h"

namespace sluice {

namespace {

// Words of Sluice's SQL offered by completion, lower case.
constexpr std::string_view kKeywords[] = {
    "all",       "alter",        "analyze",   "and",       "anti",       "any",       "as",
    "asc",       "between",      "bigint",    "boolean",   "buckets",    "by",        "cache",
    "case",      "cast",         "clustered", "copy",      "count",      "create",    "cross",
    "cube",      "current_date", "date",      "decimal",   "default",    "delete",    "desc",
    "describe",  "distinct",     "double",    "drop",      "else",       "end",       "except",
    "exists",    "explain",      "false",     "filter",    "first",      "following", "format",
    "from",      "full",         "group",     "grouping",  "having",     "header",    "if",
    "ilike",     "in",           "inner",     "insert",    "integer",    "intersect", "interval",
    "into",      "is",           "join",      "last",      "lateral",    "left",      "like",
    "limit",     "matched",      "max",       "merge",     "min",        "natural",   "not",
    "null",      "nulls",        "offset",    "on",        "or",         "order",     "outer",
    "over",      "parquet",      "partition", "preceding", "qualify",    "range",     "recursive",
    "replace",   "reset",        "right",     "rollup",    "row",        "rows",      "schema",
    "select",    "semi",         "set",       "show",      "sum",        "table",     "tables",
    "temporary", "then",         "timestamp", "to",        "true",       "uncache",   "unbounded",
    "union",     "update",       "using",     "values",    "varchar",    "view",      "when",
    "where",     "window",       "with",      "avg",       "string_agg", "array_agg", "stddev",
};

// After these words a table name comes next.
constexpr std::string_view kBeforeTable[] = {"from",   "join",     "into",   "table",
                                             "update", "describe", "exists", "cache"};

bool IsWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '$' || c == '.' || static_cast<unsigned char>(c) >= 0x80;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return out;
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  return out;
}

bool StartsWithNoCase(std::string_view word, std::string_view prefix) {
  return word.size() >= prefix.size() && Lower(word.substr(0, prefix.size())) == Lower(prefix);
}

// The word before position `end` of `line` (letters, digits, _ $ .).
size_t WordStart(std::string_view line, size_t end) {
  size_t start = end;
  while (start > 0 && IsWordChar(line[start - 1])) start--;
  return start;
}

// True when `line` ends inside a single-quoted string ('' stands for one quote).
bool InsideString(std::string_view line, size_t* quote) {
  bool inside = false;
  for (size_t i = 0; i < line.size(); i++) {
    if (line[i] == '\'') {
      inside = !inside;
      if (inside) *quote = i;
    }
  }
  return inside;
}

// Column names of table or view `name`; none when it cannot be bound (a broken view).
std::vector<std::string> ColumnsOf(Session& session, const std::string& name) {
  try {
    return session.Table(name).columns();
  } catch (const UserError&) {
    return {};
  }
}

void Keep(std::set<std::string>& out, const std::string& word, std::string_view prefix) {
  if (StartsWithNoCase(word, prefix)) out.insert(word);
}

CompletionCandidates Finish(size_t word_start, const std::set<std::string>& words) {
  CompletionCandidates result;
  result.word_start = word_start;
  result.words.assign(words.begin(), words.end());
  return result;
}

}  // namespace

CompletionCandidates ShellCompletion::Complete(Session& session, std::string_view line) {
  const size_t first = line.find_first_not_of(" \t");
  if (first != std::string_view::npos && line[first] == '.') {
    CompletionCandidates result = CompleteDotCommand(session, line.substr(first));
    result.word_start += first;
    return result;
  }
  size_t quote = 0;
  if (InsideString(line, &quote)) {
    CompletionCandidates result;
    result.word_start = quote + 1;
    result.words = CompletePath(std::string(line.substr(quote + 1)));
    result.append_when_unique = "'";
    return result;
  }
  return CompleteSql(session, line);
}

CompletionCandidates ShellCompletion::CompleteDotCommand(Session& session, std::string_view line) {
  const size_t space = line.find_first_of(" \t");
  std::set<std::string> words;
  if (space == std::string_view::npos) {
    for (const auto& name : DotCommands::Names()) Keep(words, name, line);
    return Finish(0, words);
  }
  const std::string command(line.substr(0, space));
  const size_t start = line.find_last_of(" \t") + 1;
  const std::string word(line.substr(start));
  if (command == ".read" || command == ".open" || command == ".output") {
    CompletionCandidates result;
    result.word_start = start;
    result.words = CompletePath(word);
    return result;
  }
  if (command == ".mode") {
    for (const auto& mode :
         {"box", "csv", "duckbox", "json", "line", "list", "markdown", "table"}) {
      Keep(words, mode, word);
    }
  } else if (command == ".timer") {
    Keep(words, "on", word);
    Keep(words, "off", word);
  } else if (command == ".schema") {
    for (const auto& name : session.TableNames()) Keep(words, name, word);
  }
  return Finish(start, words);
}

CompletionCandidates ShellCompletion::CompleteSql(Session& session, std::string_view line) {
  const size_t start = WordStart(line, line.size());
  const std::string word(line.substr(start));
  const size_t previous_end = line.find_last_not_of(" \t\n", start == 0 ? 0 : start - 1);
  const bool after_space = start > 0 && previous_end != start - 1;
  const std::string previous =
      after_space && previous_end != std::string_view::npos
          ? Lower(line.substr(WordStart(line, previous_end + 1),
                              previous_end + 1 - WordStart(line, previous_end + 1)))
          : std::string();
  const bool wants_table = std::find(std::begin(kBeforeTable), std::end(kBeforeTable), previous) !=
                           std::end(kBeforeTable);
  std::set<std::string> words;
  const std::vector<std::string> tables = session.TableNames();
  for (const auto& table : tables) Keep(words, table, word);
  if (wants_table || word.empty()) return Finish(start, words);

  const size_t dot = word.rfind('.');
  if (dot != std::string::npos) {
    // t.col: the columns of table t, or of every table when t is an alias.
    const std::string qualifier = word.substr(0, dot);
    const bool is_table = session.HasTable(qualifier);
    for (const auto& table : tables) {
      if (is_table && Lower(table) != Lower(qualifier)) continue;
      for (const auto& column : ColumnsOf(session, table)) {
        Keep(words, qualifier + "." + column, word);
      }
    }
    return Finish(start, words);
  }
  const bool upper = word[0] >= 'A' && word[0] <= 'Z';
  for (const auto keyword : kKeywords)
    Keep(words, upper ? Upper(keyword) : std::string(keyword), word);
  for (const auto& name : FunctionRegistry::Global().ScalarNames()) {
    if (!name.empty() && IsWordChar(name[0]) && name[0] != '.') {
      Keep(words, upper ? Upper(name) : name, word);
    }
  }
  for (const auto& table : tables) {
    for (const auto& column : ColumnsOf(session, table)) Keep(words, column, word);
  }
  return Finish(start, words);
}

std::vector<std::string> ShellCompletion::CompletePath(const std::string& prefix) {
  namespace fs = std::filesystem;
  const size_t slash = prefix.rfind('/');
  const std::string folder = slash == std::string::npos ? "" : prefix.substr(0, slash + 1);
  const std::string base = slash == std::string::npos ? prefix : prefix.substr(slash + 1);
  std::vector<std::string> paths;
  std::error_code error;
  for (fs::directory_iterator it(folder.empty() ? "." : folder, error), end; !error && it != end;
       it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (name.compare(0, base.size(), base) != 0) continue;
    if (name[0] == '.' && (base.empty() || base[0] != '.')) continue;  // hidden unless asked
    std::error_code ignored;
    paths.push_back(folder + name + (it->is_directory(ignored) ? "/" : ""));
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

}  // namespace sluice
