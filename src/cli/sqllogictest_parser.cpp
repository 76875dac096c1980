#include "cli/sqllogictest_parser.h"

#include <fmt/format.h>

#include <map>
#include <sstream>

#include "common/error.h"

namespace sluice {

namespace {

// A record before loop expansion: either an SltRecord or a loop marker.
struct RawRecord {
  enum class Marker { kNone, kLoopBegin, kLoopEnd };
  Marker marker = Marker::kNone;
  SltRecord record;
  std::string loop_var;
  std::vector<std::string> loop_values;
};

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::string line;
  std::istringstream in(text);
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

std::vector<std::string> SplitWords(const std::string& line) {
  std::vector<std::string> words;
  std::istringstream in(line);
  std::string word;
  while (in >> word) words.push_back(word);
  return words;
}

bool IsBlank(const std::string& line) { return line.find_first_not_of(" \t") == std::string::npos; }

std::string JoinLines(const std::vector<std::string>& lines) {
  std::string out;
  for (size_t i = 0; i < lines.size(); i++) {
    if (i > 0) out += '\n';
    out += lines[i];
  }
  return out;
}

// Reads the body of a statement or query starting at `i`: SQL lines up to "----" or a blank
// line, then (after "----") the expected lines up to a blank line. Leaves `i` on the line
// that ended the record.
void ReadBody(const std::vector<std::string>& lines, size_t& i, std::vector<std::string>& sql,
              bool& has_separator, std::vector<std::string>& expected) {
  has_separator = false;
  for (; i < lines.size() && !IsBlank(lines[i]); i++) {
    if (lines[i] == "----") {
      has_separator = true;
      i++;
      break;
    }
    sql.push_back(lines[i]);
  }
  if (!has_separator) return;
  for (; i < lines.size() && !IsBlank(lines[i]); i++) expected.push_back(lines[i]);
}

class RawParser {
 public:
  RawParser(const std::string& text, const std::string& path)
      : lines_(SplitLines(text)), path_(path) {}

  std::vector<RawRecord> Parse() {
    std::vector<RawRecord> out;
    bool skip_next = false;  // set by onlyif/skipif, applies to the next record
    size_t i = 0;
    while (i < lines_.size()) {
      const std::string& line = lines_[i];
      if (IsBlank(line) || line[0] == '#') {
        i++;
        continue;
      }
      const int line_no = static_cast<int>(i) + 1;
      const std::vector<std::string> words = SplitWords(line);
      const std::string& cmd = words[0];
      i++;
      if (cmd == "onlyif" || cmd == "skipif") {
        if (words.size() < 2) Fail(line_no, cmd + " needs a database name");
        const bool is_us = words[1] == kSltEngineName;
        if ((cmd == "onlyif") != is_us) skip_next = true;
        continue;
      }
      RawRecord raw;
      raw.record.line = line_no;
      SltRecord& r = raw.record;
      if (cmd == "statement") {
        if (words.size() < 2) Fail(line_no, "statement needs 'ok' or 'error'");
        if (words[1] == "error") {
          r.expect_error = true;
        } else if (words[1] != "ok") {
          Fail(line_no, fmt::format("unknown statement mode '{}'", words[1]));
        }
        std::vector<std::string> sql, expected;
        bool has_separator = false;
        ReadBody(lines_, i, sql, has_separator, expected);
        if (has_separator && !r.expect_error) {
          Fail(line_no, "'statement ok' cannot have a ---- result section");
        }
        r.sql = JoinLines(sql);
        r.expected_error = JoinLines(expected);
      } else if (cmd == "query") {
        r.kind = SltRecord::Kind::kQuery;
        if (words.size() < 2) Fail(line_no, "query needs a column type string");
        r.types = words[1];
        size_t next = 2;
        if (next < words.size()) {
          if (words[next] == "nosort") {
            next++;
          } else if (words[next] == "rowsort") {
            r.sort_mode = SltSortMode::kRowSort;
            next++;
          } else if (words[next] == "valuesort") {
            r.sort_mode = SltSortMode::kValueSort;
            next++;
          }
        }
        if (next < words.size()) r.label = words[next];
        std::vector<std::string> sql;
        ReadBody(lines_, i, sql, r.has_expected, r.expected);
        r.sql = JoinLines(sql);
      } else if (cmd == "hash-threshold") {
        if (words.size() < 2) Fail(line_no, "hash-threshold needs a number");
        r.kind = SltRecord::Kind::kHashThreshold;
        r.argument = words[1];
      } else if (cmd == "mode") {
        if (words.size() < 2) Fail(line_no, "mode needs an argument");
        if (words[1] == "skip") {
          r.kind = SltRecord::Kind::kModeSkip;
        } else if (words[1] == "unskip") {
          r.kind = SltRecord::Kind::kModeUnskip;
        } else {
          continue;  // output modes (output_result, debug, ...) do not change what runs
        }
      } else if (cmd == "halt") {
        r.kind = SltRecord::Kind::kHalt;
      } else if (cmd == "load") {
        if (words.size() < 2) Fail(line_no, "load needs a directory");
        r.kind = SltRecord::Kind::kLoad;
        r.argument = words[1];
        loaded_ = words[1];
      } else if (cmd == "restart") {
        // DuckDB's `restart`: the database the file loaded (in memory: a new, empty one) is
        // opened again as a new process would, so session state (TEMP tables) is gone.
        r.kind = SltRecord::Kind::kLoad;
        r.argument = loaded_;
      } else if (cmd == "require") {
        if (words.size() < 2) Fail(line_no, "require needs an argument");
        r.kind = SltRecord::Kind::kRequire;
        r.argument = words[1];
      } else if (cmd == "loop") {
        if (words.size() != 4) Fail(line_no, "usage: loop <var> <start> <end>");
        raw.marker = RawRecord::Marker::kLoopBegin;
        raw.loop_var = words[1];
        const int64_t start = ParseInt(line_no, words[2]);
        const int64_t end = ParseInt(line_no, words[3]);
        for (int64_t v = start; v < end; v++) raw.loop_values.push_back(std::to_string(v));
      } else if (cmd == "foreach") {
        if (words.size() < 3) Fail(line_no, "usage: foreach <var> <value>...");
        raw.marker = RawRecord::Marker::kLoopBegin;
        raw.loop_var = words[1];
        raw.loop_values.assign(words.begin() + 2, words.end());
      } else if (cmd == "endloop") {
        raw.marker = RawRecord::Marker::kLoopEnd;
      } else {
        Fail(line_no, fmt::format("unknown command '{}'", cmd));
      }
      r.skipped_by_condition = skip_next;
      skip_next = false;
      out.push_back(std::move(raw));
    }
    return out;
  }

 private:
  [[noreturn]] void Fail(int line, const std::string& message) const {
    throw InvalidInputError(fmt::format("{}:{}: {}", path_, line, message));
  }

  int64_t ParseInt(int line, const std::string& word) const {
    try {
      size_t used = 0;
      const int64_t v = std::stoll(word, &used);
      if (used == word.size()) return v;
    } catch (const std::exception&) {
    }
    Fail(line, fmt::format("'{}' is not an integer", word));
  }

  std::vector<std::string> lines_;
  std::string loaded_;  // the directory of the last `load` (empty: in memory)
  std::string path_;
};

std::string Substitute(std::string text, const std::map<std::string, std::string>& vars) {
  for (const auto& [name, value] : vars) {
    const std::string pattern = "${" + name + "}";
    for (size_t pos = text.find(pattern); pos != std::string::npos;
         pos = text.find(pattern, pos + value.size())) {
      text.replace(pos, pattern.size(), value);
    }
  }
  return text;
}

// Appends raw[begin, end) to `out`, repeating loop bodies once per value with the loop
// variable substituted.
void Expand(const std::vector<RawRecord>& raw, size_t begin, size_t end,
            const std::map<std::string, std::string>& vars, const std::string& path,
            std::vector<SltRecord>& out) {
  for (size_t i = begin; i < end; i++) {
    const RawRecord& r = raw[i];
    if (r.marker == RawRecord::Marker::kLoopEnd) {
      throw InvalidInputError(fmt::format("{}:{}: endloop without loop", path, r.record.line));
    }
    if (r.marker == RawRecord::Marker::kNone) {
      SltRecord rec = r.record;
      if (!vars.empty()) {
        rec.sql = Substitute(rec.sql, vars);
        rec.expected_error = Substitute(rec.expected_error, vars);
        rec.argument = Substitute(rec.argument, vars);
        for (auto& line : rec.expected) line = Substitute(line, vars);
      }
      out.push_back(std::move(rec));
      continue;
    }
    size_t close = i + 1;
    for (int depth = 1; close < end; close++) {
      if (raw[close].marker == RawRecord::Marker::kLoopBegin) depth++;
      if (raw[close].marker == RawRecord::Marker::kLoopEnd && --depth == 0) break;
    }
    if (close >= end) {
      throw InvalidInputError(fmt::format("{}:{}: loop without endloop", path, r.record.line));
    }
    for (const std::string& value : r.loop_values) {
      std::map<std::string, std::string> inner = vars;
      inner[r.loop_var] = value;
      Expand(raw, i + 1, close, inner, path, out);
    }
    i = close;
  }
}

}  // namespace

std::vector<SltRecord> ParseSqllogictest(const std::string& text, const std::string& path) {
  const std::vector<RawRecord> raw = RawParser(text, path).Parse();
  std::vector<SltRecord> out;
  Expand(raw, 0, raw.size(), {}, path, out);
  return out;
}

}  // namespace sluice
