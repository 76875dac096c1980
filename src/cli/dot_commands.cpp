#include "cli/dot_commands.h"

#include <fmt/format.h>

#include <algorithm>

#include "api/dataframe.h"
#include "api/session.h"
#include "catalog/warehouse.h"
#include "cli/shell.h"
#include "common/error.h"
#include "common/strings.h"
#include "sql/keywords.h"

namespace sluice {

namespace {

struct CommandHelp {
  const char* name;
  const char* arguments;
  const char* help;
};

constexpr CommandHelp kCommands[] = {
    {".help", "", "show this message"},
    {".tables", "[PATTERN]", "list tables and views (names containing PATTERN)"},
    {".schema", "[TABLE]", "show the CREATE statements of every table, or of TABLE"},
    {".mode", "[MODE]", "show results as duckbox (default), csv, json, markdown, line or list"},
    {".maxrows", "N", "show at most N rows in duckbox mode (default 40)"},
    {".timer", "on|off", "print the time each statement takes"},
    {".read", "FILE", "run the SQL and dot commands in FILE"},
    {".open", "[DIR]", "use the warehouse in folder DIR (in memory without DIR)"},
    {".output", "[FILE]", "write results to FILE (to the terminal without FILE)"},
    {".quit", "", "leave the shell (also .exit and Ctrl-D)"},
    {".exit", "", "leave the shell"},
};

// Words of `line`; quotes around a word are dropped ('my file.sql').
std::vector<std::string> SplitWords(const std::string& line) {
  std::vector<std::string> words;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) i++;
    if (i >= line.size()) break;
    std::string word;
    if (line[i] == '\'' || line[i] == '"') {
      const char quote = line[i++];
      while (i < line.size() && line[i] != quote) word += line[i++];
      i++;
    } else {
      while (i < line.size() && line[i] != ' ' && line[i] != '\t') word += line[i++];
    }
    words.push_back(std::move(word));
  }
  return words;
}

// An identifier as SQL must write it: bare when it can be, else in double quotes.
std::string QuoteName(const std::string& name) {
  bool bare = !name.empty() && !(name[0] >= '0' && name[0] <= '9') && !sql::IsReservedKeyword(name);
  for (char c : name) bare = bare && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
  if (bare) return name;
  std::string out = "\"";
  for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// "s.t" with each part quoted as needed.
std::string QuoteQualified(const std::string& display) {
  const CatalogName name = ParseCatalogName(display);
  return display.find('.') == std::string::npos
             ? QuoteName(name.name)
             : QuoteName(name.schema) + "." + QuoteName(name.name);
}

void ExpectArguments(const std::vector<std::string>& args, size_t most, const std::string& usage) {
  if (args.size() > most + 1) throw InvalidInputError(fmt::format("usage: {}", usage));
}

}  // namespace

std::vector<std::string> DotCommands::Names() {
  std::vector<std::string> names;
  for (const auto& c : kCommands) names.push_back(c.name);
  return names;
}

bool DotCommands::Run(const std::string& line) {
  const std::vector<std::string> args = SplitWords(line);
  if (args.empty()) return true;
  const std::string& command = args[0];
  if (command == ".quit" || command == ".exit") return false;
  if (command == ".help") {
    Help();
  } else if (command == ".tables") {
    Tables(args);
  } else if (command == ".schema") {
    Schema(args);
  } else if (command == ".mode") {
    Mode(args);
  } else if (command == ".timer") {
    Timer(args);
  } else if (command == ".maxrows") {
    ExpectArguments(args, 1, ".maxrows N");
    if (args.size() < 2 || args[1].find_first_not_of("0123456789") != std::string::npos ||
        args[1].size() > 9 || std::stoul(args[1]) == 0) {
      throw InvalidInputError("usage: .maxrows N (a positive number)");
    }
    shell_.output().set_max_rows(std::stoul(args[1]));
  } else if (command == ".read") {
    if (args.size() != 2) throw InvalidInputError("usage: .read FILE");
    shell_.RunFile(args[1]);
  } else if (command == ".open") {
    ExpectArguments(args, 1, ".open [DIR]");
    shell_.OpenDatabase(args.size() > 1 ? args[1] : "");
  } else if (command == ".output") {
    ExpectArguments(args, 1, ".output [FILE]");
    shell_.output().Redirect(args.size() > 1 ? args[1] : "");
  } else {
    throw InvalidInputError(fmt::format("unknown command '{}': .help lists the commands{}", command,
                                        DidYouMean(command, Names())));
  }
  return true;
}

void DotCommands::Help() {
  std::string text;
  for (const auto& c : kCommands) {
    const std::string usage = fmt::format("{} {}", c.name, c.arguments);
    text += fmt::format("{:<18} {}\n", usage, c.help);
  }
  text +=
      "\nSQL statements end with ';' and may span lines. Ctrl-C stops a running query, or drops\n"
      "the line being typed; Ctrl-D leaves.\n";
  shell_.output().Write(text);
}

void DotCommands::Tables(const std::vector<std::string>& args) {
  ExpectArguments(args, 1, ".tables [PATTERN]");
  std::vector<std::string> names;
  for (const auto& name : shell_.session().TableNames()) {
    if (args.size() < 2 || name.find(args[1]) != std::string::npos) names.push_back(name);
  }
  if (names.empty()) return;
  // In columns, down then across, like DuckDB.
  size_t width = 0;
  for (const auto& n : names) width = std::max(width, n.size());
  const size_t per_line = std::max<size_t>(1, 80 / (width + 2));
  const size_t lines = (names.size() + per_line - 1) / per_line;
  std::string text;
  for (size_t line = 0; line < lines; line++) {
    std::string row;
    for (size_t i = line; i < names.size(); i += lines) {
      row += fmt::format("{:<{}}", names[i], i + lines < names.size() ? width + 2 : 0);
    }
    text += row + "\n";
  }
  shell_.output().Write(text);
}

void DotCommands::Schema(const std::vector<std::string>& args) {
  ExpectArguments(args, 1, ".schema [TABLE]");
  Session& session = shell_.session();
  std::vector<std::string> names;
  if (args.size() > 1) {
    if (!session.HasTable(args[1])) {
      throw InvalidInputError(fmt::format("no table or view named '{}'{}", args[1],
                                          DidYouMean(args[1], session.TableNames())));
    }
    names.push_back(args[1]);
  } else {
    names = session.TableNames();
  }
  std::string text;
  for (const auto& name : names) {
    const CatalogName catalog_name = ParseCatalogName(name);
    if (const std::optional<ViewDefinition> found = session.FindViewDefinition(name)) {
      const ViewDefinition& view = *found;
      std::string aliases;
      for (const auto& a : view.column_aliases)
        aliases += (aliases.empty() ? "" : ", ") + QuoteName(a);
      text += fmt::format("CREATE VIEW {}{} AS {};\n", QuoteQualified(name),
                          aliases.empty() ? "" : "(" + aliases + ")", view.sql);
      continue;
    }
    std::string columns;
    for (const auto& f : session.Table(name).schema().fields()) {
      columns +=
          fmt::format("{}{} {}", columns.empty() ? "" : ", ", QuoteName(f.name), f.type.ToString());
    }
    text += fmt::format("CREATE TABLE {}({});\n", QuoteQualified(name), columns);
  }
  shell_.output().Write(text);
}

void DotCommands::Mode(const std::vector<std::string>& args) {
  ExpectArguments(args, 1, ".mode [MODE]");
  if (args.size() < 2) {
    shell_.output().Write(
        fmt::format("current output mode: {}\n", ShellOutput::ModeName(shell_.output().mode())));
    return;
  }
  shell_.output().set_mode(ShellOutput::ParseMode(args[1]));
}

void DotCommands::Timer(const std::vector<std::string>& args) {
  if (args.size() != 2 || (args[1] != "on" && args[1] != "off")) {
    throw InvalidInputError("usage: .timer on|off");
  }
  shell_.set_timer(args[1] == "on");
}

}  // namespace sluice
