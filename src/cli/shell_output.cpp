#include "cli/shell_output.h"

#include <fmt/format.h>

#include <cstdio>

#include "api/result_format.h"
#include "api/sql_runner.h"
#include "common/error.h"

namespace sluice {

ShellOutput::Mode ShellOutput::ParseMode(const std::string& name) {
  if (name == "duckbox" || name == "box" || name == "table") return Mode::kDuckbox;
  if (name == "csv") return Mode::kCsv;
  if (name == "json") return Mode::kJson;
  if (name == "markdown") return Mode::kMarkdown;
  if (name == "line") return Mode::kLine;
  if (name == "list") return Mode::kList;
  throw InvalidInputError(
      fmt::format("unknown mode '{}': use duckbox, csv, json, markdown, line or list", name));
}

const char* ShellOutput::ModeName(Mode mode) {
  switch (mode) {
    case Mode::kDuckbox:
      return "duckbox";
    case Mode::kCsv:
      return "csv";
    case Mode::kJson:
      return "json";
    case Mode::kMarkdown:
      return "markdown";
    case Mode::kLine:
      return "line";
    case Mode::kList:
      return "list";
  }
  return "duckbox";
}

void ShellOutput::Redirect(const std::string& path) {
  if (path.empty()) {
    file_.close();
    file_path_.clear();
    return;
  }
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (!file) throw IOError(fmt::format("cannot open output file '{}'", path));
  file_ = std::move(file);
  file_path_ = path;
}

void ShellOutput::Print(const StatementResult& result) {
  if (!result.has_rows) return;
  const Schema& schema = result.schema;
  const auto& rows = result.batches;
  if (result.is_text && mode_ == Mode::kDuckbox) {
    // EXPLAIN's plan: its lines as they are, which a box would clip.
    std::string text = rows.at(0).column(0)->GetValue(0).ToString();
    if (!text.empty() && text.back() != '\n') text += '\n';
    Write(text);
    return;
  }
  switch (mode_) {
    case Mode::kDuckbox:
      Write(FormatTable(schema, rows, max_rows_));
      break;
    case Mode::kCsv:
      Write(FormatCsv(schema, rows));
      break;
    case Mode::kJson:
      Write(FormatJson(schema, rows));
      break;
    case Mode::kMarkdown:
      Write(FormatMarkdown(schema, rows));
      break;
    case Mode::kLine:
      Write(FormatLines(schema, rows));
      break;
    case Mode::kList:
      Write(FormatList(schema, rows));
      break;
  }
}

void ShellOutput::Write(const std::string& text) {
  if (!file_path_.empty()) {
    file_ << text;
    file_.flush();
    return;
  }
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

}  // namespace sluice
