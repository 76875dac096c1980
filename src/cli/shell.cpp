#include "cli/shell.h"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <sstream>

#include "api/session.h"
#include "api/sql_runner.h"
#include "cli/interrupt_cleanup.h"
#include "cli/line_editor.h"
#include "cli/progress_bar.h"
#include "cli/shell_completion.h"
#include "common/error.h"
#include "sql/lexer.h"
#include "sql/parser.h"

namespace sluice {

namespace {

constexpr const char* kPrompt = "sluice> ";
constexpr const char* kContinuationPrompt = "   ...> ";

// ~/.sluice_history, or none when HOME is not set.
std::string HistoryPath() {
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home == '\0') return "";
  return std::string(home) + "/.sluice_history";
}

// Shows a query's progress while alive and detaches it from the session before it goes.
class ProgressScope {
 public:
  ProgressScope(Session& session, bool enabled) : session_(session), bar_(enabled) {
    session_.set_progress(&bar_);
  }
  ~ProgressScope() {
    session_.set_progress(nullptr);
    bar_.Finish();
  }
  ProgressScope(const ProgressScope&) = delete;
  ProgressScope& operator=(const ProgressScope&) = delete;

 private:
  Session& session_;
  ProgressBar bar_;
};

}  // namespace

SqlInputState ClassifySqlInput(std::string_view sql) {
  std::vector<sql::Token> tokens;
  try {
    tokens = sql::Tokenize(sql);
  } catch (const ParseError& e) {
    // An open string, quoted name or comment goes on in the next line.
    return e.message().find("unterminated") != std::string::npos ? SqlInputState::kIncomplete
                                                                 : SqlInputState::kComplete;
  }
  if (tokens.size() <= 1) return SqlInputState::kEmpty;  // only the end token
  return tokens[tokens.size() - 2].IsOperator(";") ? SqlInputState::kComplete
                                                   : SqlInputState::kIncomplete;
}

Shell::Shell(SqlOptions options)
    : options_(std::move(options)),
      session_(std::make_unique<Session>(WarehouseSettings(options_.settings, options_.db_dir),
                                         options_.db_dir)),
      dot_commands_(*this),
      timer_(options_.timer) {
  output_.set_mode(ShellOutput::ParseMode(options_.format));
}

Shell::~Shell() = default;

int Shell::Run() {
  if (isatty(STDIN_FILENO) != 0 && isatty(STDOUT_FILENO) != 0) return RunInteractive();
  RunLines(std::cin);
  return errors_ > 0 ? 1 : 0;
}

int Shell::RunInteractive() {
  fmt::print("sluice 0.1.0\nEnter \".help\" for usage hints.\n");
  std::fflush(stdout);
  LineEditor editor(HistoryPath(), [this](std::string_view line) {
    return ShellCompletion::Complete(*session_, line);
  });
  // Ctrl-C while a query runs (the terminal sends SIGINT then) stops it.
  InterruptHandlerScope on_interrupt([this] {
    std::lock_guard lock(session_mutex_);
    session_->Interrupt();
  });
  std::string pending;
  while (!quit_) {
    std::string line;
    const LineEditor::Status status =
        editor.ReadLine(pending.empty() ? kPrompt : kContinuationPrompt, &line);
    if (status == LineEditor::Status::kEnd) {
      fmt::print("\n");
      break;
    }
    if (status == LineEditor::Status::kInterrupted) {
      pending.clear();
      continue;
    }
    editor.AddHistory(line);
    try {
      if (!FeedLine(line, pending)) quit_ = true;
    } catch (const InterruptError&) {
      pending.clear();
      fmt::print(stderr, "Interrupted\n");
    }
  }
  return 0;
}

void Shell::RunLines(std::istream& in) {
  std::string pending;
  for (std::string line; !quit_ && std::getline(in, line);) {
    if (!FeedLine(line, pending)) quit_ = true;
  }
  if (quit_ || ClassifySqlInput(pending) == SqlInputState::kEmpty) return;
  try {
    RunSql(pending);  // a last statement without its ';'
  } catch (const InterruptError&) {
    throw;
  } catch (...) {
    ReportError();
  }
}

void Shell::RunFile(const std::string& path) {
  std::istringstream in(ReadSqlFile(path));
  RunLines(in);
}

void Shell::OpenDatabase(const std::string& dir) {
  auto fresh = std::make_unique<Session>(WarehouseSettings(options_.settings, dir), dir);
  std::unique_ptr<Session> old;
  {
    std::lock_guard lock(session_mutex_);
    old = std::move(session_);
    session_ = std::move(fresh);
  }
  options_.db_dir = dir;
}

bool Shell::FeedLine(const std::string& line, std::string& pending) {
  try {
    if (pending.empty()) {
      const size_t first = line.find_first_not_of(" \t");
      if (first != std::string::npos && line[first] == '.') {
        std::string command = line.substr(first);
        while (!command.empty() && (command.back() == '\r' || command.back() == ' '))
          command.pop_back();
        return dot_commands_.Run(command);
      }
    }
    pending += line;
    pending += '\n';
    switch (ClassifySqlInput(pending)) {
      case SqlInputState::kEmpty:
        pending.clear();
        break;
      case SqlInputState::kIncomplete:
        break;
      case SqlInputState::kComplete: {
        const std::string sql = std::move(pending);
        pending.clear();
        RunSql(sql);
        break;
      }
    }
  } catch (const InterruptError&) {
    throw;
  } catch (...) {
    ReportError();
  }
  return !quit_;
}

void Shell::RunSql(const std::string& sql) {
  for (const auto& statement : sql::ParseScript(sql)) {
    const auto start = std::chrono::steady_clock::now();
    std::vector<StatementResult> results;
    {
      ProgressScope progress(*session_, options_.progress && session_->settings().progress_bar());
      results = RunSqlScript(*session_, statement->source_text);
    }
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    for (const auto& result : results) output_.Print(result);
    if (timer_) output_.Write(fmt::format("Run Time (s): real {:.3f}\n", elapsed.count()));
  }
}

void Shell::ReportError() {
  errors_++;
  std::fflush(stdout);
  try {
    throw;
  } catch (const Error& e) {
    fmt::print(stderr, "{}\n", e.what());
  } catch (const std::exception& e) {
    fmt::print(stderr, "Error: {}\n", e.what());
  }
  std::fflush(stderr);
}

}  // namespace sluice
